"""Living messages: what a message says once its state has moved on (a guide found, a
contribution ready, a poll closed), and the short replies in a session's thread."""

from __future__ import annotations

FR: dict[str, str] = {
    "planning.kind.refresh": "mise à jour des messages de la session",
    "living.guide_call.taken": "✅ <@{user}> sera guide de cette session. Merci\u202f!",
    "living.ready.done": "✅ prête",
    "living.contributor.body.ready": (
        "Votre {kind} «\u202f{title}\u202f» ({minutes} min) pour la session du *{when}* "
        "est prête. Tout est en ordre\u202f; rendez-vous dans <#{channel}>."
    ),
    "living.poll.closed": "🔒 Le vote est clos.",
    "living.poll.closed.result": "🔒 Le vote est clos\u202f: {result}.",
    "living.poll.result_link": "voir le résultat",
    "living.session_end.guide": "Guide\u202f: <@{user}> ✅",
    "living.click.taken": (
        "Ce bouton n'est plus à jour\u202f: le rôle de guide est déjà pris par <@{holder}>. "
        "Le message vient d'être mis à jour."
    ),
    "living.click.outdated": (
        "Ce bouton n'est plus à jour\u202f: le message vient d'être mis à jour."
    ),
}

EN: dict[str, str] = {
    "planning.kind.refresh": "update of the session's messages",
    "living.guide_call.taken": "✅ <@{user}> will guide this session. Thank you!",
    "living.ready.done": "✅ ready",
    "living.contributor.body.ready": (
        "Your {kind} \u201c{title}\u201d ({minutes} min) for the session on *{when}* is "
        "ready. You are all set; see you in <#{channel}>."
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
}
