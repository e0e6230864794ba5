"""The log during an outage of the database or of Slack, with the clock passed in: one
line when it starts, one summary a minute while it lasts, one when it ends, and no
traceback for what is expected (PostgreSQL stopped, Slack answering 503 or refusing
connections)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest

from bot.bootstrap import build_scheduler
from bot.db.models import Delivery
from bot.enums import DeliveryKind, DeliveryStatus
from tests.support.clock import ManualClock
from tests.support.db_faults import tables_locked
from tests.support.db_proxy import DatabaseProxy, server_behind_proxy
from tests.support.fake_slack import FakeSlack
from tests.support.server import SIGNING_SECRET, BotServer, bot_settings
from tests.support.slack_client import SlackSender

GUIDE_CALL_DUE = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)  # J-14 of the session below
STEP = timedelta(seconds=15)  # the dispatcher's tick
OUTAGE_LOGGER = "bot.outages"


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info]


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == OUTAGE_LOGGER]


def other_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name != OUTAGE_LOGGER and r.levelno >= logging.WARNING
    ]


def seconds(duration: str) -> int:
    """'3 min 30 s' -> 210."""
    units = {"h": 3600, "min": 60, "s": 1}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+) (h|min|s)\b", duration))


def summary_ages(lines: list[str], system: str) -> list[int]:
    """How long the outage had lasted at each summary line, in seconds."""
    found = [re.match(rf"{system} outage going on for (.+?): ", line) for line in lines]
    return [seconds(m.group(1)) for m in found if m]


def assert_one_line_per_state(lines: list[str], system: str) -> None:
    assert lines[0].startswith(f"{system} outage started: ")
    assert lines[-1].startswith(f"{system} outage ended after ")
    assert len(summary_ages(lines, system)) == len(lines) - 2


def guide_call_status(db) -> DeliveryStatus:
    with db() as session:
        return (
            session.query(Delivery.status).filter(Delivery.kind == DeliveryKind.GUIDE_CALL).one()[0]
        )


# --- the database stops --------------------------------------------------------------


def test_postgresql_stop_logs_one_line_per_outage_state_and_no_traceback(
    database_url, fake_slack: FakeSlack, clock: ManualClock, db, caplog
):
    if not database_url.startswith("postgresql"):
        pytest.skip("postgresql only: the proxy cuts a TCP database")
    fake_slack.reset()
    with server_behind_proxy(database_url, fake_slack, clock) as (server, sender, proxy):
        loop = build_scheduler(server.runtime)
        sender.command("session 2027-01-14 14:00", user="U0ORGA")
        clock.set(GUIDE_CALL_DUE)
        caplog.set_level(logging.INFO)
        caplog.clear()

        proxy.stop_database()
        answers = []
        for _ in range(12):  # three minutes of ticks, commands and health checks
            clock.advance(STEP)
            loop.tick()
            answers.append(sender.command("programme", user="U0ANNA", settle=False).status)
            answers.append(sender.get("/healthz").status)
        proxy.start_database()
        clock.advance(STEP)
        loop.tick()

    lines = outage_lines(caplog)
    assert tracebacks(caplog) == []
    assert set(answers) == {200, 503}
    assert_one_line_per_state(lines, "database")
    assert summary_ages(lines, "database") == [60, 120]
    assert "Connection refused" in lines[1] or "closed the connection" in lines[1]
    for counted in [
        "dispatcher ticks failed",
        "requests answered with an apology",
        "health checks answered 503",
    ]:
        assert counted in lines[1]
        assert f"12 {counted}" in lines[-1]
    assert lines[-1].startswith("database outage ended after 3 min 00 s")
    assert other_warnings(caplog) == []
    assert guide_call_status(db) == DeliveryStatus.DONE  # sent once the database is back


# --- Slack fails -----------------------------------------------------------------------


@contextmanager
def bot_behind_slack_proxy(
    database_url: str, fake_slack: FakeSlack, clock: ManualClock
) -> Iterator[tuple[BotServer, SlackSender, DatabaseProxy]]:
    """The bot reaching the fake Slack through a TCP proxy the test can stop (Slack
    refusing connections) and start again."""
    proxy = DatabaseProxy("127.0.0.1", fake_slack.port).start()
    api_url = f"http://127.0.0.1:{proxy.port}/api/"
    server = BotServer(bot_settings(database_url, api_url), clock).start()
    sender = SlackSender(server.port, SIGNING_SECRET, fake_slack.response_url(), server.drain)
    try:
        yield server, sender, proxy
    finally:
        proxy.close()
        server.stop()


@pytest.mark.parametrize("failure", ["http_503", "connection_refused"])
def test_slack_down_logs_one_line_per_outage_state_and_no_traceback(
    database_url, fake_slack: FakeSlack, clock: ManualClock, db, caplog, *, failure: str
):
    fake_slack.reset()
    with bot_behind_slack_proxy(database_url, fake_slack, clock) as (server, sender, proxy):
        loop = build_scheduler(server.runtime)
        sender.command("session 2027-01-14 14:00", user="U0ORGA")
        clock.set(GUIDE_CALL_DUE)
        caplog.set_level(logging.INFO)
        caplog.clear()
        posts_before = len(fake_slack.posts())

        if failure == "http_503":
            fake_slack.down(503)
        else:
            proxy.stop_database()
        for _ in range(40):  # ten minutes of ticks
            clock.advance(STEP)
            loop.tick()
        if failure == "http_503":
            fake_slack.up()
        else:
            proxy.start_database()
        ticks_after = 0
        while guide_call_status(db) != DeliveryStatus.DONE and ticks_after < 80:
            clock.advance(STEP)
            loop.tick()
            ticks_after += 1

    lines = outage_lines(caplog)
    assert tracebacks(caplog) == []
    assert_one_line_per_state(lines, "slack")
    # Retries at 30 s, 1, 2, 4 and 8 min after the first failure: a summary at each
    # failure a minute or more after the previous line.
    assert summary_ages(lines, "slack") == [90, 210, 450]
    assert "messages postponed" in lines[1]
    assert "deliveries postponed" in lines[1]
    assert lines[-1].startswith("slack outage ended after 15 min 30 s")
    assert "5 failed attempts, 5 messages postponed, 5 deliveries postponed" in lines[-1]
    assert other_warnings(caplog) == []
    assert guide_call_status(db) == DeliveryStatus.DONE
    assert len(fake_slack.posts()) == posts_before + 1  # posted once


# --- SQLite locked by another process ---------------------------------------------------


def test_sqlite_locked_logs_one_line_per_outage_state_and_no_traceback(
    database_url, fake_slack: FakeSlack, clock: ManualClock, db, *, engine, caplog
):
    if not database_url.startswith("sqlite"):
        pytest.skip("sqlite only: another connection holds its write lock")
    fake_slack.reset()
    server = BotServer(bot_settings(database_url, fake_slack.api_url), clock).start()
    sender = SlackSender(server.port, SIGNING_SECRET, fake_slack.response_url(), server.drain)
    try:
        loop = build_scheduler(server.runtime)
        sender.command("session 2027-01-14 14:00", user="U0ORGA")
        clock.set(GUIDE_CALL_DUE)
        caplog.set_level(logging.INFO)
        caplog.clear()
        with tables_locked(engine):  # each write waits the busy timeout, then fails
            for number in range(5):
                clock.advance(STEP)
                loop.tick()
                sender.command(f"proposer Thème {number}", user="U0ANNA")
        clock.advance(STEP)
        loop.tick()
    finally:
        server.stop()

    lines = outage_lines(caplog)
    assert tracebacks(caplog) == []
    assert_one_line_per_state(lines, "database")
    assert lines[0] == "database outage started: OperationalError: database is locked"
    assert summary_ages(lines, "database") == [60]
    assert lines[-1].startswith("database outage ended after 1 min 15 s")
    assert "5 dispatcher ticks failed, 5 requests answered with an apology" in lines[-1]
    assert other_warnings(caplog) == []
    assert guide_call_status(db) == DeliveryStatus.DONE
