"""Memory of an idle bot: Slack only, Slack and Matrix in one process, Matrix only.

Starts the fake Slack and a real Synapse (tests/support), runs `python -m bot` three
times on SQLite, lets each settle, and prints its RSS. A Slack-only bot must not load
nio (bot/bootstrap.py imports the Matrix transport only when MATRIX_* are set).

    .venv/bin/python -m benchmarks.matrix_rss
"""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path

from benchmarks.common import SIGNING_SECRET, Process, free_port, table
from tests.support.fake_slack import FakeSlack
from tests.support.synapse import start_synapse

SETTLE_SECONDS = 5.0


def measure(name: str, env: dict[str, str], workdir: Path, port: int | None) -> list[object]:
    bot = Process(["-m", "bot"], env, workdir)
    try:
        if port is not None:
            bot.wait_http(port)
        time.sleep(SETTLE_SECONDS)
        if bot.popen.poll() is not None:
            raise RuntimeError(f"{name}: exited: {bot.popen.stderr.read()}")
        return [name, f"{bot.rss_mib():.1f}"]
    finally:
        bot.popen.terminate()
        bot.popen.wait(timeout=30)


def main() -> None:
    fake = FakeSlack().start()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        synapse = start_synapse(workdir / "synapse")
        try:
            account = synapse.register(f"partage{secrets.token_hex(3)}")
            base = {"LOG_LEVEL": "WARNING", "DATABASE_URL": f"sqlite:///{workdir / 'p.db'}"}
            port = free_port()
            slack = {
                "SLACK_BOT_TOKEN": "xoxb-bench",
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": fake.api_url,
                "PORT": str(port),
            }
            matrix = {
                "MATRIX_HOMESERVER": synapse.url,
                "MATRIX_USER_ID": account.user_id,
                "MATRIX_ACCESS_TOKEN": account.access_token,
                "MATRIX_STORE_PATH": str(workdir / "store"),
            }
            rows = [
                measure("Slack only", {**base, **slack}, workdir, port),
                measure("Slack and Matrix", {**base, **slack, **matrix}, workdir, port),
                measure("Matrix only", {**base, **matrix}, workdir, None),
            ]
            print(f"Synapse started in {synapse.start_seconds:.2f} s")
            print(table(["process", "RSS idle MiB"], rows))
        finally:
            synapse.stop()
            fake.stop()


if __name__ == "__main__":
    main()
