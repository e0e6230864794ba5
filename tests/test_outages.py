"""The outage tracker on its own, with an injected clock: the lines it writes for each
state of an outage, which errors it takes for an outage, and unexpected errors' tracebacks
logged once per place."""

from __future__ import annotations

import logging
import sqlite3
import urllib.error
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.outages import DATABASE, SLACK, Outages, expected_system, install, watch_engine
from bot.slack.notifier import AmbiguousFailure, PermanentFailure, TransientFailure
from tests.support.clock import ManualClock

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)
log = logging.getLogger("tests.outages")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def tracker(clock: ManualClock) -> Outages:
    return Outages(clock.now)


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records]


def test_outage_logs_its_start_a_summary_a_minute_and_its_end(
    tracker: Outages, clock: ManualClock, caplog
):
    caplog.set_level(logging.INFO)

    for _ in range(10):  # a failure every 15 s for 2 min 30 s
        tracker.failed(DATABASE, "OperationalError: refused", "requests answered with an apology")
        clock.advance(timedelta(seconds=15))
    tracker.recovered(DATABASE)
    tracker.recovered(DATABASE)  # already over: nothing more

    assert lines(caplog) == [
        "database outage started: OperationalError: refused",
        "database outage going on for 1 min 00 s: 5 failed attempts, 5 requests answered "
        "with an apology in the last 1 min 00 s (last: OperationalError: refused)",
        "database outage going on for 2 min 00 s: 4 failed attempts, 4 requests answered "
        "with an apology in the last 1 min 00 s (last: OperationalError: refused)",
        "database outage ended after 2 min 30 s (started: OperationalError: refused): "
        "10 failed attempts, 10 requests answered with an apology",
    ]
    assert [r.exc_info for r in caplog.records] == [None] * 4


def test_outages_of_two_systems_are_told_apart(tracker: Outages, caplog):
    caplog.set_level(logging.INFO)

    tracker.failed(SLACK, "http_503", "messages postponed")
    tracker.failed(DATABASE, "OperationalError: locked")
    tracker.recovered(SLACK)

    assert lines(caplog) == [
        "slack outage started: http_503",
        "database outage started: OperationalError: locked",
        "slack outage ended after 0 s (started: http_503): 1 failed attempts, 1 messages postponed",
    ]
    assert tracker.database_down()


def test_count_or_log_logs_in_normal_times_and_counts_during_an_outage(tracker: Outages, caplog):
    caplog.set_level(logging.INFO)

    tracker.count_or_log(log, logging.WARNING, "deliveries postponed", "delivery %s later", 1)
    tracker.failed(SLACK, "http_503")
    tracker.count_or_log(log, logging.WARNING, "deliveries postponed", "delivery %s later", 2)
    tracker.recovered(SLACK)

    assert lines(caplog) == [
        "delivery 1 later",
        "slack outage started: http_503",
        "slack outage ended after 0 s (started: http_503): 1 failed attempts, "
        "1 deliveries postponed",
    ]


def fail_here(error: Exception) -> None:
    raise error


def test_unexpected_error_keeps_its_traceback_once_per_place(tracker: Outages, caplog):
    caplog.set_level(logging.INFO)

    for number in range(3):
        try:
            fail_here(KeyError(f"k{number}"))
        except KeyError as error:
            tracker.report(log, error, "work %s failed", number)
    try:
        {}["elsewhere"]  # the same type from another line: its own traceback
    except KeyError as error:
        tracker.report(log, error, "other work failed")

    assert lines(caplog) == [
        "work 0 failed",
        "work 1 failed (KeyError: 'k1'; seen 2 times, traceback logged the first time)",
        "work 2 failed (KeyError: 'k2'; seen 3 times, traceback logged the first time)",
        "other work failed",
    ]
    assert [r.exc_info is not None for r in caplog.records] == [True, False, False, True]


def test_expected_failure_reported_is_counted_not_logged(tracker: Outages, caplog):
    caplog.set_level(logging.INFO)
    error = OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))

    tracker.report(log, error, "work failed", effect="ticks failed")

    assert lines(caplog) == ["database outage started: OperationalError: database is locked"]
    assert caplog.records[0].exc_info is None


def slack_api_error(status: int) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": "x"},
        headers={},
        status_code=status,
    )
    return SlackApiError("failed", response)


@pytest.mark.parametrize(
    ("error", "system"),
    [
        (OperationalError("x", {}, sqlite3.OperationalError("disk I/O error")), DATABASE),
        (sqlite3.OperationalError("attempt to write a readonly database"), DATABASE),
        (TransientFailure("http_503"), SLACK),
        (AmbiguousFailure("connection: timed out"), SLACK),
        (slack_api_error(503), SLACK),
        (slack_api_error(429), SLACK),
        (urllib.error.URLError(ConnectionRefusedError()), SLACK),
        (slack_api_error(400), None),
        (PermanentFailure("channel_not_found"), None),
        (IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE")), None),
        (KeyError("x"), None),
    ],
)
def test_expected_system_tells_outages_from_bugs(error: BaseException, system: str | None):
    assert expected_system(error) == system


def test_a_write_the_database_accepts_ends_its_outage_a_read_does_not(
    tracker: Outages, tmp_path, caplog
):
    caplog.set_level(logging.INFO)
    install(tracker)
    engine = create_engine(f"sqlite:///{tmp_path / 'outage.db'}")
    watch_engine(engine)
    tracker.failed(DATABASE, "OperationalError: locked")

    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("SELECT 1"))
    still_down = tracker.database_down()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    engine.dispose()

    assert still_down
    assert not tracker.database_down()
    assert lines(caplog)[-1].startswith("database outage ended after 0 s")
