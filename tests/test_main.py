"""`python -m bot` as an operator runs it: a real process, real HTTP, real signals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bootstrap import StartupError, check_token
from tests.support.fake_slack import FakeSlack
from tests.support.server import SIGNING_SECRET
from tests.support.slack_client import SlackSender

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BotProcess:
    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.port = int(env["PORT"])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), **env},
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def wait_healthy(self, timeout: float = 30) -> float:
        """Seconds until /healthz answers 200 (the process must not die meanwhile)."""
        start = time.monotonic()
        sender = SlackSender(self.port, SIGNING_SECRET, "")
        while time.monotonic() - start < timeout:
            if self.process.poll() is not None:
                raise AssertionError(f"bot exited early:\n{self.process.stdout.read()}")
            try:
                if sender.get("/healthz").status == 200:
                    return time.monotonic() - start
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("bot did not become healthy")

    def stop(self) -> tuple[int, float, str]:
        start = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        return code, time.monotonic() - start, self.process.stdout.read()


@pytest.fixture
def bot_process(database_url, db, fake_slack: FakeSlack, tmp_path) -> Iterator[BotProcess]:
    fake_slack.reset()
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(free_port()),
        "LOG_LEVEL": "INFO",
    }
    process = BotProcess(env, tmp_path)
    yield process
    if process.process.poll() is None:
        process.stop()


def test_main_http_schedule_then_programme_end_to_end(bot_process: BotProcess, fake_slack):
    bot_process.wait_healthy()
    sender = SlackSender(bot_process.port, SIGNING_SECRET, fake_slack.response_url())

    created = sender.command("session 2027-01-14 14:00")
    programme = sender.command("programme")

    assert created.status == 200
    assert "jeudi 14 janvier 2027 à 14h00" in created.text
    text = programme.text
    assert "jeudi 14 janvier 2027 à 14h00" in text
    for line in (
        "*14h00–14h02* Introduction",
        "*14h02–14h30* Tour de table",
        "*14h30–15h15* Échange",
        "*15h15–15h25* Anticipation",
    ):
        assert line in text
    assert [c.method for c in fake_slack.calls()][:1] == ["auth.test"]


def test_main_sigterm_stops_cleanly_within_10_seconds(bot_process: BotProcess):
    bot_process.wait_healthy()

    code, seconds, output = bot_process.stop()

    assert code == 0, output
    assert seconds < 10
    assert "Traceback" not in output


def test_check_token_refused_token_is_a_startup_error(fake_slack: FakeSlack):
    from slack_sdk import WebClient

    fake_slack.reset()
    fake_slack.fail("auth.test", "invalid_auth")

    with pytest.raises(StartupError) as raised:
        check_token(WebClient(token="xoxb-bad", base_url=fake_slack.api_url))

    assert "SLACK_BOT_TOKEN was refused by Slack (invalid_auth)" in str(raised.value)


def test_main_socket_mode_opens_connection_with_app_token(
    database_url, db, fake_slack: FakeSlack, tmp_path
):
    fake_slack.reset()
    closed = free_port()
    fake_slack.on(
        "apps.connections.open", lambda _args: {"ok": True, "url": f"ws://127.0.0.1:{closed}/"}
    )
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_APP_TOKEN": "xapp-1-A0001-1-secret",
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(free_port()),
    }
    process = BotProcess(env, tmp_path)
    deadline = time.monotonic() + 30
    while not fake_slack.calls("apps.connections.open") and time.monotonic() < deadline:
        assert process.process.poll() is None, process.process.stdout.read()
        time.sleep(0.05)

    calls = fake_slack.calls("apps.connections.open")
    process.wait_healthy()
    events = SlackSender(process.port, SIGNING_SECRET, "").command("programme")
    code, seconds, output = process.stop()

    assert calls[0].headers["authorization"] == "Bearer xapp-1-A0001-1-secret"
    assert events.status == 404  # Slack's requests come over the WebSocket, not HTTP
    assert code == 0, output
    assert seconds < 10
