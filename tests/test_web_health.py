"""`/healthz` answers within a second whatever the database does, and 503 when the
database answers but cannot be written."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.support.clock import ManualClock
from tests.support.db_proxy import DatabaseProxy, bot_behind_proxy
from tests.support.fake_slack import FakeSlack
from tests.support.server import SIGNING_SECRET, BotServer, bot_settings
from tests.support.slack_client import HttpReply, SlackSender


@pytest.fixture
def proxied_bot(
    database_url: str, fake_slack: FakeSlack, clock: ManualClock
) -> Iterator[tuple[SlackSender, DatabaseProxy]]:
    if not database_url.startswith("postgresql"):
        pytest.skip("postgresql only: a silent SQLite file does not exist")
    with bot_behind_proxy(database_url, fake_slack, clock) as bot:
        yield bot


def timed_get(sender: SlackSender, path: str) -> tuple[HttpReply, float]:
    started = time.monotonic()
    reply = sender.get(path)
    return reply, time.monotonic() - started


def test_healthz_answers_503_within_a_second_and_a_half_when_the_database_is_silent(
    proxied_bot: tuple[SlackSender, DatabaseProxy],
):
    sender, proxy = proxied_bot
    healthy, _ = timed_get(sender, "/healthz")
    proxy.pause()

    first, first_seconds = timed_get(sender, "/healthz")
    second, second_seconds = timed_get(sender, "/healthz")

    assert healthy.status == 200
    assert (first.status, second.status) == (503, 503)
    assert first.json() == {"status": "database unreachable"}
    assert first_seconds < 1.5
    assert second_seconds < 1.5


def test_healthz_answers_200_again_once_the_database_answers(
    proxied_bot: tuple[SlackSender, DatabaseProxy],
):
    sender, proxy = proxied_bot
    proxy.pause()
    silent, _ = timed_get(sender, "/healthz")
    proxy.resume()

    healthy, seconds = timed_get(sender, "/healthz")

    assert (silent.status, healthy.status) == (503, 200)
    assert seconds < 1.5


def test_healthz_answers_503_at_once_when_the_database_is_down(
    proxied_bot: tuple[SlackSender, DatabaseProxy],
):
    sender, proxy = proxied_bot
    proxy.close()

    reply, seconds = timed_get(sender, "/healthz")

    assert reply.status == 503
    assert seconds < 1.0


@contextmanager
def bot_on(url: str, fake_slack: FakeSlack, clock: ManualClock) -> Iterator[SlackSender]:
    server = BotServer(bot_settings(url, fake_slack.api_url), clock).start()
    try:
        yield SlackSender(server.port, SIGNING_SECRET, fake_slack.response_url())
    finally:
        server.stop()


def test_healthz_answers_503_within_a_second_when_the_database_is_read_only(
    database_url: str, read_only_database_url: str, fake_slack: FakeSlack, clock: ManualClock
):
    with bot_on(database_url, fake_slack, clock) as writable:
        healthy, _ = timed_get(writable, "/healthz")
    with bot_on(read_only_database_url, fake_slack, clock) as sender:
        first, first_seconds = timed_get(sender, "/healthz")
        second, second_seconds = timed_get(sender, "/healthz")

    assert healthy.status == 200
    assert (first.status, second.status) == (503, 503)
    assert first.json() == {"status": "database not writable"}
    assert first_seconds < 1.0
    assert second_seconds < 1.0
