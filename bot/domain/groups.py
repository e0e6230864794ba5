"""Groups (one per channel), their organisers and their effective language and zone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Contribution, Group, Meeting, MeetingRole, Organiser, ThemeProposal
from bot.domain.db_helpers import insert_ignoring_conflicts
from bot.enums import Language


def find_group(session: Session, *, team_id: str, channel_id: str) -> Group | None:
    return session.scalars(
        select(Group).where(Group.team_id == team_id, Group.channel_id == channel_id)
    ).one_or_none()


def ensure_group(session: Session, *, team_id: str, channel_id: str, now: datetime) -> Group:
    """The channel's group, created on first use; safe when two requests race."""
    group = find_group(session, team_id=team_id, channel_id=channel_id)
    if group is not None:
        return group
    insert_ignoring_conflicts(
        session,
        Group.__table__,  # type: ignore[arg-type]
        {"team_id": team_id, "channel_id": channel_id, "created_at": now},
        ["team_id", "channel_id"],
    )
    group = find_group(session, team_id=team_id, channel_id=channel_id)
    assert group is not None
    return group


def organiser_ids(session: Session, *, group_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Organiser.user_id)
            .where(Organiser.group_id == group_id)
            .order_by(Organiser.created_at, Organiser.id)
        )
    )


def is_organiser(session: Session, *, group_id: int, user_id: str) -> bool:
    return (
        session.scalar(
            select(Organiser.id).where(Organiser.group_id == group_id, Organiser.user_id == user_id)
        )
        is not None
    )


def add_organiser(session: Session, *, group_id: int, user_id: str, now: datetime) -> bool:
    """Make `user_id` an organiser; True if they were not one already."""
    return insert_ignoring_conflicts(
        session,
        Organiser.__table__,  # type: ignore[arg-type]
        {"group_id": group_id, "user_id": user_id, "created_at": now},
        ["group_id", "user_id"],
    )


# The workspace id of every Matrix group: a room id (`!opaque:server`) is unique across
# the federation already, and this keeps Matrix groups apart from Slack's (`T…`).
MATRIX_TEAM = "matrix"


def group_language(group: Group | None, default: Language) -> Language:
    return group.language if group is not None and group.language else default


def group_timezone(group: Group | None, default: str) -> str:
    return group.timezone if group is not None and group.timezone else default


def channels_of_member(session: Session, *, team_id: str, user_id: str) -> list[str]:
    """The group channels a member took part in (organiser, a role, a contribution, a
    proposal), oldest group first; every group of the workspace when they took part in
    none yet. For answering a command typed where no group lives (a DM)."""
    in_team = select(Group).where(Group.team_id == team_id).order_by(Group.id)
    took_part = (
        select(Organiser.group_id)
        .where(Organiser.user_id == user_id)
        .union(
            select(Meeting.group_id)
            .join(MeetingRole, MeetingRole.meeting_id == Meeting.id)
            .where(MeetingRole.user_id == user_id),
            select(Meeting.group_id)
            .join(Contribution, Contribution.meeting_id == Meeting.id)
            .where(Contribution.author_user_id == user_id),
            select(ThemeProposal.group_id).where(ThemeProposal.proposed_by == user_id),
        )
    )
    mine = list(session.scalars(in_team.where(Group.id.in_(took_part))))
    groups = mine or list(session.scalars(in_team))
    return [g.channel_id for g in groups]
