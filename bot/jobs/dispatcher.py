"""The tick: claim what is due, then hand each delivery to its sender or job.

The database holds what is due (`deliveries`); every process ticks this dispatcher from a
memory-store APScheduler job (see docs/architecture.md). One tick:

1. **Claim** due rows (`bot.jobs.claims`): a lease, renewed while the delivery is worked.
2. **Expired?** A message past its usefulness is skipped (logged). A job's state changes
   are not messages: they run anyway (session held, next session planned, poll closed)
   and only its messages are skipped (`DueItem.useful` is False). **Superseded?** A
   reminder whose later counterpart is due too, or less than a day away
   (`KindSpec.superseded_by`: the J-7 reminder once the J-1 one is, after the bot's
   clock jumped) is skipped (logged).
3. **Sender** (reminders, announcements...): computes from the current state what to send
   now (or cancels), and the outbox sends it per recipient.
   **Job** (session end, poll post, close, cancel): runs its idempotent steps, every Slack
   side effect through the outbox (`DueItem.outbox`).
4. **Settle**: done; or, when Slack surely did not get a call (connection refused, 5xx,
   429), back to the queue with a backoff (at now + Retry-After for a long 429) while the
   delivery is useful; a post maybe sent, back to the queue until Slack's history can
   tell whether it went out (`VerifyLater`). A job that runs out of tries still makes
   its state changes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.db.models import Delivery, Group, Meeting
from bot.domain.planning import superseding
from bot.enums import DeliveryKind, DeliveryStatus, Language
from bot.jobs.claims import DEFAULT_LEASE, MAX_ATTEMPTS, Claims, LostClaim, backoff
from bot.jobs.contracts import (
    Cancel,
    DispatchReport,
    DueItem,
    Job,
    NameLookup,
    SendContext,
    Sender,
    no_names,
)
from bot.jobs.outbox import VERIFY_AFTER, Outbox, Outgoing, VerifyLater
from bot.metrics import Metrics, outcomes_of
from bot.slack.notifier import (
    AmbiguousFailure,
    Notifier,
    PermanentFailure,
    RateLimited,
    TransientFailure,
)

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 25

# The delivery with its session and its group in one read: the sender's own `get`s of
# them are then answered by the unit of work's identity map, without a statement each.
_WITH_CONTEXT = (
    select(Delivery)
    .add_columns(Meeting, Group)
    .outerjoin(Meeting, Meeting.id == Delivery.meeting_id)
    .join(Group, Group.id == Delivery.group_id)
    .where(Delivery.id == bindparam("delivery_id"))
)

__all__ = [
    "DEFAULT_LEASE",
    "MAX_ATTEMPTS",
    "Cancel",
    "DispatchReport",
    "Dispatcher",
    "DueItem",
    "Job",
    "LostClaim",
    "Outgoing",
    "SendContext",
    "Sender",
    "backoff",
]


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
        outbox: Outbox | None = None,
        claims: Claims | None = None,
        verify_after: timedelta = VERIFY_AFTER,
        names: NameLookup | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._db = db
        self._metrics = metrics
        # Display names for texts that must not ping (the rotation's suggestion).
        self._names = names or no_names
        self.claims = claims or Claims(db, process_id=process_id, lease=lease)
        self.outbox = outbox or Outbox(
            db, notifier, self.claims, verify_after=verify_after, metrics=metrics
        )
        self._senders = dict(senders)
        self._jobs = dict(jobs or {})
        self._defaults = (default_language, default_timezone, command)
        self._batch = batch

    @property
    def process_id(self) -> str:
        return self.claims.process_id

    def add_jobs(self, jobs: Mapping[DeliveryKind, Job]) -> None:
        """Jobs built after the dispatcher (they send through its outbox)."""
        self._jobs.update(jobs)

    # --- the tick ------------------------------------------------------------------

    def dispatch_due(
        self, now: datetime, should_stop: Callable[[], bool] = lambda: False
    ) -> DispatchReport:
        """Claim and send what is due at `now`. Between deliveries, `should_stop` lets a
        shutdown hand the rest of the batch back at once instead of waiting for a lease."""
        current = _clock_from(now)
        report = DispatchReport()
        ids = self.claims.claim(now, [*self._senders, *self._jobs], self._batch, report)
        for index, delivery_id in enumerate(ids):
            if should_stop():
                report.released += self.claims.release(ids[index:], current())
                break
            self._guarded(delivery_id, now, current, report)
        return report

    def run_now(self, delivery_id: int, now: datetime) -> DispatchReport:
        """Work one planned delivery at once (a command's poll, posted without waiting
        for the next tick). Does nothing if another process has it already."""
        report = DispatchReport()
        if self.claims.claim_one(delivery_id, now):
            report.claimed = 1
            self._guarded(delivery_id, now, _clock_from(now), report)
        return report

    def _guarded(
        self,
        delivery_id: int,
        now: datetime,
        current: Callable[[], datetime],
        report: DispatchReport,
    ) -> None:
        before = outcomes_of(report)
        try:
            with self.claims.heartbeat(delivery_id, current):
                self._process(delivery_id, now, current, report)
        except LostClaim:
            logger.warning("delivery %s: claim taken over by another process", delivery_id)
        except Exception:
            # One broken delivery must not hold up the rest of the batch.
            report.errors += 1
            logger.exception("delivery %s failed; it will be retried", delivery_id)
            self._retry(delivery_id, now, "internal error", report)
        if self._metrics is not None:
            kind = report.kinds.get(delivery_id)
            self._metrics.count_delivery(kind.value if kind else None, before, report)

    # --- one delivery ----------------------------------------------------------------

    def _process(
        self,
        delivery_id: int,
        now: datetime,
        current: Callable[[], datetime],
        report: DispatchReport,
    ) -> None:
        language, timezone, command = self._defaults
        with transaction(self._db) as session:
            # Not `scalars()`: it would leave the session and the group out of the read.
            row = session.execute(_WITH_CONTEXT, {"delivery_id": delivery_id}).first()
            delivery = None if row is None else row[0]
            if (
                delivery is None
                or delivery.status != DeliveryStatus.CLAIMED
                or delivery.claimed_by != self.process_id
            ):
                raise LostClaim()
            label = f"delivery {delivery.id} ({delivery.kind.value}, {delivery.dedup_key})"
            report.kinds[delivery.id] = delivery.kind
            useful = delivery.expires_at > now
            job = self._jobs.get(delivery.kind)
            if not useful:
                logger.warning(
                    "%s: due %s, no longer useful after %s (the bot was not running?); %s",
                    label,
                    delivery.due_at.isoformat(),
                    delivery.expires_at.isoformat(),
                    "its state changes are made, its messages skipped" if job else "skipped",
                )
            outbox = self.outbox.for_delivery(
                delivery_id, label=label, counts=report, current=current, kind=delivery.kind
            )
            item = DueItem(
                delivery.id,
                delivery.kind,
                delivery.group_id,
                delivery.meeting_id,
                delivery.poll_id,
                useful=useful,
                outbox=outbox,
            )
            if job is None:
                if not useful:
                    _skip(
                        delivery, f"no longer useful after {delivery.expires_at.isoformat()}", now
                    )
                    report.skipped += 1
                    return
                later = superseding(session, delivery=delivery, now=now)
                if later is not None:
                    _skip(delivery, f"superseded by {later.kind.value}", now)
                    report.skipped += 1
                    logger.warning(
                        "%s: skipped, superseded by %s due %s (sent now, it would arrive "
                        "with it or hours before it)",
                        label,
                        later.kind.value,
                        later.due_at.isoformat(),
                    )
                    return
                sender = self._senders[delivery.kind]
                context = SendContext(now, language, timezone, command, self._names)
                plan = sender(session, delivery, context)
                if isinstance(plan, Cancel):
                    delivery.status = DeliveryStatus.CANCELLED
                    delivery.last_error = plan.reason
                    delivery.updated_at = now
                    report.cancelled += 1
                    logger.info("%s cancelled: %s", label, plan.reason)
                    return
                messages = list(plan)
        if job is not None:
            self._run_job(job, item, label=label, now=now, current=current, report=report)
            return
        settled = False

        def settle(session: Session) -> None:
            nonlocal settled
            settled = self.claims.settle_in(session, delivery_id, DeliveryStatus.DONE, current())

        try:
            finished = outbox.send_plan(messages, finish=settle)
        except TransientFailure as failure:
            self._retry(delivery_id, now, failure.code, report, at=_retry_at(failure, now))
            return
        if not finished:
            settled = self.claims.settle(delivery_id, DeliveryStatus.DONE, current())
        if settled:
            report.done += 1
        logger.info("%s done: %s message(s)", label, len(messages))

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
        """Run a job outside any transaction of ours. A transient failure is retried (the
        job is idempotent); when no retry is left, the job runs once more as not useful,
        so its state changes are made even though its messages are not sent."""
        try:
            job(item, now)
        except TransientFailure as failure:
            logger.warning("%s: Slack unreachable (%s); will retry", label, failure.code)
            at = _retry_at(failure, now)
            if not self.claims.gives_up(item.delivery_id, now, at) or not item.useful:
                self._retry(item.delivery_id, now, failure.code, report, at=at)
                return
            logger.error(
                "%s: no retry left (%s); making its state changes without its messages",
                label,
                failure.code,
            )
            job(_not_useful(item), now)
            if self.claims.settle(
                item.delivery_id,
                DeliveryStatus.SKIPPED,
                current(),
                error=f"gave up sending: {failure.code}",
            ):
                report.given_up += 1
            return
        except (PermanentFailure, AmbiguousFailure) as failure:
            report.failed += 1
            logger.error("%s: Slack refused (%s); not retried", label, failure.code)
            if self.claims.settle(
                item.delivery_id, DeliveryStatus.DONE, current(), error=failure.code
            ):
                report.done += 1
            return
        if not item.useful:
            if self.claims.settle(
                item.delivery_id,
                DeliveryStatus.SKIPPED,
                current(),
                error="no longer useful: state changes made, messages skipped",
            ):
                report.skipped += 1
            return
        if self.claims.settle(item.delivery_id, DeliveryStatus.DONE, current()):
            report.done += 1
        logger.info("%s done", label)

    # --- retries ---------------------------------------------------------------------

    def _retry(
        self,
        delivery_id: int,
        now: datetime,
        error: str,
        report: DispatchReport,
        *,
        at: datetime | None = None,
        may_give_up: bool = True,
    ) -> None:
        if self._is_job(delivery_id):
            # A job's state changes must happen however long it takes.
            may_give_up = False
        settled = self.claims.retry_later(delivery_id, now, error, at=at, may_give_up=may_give_up)
        if settled is None:
            return
        if settled.given_up:
            report.given_up += 1
        else:
            report.retried += 1

    def _is_job(self, delivery_id: int) -> bool:
        with transaction(self._db) as session:
            delivery = session.get(Delivery, delivery_id)
            return delivery is not None and delivery.kind in self._jobs


def _skip(delivery: Delivery, reason: str, now: datetime) -> None:
    """Settled without a message, in the transaction that read it (the claim is ours)."""
    delivery.status = DeliveryStatus.SKIPPED
    delivery.last_error = reason
    delivery.updated_at = now


def _clock_from(now: datetime) -> Callable[[], datetime]:
    """Decisions use the tick's `now`; leases and records follow the real time a long
    batch takes."""
    started = time.monotonic()

    def current() -> datetime:
        return now + timedelta(seconds=time.monotonic() - started)

    return current


def _retry_at(failure: TransientFailure, now: datetime) -> datetime | None:
    """A long Retry-After sends the delivery back to the queue for exactly that long; a
    post maybe sent, until it can be verified with Slack."""
    if isinstance(failure, VerifyLater):
        return failure.at
    if isinstance(failure, RateLimited):
        return now + timedelta(seconds=failure.retry_after)
    return None


def _not_useful(item: DueItem) -> DueItem:
    return DueItem(
        item.delivery_id,
        item.kind,
        item.group_id,
        item.meeting_id,
        item.poll_id,
        useful=False,
        outbox=item.outbox,
    )
