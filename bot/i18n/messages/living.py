"""Living messages: what a message says once its state has moved on (a guide found, a
contribution ready, a poll closed), and the short replies in a session's thread."""

from __future__ import annotations

FR: dict[str, str] = {
    "planning.kind.refresh": "mise à jour des messages de la session",
    "living.guide_call.title_taken": "La session du {day} a trouvé son ou sa guide",
    "living.guide_call.taken": "✅ <@{user}> sera guide de cette session. Merci\u202f!",
    "living.held.title": "Session du {when}\u202f: terminée",
    "living.held.recap": "Merci à toutes et à tous\u202f! {recap} est publié dans le canal.",
    "living.held.recap_label": "Le récapitulatif",
    "living.held.thread": (
        "Merci à toutes et à tous\u202f! Le récapitulatif est publié dans le canal."
    ),
    "living.ready.done": "✅ prête",
    "living.contributor.body.ready": (
        "Votre contribution «\u202f{title}\u202f» ({kind}, {minutes}\u00a0min) pour la session "
        "du *{when}* est prête. Tout est en ordre\u202f; rendez-vous dans <#{channel}>."
    ),
    "living.poll.closed": "🔒 Le vote est clos.",
    "living.poll.closed.result": "🔒 Le vote est clos\u202f: {result}.",
    "living.poll.result_link": "voir le résultat",
    "living.session_end.guide": "Guide\u202f: <@{user}> ✅",
    "living.click.taken": (
        "Ce bouton n’est plus à jour\u202f: le rôle de guide est déjà pris par <@{holder}>. "
        "Le message vient d’être mis à jour."
    ),
    "living.click.outdated": (
        "Ce bouton n’est plus à jour\u202f: le message vient d’être mis à jour."
    ),
    "living.help.members": "*Pour tout le monde*",
    "living.help.organisers": "*Pour les organisateur·rices*",
    "living.help.did_you_mean": (
        "Je ne connais pas «\u202f{word}\u202f». Vouliez-vous dire `{cmd} {suggestion}`\u202f?"
    ),
    "help.unknown.short": "Je ne connais pas la commande «\u202f{word}\u202f».",
    "living.help.see_all": "`{cmd} aide` pour tout ce que je sais faire.",
    "living.overview.all_set": (
        "Rien à relancer. Le déroulé sera publié dans le canal {lead}\u00a0min avant le début."
    ),
    "living.overview.lead": "Le déroulé sera publié dans le canal {lead}\u00a0min avant le début.",
    "living.poll.option": "{emoji} {text}  _(proposé par {name})_",
    "living.poll.a_member": "un·e membre",
    "living.moved.notice": (
        "<@{user}> a déplacé la session\u202f: elle a lieu le *{when}* (au lieu du {previous})."
    ),
    "living.moved.dm": (
        "📅 La session du groupe <#{channel}> est déplacée\u202f: elle a lieu le *{when}*, "
        "et non plus le {previous}. Vos rôles et votre contribution sont gardés\u202f; "
        "si la nouvelle date ne vous va pas, `{cmd} retirer` dans <#{channel}>."
    ),
    "living.out_of_place.channels": (
        "Ici, je ne peux rien faire pour un groupe. Tapez cette commande dans le canal de "
        "votre groupe\u202f: {channels}."
    ),
    "living.out_of_place.none": (
        "Ici, je ne peux rien faire pour un groupe. Un groupe vit dans un canal\u202f: "
        "invitez-moi dans le canal de votre groupe (`/invite @partage`), puis tapez-y "
        "`{cmd} session 2027-01-14 14:00`."
    ),
}

EN: dict[str, str] = {
    "planning.kind.refresh": "update of the session's messages",
    "living.guide_call.title_taken": "The session on {day} has its guide",
    "living.guide_call.taken": "✅ <@{user}> will guide this session. Thank you!",
    "living.held.title": "Session on {when}: over",
    "living.held.recap": "Thank you all! {recap} is posted in the channel.",
    "living.held.recap_label": "The recap",
    "living.held.thread": "Thank you all! The recap is posted in the channel.",
    "living.ready.done": "✅ ready",
    "living.contributor.body.ready": (
        "Your contribution \u201c{title}\u201d ({kind}, {minutes} min) for the session on "
        "*{when}* is ready. You are all set; see you in <#{channel}>."
    ),
    "living.poll.closed": "🔒 The vote is closed.",
    "living.poll.closed.result": "🔒 The vote is closed: {result}.",
    "living.poll.result_link": "see the result",
    "living.session_end.guide": "Guide: <@{user}> ✅",
    "living.click.taken": (
        "This button is out of date: <@{holder}> already took the guide role. The message "
        "has just been updated."
    ),
    "living.click.outdated": "This button is out of date: the message has just been updated.",
    "living.help.members": "*For everyone*",
    "living.help.organisers": "*For organisers*",
    "living.help.did_you_mean": (
        "I don't know \u201c{word}\u201d. Did you mean `{cmd} {suggestion}`?"
    ),
    "help.unknown.short": "I don't know the command \u201c{word}\u201d.",
    "living.help.see_all": "`{cmd} help` for everything I can do.",
    "living.overview.all_set": (
        "Nothing to chase. The run-of-show will be posted in the channel {lead} min before "
        "the start."
    ),
    "living.overview.lead": (
        "The run-of-show will be posted in the channel {lead} min before the start."
    ),
    "living.poll.option": "{emoji} {text}  _(proposed by {name})_",
    "living.poll.a_member": "a member",
    "living.moved.notice": (
        "<@{user}> moved the session: it is now on *{when}* (instead of {previous})."
    ),
    "living.moved.dm": (
        "📅 The <#{channel}> group's session has moved: it is now on *{when}*, no longer on "
        "{previous}. Your roles and contribution are kept; if the new date does not suit "
        "you, `{cmd} withdraw` in <#{channel}>."
    ),
    "living.out_of_place.channels": (
        "I cannot do anything for a group here. Type this command in your group's "
        "channel: {channels}."
    ),
    "living.out_of_place.none": (
        "I cannot do anything for a group here. A group lives in a channel: invite me to "
        "your group's channel (`/invite @partage`), then type "
        "`{cmd} schedule 2027-01-14 14:00` there."
    ),
}
