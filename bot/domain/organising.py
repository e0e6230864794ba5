"""What organisers do for the group: hand a role to someone, remove or reorder the
contributions, cancel a session, share the organiser role; and the audit log of it all.

Every change here is recorded in `audit_entries` in the transaction that makes it, so the
log cannot miss a change nor record one that was rolled back. Permission is checked first,
inside the same transaction: a crafted payload from a member who is not an organiser
changes nothing and gets a refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import (
    AuditEntry,
    Contribution,
    Group,
    Meeting,
    MeetingRole,
    Organiser,
)
from bot.domain.contributions import active_contribution_of
from bot.domain.errors import DomainError, InvalidInput, NotAllowed
from bot.domain.events import (
    ContributionSaved,
    ContributionsReordered,
    ContributionWithdrawn,
    OrganisersChanged,
    RoleTaken,
    SessionCancelled,
    SessionScheduled,
    emit,
)
from bot.domain.groups import add_organiser, is_organiser, organiser_ids
from bot.domain.meetings import guide_of, may_manage
from bot.domain.ordering import CONTRIBUTION_ORDER
from bot.domain.planner import plan_delivery
from bot.domain.planning import cancel_pending, meeting_deliveries
from bot.domain.recurrence import next_occurrence_after
from bot.enums import (
    AuditAction,
    ContributionStatus,
    DeliveryKind,
    MeetingStatus,
    RoleKind,
)

AdminCheck = Callable[[], bool]
AUDIT_DETAIL_LIMIT = 200
RECENT_CHANGES = 20


def may_organise(session: Session, *, group: Group, user_id: str, is_admin: AdminCheck) -> bool:
    """Organisers and workspace admins or owners (asked last: it may need Slack)."""
    return is_organiser(session, group_id=group.id, user_id=user_id) or is_admin()


def require_organiser(
    session: Session, *, group: Group, user_id: str, is_admin: AdminCheck
) -> None:
    if not may_organise(session, group=group, user_id=user_id, is_admin=is_admin):
        raise NotAllowed(
            "organise.error.not_allowed", organisers=organiser_ids(session, group_id=group.id)
        )


def record(
    session: Session,
    *,
    group_id: int,
    meeting_id: int | None,
    actor: str,
    action: AuditAction,
    now: datetime,
    subject: str | None = None,
    detail: str | None = None,
) -> None:
    session.add(
        AuditEntry(
            group_id=group_id,
            meeting_id=meeting_id,
            actor_user_id=actor,
            action=action.value,
            subject_user_id=subject,
            detail=detail[:AUDIT_DETAIL_LIMIT] if detail else None,
            created_at=now,
        )
    )


@dataclass(frozen=True)
class Change:
    """One line of the audit log, as the App Home shows it."""

    actor: str
    action: AuditAction
    subject: str | None
    detail: str | None
    at: datetime


def recent_changes(session: Session, *, group_id: int, limit: int = RECENT_CHANGES) -> list[Change]:
    """The group's last changes, newest first."""
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.group_id == group_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [
        Change(r.actor_user_id, AuditAction(r.action), r.subject_user_id, r.detail, r.created_at)
        for r in rows
    ]


# --- roles handed to someone ---------------------------------------------------------------


def assign_guide(
    session: Session,
    *,
    group: Group,
    meeting: Meeting,
    actor: str,
    member: str,
    now: datetime,
    is_admin: AdminCheck,
) -> str | None:
    """Make `member` the guide, replacing whoever was; returns the previous guide (the
    member themself when nothing changed). One guide still holds: the old row goes in
    the same transaction, and a concurrent claim loses on the unique index."""
    require_organiser(session, group=group, user_id=actor, is_admin=is_admin)
    previous = guide_of(session, meeting_id=meeting.id)
    if previous == member:
        return previous
    for attempt in range(2):
        session.execute(
            delete(MeetingRole).where(
                MeetingRole.meeting_id == meeting.id, MeetingRole.role == RoleKind.GUIDE
            )
        )
        try:
            with session.begin_nested():
                session.add(
                    MeetingRole(
                        meeting_id=meeting.id, user_id=member, role=RoleKind.GUIDE, created_at=now
                    )
                )
            break
        except IntegrityError:
            # A member's claim committed between the delete and the insert: the organiser's
            # choice wins, so delete that claim too and insert again (once).
            if attempt:
                raise
    record(
        session,
        group_id=group.id,
        meeting_id=meeting.id,
        actor=actor,
        action=AuditAction.ASSIGN_GUIDE,
        subject=member,
        now=now,
    )
    emit(session, RoleTaken(group.id, now, meeting.id, member, actor, previous=previous))
    return previous


def _contribution(session: Session, meeting: Meeting, contribution_id: int) -> Contribution:
    contribution = session.get(Contribution, contribution_id)
    if (
        contribution is None
        or contribution.meeting_id != meeting.id
        or contribution.status == ContributionStatus.WITHDRAWN
    ):
        raise DomainError("organise.error.contribution_gone")
    return contribution


def assign_contribution(
    session: Session,
    *,
    group: Group,
    meeting: Meeting,
    actor: str,
    contribution_id: int,
    member: str,
    now: datetime,
    is_admin: AdminCheck,
) -> Contribution:
    """Hand a contribution to `member` (its presenter from now on). Refused when they
    already present another one: one active contribution per author."""
    require_organiser(session, group=group, user_id=actor, is_admin=is_admin)
    contribution = _contribution(session, meeting, contribution_id)
    if contribution.author_user_id == member:
        return contribution
    if active_contribution_of(session, meeting_id=meeting.id, user_id=member) is not None:
        raise DomainError("organise.error.member_has_contribution", member=member)
    contribution.author_user_id = member
    contribution.updated_at = now
    session.flush()
    record(
        session,
        group_id=group.id,
        meeting_id=meeting.id,
        actor=actor,
        action=AuditAction.ASSIGN_CONTRIBUTION,
        subject=member,
        detail=contribution.title,
        now=now,
    )
    emit(
        session,
        ContributionSaved(group.id, now, meeting.id, member, actor, contribution.id, False),
    )
    return contribution


def remove_contribution(
    session: Session,
    *,
    group: Group,
    meeting: Meeting,
    actor: str,
    contribution_id: int,
    now: datetime,
    is_admin: AdminCheck,
) -> Contribution:
    """Take a contribution off the programme (kept as WITHDRAWN, like a member's own)."""
    require_organiser(session, group=group, user_id=actor, is_admin=is_admin)
    contribution = _contribution(session, meeting, contribution_id)
    contribution.status = ContributionStatus.WITHDRAWN
    contribution.withdrawn_at = now
    contribution.updated_at = now
    session.flush()
    record(
        session,
        group_id=group.id,
        meeting_id=meeting.id,
        actor=actor,
        action=AuditAction.REMOVE_CONTRIBUTION,
        subject=contribution.author_user_id,
        detail=contribution.title,
        now=now,
    )
    author = contribution.author_user_id
    emit(session, ContributionWithdrawn(group.id, now, meeting.id, author, actor, contribution.id))
    return contribution


# --- the programme's order -----------------------------------------------------------------


def active_contributions(session: Session, *, meeting_id: int) -> list[Contribution]:
    """The contributions on the programme, in the programme's order."""
    return list(
        session.scalars(
            select(Contribution)
            .where(
                Contribution.meeting_id == meeting_id,
                Contribution.status != ContributionStatus.WITHDRAWN,
            )
            .order_by(*CONTRIBUTION_ORDER)
        )
    )


def reorder_contributions(
    session: Session,
    *,
    group: Group,
    meeting: Meeting,
    actor: str,
    ordered_ids: Sequence[int],
    now: datetime,
    is_admin: AdminCheck,
) -> list[Contribution]:
    """Store the programme's order: `ordered_ids` must name every active contribution
    once. Organisers, the session's guide and workspace admins may reorder (the guide
    runs the session). Refused, and nothing changed, when the list does not match what is
    on the programme now (someone withdrew or added one meanwhile)."""
    if not may_manage(session, group=group, meeting=meeting, user_id=actor, is_admin=is_admin):
        raise NotAllowed(
            "organise.error.not_allowed_reorder",
            organisers=organiser_ids(session, group_id=group.id),
        )
    current = {c.id: c for c in active_contributions(session, meeting_id=meeting.id)}
    if sorted(ordered_ids) != sorted(current) or len(set(ordered_ids)) != len(ordered_ids):
        raise InvalidInput("organise.error.order_changed")
    for position, contribution_id in enumerate(ordered_ids):
        current[contribution_id].position = position
    session.flush()
    record(
        session,
        group_id=group.id,
        meeting_id=meeting.id,
        actor=actor,
        action=AuditAction.REORDER,
        detail=" > ".join(current[i].title for i in ordered_ids),
        now=now,
    )
    emit(session, ContributionsReordered(group.id, now, meeting.id, actor))
    return [current[i] for i in ordered_ids]


def move_contribution(
    session: Session,
    *,
    group: Group,
    meeting: Meeting,
    actor: str,
    contribution_id: int,
    offset: int,
    now: datetime,
    is_admin: AdminCheck,
) -> list[Contribution]:
    """Move one contribution up (-1) or down (+1): the modal's arrows, through
    `reorder_contributions`. At either end it stays where it is."""
    order = [c.id for c in active_contributions(session, meeting_id=meeting.id)]
    if contribution_id not in order:
        raise DomainError("organise.error.contribution_gone")
    index = order.index(contribution_id)
    target = max(0, min(len(order) - 1, index + offset))
    order.insert(target, order.pop(index))
    return reorder_contributions(
        session,
        group=group,
        meeting=meeting,
        actor=actor,
        ordered_ids=order,
        now=now,
        is_admin=is_admin,
    )


# --- cancelling a session ------------------------------------------------------------------


def session_cancel_key(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:session_cancel"


@dataclass(frozen=True)
class Cancellation:
    meeting: Meeting
    # Everyone concerned: the guide, the contributors and the participants, each once.
    concerned: list[str]
    cancelled_deliveries: int
    # The SESSION_CANCEL delivery whose outbox holds one DM per member concerned.
    delivery_id: int
    next_meeting: Meeting | None


def concerned_members(session: Session, *, meeting_id: int) -> list[str]:
    """Who holds a role, a contribution or an RSVP for the session, in a stable order."""
    roles = session.scalars(
        select(MeetingRole.user_id)
        .where(MeetingRole.meeting_id == meeting_id)
        .order_by(MeetingRole.id)
    )
    authors = session.scalars(
        select(Contribution.author_user_id)
        .where(
            Contribution.meeting_id == meeting_id,
            Contribution.status != ContributionStatus.WITHDRAWN,
        )
        .order_by(Contribution.id)
    )
    return list(dict.fromkeys([*roles, *authors]))


def cancel_meeting(
    session: Session,
    *,
    group: Group,
    meeting: Meeting,
    actor: str,
    plan_next: bool,
    now: datetime,
    timezone: str,
    is_admin: AdminCheck,
) -> Cancellation:
    """Cancel the session: its pending deliveries are cancelled, a SESSION_CANCEL
    delivery is planned now (the caller queues the DMs in its outbox, in this
    transaction), and with `plan_next` the next session is created by recurrence and
    planned. Decided by a conditional update, so two confirmations cancel once."""
    require_organiser(session, group=group, user_id=actor, is_admin=is_admin)
    # The conditional update decides: of two confirmations at once, the second finds the
    # session cancelled already (PostgreSQL re-reads the row once the first commits).
    cancelled_now = session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.status == MeetingStatus.SCHEDULED)
        .values(status=MeetingStatus.CANCELLED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if not cancelled_now.rowcount:  # type: ignore[attr-defined]
        raise DomainError("roles.error.session_gone")
    session.refresh(meeting)
    concerned = concerned_members(session, meeting_id=meeting.id)
    cancelled = cancel_pending(
        meeting_deliveries(session, meeting_id=meeting.id), now=now, reason="session cancelled"
    )
    delivery_id, _ = plan_delivery(
        session,
        kind=DeliveryKind.SESSION_CANCEL,
        group_id=group.id,
        meeting_id=meeting.id,
        key=session_cancel_key(meeting.id),
        due_at=now,
        # The news is worth sending until the session would have started.
        expires_at=max(meeting.starts_at, now),
        now=now,
    )
    next_meeting = None
    if plan_next:
        next_meeting = Meeting(
            group_id=group.id,
            starts_at=next_occurrence_after(meeting.starts_at, timezone, now),
            duration_minutes=meeting.duration_minutes,
            place=meeting.place,
            status=MeetingStatus.SCHEDULED,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        session.add(next_meeting)
    session.flush()
    # Calendars (a cancelling `.ics`), the thread and the Homes follow the event; the
    # next session is planned as any new one is.
    emit(session, SessionCancelled(group.id, now, meeting.id, actor))
    if next_meeting is not None:
        emit(session, SessionScheduled(group.id, now, next_meeting.id, actor))
    record(
        session,
        group_id=group.id,
        meeting_id=meeting.id,
        actor=actor,
        action=AuditAction.CANCEL,
        detail="next planned" if plan_next else None,
        now=now,
    )
    return Cancellation(meeting, concerned, cancelled, delivery_id, next_meeting)


# --- sharing the organiser role ------------------------------------------------------------


def grant_organiser(
    session: Session, *, group: Group, actor: str, member: str, now: datetime, is_admin: AdminCheck
) -> bool:
    """Make `member` an organiser too; False if they were one already."""
    require_organiser(session, group=group, user_id=actor, is_admin=is_admin)
    added = add_organiser(session, group_id=group.id, user_id=member, now=now)
    if added:
        record(
            session,
            group_id=group.id,
            meeting_id=None,
            actor=actor,
            action=AuditAction.ADD_ORGANISER,
            subject=member,
            now=now,
        )
        emit(session, OrganisersChanged(group.id, now, actor, member, True))
    return added


def revoke_organiser(
    session: Session, *, group: Group, actor: str, member: str, now: datetime, is_admin: AdminCheck
) -> None:
    """Remove `member` from the organisers; the last one cannot go (the group would have
    nobody to run it, and the next `session` would hand the role to whoever typed it)."""
    require_organiser(session, group=group, user_id=actor, is_admin=is_admin)
    organisers = organiser_ids(session, group_id=group.id)
    if member not in organisers:
        raise DomainError("organise.error.not_an_organiser", member=member)
    if organisers == [member]:
        raise DomainError("organise.error.last_organiser")
    session.execute(
        delete(Organiser).where(Organiser.group_id == group.id, Organiser.user_id == member)
    )
    record(
        session,
        group_id=group.id,
        meeting_id=None,
        actor=actor,
        action=AuditAction.REMOVE_ORGANISER,
        subject=member,
        now=now,
    )
    emit(session, OrganisersChanged(group.id, now, actor, member, False))
