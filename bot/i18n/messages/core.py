"""Help, session scheduling, theme and programme texts."""

from __future__ import annotations

FR: dict[str, str] = {
    # Help
    "help.title": "Groupe de partage entre pairs\u202f: ce que je sais faire",
    "help.intro": (
        "Une fois par mois, le groupe se retrouve pour une session (1\u00a0h\u00a030 par "
        "défaut)\u202f: un·e "
        "*guide* anime, des *contributeur·rices* partagent un savoir sur le thème choisi, tout "
        "le monde échange. Voici les commandes, à taper dans le canal du groupe\u202f:"
    ),
    "help.line.programme": (
        "`{cmd} programme`\u202f: la prochaine session (date, thème, rôles, déroulé)"
    ),
    "help.line.guide": "`{cmd} guide`\u202f: devenir guide de la prochaine session",
    "help.line.contribuer": "`{cmd} contribuer`\u202f: proposer ou modifier votre contribution",
    "help.line.participer": "`{cmd} participer`\u202f: annoncer votre participation",
    "help.line.prete": "`{cmd} prête`\u202f: indiquer que votre contribution est prête",
    "help.line.retirer": (
        "`{cmd} retirer`\u202f: libérer votre rôle ou retirer votre contribution "
        "(ou une seule chose\u202f: `{cmd} retirer guide`, `contribution` ou `participation`)"
    ),
    "help.line.session": (
        "`{cmd} session 2027-01-14 14:00`\u202f: créer ou déplacer la prochaine session "
        "(aussi `14/01/2027 14h00` ou `14/01/2027 14h`)"
    ),
    "help.line.theme": "`{cmd} theme Le design des politiques publiques`\u202f: fixer le thème",
    "help.line.lieu": (
        "`{cmd} lieu Salle 3, 12 rue des Lilas` ou `{cmd} lieu https://visio.exemple/abc`\u202f: "
        "indiquer le lieu ou le lien de visio de la prochaine session"
    ),
    "programme.more": "… et {count} de plus\u202f: la liste complète avec `{cmd} programme`",
    "phase.margin": "Marge\u202f: de quoi finir à l’heure",
    "slot.time": "{start}\u00a0–\u00a0{end}",
    "run.over": "      ⚠️ {over}\u00a0min de présentation au-delà du budget\u202f: {sources}.",
    "run.over.separator": ", ",
    "run.over.discussion": "discussion raccourcie de {minutes}\u00a0min",
    "run.over.margin": "marge de fin utilisée ({minutes}\u00a0min)",
    "run.over.late": "fin {minutes}\u00a0min plus tard que prévu, à {time}",
    "contribution.what": "{kind} «\u202f{title}\u202f»",
    "contribution.what.guest": "Invité·e\u202f: {guest} — «\u202f{title}\u202f»",
    "contribution.by": "<@{author}> — {what}",
    "contribution.by.guest": "{what}, accueilli·e par <@{author}>",
    "guest.affiliation": "{name} ({affiliation})",
    "place.text": "*Lieu\u202f:* {place}",
    "place.link": "*Lieu\u202f:* en visio, {place}",
    "place.link.label": "lien de la visio",
    # What members read while no place is set; the organisers and the guide, who may set
    # it, are also shown how.
    "place.none": "*Lieu\u202f:* à préciser",
    "place.none.manage": "*Lieu\u202f:* à préciser (`{cmd} lieu <texte ou lien>`)",
    "place.button": "Indiquer le lieu",
    "place.button.change": "Modifier le lieu",
    "place.alert": (
        "⚠️ *Le lieu n’est toujours pas indiqué.* Les participant·es ne savent pas encore où "
        "venir\u202f: indiquez-le dès maintenant."
    ),
    "place.alert.title": "Lieu à préciser pour la session du {day}",
    "place.alert.organiser": (
        "⚠️ La session de <#{channel}> a lieu le *{when}*, et *son lieu n’est toujours pas "
        "indiqué.* Les participant·es ne savent pas encore où venir\u202f: indiquez-le dès "
        "maintenant."
    ),
    "place.modal.title": "Lieu de la session",
    "place.modal.submit": "Enregistrer",
    "place.modal.close": "Annuler",
    "place.modal.saved.close": "Fermer",
    "place.modal.intro": "Session de <#{channel}> du *{when}*.",
    "place.modal.label": "Lieu ou lien de visio",
    "place.modal.hint": (
        "Une salle et son adresse, ou un lien de visio qui commence par https://. "
        "{max}\u00a0caractères au plus."
    ),
    "place.modal.placeholder": "Salle 3, 12 rue des Lilas",
    "place.join": "Rejoindre",
    "place.set": "Lieu de la session du *{when}*\u202f: {place}.",
    "place.notice": "<@{user}> a indiqué le lieu de la prochaine session\u202f: {place}.",
    "place.error.length": (
        "Indiquez le lieu en 1 à {max}\u00a0caractères (vous en avez écrit {length}), par exemple "
        "`{cmd} lieu Salle 3, 12 rue des Lilas` ou `{cmd} lieu https://visio.exemple/abc`."
    ),
    "place.error.link": (
        "Ce lien de visio n’est pas une adresse web valide\u202f: il doit commencer par http:// ou "
        "https://, sans espace ni caractère <, > ou |."
    ),
    "place.error.not_allowed": (
        "Seul·es les organisateur·rices du groupe ({organisers}), le ou la guide de la "
        "prochaine session et les administrateur·rices de l’espace de travail peuvent indiquer "
        "le lieu. Demandez-leur de le faire."
    ),
    "help.line.proposer": "`{cmd} proposer L'accessibilité numérique`\u202f: proposer un thème",
    "help.line.sondage": "`{cmd} sondage`\u202f: ouvrir maintenant le sondage du prochain thème",
    "help.line.planning": "`{cmd} planning`\u202f: les prochains rappels et annonces prévus",
    "help.line.config": "`{cmd} config`\u202f: réglages du groupe (organisateur·rices)",
    "help.line.aide": "`{cmd} aide`\u202f: cette aide",
    "help.footer": "Les commandes anglaises marchent aussi (`{cmd} help`, `{cmd} agenda`…).",
    "help.unknown": (
        "Je ne connais pas la commande «\u202f{word}\u202f». Voici ce que je sais faire\u202f:"
    ),
    # Generic
    "error.unexpected": (
        "Toutes mes excuses\u202f: quelque chose s’est mal passé de mon côté et rien n’a été "
        "enregistré. Réessayez dans un instant\u202f; si cela persiste, prévenez "
        "l’organisateur·rice du groupe."
    ),
    "error.no_session": (
        "Aucune session n’est prévue dans ce canal. Un·e organisateur·rice peut en créer "
        "une avec `{cmd} session 2027-01-14 14:00`."
    ),
    "error.not_in_channel": (
        "C’est enregistré, mais je ne peux pas écrire dans ce canal pour prévenir le groupe. "
        "Invitez-moi avec `/invite @partage` pour que j’y publie annonces et rappels."
    ),
    # Scheduling
    "session.formats": "`2027-01-14 14:00`, `14/01/2027 14h00` ou `14/01/2027 14h`",
    "session.error.missing": (
        "Indiquez la date et l’heure de la session, par exemple `{cmd} session 2027-01-14 "
        "14:00`. Formats acceptés\u202f: {formats}."
    ),
    "session.error.unparsable": (
        "Je ne comprends pas la date «\u202f{text}\u202f». Formats acceptés\u202f: {formats}."
    ),
    "session.error.impossible": (
        "La date «\u202f{text}\u202f» n’existe pas dans le calendrier. Formats acceptés\u202f: "
        "{formats}."
    ),
    "session.error.nonexistent_time": (
        "L’heure «\u202f{text}\u202f» n’existe pas ce jour-là (changement d’heure). Choisissez une "
        "autre heure. Formats acceptés\u202f: {formats}."
    ),
    "session.error.past": (
        "La date «\u202f{text}\u202f» est déjà passée. Choisissez une date à venir. Formats "
        "acceptés\u202f: {formats}."
    ),
    "session.error.too_far": (
        "La date « {text} » est trop lointaine : une session se programme au plus "
        "dix ans à l’avance. Formats acceptés : {formats}."
    ),
    "session.error.not_allowed": (
        "Seul·es les organisateur·rices du groupe ({organisers}), le ou la guide de la "
        "prochaine session et les administrateur·rices de l’espace de travail peuvent "
        "programmer ou déplacer une session. Demandez-leur de le faire."
    ),
    "session.created": "C’est noté\u202f: prochaine session le *{when}*.",
    "session.created.organiser": (
        "Vous êtes désormais organisateur·rice de ce groupe\u202f: vous pouvez déplacer les "
        "sessions, fixer le thème et régler le groupe."
    ),
    "session.moved": "Session déplacée\u202f: elle aura lieu le *{when}* (au lieu du {previous}).",
    "session.unchanged": "La session est déjà prévue le *{when}*.",
    # Theme
    "theme.error.length": (
        "Le thème doit faire entre 1 et 200\u00a0caractères (vous en avez écrit {length}). "
        "Exemple\u202f: `{cmd} theme Le design des politiques publiques`."
    ),
    "theme.error.not_allowed": (
        "Seul·es les organisateur·rices du groupe ({organisers}), le ou la guide de la "
        "prochaine session et les administrateur·rices de l’espace de travail peuvent "
        "fixer le thème. Proposez plutôt le vôtre avec `{cmd} proposer <thème>`."
    ),
    "theme.set": "Thème de la session du {when}\u202f: *{theme}*.",
    "theme.notice": "<@{user}> a fixé le thème de la prochaine session\u202f: *{theme}*.",
    "organisers.none": "personne pour l’instant",
    # Programme
    "programme.title": "Prochaine session\u202f: {when}",
    "programme.theme": "*Thème\u202f:* {theme}",
    "programme.theme.none": "*Thème\u202f:* pas encore choisi (`{cmd} proposer <thème>`)",
    "programme.theme.none.manage": (
        "*Thème\u202f:* pas encore choisi (`{cmd} theme <texte>` ou `{cmd} proposer <thème>`)"
    ),
    "programme.guide": "*Guide\u202f:* <@{user}>",
    "programme.guide.none": "*Guide\u202f:* personne pour l’instant (`{cmd} guide`)",
    "programme.contributions": "*Contributions\u202f:*",
    "programme.contributions.none": (
        "*Contributions\u202f:* aucune pour l’instant (`{cmd} contribuer`)"
    ),
    "programme.contribution": "{index}. *{slot}* {label}, {minutes}\u00a0min · {state}",
    "programme.contribution.public": "{index}. *{slot}* {label}, {minutes}\u00a0min",
    "programme.ready": "contribution prête ✅",
    "programme.not_ready": "en préparation ⏳",
    "programme.participants": "*Participant·es inscrit·es\u202f:* {count}",
    "programme.budget": "*Temps de présentation\u202f:* {used}\u00a0min sur {budget}",
    "programme.budget.over": (
        "*Temps de présentation\u202f:* {used}\u00a0min sur {budget} ⚠️ dépassement de "
        "{over}\u00a0min"
    ),
    "programme.run_of_show": "*Déroulé*",
    "phase.introduction": "Introduction\u202f: présentation du thème du jour",
    "phase.tour": "Tour de table\u202f: chacun·e partage la vie de son projet",
    "phase.exchange": "Échange\u202f: présentations des contributeur·rices puis discussion",
    "phase.exchange.talks": "présentations ({count})",
    "phase.exchange.discussion": "discussion",
    "phase.anticipation": "Anticipation\u202f: prochain thème et rôles de la prochaine session",
    "phase.end": "Fin",
    "phase.end.line": "*{time}* {label}",
    "phase.line": "*{start}\u00a0–\u00a0{end}* {label}",
    "phase.subline": "      *{start}\u00a0–\u00a0{end}* {label}",
    "tour.question.feeling": "Comment vous sentez-vous\u202f?",
    "tour.question.doing": "Que faites-vous en ce moment, où en êtes-vous\u202f?",
    "tour.question.learned": "Qu’avez-vous découvert ou appris\u202f?",
    "tour.question.need": "Avez-vous un besoin précis pour lequel le groupe peut aider\u202f?",
    "kind.talk": "Exposé",
    "kind.demo": "Démonstration",
    "kind.experience": "Retour d’expérience",
    "kind.guest": "Invité·e",
    # Failures outside the member's control (the database, Slack)
    "error.database": (
        "Désolé, je n’arrive pas à joindre ma base de données et rien n’a été enregistré. "
        "Réessayez dans un instant."
    ),
    "error.database.form": (
        "Désolé, je n’arrive pas à joindre ma base de données et rien n’a été enregistré. "
        "Vos réponses sont toujours là : réessayez dans un instant."
    ),
    "error.unexpected.form": (
        "Désolé, quelque chose s’est mal passé de mon côté et rien n’a été enregistré. "
        "Vos réponses sont toujours là : réessayez dans un instant."
    ),
    "error.form.malformed": (
        "Je n’ai pas pu lire ce que le formulaire m’a envoyé et rien n’a été "
        "enregistré. Fermez-le, rouvrez-le et renvoyez vos réponses."
    ),
    "error.modal_failed": (
        "Je n’ai pas pu ouvrir le formulaire (Slack ne l’a pas accepté à temps). "
        "Réessayez avec `{cmd} {command}`."
    ),
}

EN: dict[str, str] = {
    "help.title": "Peer-sharing group: what I can do",
    "help.intro": (
        "Once a month the group meets for a session (an hour and a half by default): a *guide* "
        "hosts, *contributors* share knowledge on the chosen theme, everyone exchanges. Here "
        "are the commands, to type in the group's channel:"
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
    "help.line.lieu": (
        "`{cmd} place Room 3, 12 Lilac Street` or `{cmd} place https://call.example/abc`: set "
        "the place or the video-call link of the next session"
    ),
    "programme.more": "… and {count} more: the full list with `{cmd} agenda`",
    "phase.margin": "Margin: room to end on time",
    "slot.time": "{start}–{end}",
    "run.over": "      ⚠️ {over} min of presentations over the budget: {sources}.",
    "run.over.separator": ", ",
    "run.over.discussion": "discussion shortened by {minutes} min",
    "run.over.margin": "end margin used ({minutes} min)",
    "run.over.late": "ends {minutes} min later than planned, at {time}",
    "contribution.what": "{kind} “{title}”",
    "contribution.what.guest": "Guest: {guest} — “{title}”",
    "contribution.by": "<@{author}> — {what}",
    "contribution.by.guest": "{what}, hosted by <@{author}>",
    "guest.affiliation": "{name} ({affiliation})",
    "place.text": "*Place:* {place}",
    "place.link": "*Place:* video call, {place}",
    "place.link.label": "call link",
    "place.none": "*Place:* to be confirmed",
    "place.none.manage": "*Place:* to be confirmed (`{cmd} place <text or link>`)",
    "place.button": "Set the place",
    "place.button.change": "Change the place",
    "place.alert": (
        "⚠️ *The place is still not set.* Participants do not know where to go yet: set it now."
    ),
    "place.alert.title": "Place to confirm for the session on {day}",
    "place.alert.organiser": (
        "⚠️ The session of <#{channel}> is on *{when}*, and *its place is still not set.* "
        "Participants do not know where to go yet: set it now."
    ),
    "place.modal.title": "Session place",
    "place.modal.submit": "Save",
    "place.modal.close": "Cancel",
    "place.modal.saved.close": "Close",
    "place.modal.intro": "Session of <#{channel}> on *{when}*.",
    "place.modal.label": "Place or video-call link",
    "place.modal.hint": (
        "A room and its address, or a video-call link starting with https://. At most {max} "
        "characters."
    ),
    "place.modal.placeholder": "Room 3, 12 Lilac Street",
    "place.join": "Join",
    "place.set": "Place of the session on *{when}*: {place}.",
    "place.notice": "<@{user}> set the place of the next session: {place}.",
    "place.error.length": (
        "Give the place in 1 to {max} characters (you wrote {length}), for example `{cmd} "
        "place Room 3, 12 Lilac Street` or `{cmd} place https://call.example/abc`."
    ),
    "place.error.link": (
        "This video-call link is not a valid web address: it must start with http:// or "
        "https://, with no space and none of <, > or |."
    ),
    "place.error.not_allowed": (
        "Only the group's organisers ({organisers}), the next session's guide and workspace "
        "admins can set the place. Ask one of them to do it."
    ),
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
        "The date “{text}” is in the past. Pick a future date. Accepted formats: {formats}."
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
    "session.unchanged": "The session is already planned for *{when}*.",
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
    "programme.theme.none": "*Theme:* not chosen yet (`{cmd} propose <theme>`)",
    "programme.theme.none.manage": (
        "*Theme:* not chosen yet (`{cmd} theme <text>` or `{cmd} propose <theme>`)"
    ),
    "programme.guide": "*Guide:* <@{user}>",
    "programme.guide.none": "*Guide:* nobody yet (`{cmd} guide`)",
    "programme.contributions": "*Contributions:*",
    "programme.contributions.none": "*Contributions:* none yet (`{cmd} contribute`)",
    "programme.contribution": "{index}. *{slot}* {label}, {minutes} min · {state}",
    "programme.contribution.public": "{index}. *{slot}* {label}, {minutes} min",
    "programme.ready": "ready ✅",
    "programme.not_ready": "in preparation ⏳",
    "programme.participants": "*Registered participants:* {count}",
    "programme.budget": "*Presentation time:* {used} min out of {budget}",
    "programme.budget.over": ("*Presentation time:* {used} min out of {budget} ⚠️ {over} min over"),
    "programme.run_of_show": "*Run-of-show*",
    "phase.introduction": "Introduction: the day's theme",
    "phase.tour": "Round table: everyone shares the life of their project",
    "phase.exchange": "Exchange: contributors' presentations, then discussion",
    "phase.exchange.talks": "presentations ({count})",
    "phase.exchange.discussion": "discussion",
    "phase.anticipation": "Looking ahead: next theme and next session's roles",
    "phase.end": "End",
    "phase.end.line": "*{time}* {label}",
    "phase.line": "*{start}–{end}* {label}",
    "phase.subline": "      *{start}–{end}* {label}",
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
    "error.form.malformed": (
        "I could not read what the form sent me and nothing was saved. "
        "Close it, open it again and resend your answers."
    ),
    "error.modal_failed": (
        "I could not open the form (Slack did not accept it in time). "
        "Try again with `{cmd} {command}`."
    ),
}
