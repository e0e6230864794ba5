"""What the roles modal and the App Home show of a session, as frozen read models.

One query set per session serves both views, so the modal and the Home cannot disagree
on who is guide or which contribution is ready.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.db.models import (
    Contribution,
    Group,
    Meeting,
    MeetingRole,
    Organiser,
    TourAnswer,
    TourOptOut,
)
from bot.domain.agenda import DEFAULT_SESSION_MINUTES, PRESENTATION_BUDGET_MINUTES, session_end
from bot.domain.groups import organiser_ids
from bot.domain.meetings import guide_of, upcoming_meeting
from bot.domain.organising import Change, active_contributions, recent_changes
from bot.domain.participants import participants_of
from bot.domain.recap import HOME_HISTORY_SIZE, RecapView, history
from bot.domain.tour import HomeTour, home_tour
from bot.enums import ContributionKind, ContributionStatus, Language, RoleKind


@dataclass(frozen=True)
class BoardContribution:
    id: int
    kind: ContributionKind
    author: str
    title: str
    duration_minutes: int
    ready: bool
    guest_name: str | None
    link: str | None


@dataclass(frozen=True)
class Board:
    """One session seen by one member: their own part, the others', and, for organisers,
    what only organisers may change."""

    group_id: int
    channel_id: str
    language: Language | None
    timezone: str | None
    meeting_id: int
    starts_at: datetime
    theme: str | None
    guide: str | None
    viewer: str
    participant: bool
    participant_count: int
    contributions: tuple[BoardContribution, ...]
    organiser: bool
    organisers: tuple[str, ...]
    changes: tuple[Change, ...] = ()
    # The group's own presentation budget and session length: every view of the session
    # (the roles modal, the Home, the contribution form opened from either) states them.
    budget_minutes: int = PRESENTATION_BUDGET_MINUTES
    duration_minutes: int = DEFAULT_SESSION_MINUTES

    @property
    def mine(self) -> BoardContribution | None:
        return next((c for c in self.contributions if c.author == self.viewer), None)

    @property
    def others(self) -> tuple[BoardContribution, ...]:
        return tuple(c for c in self.contributions if c.author != self.viewer)

    @property
    def budget_used(self) -> int:
        return sum(c.duration_minutes for c in self.contributions)

    @property
    def budget(self) -> int:
        return self.budget_minutes

    @property
    def ends_at(self) -> datetime:
        return session_end(self.starts_at, self.duration_minutes)

    @property
    def ready_count(self) -> int:
        return sum(1 for c in self.contributions if c.ready)


def load_board(
    session: Session,
    *,
    group: Group,
    meeting: Meeting,
    viewer: str,
    organiser: bool,
    with_changes: bool = False,
) -> Board:
    participants = participants_of(session, meeting_id=meeting.id)
    rsvps = set(
        session.scalars(
            select(MeetingRole.user_id).where(
                MeetingRole.meeting_id == meeting.id, MeetingRole.role == RoleKind.PARTICIPANT
            )
        )
    )
    contributions = tuple(
        BoardContribution(
            id=c.id,
            kind=c.kind,
            author=c.author_user_id,
            title=c.title,
            duration_minutes=c.duration_minutes,
            ready=c.status == ContributionStatus.READY,
            guest_name=c.guest_name,
            link=c.link,
        )
        for c in active_contributions(session, meeting_id=meeting.id)
    )
    changes = (
        tuple(recent_changes(session, group_id=group.id)) if organiser and with_changes else ()
    )
    return Board(
        group_id=group.id,
        channel_id=group.channel_id,
        language=group.language,
        timezone=group.timezone,
        meeting_id=meeting.id,
        starts_at=meeting.starts_at,
        theme=meeting.theme,
        guide=guide_of(session, meeting_id=meeting.id),
        viewer=viewer,
        participant=viewer in rsvps,
        participant_count=len(participants),
        contributions=contributions,
        organiser=organiser,
        organisers=tuple(organiser_ids(session, group_id=group.id)),
        changes=changes,
        budget_minutes=group.presentation_minutes,
        duration_minutes=meeting.duration_minutes,
    )


@dataclass(frozen=True)
class HomeGroup:
    """A group on a member's Home: its next session (None when none is scheduled)."""

    group_id: int
    channel_id: str
    language: Language | None
    timezone: str | None
    organiser: bool
    board: Board | None
    # The last sessions held, newest first: the Home's short history.
    recent: tuple[RecapView, ...] = ()
    # The member's tour de table state here (None: the group has it off).
    tour: HomeTour | None = None


def member_groups(
    session: Session, *, team_id: str | None, user_id: str, channel_ids: Sequence[str] = ()
) -> list[Group]:
    """The groups a member belongs to: the groups of the channels they are in
    (`channel_ids`, which Slack tells, cached), and those the bot knows of without asking
    Slack: they organise it, or hold a role, an RSVP or a contribution in one of its
    sessions. A member who answered the tour de table or opted out of it belongs too, so
    their Home shows the way back."""
    organised = select(Organiser.group_id).where(Organiser.user_id == user_id)
    roled = (
        select(Meeting.group_id)
        .join(MeetingRole, MeetingRole.meeting_id == Meeting.id)
        .where(MeetingRole.user_id == user_id)
    )
    contributed = (
        select(Meeting.group_id)
        .join(Contribution, Contribution.meeting_id == Meeting.id)
        .where(Contribution.author_user_id == user_id)
    )
    answered = select(TourAnswer.group_id).where(TourAnswer.user_id == user_id)
    opted_out = select(TourOptOut.group_id).where(TourOptOut.user_id == user_id)
    known = Group.id.in_(organised.union(roled, contributed, answered, opted_out).scalar_subquery())
    query = select(Group).where(or_(known, Group.channel_id.in_(list(channel_ids))))
    if team_id:
        query = query.where(Group.team_id == team_id)
    return list(session.scalars(query.order_by(Group.id)))


def home_groups(
    session: Session,
    *,
    team_id: str | None,
    user_id: str,
    is_admin: bool,
    channel_ids: Sequence[str] = (),
) -> list[HomeGroup]:
    """Every group of the member with its next session, as their Home shows it."""
    result = []
    groups = member_groups(session, team_id=team_id, user_id=user_id, channel_ids=channel_ids)
    for group in groups:
        organiser = is_admin or user_id in organiser_ids(session, group_id=group.id)
        meeting = upcoming_meeting(session, group_id=group.id)
        board = (
            load_board(
                session,
                group=group,
                meeting=meeting,
                viewer=user_id,
                organiser=organiser,
                with_changes=True,
            )
            if meeting is not None
            else None
        )
        recent = history(session, group_id=group.id, size=HOME_HISTORY_SIZE).recaps
        tour = home_tour(
            session,
            group=group,
            meeting_id=meeting.id if meeting is not None else None,
            user_id=user_id,
        )
        result.append(
            HomeGroup(
                group.id,
                group.channel_id,
                group.language,
                group.timezone,
                organiser,
                board,
                recent,
                tour,
            )
        )
    return result
