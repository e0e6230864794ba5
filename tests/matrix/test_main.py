"""`python -m bot` with Matrix settings: one line when the homeserver is down, the
Matrix transport running (alone) as a process, and no nio in a Slack-only process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.support.server import SIGNING_SECRET
from tests.support.synapse import free_port, require_nio

require_nio()

from tests.support.matrix_member import group_room  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _env(**values: str) -> dict[str, str]:
    return {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", **values}


def test_homeserver_down_at_start_prints_one_line_and_exits_2(tmp_path):
    port = free_port()
    env = _env(
        MATRIX_HOMESERVER=f"http://127.0.0.1:{port}",
        MATRIX_USER_ID="@partage:partage.test",
        MATRIX_ACCESS_TOKEN="syt_cGFydGFnZQ_token",
        MATRIX_STORE_PATH=str(tmp_path / "store"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'partage.db'}",
        STARTUP_TIMEOUT_SECONDS="0",
    )

    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"partage-bot: MATRIX_HOMESERVER http://127.0.0.1:{port} cannot be reached "
        "([Errno 111] Connection refused): check the network and the URL (the homeserver's "
        "base URL, without /_matrix), then start again."
    ]


def test_slack_only_process_does_not_import_nio(tmp_path):
    code = (
        "import sys\n"
        "from bot.config import load_settings\n"
        "from bot.bootstrap import build_runtime\n"
        "s = load_settings({'SLACK_BOT_TOKEN': 'xoxb-1', 'SLACK_SIGNING_SECRET': 's',"
        f" 'DATABASE_URL': 'sqlite:///{tmp_path / 'p.db'}'}}, dotenv=False)\n"
        "build_runtime(s).close()\n"
        "names = [m for m in sys.modules if m == 'nio' or m.startswith(('nio.', 'bot.matrix'))]\n"
        "print(sorted(names))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.strip() == "[]"


def _ask_for_help(synapse, bot_id: str, store: Path) -> object:
    """A member's `!partage aide` in a new encrypted room, and the bot's answer."""

    async def scenario():
        owner, room_id = await group_room(synapse, bot_id, store)
        await owner.say(room_id, "!partage aide")
        direct = await owner.accept_direct_invite(bot_id)
        answer = await owner.next_message(direct, bot_id)
        await owner.close()
        return answer

    return asyncio.run(scenario())


def _matrix_env(synapse, bot_account, tmp_path: Path) -> dict[str, str]:
    return {
        "MATRIX_HOMESERVER": synapse.url,
        "MATRIX_USER_ID": bot_account.user_id,
        "MATRIX_ACCESS_TOKEN": bot_account.access_token,
        "MATRIX_STORE_PATH": str(tmp_path / "store"),
        "MATRIX_PACE_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'partage.db'}",
    }


@pytest.mark.matrix
def test_python_m_bot_serves_matrix_alone_and_stops_on_sigterm(synapse, bot_account, tmp_path):
    env = _env(**_matrix_env(synapse, bot_account, tmp_path))
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True
    )
    try:
        answer = _ask_for_help(synapse, bot_account.user_id, tmp_path / "owner")
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)

    assert "!partage session" in answer.body
    assert process.returncode == 0
    assert "Traceback" not in stderr


@pytest.mark.matrix
def test_python_m_bot_serves_slack_and_matrix_in_one_process(
    synapse, bot_account, fake_slack, tmp_path
):
    port = free_port()
    env = _env(
        **_matrix_env(synapse, bot_account, tmp_path),
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.api_url,
        PORT=str(port),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True
    )
    try:
        answer = _ask_for_help(synapse, bot_account.user_id, tmp_path / "owner")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as health:
            status = health.status
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)

    assert "!partage session" in answer.body
    assert status == 200
    assert process.returncode == 0
    assert "Traceback" not in stderr


@pytest.mark.matrix
def test_refused_access_token_prints_one_line_and_exits_2(synapse, bot_account, tmp_path):
    env = _env(
        **{
            **_matrix_env(synapse, bot_account, tmp_path),
            "MATRIX_ACCESS_TOKEN": "syt_revoked_token",
        }
    )

    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "partage-bot: MATRIX_ACCESS_TOKEN was refused by the homeserver (M_UNKNOWN_TOKEN): "
        "make a new access token for the bot's account (see docs/matrix.md)."
    ]
