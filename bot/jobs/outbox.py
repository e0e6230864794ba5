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
  after the request left). Never sent blindly again, because a duplicate is worse than a
  loss. A post is **verified** instead: every `chat.postMessage` made here carries
  message metadata naming its row (`partage_outbox`, key `<delivery id>:<step>`), and
  once the attempt has settled (`verify_after` after it started, so a request still in
  flight at Slack lands first; until then the delivery is requeued) the conversation's
  history is read: found, the row is recorded SENT with that ts; surely absent, it is
  marked RETRY and sent, once; history unreadable (missing scope, not in the channel) or
  too long to read, it stays maybe sent, logged once with its key. Idempotent calls
  (`reactions.add`, which Slack answers `already_reacted`) are simply made again; other
  calls (updates, thread replies) keep the maybe-sent rule.

A call that surely failed raises `TransientFailure` after recording RETRY; the dispatcher
then puts the delivery back in the queue with a backoff (or at now + Retry-After, or at
the time a maybe-sent post can be verified: `VerifyLater`).
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Insert, Table, Update, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot.config import ConfigError
from bot.db.engine import transaction
from bot.db.models import DeliveryMessage
from bot.domain.outbox import queue_call
from bot.enums import DeliveryKind, MessageStatus
from bot.jobs.claims import Claims
from bot.metrics import Metrics
from bot.outages import SLACK, outages
from bot.slack.notifier import (
    AmbiguousFailure,
    Notifier,
    PermanentFailure,
    Posted,
    SlackBudget,
    TransientFailure,
)
from bot.slack.text import is_user_id

logger = logging.getLogger(__name__)

# Recording an outcome is retried through a short database blip (a restart, a failover):
# losing the ts of a message that did go out turns it into "maybe sent".
RECORD_RETRY_DELAYS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
MAYBE_SENT_NOTE = "maybe sent: interrupted mid-call"
# Every note of a row left maybe sent starts so: the mark that it was logged, once.
MAYBE_SENT = "maybe sent"

# The metadata every outbox post carries, so a maybe-sent one can be found on Slack.
MARK_EVENT_TYPE = "partage_outbox"
# How long after an attempt started Slack's history is asked about it. It must outlast
# one call at its worst (checked at start, `check_verify_after`), so that a request still
# in flight at Slack has landed (or never will) when the history is read.
VERIFY_AFTER = timedelta(seconds=60)
# The history is read from the attempt's start minus this margin to its settle time plus
# it: a message's ts is Slack's clock, not ours.
CLOCK_MARGIN = timedelta(seconds=60)
# Read newest first, at most this many messages: a channel far busier than a group's
# (more than 1,000 messages in the window) leaves the post maybe sent.
HISTORY_PAGE_SIZE = 100
HISTORY_MAX_PAGES = 10


# Built once per variant: each delivery reserves and records through these, and building
# and compiling a statement costs more than running it (Core, on the table: no ORM work).
_MESSAGES = cast(Table, DeliveryMessage.__table__)


@functools.cache
def _reserve_statement(dialect: str) -> Insert:
    """Write the row SENDING unless (delivery, key) exists; RETURNING answers whether this
    call wrote it (psycopg's rowcount is -1 for an INSERT that returns rows)."""
    module = postgresql if dialect == "postgresql" else sqlite
    return (
        module.insert(_MESSAGES)
        .values(
            delivery_id=bindparam("reserved_for"),
            recipient=bindparam("reserved_key"),
            status=MessageStatus.SENDING,
            attempts=1,
            created_at=bindparam("reserved_at"),
            updated_at=bindparam("reserved_at"),
        )
        .on_conflict_do_nothing(index_elements=["delivery_id", "recipient"])
        .returning(_MESSAGES.c.id)
    )


@functools.cache
def _record_statement(*, touch: bool, placed: bool) -> Update:
    """An outcome on the attempt's own row only: a late answer to a call whose lease was
    lost does not undo what the verifier recorded."""
    values: dict[str, Any] = {"status": bindparam("recorded"), "error": bindparam("note")}
    if touch:
        values["updated_at"] = bindparam("at")
    if placed:
        values.update(channel_id=bindparam("placed_channel"), ts=bindparam("placed_ts"))
    return (
        update(_MESSAGES)
        .where(_MESSAGES.c.id == bindparam("message_id"))
        .where(_MESSAGES.c.status == MessageStatus.SENDING)
        .values(**values)
    )


def check_verify_after(verify_after: timedelta, budget: SlackBudget) -> None:
    """Refuse to start when a post could still be on its way to Slack when its history is
    read: it would be found absent, and sent a second time."""
    worst = budget.worst_case_seconds
    if verify_after.total_seconds() <= worst:
        raise ConfigError(
            f"OUTBOX_VERIFY_AFTER_SECONDS={verify_after.total_seconds():g} is too short: one "
            f"Slack call may take {worst:g} s at worst; set it above {worst:g}."
        )


def mark(delivery_id: int, key: str) -> dict[str, Any]:
    """The message metadata naming the outbox row (delivery, key)."""
    return {"event_type": MARK_EVENT_TYPE, "event_payload": {"key": mark_key(delivery_id, key)}}


def mark_key(delivery_id: int, key: str) -> str:
    return f"{delivery_id}:{key}"


class VerifyLater(TransientFailure):
    """A post may have gone out too recently to ask Slack: the delivery goes back to the
    queue until `at`, when its history can tell."""

    def __init__(self, key: str, at: datetime) -> None:
        super().__init__(f"{key} maybe sent: verified with Slack at {at.isoformat()}")
        self.at = at


@dataclass(frozen=True)
class _MaybeSent:
    """A SENDING row found by a rerun: its attempt started at `attempted_at`."""

    row_id: int
    attempted_at: datetime
    error: str | None


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
    # Maybe-sent posts checked on Slack: found there (recorded), or surely absent (sent).
    verified_sent: int = 0
    verified_absent: int = 0


Call = Callable[[], Posted | None]
# Work done in the transaction that records a step (see `Outbox.step`).
Finish = Callable[[Session], None]


class Outbox:
    def __init__(
        self,
        db: sessionmaker[Session],
        notifier: Notifier,
        claims: Claims,
        *,
        record_retry_delays: Sequence[float] = RECORD_RETRY_DELAYS,
        sleep: Callable[[float], None] = time.sleep,
        verify_after: timedelta = VERIFY_AFTER,
        metrics: Metrics | None = None,
    ) -> None:
        self._db = db
        self._metrics = metrics
        self.notifier = notifier
        self._claims = claims
        self._record_delays = tuple(record_retry_delays)
        self._sleep = sleep
        self.verify_after = verify_after

    def for_delivery(
        self,
        delivery_id: int,
        *,
        label: str,
        counts: OutboxCounts,
        current: Callable[[], datetime],
        kind: DeliveryKind | None = None,
    ) -> DeliveryOutbox:
        return DeliveryOutbox(self, delivery_id, label, counts, current, kind=kind)

    def _count(self, meter: tuple[str, str] | None, outcome: str) -> None:
        """One side effect's outcome in the metrics; `meter` is (kind, method)."""
        if self._metrics is not None and meter is not None:
            self._metrics.count_message(meter[0], meter[1], outcome)

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
        verify_in: str | None = None,
        meter: tuple[str, str] | None = None,
        finish: Finish | None = None,
    ) -> Step:
        """One side effect under (delivery, key). `verify_in` is where a post goes (a
        channel, or a user id for a DM): a maybe-sent one is then looked for there.
        `meter` (the delivery's kind, the Web API method) labels its outcome's count.
        `finish` runs in the transaction that records the call SENT or FAILED (a plan's
        last step settles its delivery there); it does not run when nothing is recorded
        so (a failure to retry, a maybe sent, a step an earlier run made)."""
        started = current()
        reserved = self._reserve(
            delivery_id, key, started, label=label, counts=counts, idempotent=idempotent
        )
        if isinstance(reserved, _MaybeSent):
            if verify_in is None:
                return self._leave_maybe_sent(reserved, MAYBE_SENT_NOTE, label, key, counts)
            verified = self._verify(
                delivery_id, key, reserved, verify_in, started, label=label, counts=counts
            )
            if isinstance(verified, Step) and verified.sent:
                self._count(meter, "found")
            if isinstance(verified, Step):
                return verified
            reserved = verified
        if isinstance(reserved, Step):
            return reserved
        try:
            posted = call()
        except PermanentFailure as failure:
            self._record(
                reserved, MessageStatus.FAILED, current(), error=failure.code, finish=finish
            )
            counts.failed += 1
            self._count(meter, "failed")
            logger.warning(
                "%s: not delivered to %s (%s), refused by Slack", label, key, failure.code
            )
            return Step(MessageStatus.FAILED, error=failure.code)
        except TransientFailure as failure:
            self._record(reserved, MessageStatus.RETRY, current(), error=failure.code)
            self._count(meter, "retried")
            outages().failed(SLACK, failure.code, effect="messages postponed")
            raise
        except AmbiguousFailure as failure:
            if idempotent:
                # Making it again does no harm, so "maybe done" is treated as "not done":
                # retried with the delivery, never left for an operator to check.
                self._record(reserved, MessageStatus.RETRY, current(), error=failure.code)
                self._count(meter, "retried")
                outages().failed(SLACK, failure.code, effect="messages postponed")
                raise TransientFailure(failure.code) from failure
            # Left SENDING, with the reason: it may have been posted. Its updated_at stays
            # the attempt's start, from which it is verified.
            self._record(
                reserved, MessageStatus.SENDING, current(), error=failure.code, touch=False
            )
            counts.ambiguous += 1
            self._count(meter, "maybe_sent")
            if verify_in is not None:
                at = started + self.verify_after
                logger.warning(
                    "%s: maybe delivered to %s (%s); checked with Slack at %s",
                    label,
                    key,
                    failure.code,
                    at.isoformat(),
                )
                raise VerifyLater(key, at) from failure
            logger.error(
                "%s: maybe delivered to %s (%s); not sent again, check the channel",
                label,
                key,
                failure.code,
            )
            return Step(MessageStatus.SENDING, error=failure.code)
        channel = posted.channel if posted else None
        ts = posted.ts if posted else None
        self._record(
            reserved, MessageStatus.SENT, current(), channel_id=channel, ts=ts, finish=finish
        )
        counts.sent += 1
        self._count(meter, "sent")
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
    ) -> int | Step | _MaybeSent:
        """The row id to call under, the Step an earlier run left (nothing to call), or
        the maybe-sent row an earlier attempt left. Renews the claim in the same
        transaction: no call starts on a lost lease."""
        with transaction(self._db) as session:
            self._claims.renew(delivery_id, now, session)
            dialect = session.get_bind().dialect.name
            inserted = session.execute(
                _reserve_statement(dialect),
                {"reserved_for": delivery_id, "reserved_key": key, "reserved_at": now},
            ).first()
            if inserted is not None:
                return int(inserted[0])
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
                return _MaybeSent(int(row.id), row.updated_at, row.error)
            return Step(row.status, row.channel_id, row.ts, error=row.error)

    def _leave_maybe_sent(
        self, row: _MaybeSent, note: str, label: str, key: str, counts: OutboxCounts
    ) -> Step:
        """Not sent again; logged once with its key (the note marks that it was)."""
        counts.not_resent += 1
        already_logged = row.error is not None and (
            # By an earlier run, or by the failed call itself (the error is its reason).
            row.error.startswith(MAYBE_SENT) or note == MAYBE_SENT_NOTE
        )
        if already_logged:
            return Step(MessageStatus.SENDING, error=row.error)
        if note == MAYBE_SENT_NOTE:
            logger.warning(
                "%s: the call to %s was interrupted; maybe delivered, not sent again", label, key
            )
        else:
            logger.warning("%s: %s maybe delivered, not sent again (%s)", label, key, note)
        with transaction(self._db) as session:
            session.execute(
                update(DeliveryMessage)
                .where(
                    DeliveryMessage.id == row.row_id,
                    DeliveryMessage.status == MessageStatus.SENDING,
                )
                .values(error=note)
                .execution_options(synchronize_session=False)
            )
        return Step(MessageStatus.SENDING, error=note)

    # --- a maybe-sent post, verified with Slack ---------------------------------------

    def _verify(
        self,
        delivery_id: int,
        key: str,
        row: _MaybeSent,
        recipient: str,
        now: datetime,
        *,
        label: str,
        counts: OutboxCounts,
    ) -> int | Step:
        """Look for the post on Slack once its attempt has settled: found, it is recorded
        SENT with its ts; surely absent, it is marked RETRY and reserved again (the row id
        to call under). Raises VerifyLater before the settle time, TransientFailure when
        Slack cannot be read now; leaves it maybe sent when the history is unreadable."""
        settled_at = row.attempted_at + self.verify_after
        if now < settled_at:
            logger.info(
                "%s: %s maybe sent at %s; checked with Slack at %s",
                label,
                key,
                row.attempted_at.isoformat(),
                settled_at.isoformat(),
            )
            raise VerifyLater(key, settled_at)
        try:
            channel = self.notifier.open_dm(recipient) if is_user_id(recipient) else recipient
            search = self.notifier.find_marked(
                channel,
                event_type=MARK_EVENT_TYPE,
                key=mark_key(delivery_id, key),
                oldest=(row.attempted_at - CLOCK_MARGIN).timestamp(),
                # A post of that attempt reached Slack by its settle time: a check made
                # days later does not read days of the channel.
                latest=(min(now, settled_at) + CLOCK_MARGIN).timestamp(),
                page_size=HISTORY_PAGE_SIZE,
                max_pages=HISTORY_MAX_PAGES,
            )
        except PermanentFailure as failure:
            why = row.error or "interrupted mid-call"
            note = f"{MAYBE_SENT}: {why}; history unreadable ({failure.code})"
            return self._leave_maybe_sent(row, note, label, key, counts)
        except TransientFailure as failure:
            logger.warning(
                "%s: %s maybe sent; Slack's history unreadable for now (%s), will retry",
                label,
                key,
                failure.code,
            )
            raise
        except AmbiguousFailure as failure:
            # A read is safe to make again.
            logger.warning(
                "%s: %s maybe sent; Slack's history did not answer (%s), will retry",
                label,
                key,
                failure.code,
            )
            raise TransientFailure(f"history: {failure.code}") from failure
        if search.found is not None:
            found = search.found
            self._record(row.row_id, MessageStatus.SENT, now, channel_id=found.channel, ts=found.ts)
            counts.verified_sent += 1
            logger.info(
                "%s: %s found on Slack (%s %s); recorded, not sent again",
                label,
                key,
                found.channel,
                found.ts,
            )
            return Step(MessageStatus.SENT, found.channel, found.ts, found.user)
        if not search.complete:
            note = f"{MAYBE_SENT}: history too long to check"
            return self._leave_maybe_sent(row, note, label, key, counts)
        with transaction(self._db) as session:
            marked = session.execute(
                update(DeliveryMessage)
                .where(
                    DeliveryMessage.id == row.row_id,
                    DeliveryMessage.status == MessageStatus.SENDING,
                )
                .values(status=MessageStatus.RETRY, error="not found on Slack", updated_at=now)
                .execution_options(synchronize_session=False)
            )
        if not marked.rowcount:  # type: ignore[attr-defined]
            return Step(MessageStatus.SENDING)
        counts.verified_absent += 1
        logger.warning("%s: %s not found on Slack; sending it now", label, key)
        reserved = self._reserve(
            delivery_id, key, now, label=label, counts=counts, idempotent=False
        )
        if isinstance(reserved, _MaybeSent):
            return Step(MessageStatus.SENDING, error=reserved.error)
        return reserved

    def _record(
        self,
        message_id: int,
        status: MessageStatus,
        now: datetime,
        *,
        error: str | None = None,
        channel_id: str | None = None,
        ts: str | None = None,
        touch: bool = True,
        finish: Finish | None = None,
    ) -> None:
        statement = _record_statement(touch=touch, placed=channel_id is not None)
        params = {
            "message_id": message_id,
            "recorded": status,
            "note": error,
            "at": now,
            "placed_channel": channel_id,
            "placed_ts": ts,
        }
        for attempt, delay in enumerate((*self._record_delays, None)):
            try:
                with transaction(self._db) as session:
                    session.execute(statement, params)
                    if finish is not None:
                        finish(session)
                return
            except DBAPIError as db_error:
                if delay is None:
                    raise
                outages().report(
                    logger,
                    db_error,
                    "outbox row %s: recording %s failed (attempt %s); retrying in %ss",
                    message_id,
                    status.value,
                    attempt + 1,
                    delay,
                    effect="outbox records retried",
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
        *,
        kind: DeliveryKind | None = None,
    ) -> None:
        self._outbox = outbox
        self.delivery_id = delivery_id
        self.kind = kind
        self.label = label
        self.counts = counts
        self.current = current

    def _step(
        self,
        key: str,
        call: Call,
        *,
        method: str,
        idempotent: bool = False,
        verify_in: str | None = None,
        finish: Finish | None = None,
    ) -> Step:
        return self._outbox.step(
            self.delivery_id,
            key,
            call,
            label=self.label,
            counts=self.counts,
            current=self.current,
            idempotent=idempotent,
            verify_in=verify_in,
            meter=(self.kind.value, method) if self.kind is not None else None,
            finish=finish,
        )

    def _marked(self, key: str, message: dict[str, Any]) -> dict[str, Any]:
        """The post with the metadata naming its row, so Slack's history can tell."""
        return {**message, "metadata": mark(self.delivery_id, key)}

    def status(self, key: str) -> MessageStatus | None:
        """What the outbox knows of this step; None if it was never reserved."""
        return self._outbox.status(self.delivery_id, key)

    def surely_not_sent(self, key: str) -> bool:
        """Never reserved, refused, or failed before reaching Slack: nobody saw it."""
        return self._outbox.status(self.delivery_id, key) in (
            None,
            MessageStatus.QUEUED,
            MessageStatus.RETRY,
            MessageStatus.FAILED,
        )

    def post(self, key: str, channel: str, message: dict[str, Any]) -> Step:
        """A post to a channel (or a user id, for a DM), verified with Slack if a rerun
        finds it maybe sent."""
        notifier = self._outbox.notifier
        marked = self._marked(key, message)
        return self._step(
            key,
            lambda: notifier.post(channel, marked),
            method="chat.postMessage",
            verify_in=_verifiable(channel, message),
        )

    def update(self, key: str, channel: str, ts: str, message: dict[str, Any]) -> Step:
        """`chat.update` with a message computed by this run: it replaces the whole
        message, so an interrupted one is simply made again (a repeat shows the same)."""
        notifier = self._outbox.notifier
        return self._step(
            key,
            lambda: notifier.update(channel, ts, message),
            method="chat.update",
            idempotent=True,
        )

    def reply_in_thread(
        self, key: str, channel: str, thread_ts: str, message: dict[str, Any]
    ) -> Step:
        """A short reply in a message's thread (`thread_ts`): the channel stays quiet."""
        notifier = self._outbox.notifier
        return self._step(
            key,
            lambda: notifier.post(channel, {**message, "thread_ts": thread_ts}),
            method="chat.postMessage",
        )

    def queued_calls(self, *, prefix: str) -> list[tuple[str, str, dict[str, Any]]]:
        """The calls queued for this delivery under keys starting with `prefix`."""
        return [c for c in self._outbox.queued(self.delivery_id) if c[0].startswith(prefix)]

    def perform(self, key: str, method: str, args: dict[str, Any]) -> Step:
        """One queued call, as it was queued."""
        notifier = self._outbox.notifier
        return self._step(key, lambda: notifier.perform(method, args), method=method)

    def drop(self, key: str, reason: str) -> None:
        """A queued call that will not be made (it would say nothing useful now)."""
        self._outbox.drop(self.delivery_id, key, reason, self.current())

    def react(self, key: str, channel: str, ts: str, emoji: str) -> Step:
        """`reactions.add`: Slack answers `already_reacted` to a repeat, so an interrupted
        one is simply made again."""
        notifier = self._outbox.notifier

        def call() -> None:
            notifier.add_reaction(channel, ts, emoji)

        return self._step(key, call, method="reactions.add", idempotent=True)

    def upload(
        self, key: str, user: str, *, filename: str, content: bytes, title: str, comment: str
    ) -> Step:
        """A file by DM (files.uploadV2), one step: reserved before the first of its
        calls, recorded after the one that shares it."""
        notifier = self._outbox.notifier

        def call() -> Posted:
            return notifier.upload_file(
                user, filename=filename, content=content, title=title, comment=comment
            )

        # files.uploadV2: getUploadURLExternal, the bytes, completeUploadExternal.
        return self._step(key, call, method="files.uploadV2")

    def queued(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(key, method, args) of every call queued for this delivery, in queue order."""
        return self._outbox.queued(self.delivery_id)

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
        for key, method, queued in self._outbox.queued(self.delivery_id):
            verify_in = None
            args = queued
            if method == "chat.postMessage":
                verify_in = _verifiable(str(queued.get("channel", "")), queued)
                args = self._marked(key, queued)

            def call(method: str = method, args: dict[str, Any] = args) -> Posted | None:
                return notifier.perform(method, args)

            steps.append(
                self._step(
                    key,
                    call,
                    method=method,
                    # Made again after "maybe done": a reaction is added once, an update
                    # replaces the whole message (a repeat shows the same).
                    idempotent=method in ("reactions.add", "chat.update"),
                    verify_in=verify_in,
                )
            )
        return steps

    def send_plan(self, plan: Sequence[Outgoing], *, finish: Finish | None = None) -> bool:
        """A sender's messages, one recipient at a time (keyed by recipient). Raises
        TransientFailure when Slack could not be reached: the rest waits for the retry,
        those already served are not served again. A message maybe sent does not hold up
        the others: they go, then VerifyLater requeues the delivery until it can be
        checked.

        `finish` (the delivery's settlement) runs in the transaction that records the
        last message, when nothing before it has to be verified: one commit a delivery
        fewer. Returns whether it ran; if not, the caller settles on its own."""
        notifier = self._outbox.notifier
        later: VerifyLater | None = None
        finished = False

        def finish_once(session: Session) -> None:
            nonlocal finished
            assert finish is not None
            finish(session)
            finished = True

        for index, outgoing in enumerate(plan):
            marked = self._marked(outgoing.recipient, outgoing.message)
            last = index == len(plan) - 1

            def call(outgoing: Outgoing = outgoing, marked: dict[str, Any] = marked) -> Posted:
                return notifier.post(outgoing.recipient, marked)

            try:
                self._step(
                    outgoing.recipient,
                    call,
                    method="chat.postMessage",
                    verify_in=_verifiable(outgoing.recipient, outgoing.message),
                    finish=finish_once if last and later is None and finish else None,
                )
            except VerifyLater as pending:
                if later is None or pending.at > later.at:
                    later = pending
        if later is not None:
            raise later
        return finished


def _verifiable(channel: str, message: dict[str, Any]) -> str | None:
    """Where a maybe-sent post can be looked for: its channel (or user id), unless it is
    a thread reply, which a channel's history does not list."""
    return None if message.get("thread_ts") else channel
