"""The async tour de table: the invitation, the modal, the compiled answers, the
"Je peux aider" messages, and the settings that drive them."""

from __future__ import annotations

FR: dict[str, str] = {
    # The invitation, by DM.
    "tour.invite.title": "🗣️ Tour de table de la session du {day}",
    "tour.invite.intro": (
        "La session de <#{channel}> a lieu {when}. Pour y consacrer moins de temps "
        "ensemble, partagez dès maintenant où vous en êtes. Quatre questions, toutes "
        "facultatives\u202f:"
    ),
    "tour.invite.closed": "⏹️ La session a commencé\u202f: le tour de table est clos.",
    "tour.invite.privacy": (
        "Le ou la guide lit toutes les réponses. Elles ne sont publiées dans le fil de la "
        "session que si vous cochez «\u202fPartager avec le groupe\u202f»."
    ),
    "tour.invite.deadline": "⏳ Vous pouvez répondre jusqu’au {until}.",
    "tour.invite.answered": (
        "✅ Vous avez répondu. Vous pouvez modifier ou supprimer vos réponses jusqu’au {until}."
    ),
    "tour.invite.answer": "Répondre",
    "tour.invite.edit": "Modifier",
    "tour.invite.delete": "Supprimer mes réponses",
    "tour.invite.opt_out": "Ne plus recevoir ces invitations pour ce groupe",
    "tour.question.line": "• {question}",
    # The modal.
    "tour.modal.title": "Tour de table",
    "tour.modal.submit": "Enregistrer",
    "tour.modal.close": "Annuler",
    "tour.modal.intro": (
        "Session de <#{channel}>, {when}. Répondez à ce que vous voulez\u202f; laissez le "
        "reste vide."
    ),
    "tour.modal.hint": "{limit}\u00a0caractères au plus.",
    "tour.modal.failed": (
        "Je n’ai pas pu ouvrir le formulaire à temps\u202f: cliquez à nouveau sur "
        "«\u202fRépondre\u202f» ou «\u202fModifier\u202f»."
    ),
    "tour.modal.share.label": "Partage",
    "tour.modal.share.option": "Partager avec le groupe (dans le fil de la session)",
    "tour.modal.share.hint": "Sans cette case, vos réponses ne sont lues que par le ou la guide.",
    "tour.saved.title": "Tour de table",
    "tour.saved.close": "Fermer",
    "tour.saved.created": "Merci\u202f! Vos réponses sont enregistrées.",
    "tour.saved.updated": "Vos réponses sont modifiées.",
    "tour.saved.shared": (
        "Le ou la guide les lira, et elles seront publiées dans le fil de la session "
        "{minutes}\u00a0minutes avant le début."
    ),
    "tour.saved.private": "Seul·e le ou la guide les lira\u202f: elles ne seront pas publiées.",
    "tour.saved.edit": (
        "Pour les modifier ou les supprimer d’ici le début, utilisez les boutons du message "
        "d’invitation."
    ),
    "tour.error.too_long": (
        "{length}\u00a0caractères\u202f: {limit} au plus. Raccourcissez votre réponse."
    ),
    "tour.error.empty": (
        "Rien n’a été enregistré\u202f: répondez à au moins une question, ou fermez la fenêtre."
    ),
    "tour.error.closed": (
        "La session a commencé\u202f: les réponses au tour de table ne peuvent plus être modifiées."
    ),
    "tour.error.invalid": "Certaines réponses sont trop longues.",
    "tour.error.own_need": (
        "C’est votre propre besoin\u202f: ce bouton permet aux autres membres de vous "
        "proposer leur aide."
    ),
    "tour.error.need_gone": "Ce besoin a été retiré par son auteur·rice.",
    # The buttons' answers (ephemeral).
    "tour.deleted": "Vos réponses au tour de table de cette session sont supprimées.",
    "tour.deleted.none": "Vous n’avez pas de réponses enregistrées pour cette session.",
    "tour.opted_out": (
        "C’est noté\u202f: vous ne recevrez plus l’invitation au tour de table de <#{channel}>."
    ),
    "tour.opted_out.already": (
        "Vous ne recevez déjà plus l’invitation au tour de table de <#{channel}>."
    ),
    "tour.opt_in": "Recevoir à nouveau",
    "tour.opted_in": (
        "C’est noté\u202f: vous recevrez à nouveau l’invitation au tour de table de <#{channel}>."
    ),
    "tour.opted_in.already": "Vous recevez déjà l’invitation au tour de table de <#{channel}>.",
    # The answers, for the guide (DM) and the group (the session's thread).
    "tour.digest.title": "🗣️ Tour de table\u202f: les réponses",
    "tour.digest.intro": (
        "{count} membre(s) ont répondu avant la session de <#{channel}> ({when}), dont "
        "{needs} avec un besoin. Vous seul·e voyez les réponses non partagées."
    ),
    "tour.digest.none": (
        "Personne n’a répondu au tour de table avant la session de <#{channel}> ({when})."
    ),
    "tour.digest.author": "*<@{user}>*",
    "tour.digest.author.private": "*<@{user}>* · _non partagé_",
    "tour.answer.feeling": "*Humeur\u202f:* {text}",
    "tour.answer.doing": "*Où j’en suis\u202f:* {text}",
    "tour.answer.learned": "*Découvert ou appris\u202f:* {text}",
    "tour.answer.needs": "🆘 *Besoin\u202f:* {text}",
    "tour.digest.more": "… et {count} autre(s) réponse(s), trop pour un seul message.",
    "tour.thread.title": (
        "🗣️ *Tour de table*\u202f: les réponses partagées avant la session ({count})"
    ),
    "tour.thread.author": "*{name}*",
    "tour.thread.help": "Je peux aider",
    "tour.thread.tip": (
        "Un besoin vous parle\u202f? «\u202fJe peux aider\u202f» prévient son auteur·rice."
    ),
    "tour.a_member": "Un·e membre",
    # "Je peux aider".
    "tour.help.dm": (
        "🤝 <@{helper}> peut vous aider sur le besoin que vous avez partagé au tour de table "
        "de <#{channel}>\u202f:"
    ),
    "tour.help.next": "Écrivez-lui directement pour en parler.",
    "tour.help.sent": "C’est noté\u202f: <@{user}> est prévenu·e par message privé.",
    "tour.help.already": "Vous avez déjà proposé votre aide\u202f; <@{user}> a été prévenu·e.",
    "tour.help.delayed": (
        "C’est noté\u202f; Slack ne répond pas pour l’instant, <@{user}> sera prévenu·e dès "
        "que possible."
    ),
    # The App Home.
    "tour.home.opted_out": (
        "🗣️ *Tour de table*\u202f: vous ne recevez plus l’invitation dans ce groupe."
    ),
    "tour.home.answered": "🗣️ Tour de table\u202f: vous avez répondu pour la prochaine session.",
    # The guide's overview.
    "tour.overview.answers": (
        "🗣️ Tour de table\u202f: {count} réponse(s) à ce jour. Vous les recevrez toutes "
        "{lead}\u00a0min avant le début."
    ),
    "tour.overview.none": (
        "🗣️ Tour de table\u202f: personne n’a répondu à ce jour. Sans réponse d’ici le "
        "début, rien ne vous sera envoyé."
    ),
    "tour.overview.needs": "*Besoins exprimés au tour de table ({count})\u202f:*",
    "tour.overview.need": "• <@{user}>\u202f: {text}",
    # Settings and the planning.
    "config.reminders.tour": "Tour de table asynchrone (invitation par message privé)",
    "config.tour_days.label": "Tour de table\u202f: jours avant la session",
    "config.tour_retention.label": "Tour de table\u202f: conservation des réponses, en mois",
    "planning.kind.tour_invite": "invitation au tour de table par message privé à chaque membre",
    "planning.kind.session_start": "début de la session (le tour de table se clôt)",
    "planning.kind.tour_compile": "réponses au tour de table pour le ou la guide et le fil",
    "planning.kind.tour_help": (
        "message privé «\u202fJe peux aider\u202f» à l’auteur·rice d’un besoin"
    ),
}

EN: dict[str, str] = {
    "tour.invite.title": "🗣️ Round table for the session of {day}",
    "tour.invite.intro": (
        "The <#{channel}> session is on {when}. To spend less of it going round the table, "
        "share where you stand now. Four questions, all optional:"
    ),
    "tour.invite.closed": "⏹️ The session has begun: the round table is closed.",
    "tour.invite.privacy": (
        "The guide reads every answer. They are posted in the session's thread only if you "
        "tick “Share with the group”."
    ),
    "tour.invite.deadline": "⏳ You can answer until {until}.",
    "tour.invite.answered": "✅ You answered. You can edit or delete your answers until {until}.",
    "tour.invite.answer": "Answer",
    "tour.invite.edit": "Edit",
    "tour.invite.delete": "Delete my answers",
    "tour.invite.opt_out": "Stop these invitations for this group",
    "tour.question.line": "• {question}",
    "tour.modal.title": "Round table",
    "tour.modal.submit": "Save",
    "tour.modal.close": "Cancel",
    "tour.modal.intro": (
        "Session of <#{channel}>, {when}. Answer what you like; leave the rest empty."
    ),
    "tour.modal.hint": "At most {limit} characters.",
    "tour.modal.failed": "I could not open the form in time: click “Answer” or “Edit” again.",
    "tour.modal.share.label": "Sharing",
    "tour.modal.share.option": "Share with the group (in the session's thread)",
    "tour.modal.share.hint": "Without this box, only the guide reads your answers.",
    "tour.saved.title": "Round table",
    "tour.saved.close": "Close",
    "tour.saved.created": "Thank you! Your answers are saved.",
    "tour.saved.updated": "Your answers are updated.",
    "tour.saved.shared": (
        "The guide will read them, and they will be posted in the session's thread "
        "{minutes} minutes before the start."
    ),
    "tour.saved.private": "Only the guide will read them: they will not be posted.",
    "tour.saved.edit": (
        "To edit or delete them before the start, use the buttons of the invitation message."
    ),
    "tour.error.too_long": "{length} characters: at most {limit}. Please shorten your answer.",
    "tour.error.empty": "Nothing was saved: answer at least one question, or close the window.",
    "tour.error.closed": "The session has started: round-table answers can no longer be changed.",
    "tour.error.invalid": "Some answers are too long.",
    "tour.error.own_need": (
        "This is your own need: this button lets other members offer you their help."
    ),
    "tour.error.need_gone": "This need was removed by its author.",
    "tour.deleted": "Your round-table answers for this session are deleted.",
    "tour.deleted.none": "You have no saved answers for this session.",
    "tour.opted_out": (
        "Noted: you will no longer receive the round-table invitation of <#{channel}>."
    ),
    "tour.opted_out.already": (
        "You already no longer receive the round-table invitation of <#{channel}>."
    ),
    "tour.opt_in": "Receive it again",
    "tour.opted_in": "Noted: you will receive the round-table invitation of <#{channel}> again.",
    "tour.opted_in.already": "You already receive the round-table invitation of <#{channel}>.",
    "tour.digest.title": "🗣️ Round table: the answers",
    "tour.digest.intro": (
        "{count} member(s) answered before the <#{channel}> session ({when}), {needs} with "
        "a need. Only you see the answers that were not shared."
    ),
    "tour.digest.none": "Nobody answered the round table before the <#{channel}> session ({when}).",
    "tour.digest.author": "*<@{user}>*",
    "tour.digest.author.private": "*<@{user}>* · _not shared_",
    "tour.answer.feeling": "*Mood:* {text}",
    "tour.answer.doing": "*Where I stand:* {text}",
    "tour.answer.learned": "*Discovered or learned:* {text}",
    "tour.answer.needs": "🆘 *Need:* {text}",
    "tour.digest.more": "… and {count} more answer(s), too many for one message.",
    "tour.thread.title": "🗣️ *Round table*: the answers shared before the session ({count})",
    "tour.thread.author": "*{name}*",
    "tour.thread.help": "I can help",
    "tour.thread.tip": "A need rings a bell? “I can help” tells its author.",
    "tour.a_member": "A member",
    "tour.help.dm": (
        "🤝 <@{helper}> can help with the need you shared at the round table of <#{channel}>:"
    ),
    "tour.help.next": "Write to them directly to talk it over.",
    "tour.help.sent": "Noted: <@{user}> is told by direct message.",
    "tour.help.already": "You already offered your help; <@{user}> was told.",
    "tour.help.delayed": "Noted; Slack is not answering right now, <@{user}> will be told soon.",
    "tour.home.opted_out": "🗣️ *Round table*: you no longer receive the invitation in this group.",
    "tour.home.answered": "🗣️ Round table: you answered for the next session.",
    "tour.overview.answers": (
        "🗣️ Round table: {count} answer(s) so far. You will get them all {lead} minutes "
        "before the start."
    ),
    "tour.overview.none": (
        "🗣️ Round table: nobody has answered so far. Without answers by the start, "
        "nothing will be sent to you."
    ),
    "tour.overview.needs": "*Needs shared at the round table ({count}):*",
    "tour.overview.need": "• <@{user}>: {text}",
    "config.reminders.tour": "Async round table (invitation by direct message)",
    "config.tour_days.label": "Round table: days before the session",
    "config.tour_retention.label": "Round table: keep answers for, in months",
    "planning.kind.tour_invite": "round-table invitation by direct message to each member",
    "planning.kind.session_start": "start of the session (the round table closes)",
    "planning.kind.tour_compile": "round-table answers for the guide and the thread",
    "planning.kind.tour_help": "“I can help” direct message to a need's author",
}
