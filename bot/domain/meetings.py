"""The group's next session: create, move, theme, and who may do so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Delivery, Group, Meeting, MeetingRole
from bot.domain.calendar import session_changed as calendar_changed
from bot.domain.changes import session_changed
from bot.domain.errors import InvalidInput, NotAllowed, NoUpcomingSession
from bot.domain.groups import add_organiser, is_organiser, organiser_ids
from bot.domain.planning import PENDING, cancel_pending, plan_meeting
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
    timezone: str,
) -> ScheduleResult:
    """Create the next session, or move it if one is already scheduled, and plan its
    cycle (`timezone` is the group's effective zone, in which reminders are due).

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
        previous = meeting.starts_at
        meeting.starts_at = starts_at
        meeting.updated_at = now
        session.flush()
        if previous != starts_at:
            calendar_changed(session, meeting=meeting, now=now, notify=True)
        plan_meeting(session, group=group, meeting=meeting, now=now, timezone=timezone)
        session_changed(session, meeting, now)
        return ScheduleResult(meeting, False, previous, became_organiser)

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
        previous = existing.starts_at
        existing.starts_at = starts_at
        existing.updated_at = now
        session.flush()
        if previous != starts_at:
            calendar_changed(session, meeting=existing, now=now, notify=True)
        plan_meeting(session, group=group, meeting=existing, now=now, timezone=timezone)
        session_changed(session, existing, now)
        return ScheduleResult(existing, False, previous, became_organiser)
    plan_meeting(session, group=group, meeting=meeting, now=now, timezone=timezone)
    return ScheduleResult(meeting, True, None, became_organiser)


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
    the guide and workspace admins may. Calendars get a new SEQUENCE without a DM to
    everyone who took the invite (the feed and the next invite follow), and the living
    messages that show it are refreshed."""
    meeting = require_upcoming_meeting(session, group_id=group.id)
    if not may_manage(session, group=group, meeting=meeting, user_id=user_id, is_admin=is_admin):
        raise NotAllowed(
            f"{field}.error.not_allowed", organisers=organiser_ids(session, group_id=group.id)
        )
    changed = getattr(meeting, field) != value
    setattr(meeting, field, value)
    meeting.updated_at = now
    session.flush()
    if changed:
        calendar_changed(session, meeting=meeting, now=now, notify=False)
    session_changed(session, meeting, now)
    return meeting


def cancel_meeting(session: Session, *, meeting: Meeting, now: datetime) -> int | None:
    """Cancel a scheduled session: its pending deliveries are cancelled, its SEQUENCE
    raised, and the cancelling `.ics` queued for every member who took the invite
    (returns that delivery's id, None when nobody did). The caller checks who may."""
    meeting.status = MeetingStatus.CANCELLED
    meeting.updated_at = now
    session.flush()
    pending = session.scalars(
        select(Delivery).where(Delivery.meeting_id == meeting.id, Delivery.status.in_(PENDING))
    ).all()
    cancel_pending(pending, now=now, reason="session cancelled")
    return calendar_changed(session, meeting=meeting, now=now, notify=True)
