"""Claims and leases: which process works on which delivery, and for how long.

A claim is a lease (`claimed_by`, `claimed_until`). It is taken in one short transaction:
`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL (two processes never claim the same row
and never wait on each other), `BEGIN IMMEDIATE` on SQLite (one writer at a time). Rows
whose claimer died are taken over once the lease lapses.

A live worker never lets its lease lapse: a `Heartbeat` renews it while a delivery is
worked, and the outbox renews it before each Slack call. The lease must also outlast one
Slack call at its worst (`check_lease`, at start), so even a stalled heartbeat cannot
hand a delivery to another process mid-call.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.config import ConfigError
from bot.db.engine import transaction
from bot.db.models import Delivery
from bot.enums import DeliveryKind, DeliveryStatus
from bot.slack.notifier import SlackBudget

logger = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 10
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(minutes=30)


# Built once: a delivery renews its lease and settles through these, and building and
# compiling an update costs more than running it (Core, on the table: no ORM work).
_DELIVERIES = cast(Table, Delivery.__table__)
_OURS = (
    _DELIVERIES.c.id == bindparam("delivery_id"),
    _DELIVERIES.c.status == DeliveryStatus.CLAIMED,
    _DELIVERIES.c.claimed_by == bindparam("claimer"),
)
_RENEW = update(_DELIVERIES).where(*_OURS).values(claimed_until=bindparam("until"))
_SETTLE = (
    update(_DELIVERIES)
    .where(*_OURS)
    .values(status=bindparam("settled"), updated_at=bindparam("at"), last_error=bindparam("error"))
)
_SETTLE_DONE = _SETTLE.values(done_at=bindparam("at"))


class LostClaim(Exception):
    """Our lease lapsed and another process took the delivery over."""


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min... capped at 30 min: a Slack outage is usually short."""
    return min(FIRST_BACKOFF * (2 ** max(0, attempts - 1)), MAX_BACKOFF)


def check_lease(lease: timedelta, budget: SlackBudget) -> None:
    """Refuse to start when one Slack call may outlast the lease: another process would
    take the delivery over while this one is still waiting for Slack's answer."""
    worst = budget.worst_case_seconds
    if lease.total_seconds() <= worst:
        raise ConfigError(
            f"DISPATCH_LEASE_SECONDS={lease.total_seconds():g} is too short: one Slack call "
            f"may take {worst:g} s at worst ({budget.rate_limit_retries + 1} tries of "
            f"{budget.timeout_seconds:g} s and {budget.rate_limit_retries} Retry-After waits "
            f"of up to {budget.max_wait_seconds:g} s); set it above {worst:g}."
        )


@dataclass
class ClaimCounts:
    claimed: int = 0
    reclaimed: int = 0


@dataclass(frozen=True)
class Settled:
    """How `retry_later` left a delivery: back in the queue, or given up."""

    given_up: bool
    attempts: int


class Claims:
    """Every write to a delivery's claim goes through here, guarded by `claimed_by`."""

    def __init__(self, db: sessionmaker[Session], *, process_id: str, lease: timedelta) -> None:
        self._db = db
        self.process_id = process_id[:64]
        self.lease = lease
        self._heartbeat = Heartbeat(self)

    def claim(
        self, now: datetime, kinds: Sequence[DeliveryKind], batch: int, counts: ClaimCounts
    ) -> list[int]:
        """Up to `batch` due rows, then lapsed claims of dead processes."""
        if not kinds:
            return []
        with transaction(self._db) as session:
            ids = list(
                session.scalars(
                    select(Delivery.id)
                    .where(
                        Delivery.status == DeliveryStatus.PLANNED,
                        Delivery.available_at <= now,
                        Delivery.kind.in_(kinds),
                    )
                    .order_by(Delivery.available_at, Delivery.id)
                    .limit(batch)
                    .with_for_update(skip_locked=True)
                ).all()
            )
            room = batch - len(ids)
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
                counts.reclaimed = len(orphans)
            if ids:
                self._mark_claimed(session, ids, now)
        counts.claimed = len(ids)
        return ids

    def claim_one(self, delivery_id: int, now: datetime) -> bool:
        """Claim one planned delivery at once, whatever its `available_at` (a command
        asks for its poll to be posted now). False when it is not waiting any more."""
        with transaction(self._db) as session:
            row = session.scalars(
                select(Delivery.id)
                .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PLANNED)
                .with_for_update(skip_locked=True)
            ).one_or_none()
            if row is None:
                return False
            self._mark_claimed(session, [delivery_id], now)
        return True

    def _mark_claimed(self, session: Session, ids: list[int], now: datetime) -> None:
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(
                status=DeliveryStatus.CLAIMED,
                claimed_by=self.process_id,
                claimed_until=now + self.lease,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )

    def renew(self, delivery_id: int, now: datetime, session: Session | None = None) -> None:
        """Push our lease to `now + lease`; LostClaim if the delivery is no longer ours."""
        params = {"delivery_id": delivery_id, "claimer": self.process_id, "until": now + self.lease}
        if session is not None:
            renewed = session.execute(_RENEW, params)
        else:
            with transaction(self._db) as own:
                renewed = own.execute(_RENEW, params)
        if not renewed.rowcount:  # type: ignore[attr-defined]
            raise LostClaim()

    def release(self, ids: list[int], now: datetime) -> int:
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

    def settle(
        self,
        delivery_id: int,
        status: DeliveryStatus,
        now: datetime,
        error: str | None = None,
    ) -> bool:
        """DONE, SKIPPED or CANCELLED, if the claim is still ours."""
        with transaction(self._db) as session:
            return self.settle_in(session, delivery_id, status, now, error)

    def settle_in(
        self,
        session: Session,
        delivery_id: int,
        status: DeliveryStatus,
        now: datetime,
        error: str | None = None,
    ) -> bool:
        """`settle` in the caller's transaction (the one recording a plan's last step)."""
        result = session.execute(
            _SETTLE_DONE if status == DeliveryStatus.DONE else _SETTLE,
            {
                "delivery_id": delivery_id,
                "claimer": self.process_id,
                "settled": status,
                "at": now,
                "error": error,
            },
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def gives_up(self, delivery_id: int, now: datetime, at: datetime | None) -> bool:
        """Whether one more failure would exhaust the delivery's retries (MAX_ATTEMPTS,
        or a retry past its usefulness)."""
        with transaction(self._db) as session:
            delivery = session.get(Delivery, delivery_id)
            if delivery is None:
                return False
            attempts = delivery.attempts + 1
            next_try = at if at is not None else now + backoff(attempts)
            return attempts >= MAX_ATTEMPTS or next_try >= delivery.expires_at

    def retry_later(
        self,
        delivery_id: int,
        now: datetime,
        error: str,
        *,
        at: datetime | None = None,
        may_give_up: bool = True,
    ) -> Settled | None:
        """Back to PLANNED at `at` (default: a backoff counted from `now`). Given up
        (SKIPPED, logged) after MAX_ATTEMPTS or when the retry would come after the
        item's usefulness, unless `may_give_up` is False (a state change still to make
        is retried for as long as it takes). None when the claim is no longer ours."""
        with transaction(self._db) as session:
            delivery = session.get(Delivery, delivery_id)
            if (
                delivery is None
                or delivery.status != DeliveryStatus.CLAIMED
                or delivery.claimed_by != self.process_id
            ):
                return None
            delivery.attempts += 1
            delivery.last_error = error
            delivery.updated_at = now
            delivery.claimed_by = None
            delivery.claimed_until = None
            next_try = at if at is not None else now + backoff(delivery.attempts)
            too_late = delivery.attempts >= MAX_ATTEMPTS or next_try >= delivery.expires_at
            if too_late and may_give_up:
                delivery.status = DeliveryStatus.SKIPPED
                delivery.last_error = f"gave up after {delivery.attempts} attempt(s): {error}"
                logger.error(
                    "delivery %s (%s) given up after %s attempt(s): %s",
                    delivery.id,
                    delivery.kind.value,
                    delivery.attempts,
                    error,
                )
                return Settled(given_up=True, attempts=delivery.attempts)
            if too_late:
                next_try = now + backoff(min(delivery.attempts, MAX_ATTEMPTS))
            delivery.status = DeliveryStatus.PLANNED
            delivery.available_at = next_try
            logger.warning(
                "delivery %s (%s) will be retried at %s (attempt %s): %s",
                delivery.id,
                delivery.kind.value,
                next_try.isoformat(),
                delivery.attempts,
                error,
            )
            return Settled(given_up=False, attempts=delivery.attempts)

    @contextmanager
    def heartbeat(self, delivery_id: int, current: Callable[[], datetime]) -> Iterator[None]:
        """Renew the lease every third of it while the block runs: a slow Slack answer or
        a long job never lets the lease lapse under a live worker."""
        self._heartbeat.add(delivery_id, current)
        try:
            yield
        finally:
            self._heartbeat.remove(delivery_id)


class Heartbeat:
    """One thread per process renews the leases of the deliveries being worked, every
    third of the lease. Not one thread per delivery: starting and joining a thread cost
    more than the rest of a delivery's bookkeeping when the process is busy (measured:
    1.5-2.9 ms a delivery, with the dispatcher's thread waiting for the GIL).

    The thread stops after a beat with nothing to renew, and starts again with the next
    delivery. A renewal holds the lock, so once `remove` returns the delivery is never
    renewed again (no late renewal after it was settled). A failed renewal (database
    blip) is logged and tried again at the next beat; a lost claim stops its renewals.
    """

    def __init__(self, claims: Claims) -> None:
        self._claims = claims
        self._interval = max(claims.lease.total_seconds() / 3, 0.05)
        self._lock = threading.Lock()
        self._working: dict[int, Callable[[], datetime]] = {}
        self._thread: threading.Thread | None = None

    def add(self, delivery_id: int, current: Callable[[], datetime]) -> None:
        with self._lock:
            self._working[delivery_id] = current
            if self._thread is None:
                self._thread = threading.Thread(target=self._beat, name="lease", daemon=True)
                self._thread.start()

    def remove(self, delivery_id: int) -> None:
        with self._lock:
            self._working.pop(delivery_id, None)

    def _beat(self) -> None:
        while True:
            time.sleep(self._interval)
            with self._lock:
                if not self._working:
                    self._thread = None
                    return
                ids = list(self._working)
            for delivery_id in ids:
                with self._lock:
                    current = self._working.get(delivery_id)
                    if current is None:
                        continue
                    try:
                        self._claims.renew(delivery_id, current())
                    except LostClaim:
                        logger.warning("delivery %s: lease lost while working on it", delivery_id)
                        del self._working[delivery_id]
                    except Exception:
                        logger.warning(
                            "delivery %s: lease renewal failed", delivery_id, exc_info=True
                        )
