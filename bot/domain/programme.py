"""What `programme` shows: the next session with its roles, contributions and budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import read_row
from bot.db.models import Contribution, Group, Meeting, MeetingRole
from bot.domain.agenda import (
    DEFAULT_TOUR_MINUTES,
    PRESENTATION_BUDGET_MINUTES,
    Phase,
    RunOfShow,
    SessionFormat,
    run_of_show,
)
from bot.domain.ordering import CONTRIBUTION_ORDER
from bot.domain.participants import participant_count_column, participant_ids
from bot.enums import ContributionKind, ContributionStatus, Language, MeetingStatus, RoleKind


@dataclass(frozen=True)
class ContributionLine:
    id: int
    kind: ContributionKind
    title: str
    author_user_id: str
    duration_minutes: int
    ready: bool
    guest_name: str | None
    link: str | None
    guest_affiliation: str | None = None

    @property
    def is_guest(self) -> bool:
        """A guest contribution is presented by the guest and hosted by its author."""
        return self.kind is ContributionKind.GUEST and bool(self.guest_name)


@dataclass(frozen=True)
class Programme:
    meeting_id: int
    starts_at: datetime
    duration_minutes: int
    theme: str | None
    guide_user_id: str | None
    contributions: tuple[ContributionLine, ...]
    # Who said they will come (`bot.domain.participants`): guide, contributors, RSVPs.
    participant_count: int
    place: str | None = None
    presentation_minutes: int = PRESENTATION_BUDGET_MINUTES
    tour_minutes: int = DEFAULT_TOUR_MINUTES

    @property
    def format(self) -> SessionFormat:
        return SessionFormat(self.duration_minutes, self.presentation_minutes, self.tour_minutes)

    @cached_property
    def run(self) -> RunOfShow:
        """The run-of-show with a slot per contribution, in programme order."""
        return run_of_show(
            self.starts_at, self.format, [c.duration_minutes for c in self.contributions]
        )

    @property
    def phases(self) -> tuple[Phase, ...]:
        return self.run.phases

    @property
    def ends_at(self) -> datetime:
        return self.run.ends_at

    @property
    def budget_used(self) -> int:
        return sum(c.duration_minutes for c in self.contributions)

    @property
    def budget(self) -> int:
        return self.presentation_minutes

    @property
    def over_budget(self) -> int:
        return max(0, self.budget_used - self.budget)

    def slot_of(self, index: int) -> Phase | None:
        """The talk slot of the contribution at `index` in `contributions`."""
        talks = self.run.talks
        return talks[index] if 0 <= index < len(talks) else None


def load_programme(session: Session, *, meeting: Meeting) -> Programme:
    return _programme(
        session.connection(),
        meeting_id=meeting.id,
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        theme=meeting.theme,
        place=meeting.place,
        presentation_minutes=meeting.group.presentation_minutes,
        tour_minutes=meeting.group.tour_minutes,
    )


# Built once: constructing a statement costs more than running it on this hot path.
_GUIDE = (
    select(MeetingRole.user_id)
    .where(MeetingRole.meeting_id == Meeting.id, MeetingRole.role == RoleKind.GUIDE)
    .correlate(Meeting)
    .scalar_subquery()
)
# Participant·es by the one definition (`bot.domain.participants`).
_PARTICIPANTS = participant_count_column()
# What a programme line shows of a contribution, in the order `_line` reads it.
_CONTRIBUTION_COLUMNS = (
    Contribution.id,
    Contribution.kind,
    Contribution.title,
    Contribution.author_user_id,
    Contribution.duration_minutes,
    Contribution.status,
    Contribution.guest_name,
    Contribution.link,
    Contribution.guest_affiliation,
)
_CONTRIBUTIONS = (
    select(*_CONTRIBUTION_COLUMNS)
    .where(
        Contribution.meeting_id == bindparam("meeting_id"),
        Contribution.status != ContributionStatus.WITHDRAWN,
    )
    .order_by(*CONTRIBUTION_ORDER)
)
_ROLES = select(MeetingRole.role, MeetingRole.user_id).where(
    MeetingRole.meeting_id == bindparam("meeting_id")
)


@dataclass(frozen=True)
class ChannelVersion:
    """Which state of a channel's group a programme was read from: the group's id and its
    revision, which the database moves with every change to what `programme` shows
    (migration f3a4b5c6d7e8). Equal versions mean the same programme."""

    group_id: int
    revision: int


@dataclass(frozen=True)
class ChannelProgramme:
    """A channel's group settings and its next session's programme (None if none)."""

    language: Language | None
    timezone: str | None
    programme: Programme | None
    version: ChannelVersion


_CHANNEL_VERSION = select(Group.id, Group.revision).where(
    Group.team_id == bindparam("team_id"), Group.channel_id == bindparam("channel_id")
)

_CHANNEL_PROGRAMME = (
    select(
        Group.id,
        Group.revision,
        Group.language,
        Group.timezone,
        Group.presentation_minutes,
        Group.tour_minutes,
        Meeting.id,
        Meeting.starts_at,
        Meeting.duration_minutes,
        Meeting.theme,
        Meeting.place,
        _GUIDE,
        _PARTICIPANTS,
        *_CONTRIBUTION_COLUMNS,
    )
    .outerjoin(
        Meeting,
        (Meeting.group_id == Group.id) & (Meeting.status == MeetingStatus.SCHEDULED),
    )
    .outerjoin(
        Contribution,
        (Contribution.meeting_id == Meeting.id)
        & (Contribution.status != ContributionStatus.WITHDRAWN),
    )
    .where(Group.team_id == bindparam("team_id"), Group.channel_id == bindparam("channel_id"))
    .order_by(*CONTRIBUTION_ORDER)
)
# Where the contribution columns start in a row of `_CHANNEL_PROGRAMME`.
_FIRST_CONTRIBUTION_COLUMN = 13


def channel_version(
    db: sessionmaker[Session], *, team_id: str, channel_id: str
) -> ChannelVersion | None:
    """The version of the channel's programme, in one indexed read of the group's row:
    what `programme` checks on every request before reusing the reply built for it, so
    read on a bare pooled connection (`read_row`). Current whichever process made the
    last change, since the database keeps it. None: no group."""
    row = read_row(db, _CHANNEL_VERSION, {"team_id": team_id, "channel_id": channel_id})
    return None if row is None else ChannelVersion(int(row[0]), int(row[1]))


def channel_programme(
    connection: Connection, *, team_id: str, channel_id: str
) -> ChannelProgramme | None:
    """The hot path of `/partage programme`: one plain-column query on a Core connection
    (the session with its guide and participant count, one row per contribution), no ORM
    objects: on this path the ORM's machinery costs more than the query. The version comes
    from the same statement, so it is exactly the version of what was read. None: no group
    in this channel."""
    rows = connection.execute(
        _CHANNEL_PROGRAMME, {"team_id": team_id, "channel_id": channel_id}
    ).all()
    if not rows:
        return None
    (group_id, revision, language, timezone, presentation_minutes, tour_minutes) = rows[0][:6]
    (meeting_id, starts_at, duration_minutes, theme, place, guide, count) = rows[0][6:13]
    version = ChannelVersion(group_id, revision)
    if meeting_id is None:
        return ChannelProgramme(language, timezone, None, version)
    first = _FIRST_CONTRIBUTION_COLUMN
    contributions = tuple(_line(row[first:]) for row in rows if row[first] is not None)
    programme = Programme(
        meeting_id=meeting_id,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        theme=theme,
        guide_user_id=guide,
        contributions=contributions,
        participant_count=count or 0,
        place=place,
        presentation_minutes=presentation_minutes,
        tour_minutes=tour_minutes,
    )
    return ChannelProgramme(language, timezone, programme, version)


def _line(row: Sequence[Any]) -> ContributionLine:
    cid, kind, title, author, minutes, status, guest, link, affiliation = row
    return ContributionLine(
        id=cid,
        kind=kind,
        title=title,
        author_user_id=author,
        duration_minutes=minutes,
        ready=status == ContributionStatus.READY,
        guest_name=guest,
        link=link,
        guest_affiliation=affiliation,
    )


def _programme(
    connection: Connection,
    *,
    meeting_id: int,
    starts_at: datetime,
    duration_minutes: int,
    theme: str | None,
    place: str | None = None,
    presentation_minutes: int = PRESENTATION_BUDGET_MINUTES,
    tour_minutes: int = DEFAULT_TOUR_MINUTES,
) -> Programme:
    rows = connection.execute(_CONTRIBUTIONS, {"meeting_id": meeting_id}).all()
    contributions = tuple(_line(row) for row in rows)
    rows_of_roles = connection.execute(_ROLES, {"meeting_id": meeting_id}).all()
    guide = next((user for role, user in rows_of_roles if role == RoleKind.GUIDE), None)
    rsvps = [user for role, user in rows_of_roles if role == RoleKind.PARTICIPANT]
    participants = len(participant_ids(guide, (c.author_user_id for c in contributions), rsvps))
    return Programme(
        meeting_id=meeting_id,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        theme=theme,
        guide_user_id=guide,
        contributions=contributions,
        participant_count=participants,
        place=place,
        presentation_minutes=presentation_minutes,
        tour_minutes=tour_minutes,
    )
