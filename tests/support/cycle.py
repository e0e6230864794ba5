"""Builds groups, sessions, roles and contributions straight in the database, through the
domain where it has a function for it, so cycle tests start from realistic state."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.db.models import Contribution, MeetingRole
from bot.domain.groups import ensure_group
from bot.domain.meetings import schedule_meeting
from bot.enums import ContributionKind, ContributionStatus, RoleKind
from tests.support.fake_slack import TEAM_ID

PARIS = "Europe/Paris"


def schedule(
    db: sessionmaker[Session],
    *,
    starts_at: datetime,
    now: datetime,
    channel: str = "C0GROUP",
    organiser: str = "U0ORGA",
    theme: str | None = None,
) -> tuple[int, int]:
    """A group in `channel` with its next session at `starts_at`, planned as the
    `session` command would. Returns (group id, meeting id)."""
    with transaction(db) as session:
        group = ensure_group(session, team_id=TEAM_ID, channel_id=channel, now=now)
        result = schedule_meeting(
            session,
            group=group,
            user_id=organiser,
            starts_at=starts_at,
            now=now,
            is_admin=lambda: False,
        )
        result.meeting.theme = theme
        return group.id, result.meeting.id


def add_guide(db: sessionmaker[Session], meeting_id: int, user_id: str, now: datetime) -> None:
    with transaction(db) as session:
        session.add(
            MeetingRole(meeting_id=meeting_id, user_id=user_id, role=RoleKind.GUIDE, created_at=now)
        )


def add_contribution(
    db: sessionmaker[Session],
    meeting_id: int,
    author: str,
    *,
    now: datetime,
    title: str = "Un sujet",
    minutes: int = 10,
    status: ContributionStatus = ContributionStatus.PROPOSED,
    kind: ContributionKind = ContributionKind.TALK,
    order: int = 0,
) -> int:
    created = now + timedelta(seconds=order)
    with transaction(db) as session:
        contribution = Contribution(
            meeting_id=meeting_id,
            author_user_id=author,
            kind=kind,
            title=title,
            description="",
            duration_minutes=minutes,
            status=status,
            created_at=created,
            updated_at=created,
        )
        session.add(contribution)
        session.flush()
        return contribution.id
