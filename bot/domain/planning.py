"""What the cycle will send for a session, and when: the rows of the `deliveries` table.

The database, not the scheduler, holds what is due (see docs/architecture.md, "Why the
database holds what is due"), so planning is plain row maintenance:

- Each item is keyed by `meeting:<id>:<kind>:<start in UTC>`. Moving a session therefore
  creates fresh rows for the new date and cancels the still-planned rows of the old one;
  what was already delivered stays delivered, and what falls due again for the new date
  goes out once.
- Times are wall-clock times in the group's zone (J-7 at 10:00 Paris), converted to UTC
  per date, so 10:00 stays 10:00 across a daylight-saving change.
- An item already due when it is planned but still useful is planned for now (late rather
  than lost); one already past its usefulness is not planned at all.
- Re-planning (a move, a settings change) is idempotent: the same inputs give the same rows.

Whether an item still makes sense when it falls due (a guide already found, a contributor
who withdrew) is decided at send time, from the state of that moment: see `cycle.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Delivery, Group, Meeting
from bot.domain.agenda import session_end
from bot.domain.groups import MATRIX_TEAM
from bot.domain.kinds import SESSION_KINDS, SPECS, SessionTimes
from bot.domain.planner import plan_delivery
from bot.domain.workdays import shift_for
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus

logger = logging.getLogger(__name__)

# The kinds this module plans for a session (declared in `bot.domain.kinds`).
MEETING_KINDS = SESSION_KINDS

# An early reminder and its later counterpart: sent late, the early one would arrive with
# (or hours before) the later one and say the same thing twice.
SUPERSEDED_BY = {
    kind: spec.superseded_by for kind, spec in SPECS.items() if spec.superseded_by is not None
}
MIN_REMINDER_GAP = timedelta(days=1)

# Still waiting to be sent: what a move or a settings change may still alter.
PENDING = (DeliveryStatus.PLANNED, DeliveryStatus.CLAIMED)


@dataclass(frozen=True)
class PlannedItem:
    kind: DeliveryKind
    due_at: datetime
    expires_at: datetime


def dedup_key(meeting_id: int, kind: DeliveryKind, starts_at: datetime) -> str:
    """One key per (session, kind, date): a moved session gets fresh keys."""
    return f"meeting:{meeting_id}:{kind.value}:{starts_at.astimezone(UTC):%Y%m%dT%H%MZ}"


def local_wall_time(
    starts_at: datetime, *, days_before: int, hour: int, zone: ZoneInfo
) -> datetime:
    """`hour`:00 in `zone`, `days_before` calendar days before the session's local date.

    Computed on the local calendar, then converted, so the UTC offset is the one of that
    day (10:00 Paris is 08:00 UTC in summer and 09:00 UTC in winter). An hour that does not
    exist that day (02:00 on the spring change) reads as the offset before the change,
    i.e. one hour later on the clock; an ambiguous one (autumn) as the first occurrence.
    """
    day = starts_at.astimezone(zone).date() - timedelta(days=days_before)
    local = datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone, fold=0)
    return local.astimezone(UTC)


def enabled_kinds(group: Group) -> set[DeliveryKind]:
    """The session kinds the group's settings switch on (SESSION_END always is)."""
    return {kind for kind in SESSION_KINDS if SPECS[kind].switch(group)}


def compute_plan(group: Group, meeting: Meeting, zone: ZoneInfo) -> list[PlannedItem]:
    """Every item of the session's cycle the group has switched on, with its due time and
    the instant after which it is no longer worth sending. Pure: no database access."""
    start = meeting.starts_at
    times = SessionTimes(
        start=start,
        end=session_end(start, meeting.duration_minutes),
        at=lambda days_before: shift_for(
            group,
            local_wall_time(start, days_before=days_before, hour=group.reminder_hour, zone=zone),
            zone,
        ),
    )
    items = []
    for kind in SESSION_KINDS:
        spec = SPECS[kind]
        if spec.due is None or spec.useful_until is None or not spec.switch(group):
            continue
        items.append(PlannedItem(kind, spec.due(group, times), spec.useful_until(group, times)))
    return items


def drop_superseded(items: list[PlannedItem], now: datetime) -> list[PlannedItem]:
    """Leave out an early reminder that, sent late (a session scheduled or moved a few
    days ahead), would reach people less than a day before its later counterpart: one
    reminder, not two in a row."""
    due = {item.kind: item.due_at for item in items}
    kept = []
    for item in items:
        later = SUPERSEDED_BY.get(item.kind)
        sent_at = max(item.due_at, now)
        if later in due and due[later] - sent_at < MIN_REMINDER_GAP:
            continue
        kept.append(item)
    return kept


def superseding(session: Session, *, delivery: Delivery, now: datetime) -> Delivery | None:
    """The later counterpart that makes this early reminder pointless if sent `now`: the
    same rule as `drop_superseded`, applied when it falls due. Planning cannot see a gap
    in the bot's own clock (a VM resumed after a suspension): the J-7 reminder and the
    J-1 one then fall due together, and only the later one should go out. None when the
    delivery has no later counterpart, or one still more than a day away."""
    later = SUPERSEDED_BY.get(delivery.kind)
    if later is None or delivery.meeting_id is None:
        return None
    meeting = session.get(Meeting, delivery.meeting_id)
    if meeting is None or delivery.dedup_key != dedup_key(
        meeting.id, delivery.kind, meeting.starts_at
    ):
        return None  # moved or gone: its sender cancels it
    counterpart = session.scalars(
        select(Delivery).where(
            Delivery.dedup_key == dedup_key(meeting.id, later, meeting.starts_at)
        )
    ).one_or_none()
    if (
        counterpart is None
        or counterpart.status not in (*PENDING, DeliveryStatus.DONE)
        or counterpart.due_at - now >= MIN_REMINDER_GAP
    ):
        return None
    return counterpart


def meeting_deliveries(session: Session, *, meeting_id: int) -> list[Delivery]:
    return list(
        session.scalars(
            select(Delivery)
            .where(Delivery.meeting_id == meeting_id)
            .order_by(Delivery.due_at, Delivery.id)
        )
    )


def plan_meeting(
    session: Session, *, group: Group, meeting: Meeting, now: datetime, timezone: str
) -> list[Delivery]:
    """Bring the session's deliveries in line with its date and the group's settings.

    `timezone` is the group's effective zone (its own, or the deployment default).
    Returns the rows still planned, in due order. Safe to call as often as wanted, and
    from two requests at once (inserts ignore a row another request has just created).
    """
    existing = {d.dedup_key: d for d in meeting_deliveries(session, meeting_id=meeting.id)}
    if meeting.status != MeetingStatus.SCHEDULED:
        cancel_pending(existing.values(), now=now, reason="session not due")
        return []
    if group.team_id == MATRIX_TEAM:
        # Nothing sends a delivery to Matrix yet (docs/matrix.md): planned, it would be
        # claimed by the Slack dispatcher of a process serving both, and sent to Slack.
        return []

    desired = {
        dedup_key(meeting.id, item.kind, meeting.starts_at): item
        for item in drop_superseded(compute_plan(group, meeting, ZoneInfo(timezone)), now)
    }
    stale = [d for key, d in existing.items() if key not in desired and d.kind in MEETING_KINDS]
    cancel_pending(stale, now=now, reason="session moved, kind disabled or reminder superseded")

    for key, item in desired.items():
        row = existing.get(key)
        available_at = max(item.due_at, now)
        if row is None:
            if item.expires_at <= now:
                continue  # too late to be of use: not planned (nothing to skip later)
            plan_delivery(
                session,
                kind=item.kind,
                group_id=group.id,
                meeting_id=meeting.id,
                key=key,
                due_at=item.due_at,
                expires_at=item.expires_at,
                available_at=available_at,
                now=now,
            )
        elif row.status in (DeliveryStatus.PLANNED, DeliveryStatus.CANCELLED):
            # A settings change moves what is still waiting; a row cancelled by an earlier
            # move or switch-off comes back when its date or kind does. Per-recipient
            # rows keep anything it had already sent from going out twice.
            if row.status == DeliveryStatus.CANCELLED and item.expires_at <= now:
                continue
            if row.due_at != item.due_at or row.status == DeliveryStatus.CANCELLED:
                row.available_at = available_at
            row.due_at = item.due_at
            row.expires_at = item.expires_at
            row.status = DeliveryStatus.PLANNED
            row.updated_at = now
        # CLAIMED, DONE, SKIPPED: being sent or settled; left alone.
    session.flush()
    return planned_deliveries(session, meeting_id=meeting.id)


def planned_deliveries(session: Session, *, meeting_id: int) -> list[Delivery]:
    return [
        d
        for d in meeting_deliveries(session, meeting_id=meeting_id)
        if d.status == DeliveryStatus.PLANNED
    ]


def cancel_pending(deliveries: Iterable[Delivery], *, now: datetime, reason: str) -> int:
    """Cancel the still-planned rows among `deliveries` (claimed ones are being sent and
    are checked again by their sender). Returns how many were cancelled."""
    count = 0
    for delivery in deliveries:
        if delivery.status == DeliveryStatus.PLANNED:
            delivery.status = DeliveryStatus.CANCELLED
            delivery.last_error = reason
            delivery.updated_at = now
            count += 1
            logger.info("delivery %s (%s) cancelled: %s", delivery.id, delivery.kind.value, reason)
    return count


def upcoming_deliveries(session: Session, *, group_id: int, limit: int = 40) -> list[Delivery]:
    """The group's deliveries still to go out, in the order they will."""
    return list(
        session.scalars(
            select(Delivery)
            .where(
                Delivery.group_id == group_id,
                Delivery.status.in_(PENDING),
                # Refreshes of living messages are not part of the cycle's plan.
                Delivery.kind != DeliveryKind.REFRESH,
            )
            .order_by(Delivery.available_at, Delivery.id)
            .limit(limit)
        )
    )
