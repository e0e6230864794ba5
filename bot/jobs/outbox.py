"""The outbox: every Slack side effect of a delivery, at most once.

Each side effect has a key within its delivery: a recipient for a reminder, a named step
for a job (`post`, `reaction:one`, `result`, `update`). Before the Web API call, the row
(delivery, key) is written as SENDING and committed (renewing the lease in the same
transaction); after it, the outcome is recorded with the message's channel and ts. A
later run that finds the row acts on what it says:

- SENT: done; its channel and ts are returned, so the next steps can use them.
- FAILED: Slack refused it for good (user_not_found, not_in_channel...); not tried again.
- RETRY, QUEUED: surely not delivered (connection refused, 5xx, 429) or not tried yet:
  sent now.
- SENDING: **maybe sent** (a crash between reserve and record, a read timeout, a reset
  after the request left). Never sent again, because a duplicate is worse than a late
  manual fix; logged once with its key. Idempotent calls (`reactions.add`, which Slack
  answers `already_reacted`) are the exception: they are simply made again.

A call that surely failed raises `TransientFailure` after recording RETRY; the dispatcher
then puts the delivery back in the queue with a backoff (or at now + Retry-After).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.db.models import DeliveryMessage
from bot.domain.db_helpers import insert_returning_id
from bot.domain.outbox import queue_call
from bot.enums import MessageStatus
from bot.jobs.claims import Claims
from bot.slack.notifier import (
    AmbiguousFailure,
    Notifier,
    PermanentFailure,
    Posted,
    TransientFailure,
)

logger = logging.getLogger(__name__)

# Recording an outcome is retried through a short database blip (a restart, a failover):
# losing the ts of a message that did go out turns it into "maybe sent".
RECORD_RETRY_DELAYS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
MAYBE_SENT_NOTE = "maybe sent: interrupted mid-call"


@dataclass(frozen=True)
class Outgoing:
    """One message to one recipient: a channel id, or a user id for a DM."""

    recipient: str
    message: dict[str, Any]


@dataclass(frozen=True)
class Step:
    """What became of one side effect: SENT (with where), FAILED, or SENDING (maybe
    sent: its ts is unknown)."""

    status: MessageStatus
    channel: str | None = None
    ts: str | None = None
    user: str | None = None
    error: str | None = None

    @property
    def sent(self) -> bool:
        return self.status == MessageStatus.SENT

    def where(self) -> Posted | None:
        if self.channel is None or self.ts is None:
            return None
        return Posted(self.channel, self.ts, self.user)


@dataclass
class OutboxCounts:
    sent: int = 0
    failed: int = 0
    ambiguous: int = 0
    not_resent: int = 0


Call = Callable[[], Posted | None]


class Outbox:
    def __init__(
        self,
        db: sessionmaker[Session],
        notifier: Notifier,
        claims: Claims,
        *,
        record_retry_delays: Sequence[float] = RECORD_RETRY_DELAYS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._db = db
        self.notifier = notifier
        self._claims = claims
        self._record_delays = tuple(record_retry_delays)
        self._sleep = sleep

    def for_delivery(
        self,
        delivery_id: int,
        *,
        label: str,
        counts: OutboxCounts,
        current: Callable[[], datetime],
    ) -> DeliveryOutbox:
        return DeliveryOutbox(self, delivery_id, label, counts, current)

    # --- one step: reserve, call, record ---------------------------------------------

    def step(
        self,
        delivery_id: int,
        key: str,
        call: Call,
        *,
        label: str,
        counts: OutboxCounts,
        current: Callable[[], datetime],
        idempotent: bool = False,
    ) -> Step:
        reserved = self._reserve(
            delivery_id, key, current(), label=label, counts=counts, idempotent=idempotent
        )
        if isinstance(reserved, Step):
            return reserved
        try:
            posted = call()
        except PermanentFailure as failure:
            self._record(reserved, MessageStatus.FAILED, current(), error=failure.code)
            counts.failed += 1
            logger.warning(
                "%s: not delivered to %s (%s), refused by Slack", label, key, failure.code
            )
            return Step(MessageStatus.FAILED, error=failure.code)
        except TransientFailure as failure:
            self._record(reserved, MessageStatus.RETRY, current(), error=failure.code)
            logger.warning("%s: %s not delivered (%s); will retry", label, key, failure.code)
            raise
        except AmbiguousFailure as failure:
            # Left SENDING, with the reason: it may have been posted.
            self._record(reserved, MessageStatus.SENDING, current(), error=failure.code)
            counts.ambiguous += 1
            logger.error(
                "%s: maybe delivered to %s (%s); not sent again, check the channel",
                label,
                key,
                failure.code,
            )
            return Step(MessageStatus.SENDING, error=failure.code)
        channel = posted.channel if posted else None
        ts = posted.ts if posted else None
        self._record(reserved, MessageStatus.SENT, current(), channel_id=channel, ts=ts)
        counts.sent += 1
        return Step(MessageStatus.SENT, channel, ts, posted.user if posted else None)

    def _reserve(
        self,
        delivery_id: int,
        key: str,
        now: datetime,
        *,
        label: str,
        counts: OutboxCounts,
        idempotent: bool,
    ) -> int | Step:
        """The row id to call under, or the Step an earlier run left (nothing to call).
        Renews the claim in the same transaction: no call starts on a lost lease."""
        with transaction(self._db) as session:
            self._claims.renew(delivery_id, now, session)
            inserted = insert_returning_id(
                session,
                DeliveryMessage.__table__,  # type: ignore[arg-type]
                {
                    "delivery_id": delivery_id,
                    "recipient": key,
                    "status": MessageStatus.SENDING.value,
                    "attempts": 1,
                    "created_at": now,
                    "updated_at": now,
                },
                ["delivery_id", "recipient"],
            )
            if inserted is not None:
                return inserted
            row = session.scalars(
                select(DeliveryMessage).where(
                    DeliveryMessage.delivery_id == delivery_id,
                    DeliveryMessage.recipient == key,
                )
            ).one()
            resumable = (MessageStatus.RETRY, MessageStatus.QUEUED)
            if row.status in resumable or (row.status == MessageStatus.SENDING and idempotent):
                resumed = session.execute(
                    update(DeliveryMessage)
                    .where(DeliveryMessage.id == row.id, DeliveryMessage.status == row.status)
                    .values(
                        status=MessageStatus.SENDING,
                        attempts=DeliveryMessage.attempts + 1,
                        updated_at=now,
                    )
                    .execution_options(synchronize_session=False)
                )
                if resumed.rowcount:  # type: ignore[attr-defined]
                    return int(row.id)
                return Step(MessageStatus.SENDING)
            if row.status == MessageStatus.SENDING:
                counts.not_resent += 1
                if row.error is None:
                    # Logged once: the note marks that it was.
                    row.error = MAYBE_SENT_NOTE
                    row.updated_at = now
                    logger.warning(
                        "%s: the call to %s was interrupted; maybe delivered, not sent again",
                        label,
                        key,
                    )
                return Step(MessageStatus.SENDING, error=row.error)
            return Step(row.status, row.channel_id, row.ts, error=row.error)

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
        for attempt, delay in enumerate((*self._record_delays, None)):
            try:
                with transaction(self._db) as session:
                    session.execute(
                        update(DeliveryMessage)
                        .where(DeliveryMessage.id == message_id)
                        .values(**values)
                        .execution_options(synchronize_session=False)
                    )
                return
            except DBAPIError:
                if delay is None:
                    raise
                logger.warning(
                    "outbox row %s: recording %s failed (attempt %s); retrying in %ss",
                    message_id,
                    status.value,
                    attempt + 1,
                    delay,
                    exc_info=True,
                )
                self._sleep(delay)

    def status(self, delivery_id: int, key: str) -> MessageStatus | None:
        """What the outbox knows of (delivery, key); None if it was never reserved."""
        with transaction(self._db) as session:
            return session.scalars(
                select(DeliveryMessage.status).where(
                    DeliveryMessage.delivery_id == delivery_id,
                    DeliveryMessage.recipient == key,
                )
            ).one_or_none()

    # --- queued calls ----------------------------------------------------------------

    def drop(self, delivery_id: int, key: str, reason: str, now: datetime) -> None:
        """Settle a still-queued call as FAILED with `reason`: never sent, logged."""
        with transaction(self._db) as session:
            session.execute(
                update(DeliveryMessage)
                .where(
                    DeliveryMessage.delivery_id == delivery_id,
                    DeliveryMessage.recipient == key,
                    DeliveryMessage.status == MessageStatus.QUEUED,
                )
                .values(status=MessageStatus.FAILED, error=reason, updated_at=now)
                .execution_options(synchronize_session=False)
            )
        logger.info("delivery %s: %s not sent (%s)", delivery_id, key, reason)

    def queued(self, delivery_id: int) -> list[tuple[str, str, dict[str, Any]]]:
        """(key, method, args) of every call queued for the delivery, in queue order."""
        with transaction(self._db) as session:
            rows = session.execute(
                select(DeliveryMessage.recipient, DeliveryMessage.payload)
                .where(
                    DeliveryMessage.delivery_id == delivery_id,
                    DeliveryMessage.payload.is_not(None),
                )
                .order_by(DeliveryMessage.id)
            ).all()
        calls = []
        for key, payload in rows:
            data = json.loads(payload)
            calls.append((str(key), str(data["method"]), dict(data["args"])))
        return calls


class DeliveryOutbox:
    """The outbox bound to one claimed delivery: what a job sends through."""

    def __init__(
        self,
        outbox: Outbox,
        delivery_id: int,
        label: str,
        counts: OutboxCounts,
        current: Callable[[], datetime],
    ) -> None:
        self._outbox = outbox
        self.delivery_id = delivery_id
        self.label = label
        self.counts = counts
        self.current = current

    def _step(self, key: str, call: Call, *, idempotent: bool = False) -> Step:
        return self._outbox.step(
            self.delivery_id,
            key,
            call,
            label=self.label,
            counts=self.counts,
            current=self.current,
            idempotent=idempotent,
        )

    def surely_not_sent(self, key: str) -> bool:
        """Never reserved, refused, or failed before reaching Slack: nobody saw it."""
        return self._outbox.status(self.delivery_id, key) in (
            None,
            MessageStatus.QUEUED,
            MessageStatus.RETRY,
            MessageStatus.FAILED,
        )

    def post(self, key: str, channel: str, message: dict[str, Any]) -> Step:
        notifier = self._outbox.notifier
        return self._step(key, lambda: notifier.post(channel, message))

    def update(self, key: str, channel: str, ts: str, message: dict[str, Any]) -> Step:
        notifier = self._outbox.notifier
        return self._step(key, lambda: notifier.update(channel, ts, message))

    def reply_in_thread(
        self, key: str, channel: str, thread_ts: str, message: dict[str, Any]
    ) -> Step:
        """A short reply in a message's thread (`thread_ts`): the channel stays quiet."""
        notifier = self._outbox.notifier
        return self._step(key, lambda: notifier.post(channel, {**message, "thread_ts": thread_ts}))

    def queued_calls(self, *, prefix: str) -> list[tuple[str, str, dict[str, Any]]]:
        """The calls queued for this delivery under keys starting with `prefix`."""
        return [c for c in self._outbox.queued(self.delivery_id) if c[0].startswith(prefix)]

    def perform(self, key: str, method: str, args: dict[str, Any]) -> Step:
        """One queued call, as it was queued."""
        notifier = self._outbox.notifier
        return self._step(key, lambda: notifier.perform(method, args))

    def drop(self, key: str, reason: str) -> None:
        """A queued call that will not be made (it would say nothing useful now)."""
        self._outbox.drop(self.delivery_id, key, reason, self.current())

    def react(self, key: str, channel: str, ts: str, emoji: str) -> Step:
        """`reactions.add`: Slack answers `already_reacted` to a repeat, so an interrupted
        one is simply made again."""
        notifier = self._outbox.notifier

        def call() -> None:
            notifier.add_reaction(channel, ts, emoji)

        return self._step(key, call, idempotent=True)

    def queue(
        self, session: Session, key: str, method: str, args: dict[str, Any], now: datetime
    ) -> bool:
        """Queue a call in the caller's transaction (see `bot.domain.outbox`)."""
        return queue_call(
            session, delivery_id=self.delivery_id, key=key, method=method, args=args, now=now
        )

    def flush(self) -> list[Step]:
        """Send what is queued for this delivery, in order; each at most once."""
        notifier = self._outbox.notifier
        steps = []
        for key, method, args in self._outbox.queued(self.delivery_id):

            def call(method: str = method, args: dict[str, Any] = args) -> Posted | None:
                return notifier.perform(method, args)

            steps.append(self._step(key, call, idempotent=method == "reactions.add"))
        return steps

    def send_plan(self, plan: Sequence[Outgoing]) -> None:
        """A sender's messages, one recipient at a time (keyed by recipient). Raises
        TransientFailure when Slack could not be reached: the rest waits for the retry,
        those already served are not served again."""
        notifier = self._outbox.notifier
        for outgoing in plan:

            def call(outgoing: Outgoing = outgoing) -> Posted:
                return notifier.post(outgoing.recipient, outgoing.message)

            self._step(outgoing.recipient, call)
