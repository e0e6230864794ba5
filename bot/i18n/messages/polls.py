"""Theme proposals, the emoji poll, its result and the session-end message."""

from __future__ import annotations

FR: dict[str, str] = {
    # Proposals
    "proposal.error.length": (
        "Le thème proposé doit faire entre 1 et 200\u00a0caractères (vous en avez écrit {length}). "
        "Exemple\u202f: `{cmd} proposer L'accessibilité numérique`."
    ),
    "proposal.error.duplicate": (
        "Merci, mais «\u202f{text}\u202f» est déjà proposé (par <@{user}>) et attend le prochain "
        "sondage. Si vous avez une autre idée, proposez-la avec `{cmd} proposer <thème>`."
    ),
    "proposal.added": (
        "Merci\u202f! «\u202f{text}\u202f» sera soumis au prochain sondage sur le thème des "
        "sessions."
    ),
    "proposal.added.poll_running": (
        "Merci\u202f! Un sondage est en cours jusqu’au {when}\u202f; «\u202f{text}\u202f» sera "
        "soumis au suivant."
    ),
    "proposal.notice": (
        "<@{user}> propose un thème pour une prochaine session\u202f: *{text}*. "
        "Proposez le vôtre avec `{cmd} proposer <thème>`."
    ),
    # Opening a poll
    "poll.error.not_allowed": (
        "Seul·es les organisateur·rices du groupe ({organisers}), le ou la guide de la "
        "prochaine session et les administrateur·rices de l’espace de travail peuvent ouvrir "
        "le sondage. Vous pouvez proposer un thème avec `{cmd} proposer <thème>`."
    ),
    "poll.error.already_open": (
        "Un sondage est déjà en cours dans ce canal, jusqu’au {when}. Il n’y en a qu’un à la "
        "fois\u202f: les nouvelles propositions iront au suivant."
    ),
    "poll.error.no_proposals": (
        "Aucun thème n’est proposé pour l’instant, il n’y a rien à soumettre au vote. "
        "Proposez-en avec `{cmd} proposer <thème>`, puis relancez `{cmd} sondage`."
    ),
    "poll.error.post_failed": (
        "Je n’ai pas pu publier le sondage dans ce canal, je l’ai donc annulé. "
        "Invitez-moi avec `/invite @partage`, puis relancez `{cmd} sondage`."
    ),
    "poll.error.post_unavailable": (
        "Slack n’a pas pu publier le sondage, je l’ai donc annulé. Relancez `{cmd} sondage` "
        "dans un instant."
    ),
    "poll.opened": (
        "C’est parti\u202f: je publie le sondage dans le canal\u202f; on vote jusqu’au {when}."
    ),
    # The poll message
    "poll.title": "Sondage\u202f: le thème de la prochaine session",
    "poll.intro": (
        "Votez pour les thèmes qui vous intéressent en cliquant sur les réactions sous ce "
        "message. Plusieurs choix sont possibles."
    ),
    "poll.closes": (
        "Fin du vote le *{when}*. Le thème le plus choisi sera celui de la prochaine "
        "session\u202f; en cas d’égalité, la proposition la plus ancienne l’emporte."
    ),
    "poll.rule.more_than_ten": (
        "Il y a {total} thèmes proposés et un sondage en compte au plus 10\u202f: ceux qui n’ont "
        "pas encore été soumis au vote passent en premier, du plus ancien au plus récent. "
        "Les {left} autres restent ouverts pour le prochain sondage."
    ),
    "poll.opened_by": "Sondage ouvert par <@{user}>.",
    # Session end
    "session_end.title": "Merci pour cette session\u202f!",
    "session_end.intro": "La session du {when} est terminée. Place à la suivante.",
    "session_end.call_for_proposals": (
        "*Quel thème pour la prochaine session\u202f?* Aucun thème n’est proposé pour "
        "l’instant\u202f: proposez-en avec `{cmd} proposer <thème>`. Un·e organisateur·rice ou "
        "le ou la guide ouvrira ensuite le sondage."
    ),
    "session_end.poll_below": (
        "🗳️ Le thème de la prochaine session se choisit dans le sondage juste en dessous."
    ),
    "session_end.poll_running": (
        "Le sondage sur le prochain thème continue jusqu’au {when}\u202f: votez sous son message."
    ),
    "session_end.roles": (
        "*Prochaine session\u202f: {when}.* Qui sera guide\u202f? Qui veut partager un savoir en "
        "contribuant\u202f? Pour simplement participer, il suffit de venir."
    ),
    "session_end.no_next": (
        "Aucune prochaine session n’est programmée (ce groupe n’a pas de récurrence). "
        "Un·e organisateur·rice la programmera."
    ),
    "session_end.button.guide": "Je serai guide",
    "session_end.button.contribute": "Je contribue",
    # Result
    "poll.option.count": "{option} · *{votes}*",
    "poll.result.title": "Résultat du sondage",
    "poll.result.line": "{emoji} {text}\u202f: {votes}",
    "poll.votes.one": "{count} vote",
    "poll.votes.many": "{count} votes",
    "poll.result.winner": "🏆 Thème retenu\u202f: *{text}*",
    "poll.result.tie": (
        "Égalité entre {emojis}\u202f: à nombre de votes égal, la proposition la plus ancienne "
        "l’emporte."
    ),
    "poll.result.theme_set": "C’est le thème de la prochaine session, le {when}.",
    "poll.result.no_session": (
        "Aucune session n’est programmée pour l’instant\u202f: un·e organisateur·rice fixera ce "
        "thème une fois la prochaine session programmée."
    ),
    "poll.result.from_events": (
        "Le message du sondage n’a pas pu être relu\u202f; décompte fait à partir des réactions "
        "que j’avais enregistrées."
    ),
    "poll.result.no_votes": (
        "Personne n’a voté. {people}, à vous de choisir le thème de la prochaine "
        "session\u202f; les propositions restent ouvertes pour un prochain sondage."
    ),
    "poll.result.unreadable": (
        "Je n’ai pas pu lire les votes (message du sondage supprimé ou Slack indisponible). "
        "{people}, à vous de fixer le thème de la prochaine session\u202f; les propositions "
        "restent ouvertes pour un prochain sondage."
    ),
    "poll.result.ask.nobody": "Organisateur·rices",
    # Closing and cancelling a poll by command, and the outbox's poll kinds
    "poll.error.no_open_poll": (
        "Aucun sondage n’est en cours dans ce canal. Ouvrez-en un avec `{cmd} sondage`."
    ),
    "poll.error.not_allowed_manage": (
        "Seul·es les organisateur·rices du groupe ({organisers}), le ou la guide de la "
        "prochaine session et les administrateur·rices de l’espace de travail peuvent clore "
        "ou annuler le sondage."
    ),
    "poll.post_delayed": (
        "Slack ne répond pas pour l’instant : je publierai le sondage dès que possible, "
        "sans doublon."
    ),
    "poll.closing": "C’est noté : je clos le sondage et publie son résultat dans le canal.",
    "poll.cancel.done": (
        "Sondage annulé, sans thème retenu ; les propositions restent ouvertes pour le prochain."
    ),
    "poll.cancelled.message": (
        "Ce sondage a été annulé : aucun thème n’a été retenu, les propositions restent "
        "ouvertes pour le prochain sondage."
    ),
    "planning.kind.poll_post": "publication du sondage dans le canal",
    "planning.kind.poll_cancel": "annonce de l’annulation du sondage",
    "help.line.sondage_gerer": (
        "`{cmd} sondage clore` ou `{cmd} sondage annuler` : clore le sondage en cours "
        "maintenant, ou l’annuler sans retenir de thème"
    ),
    "poll.error.usage": (
        "Je ne connais pas « {word} » après `sondage`. Utilisez `{cmd} sondage`, "
        "`{cmd} sondage clore` ou `{cmd} sondage annuler`."
    ),
}

EN: dict[str, str] = {
    "proposal.error.length": (
        "A proposed theme must be 1 to 200 characters long (you wrote {length}). Example: "
        "`{cmd} propose Digital accessibility`."
    ),
    "proposal.error.duplicate": (
        "Thanks, but “{text}” is already proposed (by <@{user}>) and is waiting for the next "
        "poll. If you have another idea, propose it with `{cmd} propose <theme>`."
    ),
    "proposal.added": "Thanks! \u201c{text}\u201d will be on the next theme poll.",
    "proposal.added.poll_running": (
        "Thanks! A poll is running until {when}; \u201c{text}\u201d will be on the next one."
    ),
    "proposal.notice": (
        "<@{user}> proposes a theme for an upcoming session: *{text}*. Propose yours with "
        "`{cmd} propose <theme>`."
    ),
    "poll.error.not_allowed": (
        "Only the group's organisers ({organisers}), the next session's guide and "
        "workspace admins can open the poll. You can propose a theme with "
        "`{cmd} propose <theme>`."
    ),
    "poll.error.already_open": (
        "A poll is already running in this channel, until {when}. There is one at a time: "
        "new proposals go to the next one."
    ),
    "poll.error.no_proposals": (
        "No theme has been proposed yet, so there is nothing to vote on. Propose some with "
        "`{cmd} propose <theme>`, then run `{cmd} poll` again."
    ),
    "poll.error.post_failed": (
        "I could not post the poll in this channel, so I cancelled it. Invite me with "
        "`/invite @partage`, then run `{cmd} poll` again."
    ),
    "poll.error.post_unavailable": (
        "Slack could not post the poll, so I cancelled it. Run `{cmd} poll` again in a moment."
    ),
    "poll.opened": "Done: I am posting the poll in the channel; voting runs until {when}.",
    "poll.title": "Poll: the next session's theme",
    "poll.intro": (
        "Vote for the themes you like by clicking the reactions under this message. You may "
        "pick several."
    ),
    "poll.closes": (
        "Voting ends on *{when}*. The most chosen theme will be the next session's; in a "
        "tie, the earliest proposal wins."
    ),
    "poll.rule.more_than_ten": (
        "There are {total} proposed themes and a poll holds at most 10: those never put to "
        "a vote go first, oldest first. The {left} others stay open for the next poll."
    ),
    "poll.opened_by": "Poll opened by <@{user}>.",
    "session_end.title": "Thanks for this session!",
    "session_end.intro": "The session on {when} is over. On to the next one.",
    "session_end.call_for_proposals": (
        "*Which theme for the next session?* Nothing has been proposed yet: propose themes "
        "with `{cmd} propose <theme>`. An organiser or the guide will then open the poll."
    ),
    "session_end.poll_below": "🗳️ The next session's theme is chosen in the poll just below.",
    "session_end.poll_running": (
        "The poll on the next theme runs until {when}: vote under its message."
    ),
    "session_end.roles": (
        "*Next session: {when}.* Who will guide it? Who wants to share knowledge as a "
        "contributor? To simply attend, just come along."
    ),
    "session_end.no_next": (
        "No next session is scheduled (this group has no recurrence). An organiser will "
        "schedule it."
    ),
    "session_end.button.guide": "I'll be the guide",
    "session_end.button.contribute": "I'll contribute",
    "poll.option.count": "{option} · *{votes}*",
    "poll.result.title": "Poll result",
    "poll.result.line": "{emoji} {text}: {votes}",
    "poll.votes.one": "{count} vote",
    "poll.votes.many": "{count} votes",
    "poll.result.winner": "🏆 Chosen theme: *{text}*",
    "poll.result.tie": "Tie between {emojis}: with equal votes, the earliest proposal wins.",
    "poll.result.theme_set": "It becomes the next session's theme, on {when}.",
    "poll.result.no_session": (
        "No session is scheduled yet: an organiser will set this theme once the next session "
        "is scheduled."
    ),
    "poll.result.from_events": (
        "The poll message could not be read back; counted from the reactions I had recorded."
    ),
    "poll.result.no_votes": (
        "Nobody voted. {people}, the next session's theme is yours to choose; the proposals "
        "stay open for a later poll."
    ),
    "poll.result.unreadable": (
        "I could not read the votes (poll message deleted or Slack unavailable). {people}, "
        "the next session's theme is yours to set; the proposals stay open for a later poll."
    ),
    "poll.result.ask.nobody": "Organisers",
    # Closing and cancelling a poll by command, and the outbox's poll kinds
    "poll.error.no_open_poll": ("No poll is running in this channel. Open one with `{cmd} poll`."),
    "poll.error.not_allowed_manage": (
        "Only the group's organisers ({organisers}), the next session's guide and "
        "workspace admins can close or cancel the poll."
    ),
    "poll.post_delayed": (
        "Slack is not answering right now: I will post the poll as soon as it does, once."
    ),
    "poll.closing": "Noted: I am closing the poll and posting its result in the channel.",
    "poll.cancel.done": (
        "Poll cancelled, no theme chosen; the proposals stay open for the next one."
    ),
    "poll.cancelled.message": (
        "This poll was cancelled: no theme was chosen, the proposals stay open for the next poll."
    ),
    "planning.kind.poll_post": "the poll posted in the channel",
    "planning.kind.poll_cancel": "the poll's cancellation announced",
    "help.line.sondage_gerer": (
        "`{cmd} poll close` or `{cmd} poll cancel`: close the running poll now, or cancel "
        "it without choosing a theme"
    ),
    "poll.error.usage": (
        "I do not know \u201c{word}\u201d after `poll`. Use `{cmd} poll`, `{cmd} poll close` "
        "or `{cmd} poll cancel`."
    ),
}
