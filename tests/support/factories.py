"""Rows the domain tests start from, created through the same domain functions as the bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.db.models import Group, Meeting, MeetingRole
from bot.domain.groups import add_organiser, ensure_group
from bot.domain.proposals import propose_theme
from bot.enums import MeetingStatus, RoleKind
from tests.support.fake_slack import TEAM_ID

CHANNEL = "C0GROUP"
ORGANISER = "U0ORGA"
# Thursday 14 January 2027, 14:00 in Paris: a 2nd Thursday.
SESSION_START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)
BEFORE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def make_group(session: Session, *, channel: str = CHANNEL, now: datetime = BEFORE) -> Group:
    group = ensure_group(session, team_id=TEAM_ID, channel_id=channel, now=now)
    add_organiser(session, group_id=group.id, user_id=ORGANISER, now=now)
    return group


def make_meeting(
    session: Session,
    group: Group,
    *,
    starts_at: datetime = SESSION_START,
    now: datetime = BEFORE,
    guide: str | None = None,
    status: MeetingStatus = MeetingStatus.SCHEDULED,
) -> Meeting:
    meeting = Meeting(
        group_id=group.id,
        starts_at=starts_at,
        status=status,
        created_by=ORGANISER,
        created_at=now,
        updated_at=now,
    )
    session.add(meeting)
    session.flush()
    if guide:
        session.add(
            MeetingRole(meeting_id=meeting.id, user_id=guide, role=RoleKind.GUIDE, created_at=now)
        )
        session.flush()
    return meeting


def make_proposals(
    session: Session, group: Group, texts: list[str], *, now: datetime = BEFORE
) -> list[int]:
    """One proposal per text, one minute apart, by U0P1, U0P2..."""
    return [
        propose_theme(
            session,
            group=group,
            user_id=f"U0P{index}",
            text=text,
            now=now + timedelta(minutes=index),
        ).id
        for index, text in enumerate(texts, start=1)
    ]


def cancel_session(session: Session, meeting: Meeting, *, now: datetime) -> None:
    """Cancel `meeting` as an organiser does, without planning the next one."""
    from bot.domain.organising import cancel_meeting

    group = session.get(Group, meeting.group_id)
    assert group is not None
    cancel_meeting(
        session,
        group=group,
        meeting=meeting,
        actor=ORGANISER,
        plan_next=False,
        now=now,
        timezone="Europe/Paris",
        is_admin=lambda: True,
    )
