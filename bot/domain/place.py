"""Where the next session takes place: a room, an address, or a video-call link.

The place is free text, so a group can write "Salle 3, 12 rue des Lilas" as well as a
link; text that starts like a web address must be one that `is_web_link` accepts,
because the messages turn it into a link and a "Rejoindre" button.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.models import Group, Meeting
from bot.domain.errors import InvalidInput
from bot.domain.links import is_web_link
from bot.domain.meetings import AdminCheck, set_session_detail

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
    return set_session_detail(
        session,
        group=group,
        user_id=user_id,
        field="place",
        value=clean_place(place),
        now=now,
        is_admin=is_admin,
    )
