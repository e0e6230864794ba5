"""Sends what is due, each message once, across restarts and several processes.

The database holds what is due (`deliveries`); every process ticks this dispatcher from a
memory-store APScheduler job (see ARCHITECTURE.md). One tick:

1. **Claim** up to `batch` due rows in one short transaction: `SELECT ... FOR UPDATE SKIP
   LOCKED` on PostgreSQL (two processes never claim the same row and never wait on each
   other), `BEGIN IMMEDIATE` on SQLite (one writer at a time). A claim is a lease: rows
   whose claimer died are taken over once it lapses.
2. **Skip** what is past its usefulness (status SKIPPED, logged): late rather than lost,
   but never pointless.
3. **Ask the sender** registered for the kind what to send *now*, from the current state
   (it may cancel: a guide was found, the session moved).
4. **Send per recipient**: write the `delivery_messages` row (unique per delivery and
   recipient, status SENDING) and commit *before* calling Slack, then record the outcome.
   An existing row means this recipient was handled already, so nothing goes out twice:
   SENT, FAILED and SENDING (maybe delivered: a crash mid-call, a read timeout) are never
   sent again; RETRY (surely not delivered) is.

Failures: a permanent one (user_not_found, cannot_dm_bot...) is recorded FAILED for that
recipient and logged once, the others still get theirs. A transient one (connection
refused, Slack 5xx) puts the delivery back to PLANNED with a backoff; recipients already
served are not served again. A 429 never gets here: the Web API client waits for
Retry-After and retries, which is safe because Slack refused the first call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.db.models import Delivery, DeliveryMessage
from bot.domain.db_helpers import insert_returning_id
from bot.enums import DeliveryKind, DeliveryStatus, Language, MessageStatus
from bot.slack.notifier import (
    AmbiguousFailure,
    Notifier,
    PermanentFailure,
    TransientFailure,
)

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 25
DEFAULT_LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 10
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(minutes=30)


@dataclass(frozen=True)
class Outgoing:
    """One message to one recipient: a channel id, or a user id for a DM."""

    recipient: str
    message: dict[str, Any]


@dataclass(frozen=True)
class Cancel:
    """The delivery became pointless; nothing is sent and the reason is logged."""

    reason: str


@dataclass(frozen=True)
class SendContext:
    """What a sender knows beyond the database: the instant and the deployment defaults
    (a group without its own language or zone uses these)."""

    now: datetime
    default_language: Language
    default_timezone: str
    command: str


class Sender(Protocol):
    """Computes, from the state at send time, what a due delivery sends (possibly
    nothing). Runs inside a transaction it must not commit."""

    def __call__(
        self, session: Session, delivery: Delivery, context: SendContext
    ) -> Cancel | Sequence[Outgoing]: ...


@dataclass(frozen=True)
class DueItem:
    """The ids a job needs, read from its claimed delivery."""

    delivery_id: int
    kind: DeliveryKind
    group_id: int
    meeting_id: int | None
    poll_id: int | None


class Job(Protocol):
    """A delivery whose work is more than messages to post (a session's end, a poll's
    close): it runs its own idempotent steps, database and Slack, and raises the
    Notifier's failures. Safe to run again after a TransientFailure."""

    def __call__(self, item: DueItem, now: datetime) -> None: ...


@dataclass
class DispatchReport:
    """What one tick did, for logs and tests."""

    claimed: int = 0
    reclaimed: int = 0
    done: int = 0
    skipped: int = 0
    cancelled: int = 0
    retried: int = 0
    given_up: int = 0
    released: int = 0
    errors: int = 0
    sent: int = 0
    failed: int = 0
    ambiguous: int = 0
    not_resent: int = 0


class LostClaim(Exception):
    """Our lease lapsed and another process took the delivery over."""


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min... capped at 30 min: a Slack outage is usually short."""
    return min(FIRST_BACKOFF * (2 ** max(0, attempts - 1)), MAX_BACKOFF)


class Dispatcher:
    def __init__(
        self,
        *,
        db: sessionmaker[Session],
        notifier: Notifier,
        senders: Mapping[DeliveryKind, Sender],
        jobs: Mapping[DeliveryKind, Job] | None = None,
        default_language: Language,
        default_timezone: str,
        command: str,
        process_id: str,
        batch: int = DEFAULT_BATCH,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self._db = db
        self._notifier = notifier
        self._senders = dict(senders)
        self._jobs = dict(jobs or {})
        self._defaults = (default_language, default_timezone, command)
        self.process_id = process_id[:64]
        self._batch = batch
        self._lease = lease

    # --- the tick ------------------------------------------------------------------

    def dispatch_due(
        self, now: datetime, should_stop: Callable[[], bool] = lambda: False
    ) -> DispatchReport:
        """Claim and send what is due at `now`. Between deliveries, `should_stop` lets a
        shutdown hand the rest of the batch back at once instead of waiting for a lease."""
        started = time.monotonic()

        def current() -> datetime:
            # Decisions use `now`; leases follow the real time a long batch takes.
            return now + timedelta(seconds=time.monotonic() - started)

        report = DispatchReport()
        ids = self._claim(now, report)
        for index, delivery_id in enumerate(ids):
            if should_stop():
                report.released += self._release(ids[index:], current())
                break
            try:
                self._process(delivery_id, now, current, report)
            except LostClaim:
                logger.warning("delivery %s: claim taken over by another process", delivery_id)
            except Exception:
                # One broken delivery must not hold up the rest of the batch.
                report.errors += 1
                logger.exception("delivery %s failed; it will be retried", delivery_id)
                self._retry_later(delivery_id, now, "internal error", report)
        return report

    # --- 1. claim ------------------------------------------------------------------

    def _claim(self, now: datetime, report: DispatchReport) -> list[int]:
        kinds = [*self._senders, *self._jobs]
        if not kinds:
            return []
        with transaction(self._db) as session:
            due = session.scalars(
                select(Delivery.id)
                .where(
                    Delivery.status == DeliveryStatus.PLANNED,
                    Delivery.available_at <= now,
                    Delivery.kind.in_(kinds),
                )
                .order_by(Delivery.available_at, Delivery.id)
                .limit(self._batch)
                .with_for_update(skip_locked=True)
            ).all()
            ids = list(due)
            room = self._batch - len(ids)
            if room > 0:
                orphans = session.execute(
                    select(Delivery.id, Delivery.claimed_by)
                    .where(
                        Delivery.status == DeliveryStatus.CLAIMED,
                        Delivery.claimed_until < now,
                        Delivery.kind.in_(kinds),
                    )
                    .order_by(Delivery.claimed_until, Delivery.id)
                    .limit(room)
                    .with_for_update(skip_locked=True)
                ).all()
                for orphan_id, claimer in orphans:
                    logger.warning(
                        "delivery %s: the claim of %s lapsed; taking it over", orphan_id, claimer
                    )
                ids += [orphan_id for orphan_id, _ in orphans]
                report.reclaimed = len(orphans)
            if ids:
                session.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(ids))
                    .values(
                        status=DeliveryStatus.CLAIMED,
                        claimed_by=self.process_id,
                        claimed_until=now + self._lease,
                        updated_at=now,
                    )
                    .execution_options(synchronize_session=False)
                )
        report.claimed = len(ids)
        return ids

    def _release(self, ids: list[int], now: datetime) -> int:
        """Hand unstarted claims back (shutdown): another process need not wait."""
        with transaction(self._db) as session:
            result = session.execute(
                update(Delivery)
                .where(
                    Delivery.id.in_(ids),
                    Delivery.status == DeliveryStatus.CLAIMED,
                    Delivery.claimed_by == self.process_id,
                )
                .values(
                    status=DeliveryStatus.PLANNED,
                    claimed_by=None,
                    claimed_until=None,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
        released = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if released:
            logger.info("stopping: %s claimed deliveries handed back", released)
        return released

    # --- 2 and 3. skip, cancel or compute ------------------------------------------

    def _process(
        self,
        delivery_id: int,
        now: datetime,
        current: Callable[[], datetime],
        report: DispatchReport,
    ) -> None:
        language, timezone, command = self._defaults
        with transaction(self._db) as session:
            delivery = session.get(Delivery, delivery_id)
            if (
                delivery is None
                or delivery.status != DeliveryStatus.CLAIMED
                or delivery.claimed_by != self.process_id
            ):
                raise LostClaim()
            label = f"delivery {delivery.id} ({delivery.kind.value}, {delivery.dedup_key})"
            if delivery.expires_at <= now:
                delivery.status = DeliveryStatus.SKIPPED
                delivery.last_error = f"no longer useful after {delivery.expires_at.isoformat()}"
                delivery.updated_at = now
                report.skipped += 1
                logger.warning(
                    "%s skipped: due %s, no longer useful after %s (the bot was not running?)",
                    label,
                    delivery.due_at.isoformat(),
                    delivery.expires_at.isoformat(),
                )
                return
            job = self._jobs.get(delivery.kind)
            item = DueItem(
                delivery.id, delivery.kind, delivery.group_id, delivery.meeting_id, delivery.poll_id
            )
            if job is None:
                sender = self._senders[delivery.kind]
                plan = sender(session, delivery, SendContext(now, language, timezone, command))
                if isinstance(plan, Cancel):
                    delivery.status = DeliveryStatus.CANCELLED
                    delivery.last_error = plan.reason
                    delivery.updated_at = now
                    report.cancelled += 1
                    logger.info("%s cancelled: %s", label, plan.reason)
                    return
        if job is not None:
            self._run_job(job, item, label=label, now=now, current=current, report=report)
            return
        transient = self._send_all(delivery_id, label, list(plan), current, report)
        if transient is not None:
            self._retry_later(delivery_id, now, transient, report)
        else:
            self._finish(delivery_id, current(), report)
            logger.info("%s done: %s message(s)", label, len(plan))

    def _run_job(
        self,
        job: Job,
        item: DueItem,
        *,
        label: str,
        now: datetime,
        current: Callable[[], datetime],
        report: DispatchReport,
    ) -> None:
        """Run a job outside any transaction of ours; a transient failure is retried with
        the usual backoff (the job is idempotent), any other Slack refusal is final."""
        try:
            job(item, now)
        except TransientFailure as failure:
            logger.warning("%s: Slack unreachable (%s); will retry", label, failure.code)
            self._retry_later(item.delivery_id, now, failure.code, report)
            return
        except (PermanentFailure, AmbiguousFailure) as failure:
            report.failed += 1
            logger.error("%s: Slack refused (%s); not retried", label, failure.code)
            self._finish(item.delivery_id, current(), report, error=failure.code)
            return
        self._finish(item.delivery_id, current(), report)
        logger.info("%s done", label)

    # --- 4. send, one recipient at a time -------------------------------------------

    def _send_all(
        self,
        delivery_id: int,
        label: str,
        plan: list[Outgoing],
        current: Callable[[], datetime],
        report: DispatchReport,
    ) -> str | None:
        """Send to every recipient not served yet; the transient error code if Slack
        could not be reached (the rest then waits for the retry)."""
        for outgoing in plan:
            message_id = self._reserve(delivery_id, outgoing.recipient, current(), label, report)
            if message_id is None:
                continue
            try:
                posted = self._notifier.post(outgoing.recipient, outgoing.message)
            except PermanentFailure as failure:
                self._record(message_id, MessageStatus.FAILED, current(), error=failure.code)
                report.failed += 1
                logger.warning(
                    "%s: not delivered to %s (%s); the others still get theirs",
                    label,
                    outgoing.recipient,
                    failure.code,
                )
                continue
            except TransientFailure as failure:
                self._record(message_id, MessageStatus.RETRY, current(), error=failure.code)
                logger.warning(
                    "%s: Slack unreachable for %s (%s); will retry",
                    label,
                    outgoing.recipient,
                    failure.code,
                )
                return failure.code
            except AmbiguousFailure as failure:
                # Left SENDING: it may have been posted, and a duplicate is worse.
                self._record(message_id, MessageStatus.SENDING, current(), error=failure.code)
                report.ambiguous += 1
                logger.error(
                    "%s: maybe delivered to %s (%s); not retried, check the channel",
                    label,
                    outgoing.recipient,
                    failure.code,
                )
                continue
            self._record(
                message_id,
                MessageStatus.SENT,
                current(),
                channel_id=posted.channel,
                ts=posted.ts,
            )
            report.sent += 1
        return None

    def _reserve(
        self,
        delivery_id: int,
        recipient: str,
        now: datetime,
        label: str,
        report: DispatchReport,
    ) -> int | None:
        """Record "sending to `recipient`" and commit before the Web API call. Returns the
        row id to send under, or None when this recipient must not be sent to (again).
        Also renews the claim, so a long batch keeps its lease."""
        with transaction(self._db) as session:
            renewed = session.execute(
                update(Delivery)
                .where(
                    Delivery.id == delivery_id,
                    Delivery.status == DeliveryStatus.CLAIMED,
                    Delivery.claimed_by == self.process_id,
                )
                .values(claimed_until=now + self._lease)
                .execution_options(synchronize_session=False)
            )
            if not renewed.rowcount:  # type: ignore[attr-defined]
                raise LostClaim()
            inserted = insert_returning_id(
                session,
                DeliveryMessage.__table__,  # type: ignore[arg-type]
                {
                    "delivery_id": delivery_id,
                    "recipient": recipient,
                    "status": MessageStatus.SENDING.value,
                    "attempts": 1,
                    "created_at": now,
                    "updated_at": now,
                },
                ["delivery_id", "recipient"],
            )
            if inserted is not None:
                return inserted
            row = session.execute(
                select(DeliveryMessage.id, DeliveryMessage.status).where(
                    DeliveryMessage.delivery_id == delivery_id,
                    DeliveryMessage.recipient == recipient,
                )
            ).one()
            if row.status == MessageStatus.RETRY:
                resumed = session.execute(
                    update(DeliveryMessage)
                    .where(
                        DeliveryMessage.id == row.id,
                        DeliveryMessage.status == MessageStatus.RETRY,
                    )
                    .values(
                        status=MessageStatus.SENDING,
                        attempts=DeliveryMessage.attempts + 1,
                        updated_at=now,
                    )
                    .execution_options(synchronize_session=False)
                )
                return int(row.id) if resumed.rowcount else None  # type: ignore[attr-defined]
            if row.status == MessageStatus.SENDING:
                report.not_resent += 1
                logger.warning(
                    "%s: an earlier attempt to %s was interrupted mid-call; maybe delivered, "
                    "not sent again",
                    label,
                    recipient,
                )
            return None

    def _record(
        self,
        message_id: int,
        status: MessageStatus,
        now: datetime,
        *,
        error: str | None = None,
        channel_id: str | None = None,
        ts: str | None = None,
    ) -> None:
        values: dict[str, Any] = {"status": status, "error": error, "updated_at": now}
        if channel_id is not None:
            values.update(channel_id=channel_id, ts=ts)
        with transaction(self._db) as session:
            session.execute(
                update(DeliveryMessage)
                .where(DeliveryMessage.id == message_id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )

    # --- settle the delivery ----------------------------------------------------------

    def _finish(
        self, delivery_id: int, now: datetime, report: DispatchReport, error: str | None = None
    ) -> None:
        with transaction(self._db) as session:
            result = session.execute(
                update(Delivery)
                .where(
                    Delivery.id == delivery_id,
                    Delivery.status == DeliveryStatus.CLAIMED,
                    Delivery.claimed_by == self.process_id,
                )
                .values(status=DeliveryStatus.DONE, done_at=now, updated_at=now, last_error=error)
                .execution_options(synchronize_session=False)
            )
        if result.rowcount:  # type: ignore[attr-defined]
            report.done += 1

    def _retry_later(
        self, delivery_id: int, now: datetime, error: str, report: DispatchReport
    ) -> None:
        """Back to PLANNED after a backoff counted from the tick's `now`, or give up (logged)
        after MAX_ATTEMPTS or when the retry would come after the item's usefulness."""
        with transaction(self._db) as session:
            delivery = session.get(Delivery, delivery_id)
            if (
                delivery is None
                or delivery.status != DeliveryStatus.CLAIMED
                or delivery.claimed_by != self.process_id
            ):
                return
            delivery.attempts += 1
            delivery.last_error = error
            delivery.updated_at = now
            delivery.claimed_by = None
            delivery.claimed_until = None
            next_try = now + backoff(delivery.attempts)
            if delivery.attempts >= MAX_ATTEMPTS or next_try >= delivery.expires_at:
                delivery.status = DeliveryStatus.SKIPPED
                delivery.last_error = f"gave up after {delivery.attempts} attempt(s): {error}"
                report.given_up += 1
                logger.error(
                    "delivery %s (%s) given up after %s attempt(s): %s",
                    delivery.id,
                    delivery.kind.value,
                    delivery.attempts,
                    error,
                )
                return
            delivery.status = DeliveryStatus.PLANNED
            delivery.available_at = next_try
            report.retried += 1
            logger.warning(
                "delivery %s (%s) will be retried at %s (attempt %s): %s",
                delivery.id,
                delivery.kind.value,
                next_try.isoformat(),
                delivery.attempts,
                error,
            )
