"""The one APScheduler job each process runs: tick the dispatcher every few seconds.

APScheduler only provides the tick. Its job stores are never shared between processes
(measured: duplicate and lost runs, see docs/architecture.md); what is due lives in the
database and every process claims from it. Hence a memory job store, one interval job,
`max_instances=1` (a slow tick is never overlapped by the next) and `coalesce` (ticks
missed while the machine slept collapse into one).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from bot.clock import Clock
from bot.jobs.dispatcher import DispatchReport
from bot.outages import outages

logger = logging.getLogger(__name__)

JOB_ID = "dispatch_due"
HOUSEKEEPING_JOB_ID = "housekeeping"
# Retention purges need no precision: once a day per process (idempotent deletes, so
# several processes doing it is harmless), and once at start.
HOUSEKEEPING_INTERVAL_SECONDS = 24 * 3600.0


class DueDispatcher(Protocol):
    """What the job ticks: `bot.jobs.dispatcher.Dispatcher`."""

    def dispatch_due(
        self, now: datetime, should_stop: Callable[[], bool] = ...
    ) -> DispatchReport: ...


def process_identity() -> str:
    """hostname:pid plus a random tag: a restarted container often has the same hostname
    and pid 1, and must not mistake the claims of its previous life for its own."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"[-64:]


@dataclass
class DispatchLoop:
    scheduler: BackgroundScheduler
    stopping: threading.Event
    # One tick, as the interval job runs it (tests call it with their clock).
    tick: Callable[[], None]

    def start(self) -> None:
        self.scheduler.start()
        logger.info("dispatcher started")

    def stop(self) -> None:
        """Let the tick in progress finish the delivery it is sending, hand the rest of
        its batch back, and wait for it."""
        self.stopping.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        logger.info("dispatcher stopped")


class _SkipOverlapNotice(logging.Filter):
    """A tick still running when the next one is due is the design (`max_instances=1`:
    the next tick simply does not start), not a warning worth a line every interval."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


def build_dispatch_loop(
    dispatcher: DueDispatcher,
    clock: Clock,
    interval_seconds: float,
    *,
    housekeeping: Callable[[datetime], object] | None = None,
    housekeeping_interval_seconds: float = HOUSEKEEPING_INTERVAL_SECONDS,
) -> DispatchLoop:
    """The dispatcher's tick and, when given, `housekeeping(now)` (the retention purges)
    on its own slow interval job in the same memory store."""
    stopping = threading.Event()

    def tick() -> None:
        # Batch after batch until nothing is due: 10,000 groups reminded at the same hour
        # must not wait one interval per batch of 25.
        try:
            while not stopping.is_set():
                report = dispatcher.dispatch_due(clock.now(), should_stop=stopping.is_set)
                if not report.claimed:
                    return
                log_report(report)
        except Exception as error:
            # Retried at the next tick. Caught here rather than by APScheduler, which
            # would log every tick of a database outage with its traceback.
            outages().report(
                logger,
                error,
                "dispatcher tick failed; retried at the next tick",
                effect="dispatcher ticks failed",
            )

    def log_report(report: DispatchReport) -> None:
        if report.claimed:
            logger.info(
                "tick: %s claimed (%s taken over), %s done, %s skipped, %s cancelled, "
                "%s to retry, %s messages sent, %s failed",
                report.claimed,
                report.reclaimed,
                report.done,
                report.skipped,
                report.cancelled,
                report.retried,
                report.sent,
                report.failed,
            )

    # One line per tick from APScheduler would drown the log at a 15 s interval.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    scheduler_log = logging.getLogger("apscheduler.scheduler")
    if not any(isinstance(f, _SkipOverlapNotice) for f in scheduler_log.filters):
        scheduler_log.addFilter(_SkipOverlapNotice())
    scheduler = BackgroundScheduler(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        timezone=UTC,
    )
    scheduler.add_job(
        tick,
        "interval",
        seconds=interval_seconds,
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=max(1, round(interval_seconds)),
        next_run_time=datetime.now(UTC),
    )
    if housekeeping is not None:
        run_housekeeping = housekeeping

        def housekeep() -> None:
            try:
                run_housekeeping(clock.now())
            except Exception as error:
                # Retried at the next interval; the dispatcher is not affected.
                outages().report(
                    logger,
                    error,
                    "housekeeping failed; retried at the next interval",
                    effect="housekeeping runs failed",
                )

        scheduler.add_job(
            housekeep,
            "interval",
            seconds=housekeeping_interval_seconds,
            id=HOUSEKEEPING_JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(1, round(housekeeping_interval_seconds)),
            next_run_time=datetime.now(UTC),
        )
    return DispatchLoop(scheduler, stopping, tick)
