"""Where the next session takes place: a room, an address, or a video-call link.

The place is free text, so a group can write "Salle 3, 12 rue des Lilas" as well as a
link; text that starts like a web address must be one that `is_web_link` accepts,
because the messages turn it into a link and a "Rejoindre" button.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.models import Group, Meeting
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.groups import organiser_ids
from bot.domain.links import is_web_link
from bot.domain.meetings import AdminCheck, may_manage, set_session_detail, upcoming_meeting
from bot.domain.roles import SessionGone
from bot.enums import Language

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


@dataclass(frozen=True)
class PlaceForm:
    """What the place form shows: which session, where its group lives, the place in
    force; read for someone who may set it."""

    meeting_id: int
    channel_id: str
    starts_at: datetime
    place: str | None
    language: Language | None
    timezone: str | None


def _upcoming_of(
    session: Session, *, meeting_id: int | None, team_id: str
) -> tuple[Group, Meeting]:
    """The session a button or a form points at, while it is still its group's next one."""
    meeting = session.get(Meeting, meeting_id) if meeting_id is not None else None
    group = session.get(Group, meeting.group_id) if meeting is not None else None
    if meeting is None or group is None or (team_id and group.team_id != team_id):
        raise SessionGone()
    upcoming = upcoming_meeting(session, group_id=group.id)
    if upcoming is None or upcoming.id != meeting.id:
        raise SessionGone()
    return group, meeting


def place_form(
    session: Session, *, meeting_id: int | None, team_id: str, user_id: str, is_admin: AdminCheck
) -> PlaceForm:
    """The form behind "Indiquer le lieu", refused (as the command is) to whoever may not
    set the place: the button is only shown to those who may, but a payload can say
    anything."""
    group, meeting = _upcoming_of(session, meeting_id=meeting_id, team_id=team_id)
    if not may_manage(session, group=group, meeting=meeting, user_id=user_id, is_admin=is_admin):
        raise NotAllowed(
            "place.error.not_allowed", organisers=organiser_ids(session, group_id=group.id)
        )
    return PlaceForm(
        meeting_id=meeting.id,
        channel_id=group.channel_id,
        starts_at=meeting.starts_at,
        place=meeting.place,
        language=group.language,
        timezone=group.timezone,
    )


def set_place_of(
    session: Session,
    *,
    meeting_id: int | None,
    team_id: str,
    user_id: str,
    place: str,
    now: datetime,
    is_admin: AdminCheck,
) -> PlaceForm:
    """The form's submission: `set_place` for the session the form was opened for, if it
    is still the group's next one (never the session that replaced it). Returns the
    session as it now reads."""
    group, _meeting = _upcoming_of(session, meeting_id=meeting_id, team_id=team_id)
    meeting = set_place(
        session, group=group, user_id=user_id, place=place, now=now, is_admin=is_admin
    )
    return PlaceForm(
        meeting_id=meeting.id,
        channel_id=group.channel_id,
        starts_at=meeting.starts_at,
        place=meeting.place,
        language=group.language,
        timezone=group.timezone,
    )
