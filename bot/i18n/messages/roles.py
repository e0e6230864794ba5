"""Roles and contributions: guide, RSVP, the contribution modal, ready, withdraw, buttons."""

from __future__ import annotations

FR: dict[str, str] = {
    # Shared
    "roles.error.session_gone": (
        "Cette session n’est plus à venir (elle a eu lieu ou a été remplacée), rien n’a été "
        "enregistré. Tapez `{cmd} programme` dans le canal du groupe pour voir la prochaine."
    ),
    "roles.error.modal_failed": (
        "Je n’ai pas pu ouvrir le formulaire de contribution (Slack ne l’a pas accepté à "
        "temps). Réessayez avec `{cmd} contribuer`."
    ),
    # Buttons
    "button.guide": "Je serai guide",
    "button.contribute": "Je contribue",
    "button.ready": "Ma contribution est prête",
    "button.join": "Je participe",
    # Guide
    "guide.claimed": (
        "Merci\u202f! Vous êtes guide de la session du *{when}*. Vous la préparez, vous vérifiez "
        "que les contributions sont prêtes le jour J et vous animez. Je vous enverrai un "
        "point sur les contributions avant la session."
    ),
    "guide.already": (
        "Vous êtes déjà guide de la session du *{when}*. Pour libérer ce rôle\u202f: "
        "`{cmd} retirer guide`."
    ),
    "guide.error.taken": (
        "<@{holder}> est déjà guide de la prochaine session\u202f: il n’y a qu’un·e guide par "
        "session. Vous pouvez contribuer (`{cmd} contribuer`) ou participer "
        "(`{cmd} participer`)."
    ),
    "guide.notice": "<@{user}> sera guide de la session du *{when}*. Merci\u202f! 🙌",
    # RSVP
    "join.done": (
        "C’est noté\u202f: vous participez à la session du *{when}*. Participant·es "
        "inscrit·es\u202f: {count}."
    ),
    "join.already": (
        "Vous êtes déjà inscrit·e à la session du *{when}*. Pour vous désinscrire\u202f: "
        "`{cmd} retirer participation`."
    ),
    # Ready
    "ready.done": (
        "Bravo\u202f: votre contribution «\u202f{title}\u202f» est prête pour la session du "
        "*{when}*."
    ),
    "ready.already": "Votre contribution «\u202f{title}\u202f» est déjà marquée prête.",
    "ready.error.none": (
        "Vous n’avez pas de contribution pour la prochaine session. Proposez-en une avec "
        "`{cmd} contribuer`, puis marquez-la prête avec `{cmd} prête`."
    ),
    # Withdraw
    "withdraw.done": "C’est fait, pour la session du *{when}*\u202f:",
    "withdraw.done.guide": "vous n’êtes plus guide",
    "withdraw.done.contribution": "votre contribution «\u202f{title}\u202f» est retirée",
    "withdraw.done.participation": "vous n’êtes plus inscrit·e comme participant·e",
    "withdraw.error.nothing": (
        "Vous n’avez ni rôle, ni contribution, ni inscription pour la prochaine session\u202f: "
        "il n’y a rien à retirer."
    ),
    "withdraw.error.nothing.guide": (
        "Vous n’êtes pas guide de la prochaine session\u202f: il n’y a rien à libérer."
    ),
    "withdraw.error.nothing.contribution": (
        "Vous n’avez pas de contribution pour la prochaine session\u202f: il n’y a rien à retirer."
    ),
    "withdraw.error.nothing.participation": (
        "Vous n’êtes pas inscrit·e à la prochaine session\u202f: il n’y a rien à retirer."
    ),
    "withdraw.error.scope": (
        "Je ne sais pas retirer «\u202f{word}\u202f». Tapez `{cmd} retirer` pour tout retirer, ou "
        "précisez `guide`, `contribution` ou `participation`."
    ),
    "withdraw.notice.guide": (
        "<@{user}> ne sera plus guide de la session du *{when}*\u202f: le groupe cherche un·e "
        "nouvel·le guide\u202f!"
    ),
    "withdraw.notice.contribution": (
        "<@{user}> a retiré sa contribution «\u202f{title}\u202f» de la session du *{when}*."
    ),
    # Contribution modal
    "contribution.modal.title": "Ma contribution",
    "contribution.modal.title.edit": "Modifier ma contribution",
    "contribution.modal.submit": "Enregistrer",
    "contribution.modal.close": "Annuler",
    "contribution.modal.intro": (
        "Session du *{when}*. Temps de présentation prévu pour l’instant\u202f: {used}\u00a0min "
        "sur "
        "{budget}."
    ),
    "contribution.modal.intro.edit": (
        "Session du *{when}*. Vous modifiez votre contribution. Temps de présentation prévu\u202f: "
        "{used}\u00a0min sur {budget}."
    ),
    "contribution.field.kind": "Type de contribution",
    "contribution.field.kind.placeholder": "Choisissez un type",
    "contribution.field.title": "Titre",
    "contribution.field.title.hint": "De 1 à 150\u00a0caractères.",
    "contribution.field.description": "Description",
    "contribution.field.description.hint": (
        "Ce que vous allez partager, en quelques lignes (3\u202f000\u00a0caractères au plus)."
    ),
    "contribution.field.duration": "Durée prévue (minutes)",
    "contribution.field.duration.hint": "Un nombre entier de 1 à 30.",
    "contribution.field.link": "Lien vers vos supports",
    "contribution.field.link.hint": "Une adresse qui commence par http:// ou https://.",
    "contribution.field.guest": "Nom de l’invité·e",
    "contribution.field.guest.hint": (
        "À remplir pour une contribution Invité·e, et seulement pour elle\u202f: la personne qui "
        "présente, que vous accueillez."
    ),
    "contribution.field.affiliation": "Structure de l’invité·e",
    "contribution.field.affiliation.hint": "Son organisation, son association ou son métier.",
    "contribution.error.affiliation_length": (
        "La structure de l’invité·e doit faire au plus 150\u00a0caractères (ici\u202f: {length})."
    ),
    "contribution.next_steps.guest": (
        "Vous accueillez votre invité·e\u202f: envoyez-lui la date, le lieu et son créneau, et "
        "présentez-lui le groupe et le thème. Quand tout est calé\u202f: `{cmd} prête`. Pour "
        "modifier\u202f: `{cmd} contribuer`. Pour retirer\u202f: `{cmd} retirer contribution`."
    ),
    "contribution.notice.created.guest": (
        "<@{user}> invite {guest} à la session du *{when}*\u202f: «\u202f{title}\u202f», "
        "{minutes}\u00a0min."
    ),
    "contribution.notice.updated.guest": (
        "<@{user}> a modifié sa contribution à la session du *{when}*\u202f: son invité·e "
        "{guest}, «\u202f{title}\u202f», {minutes}\u00a0min."
    ),
    # Contribution validation
    "contribution.error.invalid": (
        "Certains champs de votre contribution ne sont pas valides. Relancez "
        "`{cmd} contribuer` pour la corriger."
    ),
    "contribution.error.kind": (
        "Choisissez un type\u202f: Exposé, Démonstration, Retour d’expérience ou Invité·e."
    ),
    "contribution.error.title": (
        "Le titre doit faire de 1 à 150\u00a0caractères, espaces du début et de la fin non "
        "comptés (ici\u202f: {length})."
    ),
    "contribution.error.description": (
        "La description doit faire au plus 3\u202f000\u00a0caractères (ici\u202f: {length})."
    ),
    "contribution.error.duration": (
        "Indiquez la durée en minutes\u202f: un nombre entier de 1 à 30, par exemple 10."
    ),
    "contribution.error.link": (
        "Le lien doit être une adresse web complète, qui commence par http:// ou "
        "https:// suivi d’un nom de domaine, sans espace ni caractère <, > ou |, "
        "par exemple https://exemple.fr/support. Laissez le champ vide s’il n’y a pas de lien."
    ),
    "contribution.error.link_length": "Le lien doit faire au plus 2\u202f000\u00a0caractères.",
    "contribution.error.guest_required": (
        "Indiquez le nom de la personne invitée\u202f: il est obligatoire pour une contribution "
        "de type Invité·e."
    ),
    "contribution.error.guest_length": (
        "Le nom de l’invité·e doit faire au plus 150\u00a0caractères (ici\u202f: {length})."
    ),
    # Contribution saved
    "contribution.created": (
        "Merci\u202f! Votre contribution est enregistrée pour la session du *{when}*\u202f: "
        "{what}, {minutes}\u00a0min."
    ),
    "contribution.updated": (
        "Votre contribution pour la session du *{when}* est modifiée\u202f: {what}, "
        "{minutes}\u00a0min."
    ),
    "contribution.next_steps": (
        "Quand elle sera prête\u202f: `{cmd} prête`. Pour la modifier\u202f: `{cmd} contribuer`. "
        "Pour la retirer\u202f: `{cmd} retirer contribution`."
    ),
    "contribution.budget": "Temps de présentation prévu\u202f: {used}\u00a0min sur {budget}.",
    "contribution.budget.over": (
        "⚠️ Temps de présentation prévu\u202f: {used}\u00a0min sur {budget}, soit {over}\u00a0min "
        "de trop. "
        "Accordez-vous avec les autres contributeur·rices et le ou la guide pour raccourcir."
    ),
    "contribution.notice.created": (
        "<@{user}> contribue à la session du *{when}*\u202f: {what}, {minutes}\u00a0min."
    ),
    "contribution.notice.updated": (
        "<@{user}> a modifié sa contribution à la session du *{when}*\u202f: {what}, "
        "{minutes}\u00a0min."
    ),
    "contribution.guide_alert": (
        "⚠️ Les contributions de la session du *{when}* (<#{channel}>) dépassent le temps de "
        "présentation\u202f: {used}\u00a0min prévues pour {budget}, soit {over}\u00a0min de trop. "
        "Dernière en date\u202f: <@{user}>, {what}, {minutes}\u00a0min. Voyez avec les "
        "contributeur·rices comment raccourcir."
    ),
    "error.bad_user_id": (
        "Slack a envoyé cette demande avec un identifiant de membre que je ne reconnais pas\u202f: "
        "je n’ai rien fait. Réessayez\u202f; si cela se reproduit, prévenez la personne qui "
        "administre le bot."
    ),
}

EN: dict[str, str] = {
    "roles.error.session_gone": (
        "This session is no longer upcoming (it was held or replaced); nothing was saved. "
        "Type `{cmd} agenda` in the group's channel to see the next one."
    ),
    "roles.error.modal_failed": (
        "I could not open the contribution form (Slack did not accept it in time). Try "
        "again with `{cmd} contribute`."
    ),
    "button.guide": "I'll be the guide",
    "button.contribute": "I'll contribute",
    "button.ready": "My contribution is ready",
    "button.join": "I'll attend",
    "guide.claimed": (
        "Thank you! You are the guide of the session on *{when}*. You prepare it, make sure "
        "the contributions are ready on the day, and host it. I will send you an overview of "
        "the contributions before the session."
    ),
    "guide.already": (
        "You are already the guide of the session on *{when}*. To release the role: `{cmd} "
        "withdraw guide`."
    ),
    "guide.error.taken": (
        "<@{holder}> is already the guide of the next session: there is one guide per "
        "session. You can contribute (`{cmd} contribute`) or attend (`{cmd} join`)."
    ),
    "guide.notice": "<@{user}> will guide the session on *{when}*. Thank you! 🙌",
    "join.done": (
        "Noted: you will attend the session on *{when}*. Registered participants: {count}."
    ),
    "join.already": (
        "You are already registered for the session on *{when}*. To unregister: "
        "`{cmd} withdraw participation`."
    ),
    "ready.done": (
        "Well done: your contribution \u201c{title}\u201d is ready for the session on *{when}*."
    ),
    "ready.already": "Your contribution \u201c{title}\u201d is already marked ready.",
    "ready.error.none": (
        "You have no contribution for the next session. Propose one with "
        "`{cmd} contribute`, then mark it ready with `{cmd} ready`."
    ),
    "withdraw.done": "Done, for the session on *{when}*:",
    "withdraw.done.guide": "you are no longer the guide",
    "withdraw.done.contribution": "your contribution \u201c{title}\u201d is withdrawn",
    "withdraw.done.participation": "you are no longer registered as a participant",
    "withdraw.error.nothing": (
        "You have no role, no contribution and no registration for the next session: "
        "there is nothing to withdraw."
    ),
    "withdraw.error.nothing.guide": (
        "You are not the guide of the next session: there is nothing to release."
    ),
    "withdraw.error.nothing.contribution": (
        "You have no contribution for the next session: there is nothing to withdraw."
    ),
    "withdraw.error.nothing.participation": (
        "You are not registered for the next session: there is nothing to withdraw."
    ),
    "withdraw.error.scope": (
        "I can't withdraw \u201c{word}\u201d. Type `{cmd} withdraw` to withdraw everything, "
        "or name `guide`, `contribution` or `participation`."
    ),
    "withdraw.notice.guide": (
        "<@{user}> will no longer guide the session on *{when}*: the group needs a new guide!"
    ),
    "withdraw.notice.contribution": (
        "<@{user}> withdrew their contribution \u201c{title}\u201d from the session on *{when}*."
    ),
    "contribution.modal.title": "My contribution",
    "contribution.modal.title.edit": "Edit my contribution",
    "contribution.modal.submit": "Save",
    "contribution.modal.close": "Cancel",
    "contribution.modal.intro": (
        "Session on *{when}*. Presentation time planned so far: {used} min out of {budget}."
    ),
    "contribution.modal.intro.edit": (
        "Session on *{when}*. You are editing your contribution. Presentation time planned: "
        "{used} min out of {budget}."
    ),
    "contribution.field.kind": "Kind of contribution",
    "contribution.field.kind.placeholder": "Pick a kind",
    "contribution.field.title": "Title",
    "contribution.field.title.hint": "1 to 150 characters.",
    "contribution.field.description": "Description",
    "contribution.field.description.hint": (
        "What you will share, in a few lines (at most 3000 characters)."
    ),
    "contribution.field.duration": "Planned duration (minutes)",
    "contribution.field.duration.hint": "A whole number from 1 to 30.",
    "contribution.field.link": "Link to your material",
    "contribution.field.link.hint": "An address starting with http:// or https://.",
    "contribution.field.guest": "Guest's name",
    "contribution.field.guest.hint": (
        "Fill in for a Guest contribution, and only for one: the person who presents, whom "
        "you host."
    ),
    "contribution.field.affiliation": "Guest's organisation",
    "contribution.field.affiliation.hint": "Their organisation, association or trade.",
    "contribution.error.affiliation_length": (
        "The guest's organisation must be at most 150 characters long (here: {length})."
    ),
    "contribution.next_steps.guest": (
        "You host your guest: send them the date, the place and their slot, and introduce the "
        "group and the theme. When all is set: `{cmd} ready`. To edit: `{cmd} contribute`. To "
        "withdraw: `{cmd} withdraw contribution`."
    ),
    "contribution.notice.created.guest": (
        "<@{user}> invites {guest} to the session on *{when}*: “{title}”, {minutes} min."
    ),
    "contribution.notice.updated.guest": (
        "<@{user}> updated their contribution to the session on *{when}*: their guest {guest}, "
        "“{title}”, {minutes} min."
    ),
    "contribution.error.invalid": (
        "Some fields of your contribution are not valid. Run `{cmd} contribute` again to fix it."
    ),
    "contribution.error.kind": "Pick a kind: Talk, Demo, Experience report or Guest.",
    "contribution.error.title": (
        "The title must be 1 to 150 characters long, leading and trailing spaces not "
        "counted (here: {length})."
    ),
    "contribution.error.description": (
        "The description must be at most 3000 characters long (here: {length})."
    ),
    "contribution.error.duration": (
        "Give the duration in minutes: a whole number from 1 to 30, for example 10."
    ),
    "contribution.error.link": (
        "The link must be a full web address: http:// or https:// followed by a domain "
        "name, with no spaces and none of the characters <, > or |, for example "
        "https://example.org/slides. Leave it empty if there is no link."
    ),
    "contribution.error.link_length": "The link must be at most 2000 characters long.",
    "contribution.error.guest_required": (
        "Give the guest's name: it is required for a Guest contribution."
    ),
    "contribution.error.guest_length": (
        "The guest's name must be at most 150 characters long (here: {length})."
    ),
    "contribution.created": (
        "Thank you! Your contribution to the session on *{when}* is saved: {what}, {minutes} min."
    ),
    "contribution.updated": (
        "Your contribution to the session on *{when}* is updated: {what}, {minutes} min."
    ),
    "contribution.next_steps": (
        "When it is ready: `{cmd} ready`. To edit it: `{cmd} contribute`. To withdraw it: "
        "`{cmd} withdraw contribution`."
    ),
    "contribution.budget": "Planned presentation time: {used} min out of {budget}.",
    "contribution.budget.over": (
        "⚠️ Planned presentation time: {used} min out of {budget}, {over} min over. Agree "
        "with the other contributors and the guide on how to shorten."
    ),
    "contribution.notice.created": (
        "<@{user}> contributes to the session on *{when}*: {what}, {minutes} min."
    ),
    "contribution.notice.updated": (
        "<@{user}> updated their contribution to the session on *{when}*: {what}, {minutes} min."
    ),
    "contribution.guide_alert": (
        "⚠️ The contributions to the session on *{when}* (<#{channel}>) exceed the "
        "presentation time: {used} min planned for {budget}, {over} min over. Latest: "
        "<@{user}>, {what}, {minutes} min. Work out with the contributors how to shorten."
    ),
    "error.bad_user_id": (
        "Slack sent this request with a user id I do not recognise, so I did nothing. "
        "Try again; if it keeps happening, tell the person who runs the bot."
    ),
}
