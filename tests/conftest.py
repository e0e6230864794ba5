"""Shared fixtures: a real database per backend, the fake Slack, the running bot.

Every test that touches the database runs twice, on SQLite and on PostgreSQL. Each pytest
run gets its own PostgreSQL database (created and dropped here), so parallel runs on one
server do not see each other. Set TEST_DATABASES=sqlite to skip PostgreSQL locally;
REQUIRE_POSTGRES=1 (set by .ci/run) turns an unreachable server into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.db.base import Base
from bot.db.engine import make_engine, migrate_to_head
from bot.followups import session_factory
from bot.outages import Outages, install
from tests.support.clock import ManualClock
from tests.support.databases import (
    make_read_only,
    postgres_database,
    read_only_sqlite,
    sqlite_at,
)
from tests.support.fake_slack import FakeSlack
from tests.support.server import SIGNING_SECRET, BotServer, bot_settings
from tests.support.slack_client import SlackSender

# A Monday morning in Paris, well before the sessions the tests schedule.
DEFAULT_NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = [b.strip() for b in os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(",")]


def _create_postgres_database() -> tuple[str, Engine]:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"partage_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        admin.dispose()
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable at {POSTGRES_ADMIN_URL}: {error}")
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{name}", admin


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        path = Path(tmp_path_factory.mktemp("sqlite")) / "partage.db"
        url = f"sqlite:///{path}"
        migrate_to_head(url)
        yield url
        return
    url, admin = _create_postgres_database()
    name = url.rpartition("/")[2]
    migrate_to_head(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _empty_tables(engine: Engine) -> None:
    """Every table emptied and every id sequence restarted, as after the migrations.

    On PostgreSQL, row by row (`DELETE`, children first) and `setval`: a `TRUNCATE` of
    the thirty tables costs 125-210 ms a test, this 7-10 ms, for the same state.
    """
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        if engine.dialect.name == "postgresql":
            sequences = list(
                conn.scalars(
                    text(
                        "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) "
                        "FROM pg_sequences WHERE schemaname = current_schema()"
                    )
                )
            )
            if sequences:
                restart = ", ".join(f"setval('{name}', 1, false)" for name in sequences)
                conn.execute(text(f"SELECT {restart}"))


@pytest.fixture
def db(engine: Engine) -> sessionmaker[Session]:
    """A session factory on an emptied database."""
    _empty_tables(engine)
    return session_factory(engine)


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def shared_clock() -> ManualClock:
    """The one clock the session-scoped bot server reads; tests reach it through `clock`."""
    return ManualClock(DEFAULT_NOW)


@pytest.fixture(autouse=True)
def _outages(shared_clock: ManualClock) -> None:
    """A fresh outage tracker for every test, on the shared clock: an outage one test
    left open must not change what the next one logs."""
    install(Outages(shared_clock.now))


@pytest.fixture
def clock(shared_clock: ManualClock) -> ManualClock:
    """The shared clock, back at DEFAULT_NOW for every test: a test that moved it must not
    decide the date of whichever test runs next (the suite runs in random order)."""
    shared_clock.set(DEFAULT_NOW)
    return shared_clock


@pytest.fixture(scope="session")
def bot_server(
    database_url: str, fake_slack: FakeSlack, shared_clock: ManualClock
) -> Iterator[BotServer]:
    server = BotServer(bot_settings(database_url, fake_slack.api_url), shared_clock).start()
    yield server
    server.stop()


@pytest.fixture
def slack(
    bot_server: BotServer, db: sessionmaker[Session], fake_slack: FakeSlack, clock: ManualClock
) -> SlackSender:
    """Signed requests to the running bot, on an empty database and a quiet fake Slack.

    Each request returns once the bot has also done its after-ack work (see
    `BotServer.drain`), so tests read the fake Slack without waiting or racing.
    """
    fake_slack.reset()
    bot_server.runtime.deps.admins.forget()
    if bot_server.runtime.names is not None:
        bot_server.runtime.names.forget()
    if bot_server.runtime.deps.home is not None:
        bot_server.runtime.deps.home.forget()
    # The language each member was last answered in: another test's must not leak in.
    bot_server.runtime.deps.languages.forget()
    return SlackSender(
        bot_server.port, SIGNING_SECRET, fake_slack.response_url(), settle=bot_server.drain
    )


@pytest.fixture
def read_only_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A database at the latest revision that answers but refuses every write, on the
    backend of `database_url`: a SQLite file opened read-only, or a PostgreSQL database
    whose connections start read-only."""
    if database_url.startswith("sqlite"):
        path = tmp_path / "read-only.db"
        sqlite_at(path)
        yield read_only_sqlite(path)
        return
    with postgres_database(POSTGRES_ADMIN_URL) as url:
        migrate_to_head(url)
        make_read_only(POSTGRES_ADMIN_URL, url)
        yield url
