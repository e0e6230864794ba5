"""Where the next session takes place: a room, an address, or a video-call link.

The place is free text, so a group can write "Salle 3, 12 rue des Lilas" as well as a
link; text that starts like a web address must be one that `is_web_link` accepts,
because the messages turn it into a link and a "Rejoindre" button.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.models import Group, Meeting
from bot.domain.calendar import session_changed as calendar_changed
from bot.domain.changes import session_changed
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.groups import organiser_ids
from bot.domain.links import is_web_link
from bot.domain.meetings import AdminCheck, may_manage, require_upcoming_meeting

PLACE_MAX_LENGTH = 1000
_LINK_START = ("http://", "https://", "www.")


def clean_place(raw: str) -> str:
    """Inner whitespace collapsed, 1 to 1000 characters; a web address must be valid."""
    place = " ".join(raw.split())
    if not 1 <= len(place) <= PLACE_MAX_LENGTH:
        raise InvalidInput("place.error.length", length=len(place), max=PLACE_MAX_LENGTH)
    if place.casefold().startswith(_LINK_START) and not is_web_link(place):
        raise InvalidInput("place.error.link")
    return place


def is_call_link(place: str | None) -> bool:
    """A place that is a web link: shown as a link with a "Rejoindre" button."""
    return bool(place) and is_web_link(place or "")


def set_place(
    session: Session,
    *,
    group: Group,
    user_id: str,
    place: str,
    now: datetime,
    is_admin: AdminCheck,
) -> Meeting:
    """Set the next session's place; the same people as for the theme may do it."""
    cleaned = clean_place(place)
    meeting = require_upcoming_meeting(session, group_id=group.id)
    if not may_manage(session, group=group, meeting=meeting, user_id=user_id, is_admin=is_admin):
        raise NotAllowed(
            "place.error.not_allowed", organisers=organiser_ids(session, group_id=group.id)
        )
    changed = meeting.place != cleaned
    meeting.place = cleaned
    meeting.updated_at = now
    session.flush()
    if changed:
        # Calendars show the place: a new SEQUENCE, no DM (the feed and the next invite follow).
        calendar_changed(session, meeting=meeting, now=now, notify=False)
    # The living messages (announcement, reminders) show the place too.
    session_changed(session, meeting, now)
    return meeting
