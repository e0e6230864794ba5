"""The roles modal, the App Home and the organisers' controls (assign, reorder, cancel,
share the organiser role), with the audit log's lines.

French typography: a narrow no-break space (U+202F, written `\u202f`) before ; : ! ? and
inside « ».
"""

from __future__ import annotations

FR: dict[str, str] = {
    # The roles modal
    "board.modal.title": "Rôles de la session",
    "board.modal.close": "Fermer",
    "board.when": "*Session du {when}* (<#{channel}>)",
    "board.theme": "Thème\u202f: {theme}",
    "board.no_theme": "Thème\u202f: pas encore choisi",
    "board.guide.none": "*Guide\u202f:* personne pour l’instant.",
    "board.guide.you": "*Guide\u202f:* c’est vous. Merci\u202f!",
    "board.guide.holder": "*Guide\u202f:* <@{user}>",
    "board.guide.take": "Je serai guide",
    "board.guide.release": "Libérer le rôle",
    "board.mine.title": "*Ma contribution\u202f:*",
    "board.mine.none": "*Ma contribution\u202f:* aucune pour l’instant.",
    "board.mine.add": "Proposer une contribution",
    "board.mine.edit": "Modifier",
    "board.mine.ready": "Ma contribution est prête",
    "board.mine.withdraw": "Retirer",
    "board.others.title": (
        "*Contributions* ({count} des autres membres\u202f; {used}\u00a0min prévues sur {budget})"
    ),
    "board.others.title.public": "*Contributions* ({count} des autres membres)",
    "board.contribution.line.public": (
        "• {kind} · «\u202f{title}\u202f» · <@{user}> · {minutes}\u00a0min"
    ),
    "board.others.none": "Aucune autre contribution pour l’instant.",
    "board.contribution.line": (
        "• {kind} · «\u202f{title}\u202f» · <@{user}> · {minutes}\u00a0min · {state}"
    ),
    "board.contribution.line.untitled": "• {kind} · <@{user}> · {minutes}\u00a0min · {state}",
    "board.ready": "✅ prête",
    "board.not_ready": "⏳ en préparation",
    "board.participation.in": "*Participation\u202f:* vous êtes inscrit·e ({count} au total).",
    "board.participation.out": (
        "*Participation\u202f:* vous n’êtes pas inscrit·e ({count} au total)."
    ),
    "board.join": "Je participe",
    "board.leave": "Je ne participe plus",
    "board.page": "Page {page} sur {pages}",
    "board.page.previous": "◀ Précédentes",
    "board.page.next": "Suivantes ▶",
    "board.organiser.title": "*Organisation* (organisateur·rices\u202f: {organisers})",
    "board.organiser.assign_guide": "Confier le rôle de guide à…",
    "board.organiser.add": "Ajouter un·e organisateur·rice…",
    "board.organiser.remove": "Retirer un·e organisateur·rice…",
    "board.organiser.assign_contribution": "Confier cette contribution à…",
    "board.menu.up": "Monter",
    "board.guide_order.title": (
        "*Ordre de passage* (vous êtes guide)\u202f: montez ou descendez une contribution."
    ),
    "board.menu.down": "Descendre",
    "board.menu.remove": "Retirer du programme",
    "board.cancel.plan_next": "Annuler et planifier la suivante",
    "board.cancel.only": "Annuler sans planifier",
    "board.confirm.deny": "Non, revenir",
    "board.confirm.release.title": "Libérer le rôle de guide\u202f?",
    "board.confirm.release.text": (
        "La session n’aura plus de guide\u202f; le groupe en sera informé."
    ),
    "board.confirm.release.confirm": "Libérer",
    "board.confirm.withdraw.title": "Retirer ma contribution\u202f?",
    "board.confirm.withdraw.text": "«\u202f{title}\u202f» sera retirée du programme.",
    "board.confirm.withdraw.confirm": "Retirer",
    "board.confirm.cancel_next.title": "Annuler la session\u202f?",
    "board.confirm.cancel_next.text": (
        "Chaque personne concernée sera prévenue par message privé, les rappels ne partiront "
        "pas, et la session suivante sera planifiée selon la récurrence du groupe."
    ),
    "board.confirm.cancel_next.confirm": "Annuler la session",
    "board.confirm.cancel_only.title": "Annuler la session\u202f?",
    "board.confirm.cancel_only.text": (
        "Chaque personne concernée sera prévenue par message privé et les rappels ne "
        "partiront pas. Aucune session suivante ne sera planifiée."
    ),
    "board.confirm.cancel_only.confirm": "Annuler la session",
    "board.done": "C’est fait.",
    # Organisers' refusals
    "organise.error.not_allowed": (
        "Seul·es les organisateur·rices du groupe peuvent faire cela (organisateur·rices\u202f: "
        "{organisers}). Rien n’a été modifié."
    ),
    "organise.error.not_allowed_reorder": (
        "Seul·es les organisateur·rices et le ou la guide peuvent réordonner les contributions "
        "(organisateur·rices\u202f: {organisers})."
    ),
    "organise.error.contribution_gone": (
        "Cette contribution n’est plus au programme (elle a été retirée entre-temps)\u202f: "
        "voici la liste à jour."
    ),
    "organise.error.member_has_contribution": (
        "<@{member}> présente déjà une contribution à cette session\u202f: une seule par personne."
    ),
    "organise.error.order_changed": (
        "Le programme a changé entre-temps\u202f: voici l’ordre à jour, réessayez."
    ),
    "organise.error.not_an_organiser": "<@{member}> n’est pas organisateur·rice du groupe.",
    "organise.error.last_organiser": (
        "C’est le ou la dernier·e organisateur·rice du groupe\u202f: ajoutez-en un·e autre "
        "avant de le ou la retirer."
    ),
    "organise.error.member_expected": (
        "Indiquez un membre avec une mention, par exemple `{cmd} {usage} @membre`."
    ),
    "organise.error.organiser_usage": (
        "Écrivez `{cmd} organisateur ajouter @membre` ou `{cmd} organisateur retirer @membre`."
    ),
    # Commands
    "assign.guide.done": "C’est noté\u202f: <@{user}> est guide de la session du *{when}*.",
    "assign.guide.notice": (
        "<@{actor}> a confié le rôle de guide de la session du *{when}* à <@{user}>. "
        "Merci\u202f! 🙌"
    ),
    "assign.guide.already": "<@{user}> est déjà guide de la session du *{when}*.",
    "organiser.added": "<@{user}> est maintenant organisateur·rice du groupe.",
    "organiser.already": "<@{user}> est déjà organisateur·rice du groupe.",
    "organiser.removed": "<@{user}> n’est plus organisateur·rice du groupe.",
    "cancel.confirm.question": (
        "Annuler la session du *{when}*\u202f? Chaque personne concernée ({count}) sera "
        "prévenue par message privé et les rappels ne partiront pas."
    ),
    "cancel.done": (
        "La session du *{when}* est annulée\u202f: {count} personne(s) prévenue(s) par message "
        "privé, {deliveries} envoi(s) prévu(s) annulé(s)."
    ),
    "cancel.done.next": "Session suivante planifiée le *{when}*.",
    "cancel.done.no_next": (
        "Aucune session suivante n’est planifiée\u202f: `{cmd} session <date> <heure>`."
    ),
    "cancel.notice": "<@{actor}> a annulé la session du *{when}*.",
    "cancel.dm": (
        "La session du *{when}* dans <#{channel}> est annulée (par <@{actor}>). Merci pour "
        "votre engagement, rien n’est perdu\u202f: vous pourrez reprendre votre rôle à la "
        "prochaine."
    ),
    "planning.kind.session_cancel": "message privé aux personnes concernées par une annulation",
    # The App Home
    "home.title": "Partage entre pairs",
    "home.empty": (
        "Vous ne faites encore partie d’aucun groupe\u202f: tapez `/partage` dans le canal "
        "d’un groupe pour commencer."
    ),
    "home.no_session": "<#{channel}>\u202f: pas de session prévue pour l’instant.",
    "home.guide": "Guide\u202f: <@{user}>",
    "home.guide.none": "Guide\u202f: personne pour l’instant",
    "home.role": "Votre rôle\u202f: {roles}",
    "home.role.none": "Votre rôle\u202f: aucun pour l’instant",
    "home.role.guide": "guide",
    "home.role.contributor": "contribution «\u202f{title}\u202f» ({state})",
    "home.role.participant": "participant·e",
    "home.open_roles": "Rôles",
    "home.config": "Réglages du groupe",
    "home.readiness": (
        "*Préparation* (organisation)\u202f: {ready} contribution(s) prête(s) sur {count}, "
        "{used}\u00a0min sur {budget}."
    ),
    "home.changes": "Dernières modifications",
    "home.more": "…et {count} autre(s) groupe(s)\u202f: ouvrez `/partage roles` dans leur canal.",
    # The audit log's lines
    "audit.assign_guide": "{at} · <@{actor}> a confié le rôle de guide à <@{subject}>",
    "audit.assign_contribution": (
        "{at} · <@{actor}> a confié «\u202f{detail}\u202f» à <@{subject}>"
    ),
    "audit.remove_contribution": (
        "{at} · <@{actor}> a retiré «\u202f{detail}\u202f» (de <@{subject}>)"
    ),
    "audit.reorder": "{at} · <@{actor}> a réordonné le programme\u202f: {detail}",
    "audit.cancel": "{at} · <@{actor}> a annulé la session",
    "audit.add_organiser": "{at} · <@{actor}> a ajouté <@{subject}> aux organisateur·rices",
    "audit.remove_organiser": "{at} · <@{actor}> a retiré <@{subject}> des organisateur·rices",
    # Help lines of the subcommands above
    "help.line.roles": (
        "`{cmd} roles`\u202f: tous les rôles de la prochaine session, en un formulaire"
    ),
    "help.line.guide_assign": (
        "`{cmd} guide @membre`\u202f: confier le rôle de guide (organisateur·rices)"
    ),
    "help.line.annuler": "`{cmd} annuler`\u202f: annuler la prochaine session (organisateur·rices)",
    "help.line.organisateur": (
        "`{cmd} organisateur ajouter @membre` ou `retirer @membre`\u202f: partager le rôle "
        "d’organisateur·rice"
    ),
}

EN: dict[str, str] = {
    "board.modal.title": "Session roles",
    "board.modal.close": "Close",
    "board.when": "*Session on {when}* (<#{channel}>)",
    "board.theme": "Theme: {theme}",
    "board.no_theme": "Theme: not chosen yet",
    "board.guide.none": "*Guide:* nobody yet.",
    "board.guide.you": "*Guide:* you. Thank you!",
    "board.guide.holder": "*Guide:* <@{user}>",
    "board.guide.take": "I'll be the guide",
    "board.guide.release": "Release the role",
    "board.mine.title": "*My contribution:*",
    "board.mine.none": "*My contribution:* none yet.",
    "board.mine.add": "Propose a contribution",
    "board.mine.edit": "Edit",
    "board.mine.ready": "My contribution is ready",
    "board.mine.withdraw": "Withdraw",
    "board.others.title": (
        "*Contributions* ({count} from other members; {used} min planned of {budget})"
    ),
    "board.others.title.public": "*Contributions* ({count} from other members)",
    "board.contribution.line.public": "• {kind} · “{title}” · <@{user}> · {minutes} min",
    "board.others.none": "No other contribution yet.",
    "board.contribution.line": "• {kind} · “{title}” · <@{user}> · {minutes} min · {state}",
    "board.contribution.line.untitled": "• {kind} · <@{user}> · {minutes} min · {state}",
    "board.ready": "✅ ready",
    "board.not_ready": "⏳ in preparation",
    "board.participation.in": "*Attendance:* you are signed up ({count} in all).",
    "board.participation.out": "*Attendance:* you are not signed up ({count} in all).",
    "board.join": "I'll attend",
    "board.leave": "I won't attend",
    "board.page": "Page {page} of {pages}",
    "board.page.previous": "◀ Previous",
    "board.page.next": "Next ▶",
    "board.organiser.title": "*Organising* (organisers: {organisers})",
    "board.organiser.assign_guide": "Make the guide…",
    "board.organiser.add": "Add an organiser…",
    "board.organiser.remove": "Remove an organiser…",
    "board.organiser.assign_contribution": "Hand this contribution to…",
    "board.menu.up": "Move up",
    "board.guide_order.title": (
        "*Order of passage* (you are the guide): move a contribution up or down."
    ),
    "board.menu.down": "Move down",
    "board.menu.remove": "Remove from the programme",
    "board.cancel.plan_next": "Cancel and plan the next",
    "board.cancel.only": "Cancel without planning",
    "board.confirm.deny": "No, go back",
    "board.confirm.release.title": "Release the guide role?",
    "board.confirm.release.text": "The session will have no guide; the group will be told.",
    "board.confirm.release.confirm": "Release",
    "board.confirm.withdraw.title": "Withdraw my contribution?",
    "board.confirm.withdraw.text": "“{title}” will be taken off the programme.",
    "board.confirm.withdraw.confirm": "Withdraw",
    "board.confirm.cancel_next.title": "Cancel the session?",
    "board.confirm.cancel_next.text": (
        "Everyone concerned gets a direct message, the reminders will not go out, and the "
        "next session is planned by the group's recurrence."
    ),
    "board.confirm.cancel_next.confirm": "Cancel the session",
    "board.confirm.cancel_only.title": "Cancel the session?",
    "board.confirm.cancel_only.text": (
        "Everyone concerned gets a direct message and the reminders will not go out. No next "
        "session is planned."
    ),
    "board.confirm.cancel_only.confirm": "Cancel the session",
    "board.done": "Done.",
    "organise.error.not_allowed": (
        "Only the group's organisers can do that (organisers: {organisers}). Nothing was changed."
    ),
    "organise.error.not_allowed_reorder": (
        "Only organisers and the guide can reorder the contributions (organisers: {organisers})."
    ),
    "organise.error.contribution_gone": (
        "That contribution is no longer on the programme (withdrawn meanwhile): here is the "
        "current list."
    ),
    "organise.error.member_has_contribution": (
        "<@{member}> already presents a contribution at this session: one per person."
    ),
    "organise.error.order_changed": (
        "The programme changed meanwhile: here is the current order, try again."
    ),
    "organise.error.not_an_organiser": "<@{member}> is not an organiser of the group.",
    "organise.error.last_organiser": (
        "This is the group's last organiser: add another one before removing them."
    ),
    "organise.error.member_expected": (
        "Name a member with a mention, for example `{cmd} {usage} @member`."
    ),
    "organise.error.organiser_usage": (
        "Type `{cmd} organiser add @member` or `{cmd} organiser remove @member`."
    ),
    "assign.guide.done": "Noted: <@{user}> is the guide of the session on *{when}*.",
    "assign.guide.notice": (
        "<@{actor}> made <@{user}> the guide of the session on *{when}*. Thank you! 🙌"
    ),
    "assign.guide.already": "<@{user}> is already the guide of the session on *{when}*.",
    "organiser.added": "<@{user}> is now an organiser of the group.",
    "organiser.already": "<@{user}> is already an organiser of the group.",
    "organiser.removed": "<@{user}> is no longer an organiser of the group.",
    "cancel.confirm.question": (
        "Cancel the session on *{when}*? Everyone concerned ({count}) gets a direct message "
        "and the reminders will not go out."
    ),
    "cancel.done": (
        "The session on *{when}* is cancelled: {count} person(s) told by direct message, "
        "{deliveries} planned message(s) cancelled."
    ),
    "cancel.done.next": "Next session planned on *{when}*.",
    "cancel.done.no_next": "No next session is planned: `{cmd} schedule <date> <time>`.",
    "cancel.notice": "<@{actor}> cancelled the session on *{when}*.",
    "cancel.dm": (
        "The session on *{when}* in <#{channel}> is cancelled (by <@{actor}>). Thank you for "
        "signing up; nothing is lost: you can take your role again next time."
    ),
    "planning.kind.session_cancel": "direct message to everyone concerned by a cancellation",
    "home.title": "Peer sharing",
    "home.empty": (
        "You are not part of any group yet: type `/partage` in a group's channel to start."
    ),
    "home.no_session": "<#{channel}>: no session planned yet.",
    "home.guide": "Guide: <@{user}>",
    "home.guide.none": "Guide: nobody yet",
    "home.role": "Your role: {roles}",
    "home.role.none": "Your role: none yet",
    "home.role.guide": "guide",
    "home.role.contributor": "contribution “{title}” ({state})",
    "home.role.participant": "attendee",
    "home.open_roles": "Roles",
    "home.config": "Group settings",
    "home.readiness": (
        "*Readiness* (organising): {ready} of {count} contribution(s) ready, {used} min of "
        "{budget}."
    ),
    "home.changes": "Latest changes",
    "home.more": "…and {count} more group(s): open `/partage roles` in their channel.",
    "audit.assign_guide": "{at} · <@{actor}> made <@{subject}> the guide",
    "audit.assign_contribution": "{at} · <@{actor}> handed “{detail}” to <@{subject}>",
    "audit.remove_contribution": "{at} · <@{actor}> removed “{detail}” (by <@{subject}>)",
    "audit.reorder": "{at} · <@{actor}> reordered the programme: {detail}",
    "audit.cancel": "{at} · <@{actor}> cancelled the session",
    "audit.add_organiser": "{at} · <@{actor}> added <@{subject}> to the organisers",
    "audit.remove_organiser": "{at} · <@{actor}> removed <@{subject}> from the organisers",
    "help.line.roles": "`{cmd} roles`: every role of the next session, in one form",
    "help.line.guide_assign": "`{cmd} guide @member`: hand the guide role (organisers)",
    "help.line.annuler": "`{cmd} cancel`: cancel the next session (organisers)",
    "help.line.organisateur": (
        "`{cmd} organiser add @member` or `remove @member`: share the organiser role"
    ),
}
