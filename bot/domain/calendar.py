"""Sessions in members' calendars: the event each session is, who took its invite, and
the group's feed token.

A session is one iCalendar event for its whole life: its UID never changes, and its
SEQUENCE (`Meeting.ics_sequence`) is raised on every move, change or cancellation, so a
calendar that imports the newer copy replaces the older one instead of adding a second.

Members who click "Ajouter à mon agenda" get the `.ics` by DM through a CALENDAR_INVITE
delivery; the recipients are QUEUED outbox rows of that delivery, written in the
transaction that asks for them, and the file itself is built at send time from the
session as it is then (`bot.jobs.calendar`). Each member's received SEQUENCE is kept
(`CalendarInvite`), so when the session moves or is cancelled, those who took the invite
are queued the newer copy in the transaction of the move.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db.models import CalendarInvite, Group, Meeting
from bot.domain.agenda import session_end
from bot.domain.db_helpers import insert_ignoring_conflicts
from bot.domain.errors import NotAllowed
from bot.domain.groups import is_organiser, organiser_ids
from bot.domain.outbox import queue_call
from bot.domain.planner import plan_delivery
from bot.domain.programme import ContributionLine, load_programme
from bot.enums import DeliveryKind, MeetingStatus

# The feed holds this many past sessions and this many upcoming ones.
FEED_PAST = 12
FEED_UPCOMING = 12
# `secrets.token_urlsafe(32)`: 256 random bits, 43 characters.
TOKEN_BYTES = 32
# The outbox method of a queued invite: built and uploaded at send time.
INVITE_METHOD = "calendar.invite"
# A cancellation is still worth sending for a while after the session would have ended.
CANCEL_USEFUL_FOR = timedelta(days=1)


@dataclass(frozen=True)
class SessionEvent:
    """Everything an iCalendar event of a session is made of."""

    meeting_id: int
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    timezone: str
    theme: str | None
    # The place or video link; None until sessions have one.
    place: str | None
    guide_user_id: str | None
    contributions: tuple[ContributionLine, ...]
    cancelled: bool
    alarm_minutes: int
    team_id: str
    channel_id: str
    stamp: datetime


def event_uid(meeting: Meeting) -> str:
    """Stable for the session's life; the creation instant keeps two databases (a test
    one, a restored one) from reusing each other's UIDs."""
    created = meeting.created_at.astimezone(UTC)
    return f"partage-{meeting.id}-{created:%Y%m%dT%H%M%SZ}@partage-bot"


def load_event(session: Session, *, meeting: Meeting, group: Group, timezone: str) -> SessionEvent:
    programme = load_programme(session, meeting=meeting)
    return SessionEvent(
        meeting_id=meeting.id,
        uid=event_uid(meeting),
        sequence=meeting.ics_sequence,
        starts_at=meeting.starts_at,
        ends_at=session_end(meeting.starts_at, meeting.duration_minutes),
        timezone=timezone,
        theme=meeting.theme,
        # The hook for the session's place or video link, once sessions have one.
        place=getattr(meeting, "place", None),
        guide_user_id=programme.guide_user_id,
        contributions=programme.contributions,
        cancelled=meeting.status == MeetingStatus.CANCELLED,
        alarm_minutes=group.calendar_alarm_minutes,
        team_id=group.team_id,
        channel_id=group.channel_id,
        stamp=meeting.updated_at,
    )


def feed_events(
    session: Session, *, group: Group, timezone: str, now: datetime
) -> list[SessionEvent]:
    """The last FEED_PAST sessions and the next FEED_UPCOMING, cancelled ones included
    (marked cancelled, so a subscribed calendar strikes them instead of forgetting)."""
    past = session.scalars(
        select(Meeting)
        .where(Meeting.group_id == group.id, Meeting.starts_at < now)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(FEED_PAST)
    ).all()
    upcoming = session.scalars(
        select(Meeting)
        .where(Meeting.group_id == group.id, Meeting.starts_at >= now)
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(FEED_UPCOMING)
    ).all()
    meetings = [*reversed(past), *upcoming]
    return [load_event(session, meeting=m, group=group, timezone=timezone) for m in meetings]


# --- the feed's token ------------------------------------------------------------------


def ensure_feed_token(session: Session, *, group: Group) -> str:
    """The group's feed token, drawn on first use. A conditional update: two requests
    racing draw two tokens and keep the first."""
    if group.calendar_token is None:
        session.execute(
            update(Group)
            .where(Group.id == group.id, Group.calendar_token.is_(None))
            .values(calendar_token=secrets.token_urlsafe(TOKEN_BYTES))
            .execution_options(synchronize_session=False)
        )
        session.refresh(group)
    assert group.calendar_token is not None
    return group.calendar_token


def rotate_feed_token(
    session: Session, *, group: Group, user_id: str, is_admin: Callable[[], bool]
) -> str:
    """A new token for the feed (organisers and workspace admins): the old URL answers
    404 from now on, for whoever had it."""
    if not is_organiser(session, group_id=group.id, user_id=user_id) and not is_admin():
        raise NotAllowed(
            "calendar.error.not_allowed", organisers=organiser_ids(session, group_id=group.id)
        )
    group.calendar_token = secrets.token_urlsafe(TOKEN_BYTES)
    session.flush()
    return group.calendar_token


def group_for_token(session: Session, *, token: str) -> Group | None:
    if not token or len(token) > 64:
        return None
    return session.scalars(select(Group).where(Group.calendar_token == token)).one_or_none()


# --- invites -------------------------------------------------------------------------


def invite_key(meeting_id: int, user_id: str, sequence: int) -> str:
    """One invite per member and SEQUENCE: a second click sends nothing new."""
    return f"calendar:{meeting_id}:{user_id}:{sequence}"


def update_key(meeting_id: int, sequence: int) -> str:
    return f"calendar:{meeting_id}:update:{sequence}"


@dataclass(frozen=True)
class InviteRequest:
    delivery_id: int
    # False: this member already asked for this very version of the session.
    new: bool
    meeting_id: int
    sequence: int


def invite_delivery(
    session: Session, *, meeting: Meeting, key: str, now: datetime, expires_at: datetime
) -> tuple[int, bool]:
    return plan_delivery(
        session,
        kind=DeliveryKind.CALENDAR_INVITE,
        group_id=meeting.group_id,
        meeting_id=meeting.id,
        key=key,
        due_at=now,
        expires_at=expires_at,
        now=now,
    )


def queue_invite(session: Session, *, delivery_id: int, user_id: str, now: datetime) -> None:
    queue_call(
        session,
        delivery_id=delivery_id,
        key=user_id,
        method=INVITE_METHOD,
        args={"user": user_id},
        now=now,
    )


def request_invite(
    session: Session, *, meeting: Meeting, user_id: str, now: datetime
) -> InviteRequest:
    """Queue this session's `.ics` for `user_id` (the caller checked the session is
    still scheduled). Idempotent per member and SEQUENCE."""
    ends_at = session_end(meeting.starts_at, meeting.duration_minutes)
    delivery_id, created = invite_delivery(
        session,
        meeting=meeting,
        key=invite_key(meeting.id, user_id, meeting.ics_sequence),
        now=now,
        expires_at=max(ends_at, now + timedelta(minutes=1)),
    )
    if created:
        queue_invite(session, delivery_id=delivery_id, user_id=user_id, now=now)
    return InviteRequest(delivery_id, created, meeting.id, meeting.ics_sequence)


def invitees(session: Session, *, meeting_id: int) -> list[str]:
    return list(
        session.scalars(
            select(CalendarInvite.user_id)
            .where(CalendarInvite.meeting_id == meeting_id)
            .order_by(CalendarInvite.id)
        )
    )


def received_sequence(session: Session, *, meeting_id: int, user_id: str) -> int | None:
    return session.scalar(
        select(CalendarInvite.sequence).where(
            CalendarInvite.meeting_id == meeting_id, CalendarInvite.user_id == user_id
        )
    )


def record_received(
    session: Session, *, meeting_id: int, user_id: str, sequence: int, now: datetime
) -> None:
    """`user_id` now holds `sequence` of the session (never lowered)."""
    inserted = insert_ignoring_conflicts(
        session,
        CalendarInvite.__table__,  # type: ignore[arg-type]
        {
            "meeting_id": meeting_id,
            "user_id": user_id,
            "sequence": sequence,
            "created_at": now,
            "updated_at": now,
        },
        ["meeting_id", "user_id"],
    )
    if not inserted:
        session.execute(
            update(CalendarInvite)
            .where(
                CalendarInvite.meeting_id == meeting_id,
                CalendarInvite.user_id == user_id,
                CalendarInvite.sequence < sequence,
            )
            .values(sequence=sequence, updated_at=now)
            .execution_options(synchronize_session=False)
        )
