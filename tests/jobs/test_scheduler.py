"""The APScheduler side: one memory-store interval job per process that ticks the
dispatcher with the clock's `now`, and a shutdown that lets the tick finish."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs.dispatcher import DispatchReport
from bot.jobs.scheduler import (
    HOUSEKEEPING_JOB_ID,
    JOB_ID,
    build_dispatch_loop,
    process_identity,
)
from tests.support.clock import ManualClock

NOW = datetime(2027, 1, 7, 9, 0, tzinfo=UTC)


class RecordingDispatcher:
    """Stands in for the dispatcher: records each tick's `now` and its stop flag."""

    def __init__(self, hold: threading.Event | None = None) -> None:
        self.ticks: list[datetime] = []
        self.stop_seen: list[bool] = []
        self.hold = hold
        self.entered = threading.Event()

    def dispatch_due(self, now, should_stop=lambda: False) -> DispatchReport:
        self.ticks.append(now)
        self.entered.set()
        if self.hold is not None:
            self.hold.wait(timeout=10)
        self.stop_seen.append(should_stop())
        return DispatchReport()


def wait_for(predicate, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_dispatch_loop_one_memory_job_that_never_overlaps():
    loop = build_dispatch_loop(RecordingDispatcher(), ManualClock(NOW), 15)

    job = loop.scheduler.get_job(JOB_ID)

    assert len(loop.scheduler.get_jobs()) == 1
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == timedelta(seconds=15)
    assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 15)
    assert isinstance(loop.scheduler._jobstores["default"], MemoryJobStore)


def test_dispatch_loop_ticks_with_the_clock_and_stops():
    clock = ManualClock(NOW)
    dispatcher = RecordingDispatcher()
    loop = build_dispatch_loop(dispatcher, clock, 0.05)

    loop.start()
    wait_for(lambda: len(dispatcher.ticks) >= 1)
    clock.advance(timedelta(minutes=1))
    wait_for(lambda: NOW + timedelta(minutes=1) in dispatcher.ticks)
    loop.stop()

    assert dispatcher.ticks[0] == NOW
    assert not loop.scheduler.running


def test_dispatch_loop_stop_waits_for_the_running_tick_and_flags_it():
    hold = threading.Event()
    dispatcher = RecordingDispatcher(hold)
    loop = build_dispatch_loop(dispatcher, ManualClock(NOW), 0.05)
    loop.start()
    dispatcher.entered.wait(timeout=10)

    stopper = threading.Thread(target=loop.stop)
    stopper.start()
    wait_for(loop.stopping.is_set)
    hold.set()
    stopper.join(timeout=10)

    assert dispatcher.stop_seen[-1] is True
    assert not stopper.is_alive()


def test_process_identity_is_unique_per_process_life():
    first, second = process_identity(), process_identity()

    assert first != second
    assert first.rsplit(":", 2)[1].isdigit()
    assert len(first) <= 64


def test_dispatch_loop_overlap_notice_is_not_logged(caplog):
    build_dispatch_loop(RecordingDispatcher(), ManualClock(NOW), 15)
    log = logging.getLogger("apscheduler.scheduler")

    with caplog.at_level(logging.WARNING, logger="apscheduler.scheduler"):
        log.warning(
            'Execution of job "%s" skipped: maximum number of running instances reached (%d)',
            "tick",
            1,
        )
        log.warning("Run time of job %s was missed by %s", "tick", "0:00:30")

    assert [r.getMessage() for r in caplog.records] == [
        "Run time of job tick was missed by 0:00:30"
    ]


class BacklogDispatcher:
    """Claims a full batch `batches` times, then finds nothing due."""

    def __init__(self, batches: int) -> None:
        self.left = batches
        self.calls: list[datetime] = []

    def dispatch_due(self, now, should_stop=lambda: False) -> DispatchReport:
        self.calls.append(now)
        if self.left == 0:
            return DispatchReport()
        self.left -= 1
        return DispatchReport(claimed=25, done=25, sent=25)


def test_dispatch_loop_tick_drains_a_backlog_batch_after_batch():
    clock = ManualClock(NOW)
    dispatcher = BacklogDispatcher(batches=3)
    loop = build_dispatch_loop(dispatcher, clock, 15)

    loop.scheduler.get_job(JOB_ID).func()

    assert dispatcher.calls == [NOW] * 4
    assert dispatcher.left == 0


def test_dispatch_loop_runs_housekeeping_daily_with_the_clock_and_survives_its_failure(caplog):
    clock = ManualClock(NOW)
    seen: list[datetime] = []

    def housekeeping(now: datetime) -> None:
        seen.append(now)
        raise RuntimeError("database away")

    loop = build_dispatch_loop(RecordingDispatcher(), clock, 15, housekeeping=housekeeping)
    job = loop.scheduler.get_job(HOUSEKEEPING_JOB_ID)

    with caplog.at_level(logging.ERROR, logger="bot.jobs.scheduler"):
        job.func()

    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == timedelta(days=1)
    assert (job.max_instances, job.coalesce) == (1, True)
    assert seen == [NOW]
    assert [r.getMessage() for r in caplog.records] == [
        "housekeeping failed; retried at the next interval"
    ]
    assert len(loop.scheduler.get_jobs()) == 2
