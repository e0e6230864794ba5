"""Sessions in calendars: the event's text, the buttons, the invite DM, `/partage calendrier`."""

from __future__ import annotations

NNBSP = "\u202f"  # French typography: before ; : ! ? and inside « »

FR: dict[str, str] = {
    "planning.kind.calendar_invite": "invitation d’agenda (.ics) en message privé",
    # The event
    "calendar.summary": "Session du groupe de partage",
    "calendar.summary.theme": f"Session du groupe de partage{NNBSP}: {{theme}}",
    "calendar.feed.name": "Groupe de partage",
    "calendar.description.theme": f"Thème{NNBSP}: {{theme}}",
    "calendar.description.theme.none": f"Thème{NNBSP}: pas encore choisi",
    "calendar.description.place": f"Lieu{NNBSP}: {{place}}",
    "calendar.description.guide": f"Guide{NNBSP}: {{guide}}",
    "calendar.description.guide.none": f"Guide{NNBSP}: personne pour l’instant",
    "calendar.description.contributions": f"Contributions{NNBSP}:",
    "calendar.description.contributions.none": f"Contributions{NNBSP}: aucune pour l’instant",
    "calendar.description.contribution": (
        f"• {{kind}} «{NNBSP}{{title}}{NNBSP}», {{minutes}}\u00a0min"
    ),
    "calendar.description.guest": (
        f"• {{kind}} «{NNBSP}{{title}}{NNBSP}» avec {{guest}}, {{minutes}}\u00a0min"
    ),
    "calendar.description.channel": f"Le canal Slack du groupe{NNBSP}: {{url}}",
    "calendar.description.cancelled": "Cette session est annulée.",
    "calendar.alarm": "La session du groupe de partage commence bientôt",
    # Buttons
    "calendar.button.ics": "Ajouter à mon agenda",
    "calendar.button.google": "Google Agenda",
    "calendar.button.outlook": "Outlook",
    # The invite by DM
    "calendar.invite.comment": (
        f"Voici la session du *{{when}}* pour votre agenda{NNBSP}: ouvrez le fichier pour "
        "l’ajouter (Outlook, Thunderbird, Apple Calendrier, Google Agenda)."
    ),
    "calendar.invite.moved": (
        f"La session a changé de date{NNBSP}: elle a lieu le *{{when}}*. Ouvrez ce fichier "
        "pour mettre votre agenda à jour."
    ),
    "calendar.invite.cancelled": (
        f"La session du *{{when}}* est annulée{NNBSP}: ouvrez ce fichier pour la retirer de "
        "votre agenda."
    ),
    "calendar.invite.sending": (
        "Je vous envoie l’invitation en message privé, avec le fichier .ics à ouvrir."
    ),
    "calendar.invite.already": (
        "Vous avez déjà reçu l’invitation pour cette version de la session, en message privé."
    ),
    "calendar.invite.delayed": (
        f"Slack ne répond pas pour l’instant{NNBSP}: l’invitation partira dans quelques minutes."
    ),
    "calendar.invite.failed": (
        "Je n’ai pas pu vous envoyer l’invitation en message privé. Utilisez les boutons "
        "Google Agenda ou Outlook, ou réessayez plus tard."
    ),
    "config.calendar_alarm.label": (
        f"Agenda{NNBSP}: rappel, en minutes avant la session (0{NNBSP}: aucun)"
    ),
    # /partage calendrier
    "help.line.calendrier": (
        f"`{{cmd}} calendrier`{NNBSP}: le lien pour abonner votre agenda à celui du groupe"
    ),
    "calendar.feed.url": (
        f"Abonnez votre agenda à celui du groupe{NNBSP}: {{url}}\n"
        "Il suit les changements de date et les annulations. Gardez ce lien pour vous"
        f"{NNBSP}: qui l’a peut lire le calendrier du groupe."
    ),
    "calendar.feed.rotated": (
        f"Nouveau lien d’abonnement{NNBSP}: {{url}}\nL’ancien ne fonctionne plus"
        f"{NNBSP}: les membres abonné·es doivent s’abonner à nouveau."
    ),
    "calendar.feed.unavailable": (
        "Le calendrier à suivre n’est pas disponible sur cette installation (PUBLIC_URL "
        "n’est pas réglé). Les boutons «\u202fAjouter à mon agenda\u202f» des annonces "
        "restent utilisables."
    ),
    "calendar.error.usage": (
        f"Je ne connais pas «{NNBSP}{{word}}{NNBSP}» ici{NNBSP}: tapez `{{cmd}} calendrier`, "
        "ou `{cmd} calendrier nouveau` pour changer le lien."
    ),
    "calendar.error.not_allowed": (
        f"Seul·es les organisateur·rices peuvent changer le lien du calendrier{NNBSP}: "
        "{organisers}."
    ),
}

EN: dict[str, str] = {
    "planning.kind.calendar_invite": "calendar invite (.ics) by direct message",
    "calendar.summary": "Peer-sharing group session",
    "calendar.summary.theme": "Peer-sharing group session: {theme}",
    "calendar.feed.name": "Peer-sharing group",
    "calendar.description.theme": "Theme: {theme}",
    "calendar.description.theme.none": "Theme: not chosen yet",
    "calendar.description.place": "Place: {place}",
    "calendar.description.guide": "Guide: {guide}",
    "calendar.description.guide.none": "Guide: nobody yet",
    "calendar.description.contributions": "Contributions:",
    "calendar.description.contributions.none": "Contributions: none yet",
    "calendar.description.contribution": "• {kind} “{title}”, {minutes} min",
    "calendar.description.guest": "• {kind} “{title}” with {guest}, {minutes} min",
    "calendar.description.channel": "The group's Slack channel: {url}",
    "calendar.description.cancelled": "This session is cancelled.",
    "calendar.alarm": "The peer-sharing group session starts soon",
    "calendar.button.ics": "Add to my calendar",
    "calendar.button.google": "Google Calendar",
    "calendar.button.outlook": "Outlook",
    "calendar.invite.comment": (
        "Here is the session of *{when}* for your calendar: open the file to add it "
        "(Outlook, Thunderbird, Apple Calendar, Google Calendar)."
    ),
    "calendar.invite.moved": (
        "The session moved: it now takes place on *{when}*. Open this file to update your calendar."
    ),
    "calendar.invite.cancelled": (
        "The session of *{when}* is cancelled: open this file to remove it from your calendar."
    ),
    "calendar.invite.sending": "I am sending you the invite by direct message, as an .ics file.",
    "calendar.invite.already": (
        "You already received the invite for this version of the session, by direct message."
    ),
    "calendar.invite.delayed": "Slack is not answering right now: the invite will go out shortly.",
    "calendar.invite.failed": (
        "I could not send you the invite by direct message. Use the Google Calendar or "
        "Outlook buttons, or try again later."
    ),
    "config.calendar_alarm.label": "Calendar: reminder, minutes before the session (0: none)",
    "help.line.calendrier": "`{cmd} calendar`: the link to subscribe your calendar to the group's",
    "calendar.feed.url": (
        "Subscribe your calendar to the group's: {url}\nIt follows moves and cancellations. "
        "Keep this link to yourself: whoever has it can read the group's calendar."
    ),
    "calendar.feed.rotated": (
        "New subscription link: {url}\nThe old one no longer works: subscribed members must "
        "subscribe again."
    ),
    "calendar.feed.unavailable": (
        "The calendar feed is not available on this installation (PUBLIC_URL is not set). "
        "The “Add to my calendar” buttons of the announcements still work."
    ),
    "calendar.error.usage": (
        "I don't know “{word}” here: type `{cmd} calendar`, or `{cmd} calendar new` to "
        "change the link."
    ),
    "calendar.error.not_allowed": "Only organisers can change the calendar link: {organisers}.",
}
