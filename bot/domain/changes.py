"""What changed, said once, in the transaction of the change.

A domain function that changes a session (a guide, a contribution, a date, a theme) or a
poll (closed, cancelled) calls `changed()` before its transaction commits. That plans one
REFRESH delivery for the subject, a few seconds out: the dispatcher hands it to
`bot.jobs.refresh`, where one table maps the subject to the views to bring up to date
(the guide call, the announcement, the readiness DMs, the poll message, the thread).
No flow has to know which messages show what it changed.

Coalescing: a change joins the subject's refresh while it is still waiting (with a margin
before it can be claimed), so a burst of changes gives one update per message. A notice
for the session's thread (`notice`) is queued on the same delivery, in the same
transaction: it goes out after any crash, and never if the change is rolled back.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Delivery, DeliveryMessage, Meeting, Poll
from bot.domain.kinds import LIVING_KINDS
from bot.domain.outbox import (
    ALERT_PREFIX,
    DM_PREFIX,
    NOTICE_PREFIX,
    TOUR_DM_PREFIX,
    Subject,
    queue_call,
)
from bot.domain.planner import plan_delivery
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus, MessageStatus

logger = logging.getLogger(__name__)

# How long a refresh waits for the rest of a burst (a modal saved twice, a guide then a
# contribution): the members see the update within a tick after that.
REFRESH_DELAY = timedelta(seconds=5)
# A waiting refresh is joined only while it cannot be claimed before this transaction
# commits; closer to its time, a new one is planned (an extra update, never a lost one).
JOIN_MARGIN = timedelta(seconds=2)
# An update that could not reach Slack for this long is dropped: a later change plans
# another, and the messages it would have fixed are old by then.
REFRESH_USEFUL = timedelta(days=2)


@dataclass(frozen=True)
class Change:
    """A subject that changed: the key of `bot.jobs.refresh.VIEWS`."""

    subject: Subject
    subject_id: int
    group_id: int


def shown(session: Session, meeting: Meeting) -> bool:
    """Whether a message that shows the session is out: a post of one of its living
    kinds, or the role call of the session held before it. Before that (a change two
    weeks ahead), there is nothing to rewrite, and no refresh is planned."""
    posted = session.scalars(
        select(DeliveryMessage.id)
        .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
        .where(
            Delivery.meeting_id == meeting.id,
            Delivery.kind.in_(LIVING_KINDS),
            DeliveryMessage.status == MessageStatus.SENT,
            DeliveryMessage.ts.is_not(None),
        )
        .limit(1)
    ).first()
    if posted is not None:
        return True
    role_call = session.scalars(
        select(Meeting.id)
        .where(
            Meeting.group_id == meeting.group_id,
            Meeting.status == MeetingStatus.HELD,
            Meeting.end_message_ts.is_not(None),
            Meeting.starts_at < meeting.starts_at,
        )
        .limit(1)
    ).first()
    return role_call is not None


def session_changed(session: Session, meeting: Meeting, now: datetime) -> int:
    return changed(session, Change(Subject.SESSION, meeting.id, meeting.group_id), now)


def poll_changed(session: Session, poll: Poll, now: datetime) -> int:
    return changed(session, Change(Subject.POLL, poll.id, poll.group_id), now)


def changed(
    session: Session, change: Change, now: datetime, *, notice: dict[str, Any] | None = None
) -> int:
    """Plan (or join) the subject's refresh; queue `notice` ({"text", "blocks"}) for the
    session's thread. Returns the refresh delivery's id."""
    delivery_id = _waiting_refresh(session, change, now) or _plan_refresh(session, change, now)
    if notice is not None:
        queue_call(
            session,
            delivery_id=delivery_id,
            key=NOTICE_PREFIX + secrets.token_hex(8),
            method="chat.postMessage",
            args=notice,
            now=now,
        )
    return delivery_id


def member_dm_posted(session: Session, meeting: Meeting, user_id: str) -> bool:
    """Whether the member's tour de table invitation for the session was sent."""
    posted = session.scalars(
        select(DeliveryMessage.id)
        .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
        .where(
            Delivery.meeting_id == meeting.id,
            Delivery.kind == DeliveryKind.TOUR_INVITE,
            DeliveryMessage.recipient == user_id,
            DeliveryMessage.status == MessageStatus.SENT,
            DeliveryMessage.ts.is_not(None),
        )
        .limit(1)
    ).first()
    return posted is not None


def member_dm_changed(session: Session, meeting: Meeting, user_id: str, now: datetime) -> int:
    """One member's own DM about the session (their tour de table invitation) must show
    what they just did: queued as a marker (`TOUR_DM_PREFIX` + their id) on the
    session's waiting refresh, or on a refresh of its own that rebuilds only the DMs its
    markers name (`Subject.MEMBERS`), so an answer rewrites one DM, not every member's.
    A second change by the same member joins the first marker: one update, from the
    state when the refresh runs."""
    session_change = Change(Subject.SESSION, meeting.id, meeting.group_id)
    delivery_id = _waiting_refresh(session, session_change, now, any_scope=True)
    if delivery_id is None:
        delivery_id = _plan_refresh(
            session, Change(Subject.MEMBERS, meeting.id, meeting.group_id), now
        )
    queue_call(
        session,
        delivery_id=delivery_id,
        key=TOUR_DM_PREFIX + user_id,
        method="chat.update",
        args={"channel": user_id},
        now=now,
    )
    return delivery_id


def _subject_column(change: Change) -> Any:
    return Delivery.poll_id if change.subject == Subject.POLL else Delivery.meeting_id


def _waiting_refresh(
    session: Session, change: Change, now: datetime, *, any_scope: bool = False
) -> int | None:
    """The subject's refresh still waiting. A change to the session does not join a
    refresh of members' DMs only (it would not rebuild the session's messages); a
    member's marker joins any refresh of the session (every one reads the markers)."""
    query = select(Delivery.id).where(
        Delivery.kind == DeliveryKind.REFRESH,
        Delivery.status == DeliveryStatus.PLANNED,
        _subject_column(change) == change.subject_id,
        Delivery.available_at >= now + JOIN_MARGIN,
    )
    if not any_scope:
        query = query.where(Delivery.dedup_key.startswith(f"refresh:{change.subject.value}:"))
    return session.scalars(query.order_by(Delivery.id).limit(1)).first()


def _plan_refresh(session: Session, change: Change, now: datetime) -> int:
    due = now + REFRESH_DELAY
    key = f"refresh:{change.subject.value}:{change.subject_id}:{secrets.token_hex(6)}"
    of_poll = change.subject == Subject.POLL
    inserted, _ = plan_delivery(
        session,
        kind=DeliveryKind.REFRESH,
        group_id=change.group_id,
        meeting_id=None if of_poll else change.subject_id,
        poll_id=change.subject_id if of_poll else None,
        key=key,  # random: never planned before
        due_at=due,
        expires_at=now + REFRESH_USEFUL,
        now=now,
    )
    logger.info("%s %s changed: refresh %s planned", change.subject, change.subject_id, inserted)
    return inserted


ALERT_EVERY = timedelta(days=1)


def alert_at_most_daily(
    session: Session, *, meeting: Meeting, user_id: str, notice: dict[str, Any], now: datetime
) -> bool:
    """Queue a DM to `user_id` about `meeting` (the guide's over-budget advice) unless one
    was queued for them in the last day; True if queued. Sent by the session's refresh."""
    recent = session.scalars(
        select(DeliveryMessage.id)
        .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
        .where(
            Delivery.meeting_id == meeting.id,
            Delivery.kind == DeliveryKind.REFRESH,
            DeliveryMessage.recipient.like(f"{ALERT_PREFIX}{user_id}:%"),
            DeliveryMessage.created_at > now - ALERT_EVERY,
        )
        .limit(1)
    ).first()
    if recent is not None:
        return False
    delivery_id = session_changed(session, meeting, now)
    return queue_call(
        session,
        delivery_id=delivery_id,
        key=f"{ALERT_PREFIX}{user_id}:{secrets.token_hex(4)}",
        method="chat.postMessage",
        args={"channel": user_id, **notice},
        now=now,
    )


def queue_direct_message(
    session: Session, *, meeting: Meeting, user_id: str, notice: dict[str, Any], now: datetime
) -> bool:
    """Queue a DM to `user_id` about a change to `meeting` (a move), in the change's
    transaction; sent once by the session's refresh."""
    delivery_id = session_changed(session, meeting, now)
    return queue_call(
        session,
        delivery_id=delivery_id,
        key=f"{DM_PREFIX}{user_id}",
        method="chat.postMessage",
        args={"channel": user_id, **notice},
        now=now,
    )
