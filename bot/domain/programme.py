"""What `programme` shows: the next session with its roles, contributions and budget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Contribution, Meeting, MeetingRole
from bot.domain.agenda import PRESENTATION_BUDGET_MINUTES, Phase, run_of_show, session_end
from bot.enums import ContributionKind, ContributionStatus, RoleKind


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


@dataclass(frozen=True)
class Programme:
    meeting_id: int
    starts_at: datetime
    duration_minutes: int
    theme: str | None
    guide_user_id: str | None
    contributions: tuple[ContributionLine, ...]
    participant_count: int
    phases: tuple[Phase, ...]

    @property
    def ends_at(self) -> datetime:
        return session_end(self.starts_at, self.duration_minutes)

    @property
    def budget_used(self) -> int:
        return sum(c.duration_minutes for c in self.contributions)

    @property
    def budget(self) -> int:
        return PRESENTATION_BUDGET_MINUTES

    @property
    def over_budget(self) -> int:
        return max(0, self.budget_used - self.budget)


def active_contributions(session: Session, *, meeting_id: int) -> list[Contribution]:
    """Contributions still on the programme, in the order they were submitted."""
    return list(
        session.scalars(
            select(Contribution)
            .where(
                Contribution.meeting_id == meeting_id,
                Contribution.status != ContributionStatus.WITHDRAWN,
            )
            .order_by(Contribution.created_at, Contribution.id)
        )
    )


def load_programme(session: Session, *, meeting: Meeting) -> Programme:
    contributions = tuple(
        ContributionLine(
            id=c.id,
            kind=c.kind,
            title=c.title,
            author_user_id=c.author_user_id,
            duration_minutes=c.duration_minutes,
            ready=c.status == ContributionStatus.READY,
            guest_name=c.guest_name,
            link=c.link,
        )
        for c in active_contributions(session, meeting_id=meeting.id)
    )
    roles = session.execute(
        select(MeetingRole.role, MeetingRole.user_id).where(MeetingRole.meeting_id == meeting.id)
    ).all()
    guide = next((user for role, user in roles if role == RoleKind.GUIDE), None)
    participants = sum(1 for role, _ in roles if role == RoleKind.PARTICIPANT)
    return Programme(
        meeting_id=meeting.id,
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        theme=meeting.theme,
        guide_user_id=guide,
        contributions=contributions,
        participant_count=participants,
        phases=tuple(run_of_show(meeting.starts_at, meeting.duration_minutes)),
    )
