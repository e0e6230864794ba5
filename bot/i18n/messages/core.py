"""Help, session scheduling, theme and programme texts."""

from __future__ import annotations

FR: dict[str, str] = {
    # Help
    "help.title": "Groupe de partage entre pairs : ce que je sais faire",
    "help.intro": (
        "Une fois par mois, le groupe se retrouve 1 h 30 : un·e *guide* anime, des "
        "*contributeur·rices* partagent un savoir sur le thème choisi, tout le monde échange. "
        "Voici les commandes, à taper dans le canal du groupe :"
    ),
    "help.line.programme": "`{cmd} programme` : la prochaine session (date, thème, rôles, déroulé)",
    "help.line.guide": "`{cmd} guide` : devenir guide de la prochaine session",
    "help.line.contribuer": "`{cmd} contribuer` : proposer ou modifier votre contribution",
    "help.line.participer": "`{cmd} participer` : annoncer votre participation",
    "help.line.prete": "`{cmd} prête` : indiquer que votre contribution est prête",
    "help.line.retirer": (
        "`{cmd} retirer` : libérer votre rôle ou retirer votre contribution "
        "(ou une seule chose : `{cmd} retirer guide`, `contribution` ou `participation`)"
    ),
    "help.line.session": (
        "`{cmd} session 2027-01-14 14:00` : créer ou déplacer la prochaine session "
        "(aussi `14/01/2027 14h00` ou `14/01/2027 14h`)"
    ),
    "help.line.theme": "`{cmd} theme Le design des politiques publiques` : fixer le thème",
    "help.line.proposer": "`{cmd} proposer L'accessibilité numérique` : proposer un thème",
    "help.line.sondage": "`{cmd} sondage` : ouvrir maintenant le sondage du prochain thème",
    "help.line.planning": "`{cmd} planning` : les prochains rappels et annonces prévus",
    "help.line.config": "`{cmd} config` : réglages du groupe (organisateur·rices)",
    "help.line.aide": "`{cmd} aide` : cette aide",
    "help.footer": "Les commandes anglaises marchent aussi (`{cmd} help`, `{cmd} agenda`…).",
    "help.unknown": "Je ne connais pas la commande « {word} ». Voici ce que je sais faire :",
    # Generic
    "error.unexpected": (
        "Désolé, quelque chose s'est mal passé de mon côté et rien n'a été enregistré. "
        "Réessayez dans un instant ; si cela persiste, prévenez l'organisateur·rice du groupe."
    ),
    "error.no_session": (
        "Aucune session n'est prévue dans ce canal. Un·e organisateur·rice peut en créer "
        "une avec `{cmd} session 2027-01-14 14:00`."
    ),
    "error.not_in_channel": (
        "C'est enregistré, mais je ne peux pas écrire dans ce canal pour prévenir le groupe. "
        "Invitez-moi avec `/invite @partage` pour que j'y publie annonces et rappels."
    ),
    # Scheduling
    "session.formats": "`2027-01-14 14:00`, `14/01/2027 14h00` ou `14/01/2027 14h`",
    "session.error.missing": (
        "Indiquez la date et l'heure de la session, par exemple `{cmd} session 2027-01-14 "
        "14:00`. Formats acceptés : {formats}."
    ),
    "session.error.unparsable": (
        "Je ne comprends pas la date « {text} ». Formats acceptés : {formats}."
    ),
    "session.error.impossible": (
        "La date « {text} » n'existe pas dans le calendrier. Formats acceptés : {formats}."
    ),
    "session.error.nonexistent_time": (
        "L'heure « {text} » n'existe pas ce jour-là (changement d'heure). Choisissez une "
        "autre heure. Formats acceptés : {formats}."
    ),
    "session.error.past": (
        "La date « {text} » est déjà passée. Choisissez une date à venir. Formats "
        "acceptés : {formats}."
    ),
    "session.error.too_far": (
        "La date « {text} » est trop lointaine : une session se programme au plus "
        "dix ans à l'avance. Formats acceptés : {formats}."
    ),
    "session.error.not_allowed": (
        "Seul·es les organisateur·rices du groupe ({organisers}), le ou la guide de la "
        "prochaine session et les administrateur·rices de l'espace de travail peuvent "
        "programmer ou déplacer une session. Demandez-leur de le faire."
    ),
    "session.created": "C'est noté : prochaine session le *{when}*.",
    "session.created.organiser": (
        "Vous êtes désormais organisateur·rice de ce groupe : vous pouvez déplacer les "
        "sessions, fixer le thème et régler le groupe."
    ),
    "session.moved": "Session déplacée : elle aura lieu le *{when}* (au lieu du {previous}).",
    "session.unchanged": "La session est déjà prévue le *{when}*.",
    "session.notice.created": "<@{user}> a programmé la prochaine session : *{when}*.",
    "session.notice.moved": "<@{user}> a déplacé la prochaine session au *{when}*.",
    # Theme
    "theme.error.length": (
        "Le thème doit faire entre 1 et 200 caractères (vous en avez écrit {length}). "
        "Exemple : `{cmd} theme Le design des politiques publiques`."
    ),
    "theme.error.not_allowed": (
        "Seul·es les organisateur·rices du groupe ({organisers}), le ou la guide de la "
        "prochaine session et les administrateur·rices de l'espace de travail peuvent "
        "fixer le thème. Proposez plutôt le vôtre avec `{cmd} proposer <thème>`."
    ),
    "theme.set": "Thème de la session du {when} : *{theme}*.",
    "theme.notice": "<@{user}> a fixé le thème de la prochaine session : *{theme}*.",
    "organisers.none": "aucun pour l'instant",
    # Programme
    "programme.title": "Prochaine session : {when}",
    "programme.theme": "*Thème :* {theme}",
    "programme.theme.none": (
        "*Thème :* pas encore choisi (`{cmd} theme <texte>` ou `{cmd} proposer <thème>`)"
    ),
    "programme.guide": "*Guide :* <@{user}>",
    "programme.guide.none": "*Guide :* personne pour l'instant (`{cmd} guide`)",
    "programme.contributions": "*Contributions :*",
    "programme.contributions.none": (
        "*Contributions :* aucune pour l'instant (`{cmd} contribuer`)"
    ),
    "programme.contribution": "{index}. {kind} « {title} », <@{author}>, {minutes} min, {state}",
    "programme.contribution.guest": (
        "{index}. {kind} « {title} » avec {guest}, proposé par <@{author}>, {minutes} min, {state}"
    ),
    "programme.ready": "prête ✅",
    "programme.not_ready": "en préparation ⏳",
    "programme.participants": "*Participant·es inscrit·es :* {count}",
    "programme.budget": "*Temps de présentation :* {used} min sur {budget}",
    "programme.budget.over": (
        "*Temps de présentation :* {used} min sur {budget} ⚠️ dépassement de {over} min"
    ),
    "programme.run_of_show": "*Déroulé*",
    "phase.introduction": "Introduction : présentation du thème du jour",
    "phase.tour": "Tour de table : chacun·e partage la vie de son projet",
    "phase.exchange": "Échange : présentations des contributeur·rices puis discussion",
    "phase.exchange.talks": "présentations",
    "phase.exchange.discussion": "discussion",
    "phase.anticipation": "Anticipation : prochain thème et rôles de la prochaine session",
    "phase.end": "Fin",
    "phase.end.line": "`{time}` {label}",
    "phase.line": "`{start}–{end}` {label}",
    "phase.subline": "      `{start}–{end}` {label}",
    "tour.question.feeling": "Comment vous sentez-vous ?",
    "tour.question.doing": "Que faites-vous en ce moment, où en êtes-vous ?",
    "tour.question.learned": "Qu'avez-vous découvert ou appris ?",
    "tour.question.need": "Avez-vous un besoin précis pour lequel le groupe peut aider ?",
    "kind.talk": "Exposé",
    "kind.demo": "Démonstration",
    "kind.experience": "Retour d'expérience",
    "kind.guest": "Invité·e",
    # Failures outside the member's control (the database, Slack)
    "error.database": (
        "Désolé, je n'arrive pas à joindre ma base de données et rien n'a été enregistré. "
        "Réessayez dans un instant."
    ),
    "error.database.form": (
        "Désolé, je n'arrive pas à joindre ma base de données et rien n'a été enregistré. "
        "Vos réponses sont toujours là : réessayez dans un instant."
    ),
    "error.unexpected.form": (
        "Désolé, quelque chose s'est mal passé de mon côté et rien n'a été enregistré. "
        "Vos réponses sont toujours là : réessayez dans un instant."
    ),
    "error.modal_failed": (
        "Je n'ai pas pu ouvrir le formulaire (Slack ne l'a pas accepté à temps). "
        "Réessayez avec `{cmd} {command}`."
    ),
}

EN: dict[str, str] = {
    "help.title": "Peer-sharing group: what I can do",
    "help.intro": (
        "Once a month the group meets for 1h30: a *guide* hosts, *contributors* share "
        "knowledge on the chosen theme, everyone exchanges. Here are the commands, to type "
        "in the group's channel:"
    ),
    "help.line.programme": "`{cmd} agenda`: the next session (date, theme, roles, run-of-show)",
    "help.line.guide": "`{cmd} guide`: become the guide of the next session",
    "help.line.contribuer": "`{cmd} contribute`: propose or edit your contribution",
    "help.line.participer": "`{cmd} join`: say you will attend",
    "help.line.prete": "`{cmd} ready`: mark your contribution ready",
    "help.line.retirer": (
        "`{cmd} withdraw`: release your role or withdraw your contribution "
        "(or one thing only: `{cmd} withdraw guide`, `contribution` or `participation`)"
    ),
    "help.line.session": (
        "`{cmd} schedule 2027-01-14 14:00`: create or move the next session "
        "(also `14/01/2027 14h00` or `14/01/2027 14h`)"
    ),
    "help.line.theme": "`{cmd} theme Designing public policy`: set the theme",
    "help.line.proposer": "`{cmd} propose Digital accessibility`: propose a theme",
    "help.line.sondage": "`{cmd} poll`: open the poll for the next theme now",
    "help.line.planning": "`{cmd} planning`: the upcoming reminders and announcements",
    "help.line.config": "`{cmd} config`: group settings (organisers)",
    "help.line.aide": "`{cmd} help`: this help",
    "help.footer": "The French commands work too (`{cmd} aide`, `{cmd} programme`…).",
    "help.unknown": "I don't know the command \u201c{word}\u201d. Here is what I can do:",
    "error.unexpected": (
        "Sorry, something went wrong on my side and nothing was saved. Try again in a "
        "moment; if it keeps happening, tell the group's organiser."
    ),
    "error.no_session": (
        "No session is planned in this channel. An organiser can create one with "
        "`{cmd} schedule 2027-01-14 14:00`."
    ),
    "error.not_in_channel": (
        "Saved, but I can't post in this channel to tell the group. Invite me with "
        "`/invite @partage` so I can post announcements and reminders here."
    ),
    "session.formats": "`2027-01-14 14:00`, `14/01/2027 14h00` or `14/01/2027 14h`",
    "session.error.missing": (
        "Give the session's date and time, for example `{cmd} schedule 2027-01-14 14:00`. "
        "Accepted formats: {formats}."
    ),
    "session.error.unparsable": (
        "I can't read the date \u201c{text}\u201d. Accepted formats: {formats}."
    ),
    "session.error.impossible": (
        "The date \u201c{text}\u201d does not exist in the calendar. Accepted formats: {formats}."
    ),
    "session.error.nonexistent_time": (
        "The time \u201c{text}\u201d does not exist that day (clock change). Pick another "
        "time. Accepted formats: {formats}."
    ),
    "session.error.past": (
        "The date \u201c{text}\u201d is in the past. Pick a date to come. Accepted "
        "formats: {formats}."
    ),
    "session.error.too_far": (
        "The date \u201c{text}\u201d is too far ahead: a session is scheduled at most ten "
        "years in advance. Accepted formats: {formats}."
    ),
    "session.error.not_allowed": (
        "Only the group's organisers ({organisers}), the next session's guide and "
        "workspace admins can schedule or move a session. Ask one of them to do it."
    ),
    "session.created": "Done: the next session is on *{when}*.",
    "session.created.organiser": (
        "You are now an organiser of this group: you can move sessions, set the theme and "
        "change the group's settings."
    ),
    "session.moved": "Session moved: it will be on *{when}* (instead of {previous}).",
    "session.unchanged": "The session is already planned on *{when}*.",
    "session.notice.created": "<@{user}> scheduled the next session: *{when}*.",
    "session.notice.moved": "<@{user}> moved the next session to *{when}*.",
    "theme.error.length": (
        "The theme must be 1 to 200 characters long (you wrote {length}). Example: "
        "`{cmd} theme Designing public policy`."
    ),
    "theme.error.not_allowed": (
        "Only the group's organisers ({organisers}), the next session's guide and "
        "workspace admins can set the theme. Propose yours with `{cmd} propose <theme>`."
    ),
    "theme.set": "Theme of the session on {when}: *{theme}*.",
    "theme.notice": "<@{user}> set the next session's theme: *{theme}*.",
    "organisers.none": "none yet",
    "programme.title": "Next session: {when}",
    "programme.theme": "*Theme:* {theme}",
    "programme.theme.none": (
        "*Theme:* not chosen yet (`{cmd} theme <text>` or `{cmd} propose <theme>`)"
    ),
    "programme.guide": "*Guide:* <@{user}>",
    "programme.guide.none": "*Guide:* nobody yet (`{cmd} guide`)",
    "programme.contributions": "*Contributions:*",
    "programme.contributions.none": "*Contributions:* none yet (`{cmd} contribute`)",
    "programme.contribution": (
        "{index}. {kind} \u201c{title}\u201d, <@{author}>, {minutes} min, {state}"
    ),
    "programme.contribution.guest": (
        "{index}. {kind} \u201c{title}\u201d with {guest}, proposed by <@{author}>, "
        "{minutes} min, {state}"
    ),
    "programme.ready": "ready ✅",
    "programme.not_ready": "in preparation ⏳",
    "programme.participants": "*Registered participants:* {count}",
    "programme.budget": "*Presentation time:* {used} min out of {budget}",
    "programme.budget.over": ("*Presentation time:* {used} min out of {budget} ⚠️ {over} min over"),
    "programme.run_of_show": "*Run-of-show*",
    "phase.introduction": "Introduction: the day's theme",
    "phase.tour": "Round table: everyone shares the life of their project",
    "phase.exchange": "Exchange: contributors' presentations, then discussion",
    "phase.exchange.talks": "presentations",
    "phase.exchange.discussion": "discussion",
    "phase.anticipation": "Looking ahead: next theme and next session's roles",
    "phase.end": "End",
    "phase.end.line": "`{time}` {label}",
    "phase.line": "`{start}–{end}` {label}",
    "phase.subline": "      `{start}–{end}` {label}",
    "tour.question.feeling": "How do you feel?",
    "tour.question.doing": "What are you doing, where are you?",
    "tour.question.learned": "What did you discover or learn?",
    "tour.question.need": "Any specific need the group can help with?",
    "kind.talk": "Talk",
    "kind.demo": "Demo",
    "kind.experience": "Experience report",
    "kind.guest": "Guest",
    # Failures outside the member's control (the database, Slack)
    "error.database": (
        "Sorry, I cannot reach my database right now and nothing was saved. Try again in a moment."
    ),
    "error.database.form": (
        "Sorry, I cannot reach my database right now and nothing was saved. "
        "Your answers are still here: try again in a moment."
    ),
    "error.unexpected.form": (
        "Sorry, something went wrong on my side and nothing was saved. "
        "Your answers are still here: try again in a moment."
    ),
    "error.modal_failed": (
        "I could not open the form (Slack did not accept it in time). "
        "Try again with `{cmd} {command}`."
    ),
}
