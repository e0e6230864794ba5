"""The scheduled cycle's messages, `/partage planning` and `/partage config`."""

from __future__ import annotations

FR: dict[str, str] = {
    # Shared pieces
    "cycle.theme": "*Thème\u202f:* {theme}",
    "cycle.theme.none": "*Thème\u202f:* pas encore choisi",
    "cycle.contribution.line": "• {label}, {minutes}\u00a0min",
    "cycle.ready.button": "Ma contribution est prête",
    "cycle.ready.hint": (
        "Quand elle est prête, cliquez sur le bouton ou tapez `{cmd} prête` dans <#{channel}>."
    ),
    "cycle.co.intro": (
        "Synchronisez-vous avec les autres contributeur·rices pour éviter les redites et "
        "bien enchaîner vos présentations\u202f:"
    ),
    "cycle.co.intro.guest": (
        "Les autres contributions, pour bien enchaîner avec la venue de votre invité·e\u202f:"
    ),
    "cycle.co.none": (
        "Vous êtes pour l’instant la seule personne à contribuer\u202f: les {budget}\u00a0minutes "
        "de "
        "présentation sont à vous."
    ),
    # J-14: guide call
    "cycle.guide_call.title": "On cherche un·e guide pour la session du {day}",
    "cycle.guide_call.body": (
        "La prochaine session a lieu le *{when}* et personne n’a encore pris le rôle de guide. "
        "Le ou la guide prépare la session, s’assure que les contributions sont prêtes le jour "
        "J et anime l’échange. Je l’accompagne à chaque étape."
    ),
    "cycle.guide_call.button": "Je serai guide",
    "cycle.guide_call.hint": "Vous pouvez aussi taper `{cmd} guide`.",
    # The fair rotation's suggestion (names, never mentions: nobody is pinged).
    "rotation.suggestion": (
        "Suggestion, à tour de rôle\u202f: {names} (pas encore guide, ou pas depuis longtemps)"
    ),
    # J-7: channel announcement
    "cycle.announcement.title": "Prochaine session\u202f: {when}",
    "cycle.announcement.read_up": (
        "Pour en profiter pleinement, prenez un moment d’ici là pour vous documenter sur le "
        "thème *{theme}*\u202f: un article, un outil, une question à poser au groupe."
    ),
    "cycle.announcement.read_up.none": (
        "Le thème n’est pas encore fixé\u202f: proposez le vôtre avec `{cmd} proposer <thème>` et "
        "documentez-vous dès qu’il sera annoncé."
    ),
    "cycle.announcement.join": "Je participe",
    "cycle.announcement.contribute": "Je contribue",
    "cycle.announcement.hint": (
        "Ou tapez `{cmd} participer` ou `{cmd} contribuer`. Tout le programme\u202f: `{cmd} "
        "programme`."
    ),
    # J-7 and J-1: the contributor's DM opens with their slot and what to do now.
    "cycle.contributor.slot": "*Votre créneau\u202f: {slot}*, {day}",
    "cycle.contributor.slot.day": "*Votre passage\u202f:* {day}",
    "cycle.step.prepare": (
        "À faire\u202f: préparer une courte présentation de «\u202f{title}\u202f», puis "
        "cliquer sur «\u202fMa contribution est prête\u202f»."
    ),
    "cycle.step.last": "À faire maintenant\u202f: finir «\u202f{title}\u202f» et la marquer prête.",
    "cycle.step.guest": (
        "À faire\u202f: envoyer à votre invité·e la date, le lieu et son créneau, puis marquer "
        "la contribution prête."
    ),
    "cycle.step.guest_last": (
        "À faire maintenant\u202f: vérifier que votre invité·e a le lieu, l’heure et son "
        "créneau, puis marquer la contribution prête."
    ),
    "cycle.step.ready": "«\u202f{title}\u202f» est prête\u202f: rien d’autre à faire.",
    "cycle.step.guest_ready": (
        "La venue de votre invité·e est prête\u202f: il ne reste qu’à l’accueillir."
    ),
    "cycle.contributor.edit": "Modifier",
    "cycle.contributor.withdraw": "Retirer",
    "cycle.contributor.title": "Votre contribution à la session du {day}",
    "cycle.contributor.body": (
        "La session du groupe <#{channel}> a lieu le *{when}*. Vous y présentez *{kind}* "
        "«\u202f{title}\u202f» ({minutes}\u00a0min)\u202f: c’est le moment de "
        "préparer une courte présentation, en allant à l’essentiel pour laisser place à la "
        "discussion."
    ),
    "cycle.contributor.guide": "Le ou la guide de la session est <@{user}>.",
    "cycle.contributor.guide.none": "Personne n’a encore pris le rôle de guide.",
    # J-1: last reminder to contributors not ready
    "cycle.last.title": "Dernier rappel\u202f: session du {day}",
    "cycle.last.body": (
        "La session du groupe <#{channel}> a lieu le *{when}* et votre contribution *{kind}* "
        "«\u202f{title}\u202f» ({minutes}\u00a0min) n’est pas encore marquée prête."
    ),
    "cycle.contributor.body.guest": (
        "La session du groupe <#{channel}> a lieu le *{when}*. Vous y accueillez {guest}, qui "
        "présente «\u202f{title}\u202f» ({minutes}\u00a0min). C’est le moment de "
        "lui "
        "envoyer la date, le lieu et le déroulé, de lui présenter le groupe et le thème, et de "
        "convenir ensemble de l’essentiel à partager pour laisser place à la discussion."
    ),
    "cycle.last.body.guest": (
        "La session du groupe <#{channel}> a lieu le *{when}* et la venue de {guest} "
        "(«\u202f{title}\u202f», {minutes}\u00a0min) n’est pas encore marquée "
        "prête. Vérifiez que votre invité·e a bien le lieu, l’heure et son créneau, puis "
        "marquez la contribution prête."
    ),
    "config.session_minutes.label": "Durée d’une session, en minutes",
    "config.session_minutes.hint": "De 60 à 240\u00a0minutes\u202f; 90 par défaut.",
    "config.presentation_minutes.label": "Temps de présentation, en minutes",
    "config.presentation_minutes.hint": (
        "Partagé entre toutes les contributions, de 5 à 120\u00a0minutes\u202f; 30 par défaut."
    ),
    "config.tour_minutes.label": "Tour de table, en minutes",
    "config.tour_minutes.hint": "De 20 à 30\u00a0minutes\u202f; 28 par défaut.",
    "config.error.format": (
        "Les phases ne tiennent pas en {session}\u00a0min\u202f: introduction ({intro}\u00a0min), "
        "tour de "
        "table ({tour}), présentations ({presentation}), anticipation ({anticipation}) et "
        "marge ({margin}) ne laissent que {discussion}\u00a0min de discussion, pour {minimum} au "
        "moins. Allongez la session à {needed}\u00a0min, ou raccourcissez les présentations ou le "
        "tour de table."
    ),
    # Guide overviews (J-7 and J-1)
    "cycle.overview.title": "Préparation de la session du {day}",
    "cycle.last_overview.title": "Dernier point avant la session du {day}",
    "cycle.overview.intro": (
        "Vous guidez la session du *{when}* dans <#{channel}>. Voici où en sont les "
        "contributions\u202f:"
    ),
    "cycle.overview.ready": "*Prêtes ({count})\u202f:*",
    "cycle.overview.not_ready": "*En préparation ({count})\u202f:*",
    "cycle.overview.none": (
        "Aucune contribution pour l’instant\u202f: invitez des membres à proposer la leur avec "
        "`{cmd} contribuer`."
    ),
    "cycle.overview.tip": (
        "Pensez à relancer les personnes dont la contribution n’est pas prête. Le déroulé "
        "sera publié dans le canal {lead}\u00a0min avant le début."
    ),
    # J-1: the guide's last overview, what changed since J-7, and "Relancer"
    "cycle.last_overview.title.tomorrow": "Demain, la session du {day}\u202f: dernier point",
    "cycle.overview.intro.tomorrow": (
        "Vous guidez *demain* la session du *{when}* dans <#{channel}>. Voici où en sont les "
        "contributions\u202f:"
    ),
    "cycle.overview.changes": "*Depuis le premier point\u202f:*",
    "cycle.overview.changes.none": "*Depuis le premier point\u202f:* rien n’a changé.",
    "cycle.overview.changes.added": "• ➕ ajoutée\u202f: «\u202f{title}\u202f» (<@{user}>)",
    "cycle.overview.changes.withdrawn": "• ➖ retirée\u202f: «\u202f{title}\u202f» (<@{user}>)",
    "cycle.overview.changes.ready": "• ✅ prête\u202f: «\u202f{title}\u202f» (<@{user}>)",
    "cycle.overview.nudge": "Relancer",
    "cycle.overview.nudge.tip": (
        "«\u202fRelancer\u202f» envoie un petit message amical à la personne, une fois par "
        "jour au plus. Le déroulé sera publié dans le canal {lead}\u00a0min avant le début."
    ),
    "nudge.dm": (
        "👋 Petit signe de <@{guide}> pour la session du *{when}* dans <#{channel}>\u202f: "
        "votre contribution «\u202f{title}\u202f» n’est pas encore marquée prête. Une question, "
        "un souci\u202f? Écrivez-lui directement. Une fois prête, un clic suffit."
    ),
    "nudge.sent": "Relance envoyée à <@{user}> pour «\u202f{title}\u202f».",
    "nudge.already": (
        "<@{user}> a déjà été relancé·e aujourd’hui pour «\u202f{title}\u202f»\u202f: une "
        "relance par jour suffit."
    ),
    "nudge.error.gone": (
        "Plus rien à relancer\u202f: la contribution a été retirée ou est déjà prête, ou la "
        "session a commencé."
    ),
    "nudge.error.not_allowed": (
        "Seul·es le ou la guide et les organisateur·rices peuvent relancer une contribution."
    ),
    "planning.kind.contributor_nudge": "relance amicale d’un·e contributeur·rice (MP)",
    # J - 15 min: run-of-show
    "cycle.run_of_show.title": "La session commence à {time}\u202f: voici le déroulé",
    "cycle.run_of_show.order.none": "Pas de contribution cette fois\u202f: l’échange sera libre.",
    # /partage planning
    "planning.title": "Prochains envois du groupe",
    "planning.session": "Session du *{when}*",
    "planning.line": "• *{when}* {label}",
    "planning.now": "dès maintenant",
    "planning.empty": (
        "Rien n’est prévu pour l’instant. Programmez une session avec `{cmd} session "
        "2027-01-14 14:00`\u202f: appel à guide, annonce, rappels et déroulé seront planifiés "
        "automatiquement."
    ),
    "planning.footer": "Heures de {tz}. Pour changer les réglages\u202f: `{cmd} config`.",
    "planning.kind.guide_call": "appel à guide dans le canal (s’il n’y en a pas encore)",
    "planning.kind.announcement": "annonce de la session dans le canal",
    "planning.kind.contributor_reminder": "message privé à chaque contributeur·rice",
    "planning.kind.guide_overview": "point de préparation au ou à la guide",
    "planning.kind.last_reminder": "dernier rappel pour les contributions pas encore prêtes",
    "planning.kind.guide_last_overview": "dernier point au ou à la guide",
    "planning.kind.run_of_show": "déroulé de la session dans le canal",
    "planning.kind.session_end": "fin de session\u202f: sondage du prochain thème",
    "planning.kind.poll_close": "résultat du sondage",
    # /partage config
    "config.title": "Réglages du groupe",
    "config.submit": "Enregistrer",
    "config.close": "Annuler",
    "config.intro": (
        "Ces réglages valent pour <#{channel}>. Les dates et heures des envois sont "
        "calculées dans le fuseau choisi."
    ),
    "config.timezone.label": "Fuseau horaire",
    "config.timezone.hint": (
        "Un nom de fuseau IANA\u202f: Europe/Paris, America/Cayenne, America/Martinique, "
        "Indian/Reunion, Pacific/Noumea…"
    ),
    "config.language.label": "Langue des messages",
    "config.language.fr": "Français",
    "config.language.en": "English",
    "config.hour.label": "Heure des rappels et annonces",
    "config.hour.option": "{hour}\u00a0h",
    "config.reminders.label": "Envois automatiques",
    "config.reminders.guide_call": "Appel à guide",
    "config.reminders.announcement": "Annonce de la session dans le canal",
    "config.reminders.contributors": "Rappels aux contributeur·rices",
    "config.reminders.guide_overview": "Points de préparation au ou à la guide",
    "config.reminders.run_of_show": "Déroulé avant le début",
    "config.reminders.poll": "Sondage du prochain thème en fin de session",
    "config.guide_call_days.label": "Appel à guide\u202f: jours avant la session",
    "config.announcement_days.label": "Annonce et premiers rappels\u202f: jours avant",
    "config.last_reminder_days.label": "Dernier rappel\u202f: jours avant la session",
    "config.lead.label": "Déroulé\u202f: minutes avant le début",
    "config.poll.label": "Durée du sondage, en heures",
    "config.poll.hint": "De 1 à 336\u00a0heures (14\u00a0jours). 72\u00a0heures par défaut.",
    "config.recurrence.label": "Session suivante",
    "config.recurrence.monthly_weekday": (
        "Chaque mois, le même jour de la semaine (2e jeudi → 2e jeudi)"
    ),
    "config.recurrence.none": "Programmée à la main par les organisateur·rices",
    "config.error.timezone": (
        "Fuseau horaire inconnu «\u202f{value}\u202f». Indiquez un nom IANA comme Europe/Paris ou "
        "America/Cayenne."
    ),
    "config.error.number": "Indiquez un nombre entier entre {low} et {high}.",
    "config.error.choice": "Choisissez une des options proposées.",
    "config.error.order": (
        "Le dernier rappel doit venir après l’annonce\u202f: indiquez moins de jours que pour "
        "l’annonce ({days})."
    ),
    "config.error.not_allowed": (
        "Seul·es les organisateur·rices du groupe ({organisers}), le ou la guide de la "
        "prochaine session et les administrateur·rices de l’espace de travail peuvent "
        "modifier les réglages du groupe."
    ),
    "config.error.gone": (
        "Ce groupe n’existe plus. Relancez `{cmd} config` depuis le canal du groupe."
    ),
    "config.saved": (
        "Réglages enregistrés\u202f: fuseau {tz}, messages en {language}, rappels à {hour}, "
        "sondage de {poll}\u00a0h, sessions de {session}\u00a0min dont {presentation} de "
        "présentations."
    ),
    "config.saved.replanned": (
        "Les envois de la prochaine session ont été recalculés\u202f: `{cmd} planning` pour "
        "les voir."
    ),
    "config.language.name.fr": "français",
    "config.language.name.en": "anglais",
    # The participants' reminder and the working-day settings
    "planning.kind.participant_reminder": "rappel de la veille aux participant·es (MP)",
    "config.reminders.participants": "Rappel de la veille à celles et ceux qui viennent",
    "config.reminders.working_days": (
        "Week-ends et jours fériés\u202f: envois le jour ouvré d’avant"
    ),
    "config.reminders.alsace_moselle": (
        "Jours fériés d’Alsace-Moselle (Vendredi saint, 26 décembre)"
    ),
    "participant.reminder.title": "Rappel\u202f: session du {day}",
    "participant.reminder.body": (
        "Vous avez dit que vous veniez\u202f: la session a lieu le *{when}*. À bientôt\u202f!"
    ),
}

EN: dict[str, str] = {
    "cycle.theme": "*Theme:* {theme}",
    "cycle.theme.none": "*Theme:* not chosen yet",
    "cycle.contribution.line": "• {label}, {minutes} min",
    "cycle.ready.button": "My contribution is ready",
    "cycle.ready.hint": (
        "When it is ready, click the button or type `{cmd} ready` in <#{channel}>."
    ),
    "cycle.co.intro": (
        "Sync with the other contributors to avoid overlaps and link your presentations smoothly:"
    ),
    "cycle.co.intro.guest": (
        "The other contributions, so that your guest's visit links smoothly with them:"
    ),
    "cycle.co.none": (
        "You are the only contributor so far: the {budget} minutes of presentation time are yours."
    ),
    "cycle.guide_call.title": "Looking for a guide for the session on {day}",
    "cycle.guide_call.body": (
        "The next session is on *{when}* and nobody has offered to guide it yet. The guide "
        "prepares the session, makes sure contributions are ready on the day and hosts the "
        "exchange. I help them at every step."
    ),
    "cycle.guide_call.button": "I'll be the guide",
    "cycle.guide_call.hint": "You can also type `{cmd} guide`.",
    "rotation.suggestion": (
        "Suggestion, taking turns: {names} (not guided yet, or not for a while)"
    ),
    "cycle.announcement.title": "Next session: {when}",
    "cycle.announcement.read_up": (
        "To make the most of it, take a moment before then to read up on the theme "
        "*{theme}*: an article, a tool, a question to ask the group."
    ),
    "cycle.announcement.read_up.none": (
        "The theme is not set yet: propose yours with `{cmd} propose <theme>` and read up "
        "as soon as it is announced."
    ),
    "cycle.announcement.join": "I'll attend",
    "cycle.announcement.contribute": "I'll contribute",
    "cycle.announcement.hint": (
        "Or type `{cmd} join` or `{cmd} contribute`. The whole programme: `{cmd} agenda`."
    ),
    "cycle.contributor.slot": "*Your slot: {slot}*, {day}",
    "cycle.contributor.slot.day": "*You present:* {day}",
    "cycle.step.prepare": (
        "To do: prepare a short presentation of “{title}”, then click “My contribution is ready”."
    ),
    "cycle.step.last": "To do now: finish “{title}” and mark it ready.",
    "cycle.step.guest": (
        "To do: send your guest the date, the place and their slot, then mark the "
        "contribution ready."
    ),
    "cycle.step.guest_last": (
        "To do now: check that your guest has the place, the time and their slot, then mark "
        "the contribution ready."
    ),
    "cycle.step.ready": "“{title}” is ready: nothing else to do.",
    "cycle.step.guest_ready": "Your guest's visit is ready: all that is left is to welcome them.",
    "cycle.contributor.edit": "Edit",
    "cycle.contributor.withdraw": "Withdraw",
    "cycle.contributor.title": "Your contribution to the session on {day}",
    "cycle.contributor.body": (
        "The <#{channel}> group meets on *{when}*. You present *{kind}* “{title}” ({minutes} "
        "min): time to prepare a short presentation that goes to the point and leaves "
        "room for discussion."
    ),
    "cycle.contributor.guide": "The session's guide is <@{user}>.",
    "cycle.contributor.guide.none": "Nobody has taken the guide role yet.",
    "cycle.last.title": "Last reminder: session on {day}",
    "cycle.last.body": (
        "The <#{channel}> group meets on *{when}* and your contribution *{kind}* “{title}” "
        "({minutes} min) is not marked ready yet."
    ),
    "cycle.contributor.body.guest": (
        "The <#{channel}> group meets on *{when}*. You host {guest}, who presents “{title}” "
        "({minutes} min). Time to send them the date, the place and the run-of-show, "
        "to introduce the group and the theme, and to agree together on what to share so that "
        "there is room left for discussion."
    ),
    "cycle.last.body.guest": (
        "The <#{channel}> group meets on *{when}* and the visit of {guest} (“{title}”, "
        "{minutes} min) is not marked ready yet. Check that your guest has the place, "
        "the time and their slot, then mark the contribution ready."
    ),
    "config.session_minutes.label": "Length of a session, in minutes",
    "config.session_minutes.hint": "From 60 to 240 minutes; 90 by default.",
    "config.presentation_minutes.label": "Presentation time, in minutes",
    "config.presentation_minutes.hint": (
        "Shared by all contributions, from 5 to 120 minutes; 30 by default."
    ),
    "config.tour_minutes.label": "Round table, in minutes",
    "config.tour_minutes.hint": "From 20 to 30 minutes; 28 by default.",
    "config.error.format": (
        "The phases do not fit in {session} min: introduction ({intro} min), round table "
        "({tour}), presentations ({presentation}), anticipation ({anticipation}) and margin "
        "({margin}) leave only {discussion} min of discussion, for at least {minimum}. "
        "Lengthen the session to {needed} min, or shorten the presentations or the round table."
    ),
    "cycle.overview.title": "Preparing the session on {day}",
    "cycle.last_overview.title": "Last check before the session on {day}",
    "cycle.overview.intro": (
        "You are guiding the session on *{when}* in <#{channel}>. Here is where the "
        "contributions stand:"
    ),
    "cycle.overview.ready": "*Ready ({count}):*",
    "cycle.overview.not_ready": "*In preparation ({count}):*",
    "cycle.overview.none": (
        "No contribution yet: invite members to propose theirs with `{cmd} contribute`."
    ),
    "cycle.overview.tip": (
        "Nudge the people whose contribution is not ready. The run-of-show will be posted in "
        "the channel {lead} min before the start."
    ),
    "cycle.last_overview.title.tomorrow": "Tomorrow, the session on {day}: last check",
    "cycle.overview.intro.tomorrow": (
        "You guide the session on *{when}* in <#{channel}> *tomorrow*. Here is where the "
        "contributions stand:"
    ),
    "cycle.overview.changes": "*Since the first check:*",
    "cycle.overview.changes.none": "*Since the first check:* nothing changed.",
    "cycle.overview.changes.added": "• ➕ added: “{title}” (<@{user}>)",
    "cycle.overview.changes.withdrawn": "• ➖ withdrawn: “{title}” (<@{user}>)",
    "cycle.overview.changes.ready": "• ✅ ready: “{title}” (<@{user}>)",
    "cycle.overview.nudge": "Nudge",
    "cycle.overview.nudge.tip": (
        "“Nudge” sends the person a short friendly message, once a day at most. The "
        "run-of-show will be posted in the channel {lead} min before the start."
    ),
    "nudge.dm": (
        "👋 A friendly word from <@{guide}> about the session on *{when}* in <#{channel}>: "
        "your contribution “{title}” is not marked ready yet. A question, a problem? Write "
        "to them directly. Once it is ready, one click is enough."
    ),
    "nudge.sent": "Nudge sent to <@{user}> about “{title}”.",
    "nudge.already": "<@{user}> was already nudged today about “{title}”: once a day is enough.",
    "nudge.error.gone": (
        "Nothing left to nudge: the contribution was withdrawn or is ready, or the session "
        "has started."
    ),
    "nudge.error.not_allowed": "Only the guide and the organisers can nudge a contribution.",
    "planning.kind.contributor_nudge": "friendly nudge to a contributor (DM)",
    "cycle.run_of_show.title": "The session starts at {time}: here is the run-of-show",
    "cycle.run_of_show.order.none": "No contribution this time: the exchange will be open.",
    "planning.title": "The group's upcoming messages",
    "planning.session": "Session on *{when}*",
    "planning.line": "• *{when}* {label}",
    "planning.now": "right now",
    "planning.empty": (
        "Nothing is planned yet. Schedule a session with `{cmd} schedule 2027-01-14 14:00`: "
        "the guide call, announcement, reminders and run-of-show are then planned "
        "automatically."
    ),
    "planning.footer": "Times in {tz}. To change the settings: `{cmd} config`.",
    "planning.kind.guide_call": "call for a guide in the channel (if there is none yet)",
    "planning.kind.announcement": "session announcement in the channel",
    "planning.kind.contributor_reminder": "direct message to each contributor",
    "planning.kind.guide_overview": "preparation overview for the guide",
    "planning.kind.last_reminder": "last reminder to contributors not ready yet",
    "planning.kind.guide_last_overview": "last overview for the guide",
    "planning.kind.run_of_show": "session run-of-show in the channel",
    "planning.kind.session_end": "session end: poll for the next theme",
    "planning.kind.poll_close": "poll result",
    "config.title": "Group settings",
    "config.submit": "Save",
    "config.close": "Cancel",
    "config.intro": (
        "These settings apply to <#{channel}>. Message dates and times are computed in the "
        "chosen time zone."
    ),
    "config.timezone.label": "Time zone",
    "config.timezone.hint": (
        "An IANA time zone name: Europe/Paris, America/Cayenne, America/Martinique, "
        "Indian/Reunion, Pacific/Noumea…"
    ),
    "config.language.label": "Language of the messages",
    "config.language.fr": "Français",
    "config.language.en": "English",
    "config.hour.label": "Time of reminders and announcements",
    "config.hour.option": "{hour:02d}:00",
    "config.reminders.label": "Automatic messages",
    "config.reminders.guide_call": "Call for a guide",
    "config.reminders.announcement": "Session announcement in the channel",
    "config.reminders.contributors": "Reminders to contributors",
    "config.reminders.guide_overview": "Preparation overviews for the guide",
    "config.reminders.run_of_show": "Run-of-show before the start",
    "config.reminders.poll": "Next-theme poll at the end of the session",
    "config.guide_call_days.label": "Call for a guide: days before the session",
    "config.announcement_days.label": "Announcement and first reminders: days before",
    "config.last_reminder_days.label": "Last reminder: days before the session",
    "config.lead.label": "Run-of-show: minutes before the start",
    "config.poll.label": "Poll duration, in hours",
    "config.poll.hint": "From 1 to 336 hours (14 days). 72 hours by default.",
    "config.recurrence.label": "Next session",
    "config.recurrence.monthly_weekday": (
        "Every month, on the same weekday (2nd Thursday → 2nd Thursday)"
    ),
    "config.recurrence.none": "Scheduled by hand by the organisers",
    "config.error.timezone": (
        "Unknown time zone \u201c{value}\u201d. Give an IANA name such as Europe/Paris or "
        "America/Cayenne."
    ),
    "config.error.number": "Give a whole number between {low} and {high}.",
    "config.error.choice": "Pick one of the options offered.",
    "config.error.order": (
        "The last reminder must come after the announcement: give fewer days than for the "
        "announcement ({days})."
    ),
    "config.error.not_allowed": (
        "Only the group's organisers ({organisers}), the next session's guide and "
        "workspace admins can change the group's settings."
    ),
    "config.error.gone": (
        "This group no longer exists. Run `{cmd} config` again from the group's channel."
    ),
    "config.saved": (
        "Settings saved: time zone {tz}, messages in {language}, reminders at {hour}, {poll} h "
        "poll, {session}-minute sessions with {presentation} of presentations."
    ),
    "config.saved.replanned": (
        "The next session's messages were recomputed: `{cmd} planning` to see them."
    ),
    "config.language.name.fr": "French",
    "config.language.name.en": "English",
    # The participants' reminder and the working-day settings
    "planning.kind.participant_reminder": "day-before reminder to participants (DM)",
    "config.reminders.participants": "Day-before reminder to those coming",
    "config.reminders.working_days": (
        "Weekends and holidays: messages go out the working day before"
    ),
    "config.reminders.alsace_moselle": "Alsace-Moselle holidays (Good Friday, 26 December)",
    "participant.reminder.title": "Reminder: session on {day}",
    "participant.reminder.body": (
        "You said you would come: the session is on *{when}*. See you soon!"
    ),
}
