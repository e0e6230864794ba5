"""The group's next session: create, move, theme, and who may do so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Group, Meeting, MeetingRole
from bot.domain.errors import InvalidInput, NotAllowed, NoUpcomingSession
from bot.domain.events import (
    PlaceSet,
    SessionMoved,
    SessionScheduled,
    SessionStarted,
    ThemeSet,
    emit,
)
from bot.domain.groups import add_organiser, is_organiser, organiser_ids
from bot.enums import MeetingStatus, RoleKind

THEME_MAX_LENGTH = 200

# Asked only when the cheaper checks (organiser, guide) have failed: it may call Slack.
AdminCheck = Callable[[], bool]


def upcoming_meeting(session: Session, *, group_id: int) -> Meeting | None:
    """The group's scheduled session (at most one, by a partial unique index)."""
    return session.scalars(
        select(Meeting).where(
            Meeting.group_id == group_id, Meeting.status == MeetingStatus.SCHEDULED
        )
    ).one_or_none()


def require_upcoming_meeting(session: Session, *, group_id: int) -> Meeting:
    meeting = upcoming_meeting(session, group_id=group_id)
    if meeting is None:
        raise NoUpcomingSession()
    return meeting


def guide_of(session: Session, *, meeting_id: int) -> str | None:
    return session.scalar(
        select(MeetingRole.user_id).where(
            MeetingRole.meeting_id == meeting_id, MeetingRole.role == RoleKind.GUIDE
        )
    )


def may_manage(
    session: Session,
    *,
    group: Group,
    meeting: Meeting | None,
    user_id: str,
    is_admin: AdminCheck,
) -> bool:
    """Organisers, the next session's guide and workspace admins or owners."""
    if is_organiser(session, group_id=group.id, user_id=user_id):
        return True
    if meeting is not None and guide_of(session, meeting_id=meeting.id) == user_id:
        return True
    return is_admin()


@dataclass(frozen=True)
class ScheduleResult:
    meeting: Meeting
    created: bool
    previous_starts_at: datetime | None
    became_organiser: bool


def schedule_meeting(
    session: Session,
    *,
    group: Group,
    user_id: str,
    starts_at: datetime,
    now: datetime,
    is_admin: AdminCheck,
) -> ScheduleResult:
    """Create the next session, or move it if one is already scheduled; its cycle is
    planned as it follows (`SessionScheduled`, `SessionMoved`: `bot.followups`).

    The first person to schedule in a group with no organiser becomes its organiser.
    """
    if starts_at <= now:
        raise InvalidInput("session.error.past")
    meeting = upcoming_meeting(session, group_id=group.id)
    organisers = organiser_ids(session, group_id=group.id)
    became_organiser = False
    if not organisers:
        became_organiser = add_organiser(session, group_id=group.id, user_id=user_id, now=now)
    elif not may_manage(session, group=group, meeting=meeting, user_id=user_id, is_admin=is_admin):
        raise NotAllowed("session.error.not_allowed", organisers=organisers)

    if meeting is not None:
        return _move(
            session,
            meeting,
            user_id=user_id,
            starts_at=starts_at,
            now=now,
            became_organiser=became_organiser,
        )

    meeting = Meeting(
        group_id=group.id,
        starts_at=starts_at,
        duration_minutes=group.session_minutes,
        status=MeetingStatus.SCHEDULED,
        created_by=user_id,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(meeting)
    except IntegrityError:
        # Another request created it a moment ago: move that one instead.
        existing = require_upcoming_meeting(session, group_id=group.id)
        return _move(
            session,
            existing,
            user_id=user_id,
            starts_at=starts_at,
            now=now,
            became_organiser=became_organiser,
        )
    emit(session, SessionScheduled(group.id, now, meeting.id, actor=user_id))
    return ScheduleResult(meeting, True, None, became_organiser)


def _move(
    session: Session,
    meeting: Meeting,
    *,
    user_id: str,
    starts_at: datetime,
    now: datetime,
    became_organiser: bool,
) -> ScheduleResult:
    """Move the scheduled session; the same date again changes nothing."""
    previous = meeting.starts_at
    if previous != starts_at:
        meeting.starts_at = starts_at
        meeting.updated_at = now
        session.flush()
        emit(
            session,
            SessionMoved(meeting.group_id, now, meeting.id, user_id, previous_starts_at=previous),
        )
    return ScheduleResult(meeting, False, previous, became_organiser)


def clean_theme(raw: str) -> str:
    """Collapse inner whitespace and check 1-200 characters."""
    theme = " ".join(raw.split())
    if not 1 <= len(theme) <= THEME_MAX_LENGTH:
        raise InvalidInput("theme.error.length", length=len(theme))
    return theme


def set_theme(
    session: Session,
    *,
    group: Group,
    user_id: str,
    theme: str,
    now: datetime,
    is_admin: AdminCheck,
) -> Meeting:
    return set_session_detail(
        session,
        group=group,
        user_id=user_id,
        field="theme",
        value=clean_theme(theme),
        now=now,
        is_admin=is_admin,
    )


def set_session_detail(
    session: Session,
    *,
    group: Group,
    user_id: str,
    field: str,
    value: str,
    now: datetime,
    is_admin: AdminCheck,
) -> Meeting:
    """Set the next session's theme or place (`field`), already cleaned: the organisers,
    the guide and workspace admins may. A new value is a `ThemeSet` or `PlaceSet`: the
    calendars and the living messages follow it (`bot.followups`)."""
    meeting = require_upcoming_meeting(session, group_id=group.id)
    if not may_manage(session, group=group, meeting=meeting, user_id=user_id, is_admin=is_admin):
        raise NotAllowed(
            f"{field}.error.not_allowed", organisers=organiser_ids(session, group_id=group.id)
        )
    if getattr(meeting, field) == value:
        return meeting
    setattr(meeting, field, value)
    meeting.updated_at = now
    session.flush()
    kind = ThemeSet if field == "theme" else PlaceSet
    emit(session, kind(group.id, now, meeting.id, user_id, value))
    return meeting


def mark_started(session: Session, *, meeting_id: int, now: datetime) -> bool:
    """The session has begun (its SESSION_START fell due): recorded as `SessionStarted`,
    so the messages that offered what must come before it follow. False when it is not
    the scheduled session any more, or was moved later meanwhile."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.status != MeetingStatus.SCHEDULED or now < meeting.starts_at:
        return False
    emit(session, SessionStarted(meeting.group_id, now, meeting.id))
    return True
