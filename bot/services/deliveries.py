"""Asking for one delivery to be worked at once, without the listener knowing the
dispatcher: `bootstrap` attaches the dispatcher's `run_now` at start."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.db.engine import read_transaction
from bot.db.models import Delivery
from bot.enums import DeliveryStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryState:
    """Where a delivery stands after being run: DONE, PLANNED again (a retry is
    scheduled), CLAIMED (another process has it)..., with its last error."""

    status: DeliveryStatus | None
    last_error: str | None


class RunsDeliveries(Protocol):
    """The dispatcher, as seen from here."""

    def run_now(self, delivery_id: int, now: datetime) -> object: ...


class ImmediateDeliveries:
    """Runs a delivery now in the caller's thread (a listener's after-ack work), so the
    member does not wait for the next tick; the tick would send it otherwise."""

    def __init__(self, db: sessionmaker[Session]) -> None:
        self._db = db
        self._runner: RunsDeliveries | None = None
        self._clock: Clock | None = None

    def attach(self, runner: RunsDeliveries, clock: Clock) -> None:
        self._runner = runner
        self._clock = clock

    def run_now(self, delivery_id: int) -> DeliveryState:
        if self._runner is None or self._clock is None:
            logger.info("delivery %s: no dispatcher here; the next tick sends it", delivery_id)
        else:
            self._runner.run_now(delivery_id, self._clock.now())
        with read_transaction(self._db) as session:
            delivery = session.get(Delivery, delivery_id)
            if delivery is None:
                return DeliveryState(None, None)
            return DeliveryState(delivery.status, delivery.last_error)
