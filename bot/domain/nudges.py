"""The guide's last check before the session: what changed since the first overview,
and a friendly nudge to a contributor who is not ready.

- `changes_since_overview` compares the contributions with the moment the J-7 overview
  reached the guide: added since, withdrawn since, marked ready since. Nothing is
  recorded for it: the contributions keep when they were created, made ready and
  withdrawn.
- `nudge_contributor` ("Relancer") plans one DM to the contributor through the outbox
  (`plan_delivery`, the DM queued in the same transaction), at most once a day per
  contributor and session: a second click the same day plans nothing and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Contribution, Delivery, DeliveryMessage, Group, Meeting
from bot.domain.errors import DomainError, NotAllowed
from bot.domain.meetings import AdminCheck, may_manage
from bot.domain.ordering import CONTRIBUTION_ORDER
from bot.domain.outbox import queue_call
from bot.domain.planner import plan_delivery
from bot.enums import ContributionStatus, DeliveryKind, MeetingStatus, MessageStatus


@dataclass(frozen=True)
class ChangedContribution:
    title: str
    author_user_id: str


@dataclass(frozen=True)
class PreparationChanges:
    """What moved since the J-7 overview, each list in programme order."""

    added: tuple[ChangedContribution, ...] = ()
    withdrawn: tuple[ChangedContribution, ...] = ()
    ready: tuple[ChangedContribution, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.withdrawn or self.ready)


class NothingToNudge(DomainError):
    """The contribution was withdrawn, is ready already, or its session is over."""

    def __init__(self) -> None:
        super().__init__("nudge.error.gone")


@dataclass(frozen=True)
class Nudge:
    """A "Relancer" click: the delivery that sends the DM (None when the contributor was
    already nudged today), and whom it goes to."""

    delivery_id: int | None
    author_user_id: str
    title: str


def first_overview_sent_at(session: Session, *, meeting_id: int) -> datetime | None:
    """When the J-7 overview reached the guide; None when it never went out."""
    return session.scalar(
        select(DeliveryMessage.updated_at)
        .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
        .where(
            Delivery.meeting_id == meeting_id,
            Delivery.kind == DeliveryKind.GUIDE_OVERVIEW,
            DeliveryMessage.status == MessageStatus.SENT,
            DeliveryMessage.payload.is_(None),
        )
        .order_by(DeliveryMessage.id)
        .limit(1)
    )


def changes_since_overview(session: Session, *, meeting_id: int) -> PreparationChanges | None:
    """The contributions added, withdrawn and made ready since the J-7 overview; None
    when there was no such overview to compare with."""
    since = first_overview_sent_at(session, meeting_id=meeting_id)
    if since is None:
        return None
    rows = session.scalars(
        select(Contribution)
        .where(Contribution.meeting_id == meeting_id)
        .order_by(*CONTRIBUTION_ORDER)
    ).all()

    def item(c: Contribution) -> ChangedContribution:
        return ChangedContribution(c.title, c.author_user_id)

    withdrawn = [
        c
        for c in rows
        if c.status == ContributionStatus.WITHDRAWN
        and c.withdrawn_at is not None
        and c.withdrawn_at > since
        and c.created_at <= since  # added and withdrawn in between: nothing to tell
    ]
    active = [c for c in rows if c.status != ContributionStatus.WITHDRAWN]
    added = [c for c in active if c.created_at > since]
    ready = [
        c
        for c in active
        if c.status == ContributionStatus.READY
        and c.ready_at is not None
        and c.ready_at > since
        and c.created_at <= since
    ]
    return PreparationChanges(
        added=tuple(map(item, added)),
        withdrawn=tuple(map(item, withdrawn)),
        ready=tuple(map(item, ready)),
    )


def meeting_of_contribution(session: Session, *, contribution_id: int) -> int:
    """The session a "Relancer" click is about; NothingToNudge once it is gone."""
    meeting_id = session.scalar(
        select(Contribution.meeting_id).where(Contribution.id == contribution_id)
    )
    if meeting_id is None:
        raise NothingToNudge()
    return int(meeting_id)


def nudge_key(meeting_id: int, author_user_id: str, day: str) -> str:
    return f"nudge:{meeting_id}:{author_user_id}:{day}"


def nudge_contributor(
    session: Session,
    *,
    contribution_id: int,
    actor: str,
    now: datetime,
    timezone: str,
    is_admin: AdminCheck,
    message: dict[str, Any],
) -> Nudge:
    """Plan `message` (the friendly nudge) to the contribution's author, once a day in
    the group's time zone; refused to anyone but the guide and the organisers, and
    when there is nothing left to nudge about."""
    contribution = session.get(Contribution, contribution_id)
    meeting = session.get(Meeting, contribution.meeting_id) if contribution else None
    if (
        contribution is None
        or meeting is None
        or contribution.status != ContributionStatus.PROPOSED
        or meeting.status != MeetingStatus.SCHEDULED
        or now >= meeting.starts_at
    ):
        raise NothingToNudge()
    group = session.get(Group, meeting.group_id)
    assert group is not None
    if not may_manage(session, group=group, meeting=meeting, user_id=actor, is_admin=is_admin):
        raise NotAllowed("nudge.error.not_allowed")
    day = now.astimezone(ZoneInfo(timezone)).date().isoformat()
    author = contribution.author_user_id
    delivery_id, created = plan_delivery(
        session,
        kind=DeliveryKind.CONTRIBUTOR_NUDGE,
        group_id=group.id,
        meeting_id=meeting.id,
        key=nudge_key(meeting.id, author, day),
        due_at=now,
        expires_at=meeting.starts_at,
        now=now,
    )
    if not created:
        return Nudge(None, author, contribution.title)
    queue_call(
        session,
        delivery_id=int(delivery_id),
        key=author,
        method="chat.postMessage",
        args={"channel": author, **message},
        now=now,
    )
    return Nudge(int(delivery_id), author, contribution.title)
