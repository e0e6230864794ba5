"""Socket Mode as Slack drives it: the real bot (build_runtime, Bolt, the listeners) behind
`bot.slack.socket_mode`, against the fake Socket Mode WebSocket server.

These are transport tests: reconnection is measured in real time, with bounds (5 s to
reconnect after any drop, 3 s to ack); nothing here waits for a schedule.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from bot.bootstrap import Runtime, build_runtime
from bot.slack.socket_mode import (
    HEALTH_GRACE_SECONDS,
    ConnectionState,
    SocketModeRunner,
    ack_payload,
)
from bot.web import build_health_app
from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.fake_socket_mode import FakeSocketMode
from tests.support.living import announced, queued_notices
from tests.support.server import bot_settings
from tests.support.wait import wait_for

APP_TOKEN = "xapp-1-A0001-1-test"
RECONNECT_SECONDS = 5.0
ACK_SECONDS = 3.0


class FakeMonotonic:
    """A monotonic clock the test moves, for the connection state's "down since"."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def command(text: str, user: str = "U0ORGA") -> dict[str, str]:
    """The payload of a slash_commands envelope (the same fields as over HTTP)."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "beta",
        "channel_id": "C0GROUP",
        "channel_name": "partage-dev",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/partage",
        "text": text,
        "api_app_id": "A0001",
        "response_url": "http://127.0.0.1:9/response/none",
        "trigger_id": f"trigger-{time.monotonic_ns()}",
    }


def unhandled_event() -> dict[str, object]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "A0001",
        "type": "event_callback",
        "event_id": "Ev0NOBODY",
        "event_time": 1700000000,
        "event": {"type": "pin_added", "user": "U0ALICE", "channel_id": "C0GROUP"},
    }


class SocketBot:
    """The bot's runtime plus the Socket Mode runner, in threads of the test process."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.monotonic = FakeMonotonic()
        self.runner = SocketModeRunner(
            runtime.app,
            APP_TOKEN,
            api_url=runtime.settings.slack_api_url,
            state=ConnectionState(self.monotonic),
        )

    @property
    def state(self) -> ConnectionState:
        return self.runner.state

    def drain(self) -> None:
        assert self.runtime.after_ack.wait_idle(10)


@pytest.fixture
def socket_server(fake_slack: FakeSlack) -> Iterator[FakeSocketMode]:
    fake_slack.reset()
    server = FakeSocketMode().start()
    server.install(fake_slack)
    yield server
    server.stop()


@pytest.fixture
def socket_bot(
    database_url, db, fake_slack: FakeSlack, socket_server: FakeSocketMode, clock
) -> Iterator[SocketBot]:
    settings = bot_settings(database_url, fake_slack.api_url, SLACK_APP_TOKEN=APP_TOKEN)
    bot = SocketBot(build_runtime(settings, clock=clock, migrate=False))
    bot.runner.start()
    yield bot
    bot.runner.stop()
    bot.runtime.close()


DROPS = {
    "close": FakeSocketMode.close_clean,
    "tcp_close_without_frame": FakeSocketMode.close_tcp,
    "reset": FakeSocketMode.reset,
    "half_open": FakeSocketMode.half_open,
    "refresh_requested": FakeSocketMode.refresh,
}


@pytest.mark.parametrize("drop", list(DROPS))
def test_socket_mode_reconnects_within_5_seconds_after_drop(
    socket_bot: SocketBot, socket_server: FakeSocketMode, drop: str
):
    socket_server.wait_connections(1)
    wait_for(lambda: socket_bot.state.up)
    started = time.monotonic()

    DROPS[drop](socket_server)
    socket_server.wait_connections(2, timeout=RECONNECT_SECONDS + 1)
    reconnected = time.monotonic() - started
    envelope = socket_server.send_envelope("slash_commands", command("aide"))
    ack = socket_server.wait_ack(envelope, timeout=ACK_SECONDS + 1)

    assert reconnected < RECONNECT_SECONDS
    assert ack.seconds < ACK_SECONDS
    assert ack.connection == 1
    assert socket_bot.state.up is True


def test_socket_mode_command_ack_carries_the_reply_within_3_seconds(
    socket_bot: SocketBot, socket_server: FakeSocketMode
):
    socket_server.wait_connections(1)

    envelope = socket_server.send_envelope("slash_commands", command("session 2027-01-14 14:00"))
    ack = socket_server.wait_ack(envelope, timeout=ACK_SECONDS + 1)

    assert ack.seconds < ACK_SECONDS
    assert "jeudi 14 janvier 2027 à 14\u00a0h" in json.dumps(ack.payload, ensure_ascii=False)


def test_socket_mode_envelope_with_no_listener_is_acked(
    socket_bot: SocketBot, socket_server: FakeSocketMode
):
    socket_server.wait_connections(1)

    envelope = socket_server.send_envelope("events_api", unhandled_event())
    ack = socket_server.wait_ack(envelope, timeout=ACK_SECONDS + 1)

    assert ack.seconds < ACK_SECONDS
    assert ack.payload is None


def test_socket_mode_retried_event_is_acked(socket_bot: SocketBot, socket_server: FakeSocketMode):
    socket_server.wait_connections(1)

    first = socket_server.send_envelope("events_api", unhandled_event())
    retried = socket_server.send_envelope(
        "events_api", unhandled_event(), retry_attempt=1, retry_reason="timeout"
    )

    assert socket_server.wait_ack(first).seconds < ACK_SECONDS
    assert socket_server.wait_ack(retried).seconds < ACK_SECONDS


def test_socket_mode_retried_theme_posts_one_notice(
    socket_bot: SocketBot, socket_server: FakeSocketMode, fake_slack: FakeSlack
):
    socket_server.wait_connections(1)
    created = socket_server.send_envelope("slash_commands", command("session 2027-01-14 14:00"))
    socket_server.wait_ack(created)
    socket_bot.drain()
    announced(socket_bot.runtime.deps.db)  # the thread exists: changes are told in it
    theme = command("theme Le design des politiques publiques")

    first = socket_server.send_envelope("slash_commands", theme, envelope_id="env-theme")
    socket_server.wait_ack(first)
    socket_bot.drain()
    retried = socket_server.send_envelope(
        "slash_commands", theme, envelope_id="env-theme", retry_attempt=1, retry_reason="timeout"
    )
    socket_server.wait_ack(retried)
    socket_bot.drain()

    assert len(queued_notices(socket_bot.runtime.deps.db, "a fixé le thème")) == 1


def test_socket_mode_connected_logged_only_after_hello(
    socket_bot: SocketBot, socket_server: FakeSocketMode, caplog
):
    caplog.set_level(logging.INFO, logger="bot.slack.socket_mode")
    socket_server.wait_connections(1)
    wait_for(lambda: socket_bot.state.up)
    socket_server.reject_handshake = True
    refused_before = len(caplog.messages)

    socket_server.close_tcp()
    wait_for(lambda: any("connection failed" in m for m in caplog.messages[refused_before:]))
    later = caplog.messages[refused_before:]

    assert [m for m in caplog.messages[:refused_before] if m == "Socket Mode connected"] == [
        "Socket Mode connected"
    ]
    assert "Socket Mode connected" not in later
    assert socket_bot.state.up is False


def test_socket_mode_without_hello_is_not_connected_and_retries(
    database_url, db, fake_slack: FakeSlack, clock, caplog
):
    caplog.set_level(logging.INFO, logger="bot.slack.socket_mode")
    fake_slack.reset()
    silent = FakeSocketMode(hello=False).start()
    silent.install(fake_slack)
    settings = bot_settings(database_url, fake_slack.api_url, SLACK_APP_TOKEN=APP_TOKEN)
    runtime = build_runtime(settings, clock=clock, migrate=False)
    runner = SocketModeRunner(
        runtime.app, APP_TOKEN, api_url=settings.slack_api_url, hello_timeout=0.3
    )
    runner.start()
    try:
        silent.wait_connections(2, timeout=5)  # the first one never said hello
        up = runner.state.up
    finally:
        runner.stop()
        runtime.close()
        silent.stop()

    assert up is False
    assert "Socket Mode connected" not in caplog.messages
    assert any("no hello from Slack" in m for m in caplog.messages)


def test_socket_mode_no_busy_loop_while_slack_unreachable(
    socket_bot: SocketBot, socket_server: FakeSocketMode
):
    socket_server.wait_connections(1)
    socket_server.unreachable = True
    socket_server.close_tcp()
    wait_for(lambda: not socket_bot.state.up)
    cpu, wall = time.process_time(), time.monotonic()

    time.sleep(2)  # a transport test: the reconnection loop runs on real time
    used = (time.process_time() - cpu) / (time.monotonic() - wall)
    socket_server.unreachable = False
    socket_server.wait_connections(2, timeout=10)

    assert used < 0.2


def _serve(app: object) -> tuple[uvicorn.Server, int, threading.Thread]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_for(lambda: server.started)
    return server, sock.getsockname()[1], thread


def _healthz(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    finally:
        connection.close()


def test_healthz_503_while_socket_down_longer_than_grace(
    socket_bot: SocketBot, socket_server: FakeSocketMode
):
    health, port, thread = _serve(
        build_health_app(socket_bot.runtime.engine, is_connected=socket_bot.state.healthy)
    )
    try:
        socket_server.wait_connections(1)
        wait_for(lambda: socket_bot.state.up)
        up = _healthz(port)
        socket_server.unreachable = True
        socket_server.close_tcp()
        wait_for(lambda: not socket_bot.state.up)
        just_down = _healthz(port)
        socket_bot.monotonic.now += HEALTH_GRACE_SECONDS + 1
        long_down = _healthz(port)
        socket_server.unreachable = False
        socket_server.wait_connections(2, timeout=10)
        wait_for(lambda: socket_bot.state.up)
        back = _healthz(port)
    finally:
        health.should_exit = True
        thread.join(timeout=5)

    assert (up, just_down, long_down, back) == (200, 200, 503, 200)


def test_connection_state_down_since_counts_from_the_drop():
    clock = FakeMonotonic()
    state = ConnectionState(clock)
    clock.now += 3
    state.mark_up()
    clock.now += 100
    state.mark_down()
    clock.now += 4

    assert (state.up, state.down_for(), state.healthy(grace=5), state.healthy(grace=3)) == (
        False,
        4,
        True,
        False,
    )


def test_ack_payload_of_unhandled_and_failed_requests_is_empty():
    from slack_bolt.response import BoltResponse

    answers = [
        BoltResponse(status=404, body="not found"),
        BoltResponse(status=500, body=""),
        BoltResponse(status=200, body=""),
        BoltResponse(
            status=200, body='{"text": "ok"}', headers={"content-type": "application/json"}
        ),
        BoltResponse(status=200, body="plain"),
    ]

    payloads = [ack_payload(answer) for answer in answers]

    assert payloads == [None, None, None, {"text": "ok"}, {"text": "plain"}]
