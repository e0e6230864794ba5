"""Every database wait is bounded: a slow or silent database fails a unit of work within
Slack's 3 seconds instead of hanging it (numbers in bot/timeouts.py)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, literal, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot import timeouts
from bot.db.engine import make_engine, make_session_factory, read_row, transaction
from tests.support.db_proxy import DatabaseProxy

SLACK_BUDGET_SECONDS = 3.0


def only(engine: Engine, dialect: str) -> None:
    if engine.dialect.name != dialect:
        pytest.skip(f"{dialect} only")


@pytest.fixture
def proxy(database_url: str) -> Iterator[DatabaseProxy]:
    if not database_url.startswith("postgresql"):
        pytest.skip("postgresql only")
    proxy = DatabaseProxy.in_front_of(database_url).start()
    yield proxy
    proxy.close()


def elapsed_failing(action) -> float:
    """Seconds until `action` raised OperationalError (fails the test if it did not)."""
    started = time.monotonic()
    with pytest.raises(OperationalError):
        action()
    return time.monotonic() - started


def test_sqlite_writer_waiting_on_the_write_lock_fails_within_the_busy_timeout(db, engine):
    only(engine, "sqlite")
    holder = sqlite3.connect(engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:

        def write() -> None:
            with transaction(db) as session:
                session.execute(text("SELECT 1"))

        waited = elapsed_failing(write)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert timeouts.DB_LOCK_TIMEOUT_SECONDS - 0.1 <= waited < SLACK_BUDGET_SECONDS


def test_postgresql_statement_is_cancelled_by_the_statement_timeout(db, engine):
    only(engine, "postgresql")

    def sleep() -> None:
        with transaction(db) as session:
            session.execute(text("SELECT pg_sleep(10)"))

    waited = elapsed_failing(sleep)

    assert timeouts.DB_STATEMENT_TIMEOUT_SECONDS - 0.1 <= waited < SLACK_BUDGET_SECONDS


def test_postgresql_lock_wait_fails_within_the_lock_timeout(db, engine, database_url):
    only(engine, "postgresql")
    holder = make_engine(database_url)
    try:
        with holder.connect() as conn:
            conn.execute(text('LOCK TABLE "groups" IN ACCESS EXCLUSIVE MODE'))

            def read() -> None:
                with transaction(db) as session:
                    session.execute(text('SELECT count(*) FROM "groups"'))

            waited = elapsed_failing(read)
            conn.rollback()
    finally:
        holder.dispose()

    assert timeouts.DB_LOCK_TIMEOUT_SECONDS - 0.1 <= waited < SLACK_BUDGET_SECONDS


def test_connecting_to_a_silent_postgresql_fails_within_the_connect_timeout(
    proxy: DatabaseProxy, database_url: str
):
    silent = make_engine(proxy.url_for(database_url))
    proxy.pause()
    try:

        def connect() -> None:
            with silent.connect() as conn:
                conn.execute(text("SELECT 1"))

        waited = elapsed_failing(connect)
    finally:
        silent.dispose()

    assert waited < SLACK_BUDGET_SECONDS


def test_statement_on_a_pooled_connection_to_a_silent_postgresql_is_cut_off(
    proxy: DatabaseProxy, database_url: str
):
    engine = make_engine(proxy.url_for(database_url))
    factory = make_session_factory(engine)
    try:
        with transaction(factory) as session:  # the pool now holds a live connection
            session.execute(text("SELECT 1"))
        proxy.pause()

        def query() -> None:
            with transaction(factory) as session:
                session.execute(text("SELECT 1"))

        waited = elapsed_failing(query)
        proxy.resume()
        with transaction(factory) as session:  # the cut connection was replaced
            answer = session.execute(text("SELECT 1")).scalar_one()
    finally:
        engine.dispose()

    assert timeouts.DB_CLIENT_STATEMENT_DEADLINE_SECONDS - 0.1 <= waited < SLACK_BUDGET_SECONDS
    assert answer == 1


def test_a_closed_postgresql_fails_at_once(proxy: DatabaseProxy, database_url: str):
    engine = make_engine(proxy.url_for(database_url))
    proxy.close()
    try:

        def connect() -> None:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))

        waited = elapsed_failing(connect)
    finally:
        engine.dispose()

    assert waited < 1.0


def test_waiting_for_a_pooled_connection_fails_within_the_pool_timeout(database_url: str):
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect():
            started = time.monotonic()
            with pytest.raises(PoolTimeout):
                engine.connect()
            waited = time.monotonic() - started
    finally:
        engine.dispose()

    assert timeouts.DB_POOL_TIMEOUT_SECONDS - 0.1 <= waited < SLACK_BUDGET_SECONDS


def test_read_row_on_a_pooled_connection_to_a_silent_postgresql_is_cut_off(
    proxy: DatabaseProxy, database_url: str
):
    """`read_row` bypasses the engine's events; the statement deadline still applies."""
    engine = make_engine(proxy.url_for(database_url))
    factory = make_session_factory(engine)
    try:
        assert read_row(factory, select(literal(1)), {}) == (1,)
        proxy.pause()

        waited = elapsed_failing(lambda: read_row(factory, select(literal(1)), {}))
        proxy.resume()
        answer = read_row(factory, select(literal(1)), {})  # the cut connection was replaced
    finally:
        engine.dispose()

    assert timeouts.DB_CLIENT_STATEMENT_DEADLINE_SECONDS - 0.1 <= waited < SLACK_BUDGET_SECONDS
    assert answer == (1,)
