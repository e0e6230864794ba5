"""The roles of a session: the one guide, the participants (RSVP), and giving them up.

"Exactly one guide" is the database's job: the partial unique index
`uq_meeting_roles_one_guide` lets one INSERT win and fails the others, however many
members click at the same moment. Checking first in Python would let two claims both see
"no guide yet" and both insert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Contribution, Meeting, MeetingRole
from bot.domain.db_helpers import insert_ignoring_conflicts
from bot.domain.errors import DomainError
from bot.domain.events import RoleReleased, RoleTaken, RsvpChanged, StaleClick, emit
from bot.domain.meetings import guide_of
from bot.enums import ContributionStatus, MeetingStatus, RoleKind


class SessionGone(DomainError):
    """A button or a modal points at a session that was held, cancelled or deleted."""

    def __init__(self) -> None:
        super().__init__("roles.error.session_gone")


class GuideTaken(DomainError):
    """Someone else holds the guide role; the message names them."""

    def __init__(self, holder: str) -> None:
        super().__init__("guide.error.taken", holder=holder)
        self.holder = holder


def require_scheduled_meeting(session: Session, *, meeting_id: int) -> Meeting:
    """The session a button or a modal was built for, if it is still the upcoming one."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
        raise SessionGone()
    return meeting


@dataclass(frozen=True)
class GuideClaim:
    meeting: Meeting
    already: bool  # the member was the guide before this claim


def claim_guide(session: Session, *, meeting: Meeting, user_id: str, now: datetime) -> GuideClaim:
    """Make `user_id` the guide of `meeting`, or raise GuideTaken naming the holder.

    The INSERT runs in a SAVEPOINT so that losing the race (IntegrityError from the unique
    index) leaves the surrounding transaction usable to read who won.
    """
    holder = guide_of(session, meeting_id=meeting.id)
    if holder == user_id:
        return GuideClaim(meeting, already=True)
    if holder is not None:
        raise GuideTaken(holder)
    try:
        with session.begin_nested():
            session.add(
                MeetingRole(
                    meeting_id=meeting.id, user_id=user_id, role=RoleKind.GUIDE, created_at=now
                )
            )
    except IntegrityError:
        # Another claim committed first; on PostgreSQL this statement sees its row.
        holder = guide_of(session, meeting_id=meeting.id)
        if holder == user_id:
            return GuideClaim(meeting, already=True)
        raise GuideTaken(holder or "?") from None
    emit(session, RoleTaken(meeting.group_id, now, meeting.id, user_id, actor=user_id))
    return GuideClaim(meeting, already=False)


def join_meeting(session: Session, *, meeting: Meeting, user_id: str, now: datetime) -> bool:
    """Record the member's RSVP; True if they had not answered yet (idempotent)."""
    joined = insert_ignoring_conflicts(
        session,
        MeetingRole.__table__,  # type: ignore[arg-type]
        {
            "meeting_id": meeting.id,
            "user_id": user_id,
            "role": RoleKind.PARTICIPANT.value,
            "created_at": now,
        },
        ["meeting_id", "user_id", "role"],
    )
    if joined:
        emit(session, RsvpChanged(meeting.group_id, now, meeting.id, user_id, user_id, True))
    return joined


def note_stale_click(session: Session, *, meeting: Meeting, user_id: str, now: datetime) -> None:
    """A member clicked a button that a change had made stale (the guide was taken):
    the message that still showed it is brought up to date."""
    emit(session, StaleClick(meeting.group_id, now, meeting.id, user_id))


class WithdrawScope(StrEnum):
    """What `retirer` gives up: everything by default, or one thing when named."""

    ALL = "all"
    GUIDE = "guide"
    CONTRIBUTION = "contribution"
    PARTICIPATION = "participation"


@dataclass(frozen=True)
class Withdrawal:
    meeting: Meeting
    released_guide: bool
    contribution: Contribution | None  # the contribution withdrawn, if any
    left_participants: bool

    @property
    def anything(self) -> bool:
        return self.released_guide or self.contribution is not None or self.left_participants


def withdraw(
    session: Session,
    *,
    meeting: Meeting,
    user_id: str,
    now: datetime,
    scope: WithdrawScope = WithdrawScope.ALL,
) -> Withdrawal:
    """Give up the guide role, the contribution (kept as WITHDRAWN) and the RSVP.

    Refuses when there was nothing to give up, so the member learns they held nothing
    rather than reading a confirmation of nothing.
    """
    released_guide = left = False
    contribution = None
    if scope in (WithdrawScope.ALL, WithdrawScope.GUIDE):
        released_guide = _delete_role(session, meeting.id, user_id, RoleKind.GUIDE)
    if scope in (WithdrawScope.ALL, WithdrawScope.CONTRIBUTION):
        contribution = session.scalars(
            select(Contribution).where(
                Contribution.meeting_id == meeting.id,
                Contribution.author_user_id == user_id,
                Contribution.status != ContributionStatus.WITHDRAWN,
            )
        ).one_or_none()
        if contribution is not None:
            contribution.status = ContributionStatus.WITHDRAWN
            contribution.withdrawn_at = now
            contribution.updated_at = now
    if scope in (WithdrawScope.ALL, WithdrawScope.PARTICIPATION):
        left = _delete_role(session, meeting.id, user_id, RoleKind.PARTICIPANT)
    session.flush()
    result = Withdrawal(meeting, released_guide, contribution, left)
    if not result.anything:
        suffix = "" if scope is WithdrawScope.ALL else f".{scope.value}"
        raise DomainError(f"withdraw.error.nothing{suffix}")
    emit(
        session,
        RoleReleased(
            meeting.group_id,
            now,
            meeting.id,
            user_id,
            actor=user_id,
            released_guide=released_guide,
            contribution_title=contribution.title if contribution is not None else None,
            left_participants=left,
        ),
    )
    return result


def _delete_role(session: Session, meeting_id: int, user_id: str, role: RoleKind) -> bool:
    result = session.execute(
        delete(MeetingRole).where(
            MeetingRole.meeting_id == meeting_id,
            MeetingRole.user_id == user_id,
            MeetingRole.role == role,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def people_of(session: Session, *, meeting_id: int) -> list[str]:
    """Who counts on this session: its guide, its contributors and the members who said
    they would come; each once, in that order."""
    roles = session.execute(
        select(MeetingRole.user_id, MeetingRole.role)
        .where(MeetingRole.meeting_id == meeting_id)
        .order_by(MeetingRole.id)
    ).all()
    authors = session.scalars(
        select(Contribution.author_user_id)
        .where(
            Contribution.meeting_id == meeting_id,
            Contribution.status != ContributionStatus.WITHDRAWN,
        )
        .order_by(Contribution.created_at)
    ).all()
    ordered = [u for u, r in roles if r == RoleKind.GUIDE]
    ordered += list(authors)
    ordered += [u for u, r in roles if r == RoleKind.PARTICIPANT]
    return list(dict.fromkeys(ordered))
