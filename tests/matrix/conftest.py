"""A real Synapse for the Matrix tests (one per run), the bot's account on it, and the
bot itself, running as `python -m bot` runs it: `MatrixRunner` on its own thread.

Without matrix-synapse or matrix-nio installed, these tests skip; with REQUIRE_MATRIX=1
(set by CI) they fail instead.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings, load_settings
from tests.support.clock import ManualClock
from tests.support.synapse import (
    MatrixUser,
    Synapse,
    environment_requires_matrix,
    start_synapse,
    synapse_installed,
)

_started: list[Synapse] = []


def _need(what: str) -> None:
    if environment_requires_matrix():
        pytest.fail(f"REQUIRE_MATRIX=1 but {what} is not installed")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    if not synapse_installed():
        _need("matrix-synapse")
    try:
        import nio  # noqa: F401
    except ImportError:
        _need("matrix-nio")
    server = start_synapse(tmp_path_factory.mktemp("synapse"))
    _started.append(server)
    yield server
    server.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for server in _started:
        terminalreporter.write_line(f"Synapse started in {server.start_seconds:.2f} s")


def matrix_settings(database_url: str, user: MatrixUser, store: Path, url: str) -> Settings:
    return load_settings(
        {
            "MATRIX_HOMESERVER": url,
            "MATRIX_USER_ID": user.user_id,
            "MATRIX_ACCESS_TOKEN": user.access_token,
            "MATRIX_DEVICE_ID": user.device_id,
            "MATRIX_STORE_PATH": str(store),
            "MATRIX_PACE_SECONDS": "0",
            "DATABASE_URL": database_url,
            "BOT_TIMEZONE": "Europe/Paris",
            "BOT_LANGUAGE": "fr",
            "LOG_LEVEL": "WARNING",
        },
        dotenv=False,
    )


@pytest.fixture
def bot_account(synapse: Synapse) -> MatrixUser:
    return synapse.register(f"partage{secrets.token_hex(3)}")


@pytest.fixture
def start_bot(
    synapse: Synapse,
    bot_account: MatrixUser,
    db: sessionmaker[Session],
    clock: ManualClock,
    tmp_path: Path,
) -> Iterator[Callable[[], object]]:
    """Starts the bot (again, for a restart: a new client on the same crypto store)."""
    from bot.matrix.service import MatrixRunner, MatrixService

    runners: list[MatrixRunner] = []
    database_url = db.kw["bind"].url.render_as_string(hide_password=False)
    settings = matrix_settings(database_url, bot_account, tmp_path / "bot-store", synapse.url)

    def start() -> MatrixRunner:
        for running in runners:
            running.stop()
        runner = MatrixRunner(MatrixService(settings, db, clock))
        runner.start(budget_seconds=5)
        runners.append(runner)
        return runner

    yield start
    for runner in runners:
        runner.stop()


@pytest.fixture
def bot(start_bot: Callable[[], object]) -> object:
    return start_bot()
