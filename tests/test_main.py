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

from bot.bootstrap import StartupError, ask_slack, check_app_token, check_token
from tests.support.fake_slack import FakeSlack
from tests.support.fake_socket_mode import FakeSocketMode
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
    assert "jeudi 14 janvier 2027 à 14\u00a0h" in created.text
    text = programme.text
    assert "jeudi 14 janvier 2027 à 14\u00a0h" in text
    for line in (
        "*14\u00a0h\u00a0–\u00a014\u00a0h\u00a002* Introduction",
        "*14\u00a0h\u00a002\u00a0–\u00a014\u00a0h\u00a030* Tour de table",
        "*14\u00a0h\u00a030\u00a0–\u00a015\u00a0h\u00a015* Échange",
        "*15\u00a0h\u00a015\u00a0–\u00a015\u00a0h\u00a025* Anticipation",
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


def test_main_socket_mode_connects_acks_and_stops_cleanly(
    database_url, db, fake_slack: FakeSlack, tmp_path
):
    fake_slack.reset()
    socket_server = FakeSocketMode().start()
    socket_server.install(fake_slack)
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_APP_TOKEN": "xapp-1-A0001-1-secret",
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(free_port()),
    }
    process = BotProcess(env, tmp_path)
    try:
        socket_server.wait_connections(1, timeout=30)
        calls = fake_slack.calls("apps.connections.open")
        process.wait_healthy()
        metrics = SlackSender(process.port, SIGNING_SECRET, "").get("/metrics")
        events = SlackSender(process.port, SIGNING_SECRET, "").command("programme")
        envelope = socket_server.send_envelope(
            "slash_commands",
            {"command": "/partage", "text": "aide", "user_id": "U0ALICE", "team_id": "T0001"},
        )
        ack = socket_server.wait_ack(envelope, timeout=5)
        code, seconds, output = process.stop()
    finally:
        socket_server.stop()

    assert calls[0].headers["authorization"] == "Bearer xapp-1-A0001-1-secret"
    assert events.status == 404  # Slack's requests come over the WebSocket, not HTTP
    # /metrics is served beside /healthz, with the socket's state.
    assert metrics.status == 200
    assert "partage_socket_mode_connected 1.0" in metrics.body.splitlines()
    assert ack.seconds < 3
    assert ack.payload is not None
    assert "Socket Mode connected" in output
    assert code == 0, output
    assert seconds < 10
    assert "Traceback" not in output


def run_bot(
    env: dict[str, str], cwd: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python -m bot` to its end; LOG_LEVEL=WARNING so stderr holds only what went wrong."""
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_one_line_exit_2(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("partage-bot: ")
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture
def socket_env(database_url, db, fake_slack: FakeSlack) -> dict[str, str]:
    fake_slack.reset()
    return {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_APP_TOKEN": "xapp-1-A0001-1-secret",
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(free_port()),
    }


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SLACK_APP_TOKEN", "xapp-your-app-token"),
        ("SLACK_BOT_TOKEN", "xoxb-your-bot-token"),
        ("SLACK_SIGNING_SECRET", "your-signing-secret"),
    ],
)
def test_main_with_value_from_env_example_exits_2_naming_it(
    socket_env, fake_slack: FakeSlack, tmp_path, variable, value
):
    env = {**socket_env, variable: value}
    if variable == "SLACK_SIGNING_SECRET":
        env.pop("SLACK_APP_TOKEN")

    result = run_bot(env, tmp_path)

    assert_one_line_exit_2(result, f"{variable} is still a placeholder", "as in .env.example")
    assert fake_slack.calls() == []


@pytest.mark.parametrize("code", ["invalid_auth", "not_authed"])
def test_main_with_app_token_refused_exits_2_naming_it(
    socket_env, fake_slack: FakeSlack, tmp_path, code
):
    fake_slack.fail("apps.connections.open", code)

    result = run_bot(socket_env, tmp_path)

    assert_one_line_exit_2(
        result, f"SLACK_APP_TOKEN was refused by Slack ({code})", "App-Level Tokens", "HTTP"
    )


def test_main_with_bot_token_refused_exits_2_naming_it(socket_env, fake_slack: FakeSlack, tmp_path):
    fake_slack.fail("auth.test", "invalid_auth")

    result = run_bot(socket_env, tmp_path)

    assert_one_line_exit_2(result, "SLACK_BOT_TOKEN was refused by Slack (invalid_auth)")
    assert fake_slack.calls("apps.connections.open") == []


def test_main_with_slack_unreachable_retries_then_exits_2_naming_the_url(socket_env, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}/api/"
    env = {**socket_env, "SLACK_API_URL": closed, "STARTUP_TIMEOUT_SECONDS": "1.5"}
    started = time.monotonic()

    result = run_bot(env, tmp_path)
    seconds = time.monotonic() - started

    assert_one_line_exit_2(result, f"SLACK_API_URL {closed} cannot be reached")
    assert seconds < 30


def test_main_with_database_unreachable_exits_2_naming_it(socket_env, tmp_path):
    env = {**socket_env, "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/none"}

    result = run_bot(env, tmp_path)

    assert_one_line_exit_2(result, "DATABASE_URL does not lead to a usable database")


class FakeTime:
    """clock() and sleep() for `ask_slack`: sleeping moves the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_ask_slack_unreachable_backs_off_within_budget_then_one_line():
    fake = FakeTime()

    def unreachable() -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    with pytest.raises(StartupError) as raised:
        ask_slack(
            unreachable,
            api_url="http://127.0.0.1:9/api/",
            budget_seconds=30,
            sleep=fake.sleep,
            clock=fake.clock,
        )

    assert fake.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 6.5]
    assert str(raised.value).startswith("SLACK_API_URL http://127.0.0.1:9/api/ cannot be reached")
    assert "\n" not in str(raised.value)


def test_ask_slack_answers_once_slack_comes_back():
    fake = FakeTime()
    failures = iter([OSError("down"), OSError("down")])

    def flaky() -> str:
        error = next(failures, None)
        if error is not None:
            raise error
        return "ok"

    answer = ask_slack(flaky, api_url="x", budget_seconds=30, sleep=fake.sleep, clock=fake.clock)

    assert (answer, fake.sleeps) == ("ok", [0.5, 1.0])


def test_check_app_token_refused_is_a_startup_error(fake_slack: FakeSlack):
    from slack_sdk import WebClient

    fake_slack.reset()
    fake_slack.fail("apps.connections.open", "invalid_auth")

    with pytest.raises(StartupError) as raised:
        check_app_token(WebClient(base_url=fake_slack.api_url), "xapp-1-A-1-bad")

    assert str(raised.value).startswith("SLACK_APP_TOKEN was refused by Slack (invalid_auth)")


def test_check_app_token_waits_out_a_rate_limit(fake_slack: FakeSlack):
    from slack_sdk import WebClient

    fake_slack.reset()
    fake_slack.rate_limit("apps.connections.open", times=1)
    fake = FakeTime()

    check_app_token(
        WebClient(base_url=fake_slack.api_url), "xapp-1-A-1-ok", budget_seconds=5, sleep=fake.sleep
    )

    assert (len(fake_slack.calls("apps.connections.open")), fake.sleeps) == (2, [0.5])
