"""Engine behaviour the server relies on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, column, event, select, table
from sqlalchemy.exc import DBAPIError

from bot.db.engine import (
    ReadOnlyViolation,
    make_engine,
    make_session_factory,
    read_row,
    read_transaction,
    transaction,
)
from bot.db.models import Group


@pytest.fixture
def statements(engine):
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_read_transaction_takes_no_write_lock_on_sqlite(db, engine, statements):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking only")

    with read_transaction(db) as session:
        session.scalars(select(Group)).all()

    assert "BEGIN IMMEDIATE" not in statements
    assert "BEGIN" not in statements


def test_transaction_takes_write_lock_at_start_on_sqlite(db, engine, statements):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking only")

    with transaction(db) as session:
        session.scalars(select(Group)).all()

    assert "BEGIN IMMEDIATE" in statements


def test_read_transaction_refuses_orm_writes(db, clock):
    with pytest.raises(ReadOnlyViolation), read_transaction(db) as session:
        session.add(Group(team_id="T", channel_id="C", created_at=clock.now()))
        session.flush()

    with read_transaction(db) as session:
        assert session.scalars(select(Group)).all() == []


# --- read_row: the bare pooled read of `programme`'s revision ---------------------------


def _one_group(db) -> int:
    with transaction(db) as session:
        group = Group(
            team_id="T0READ", channel_id="C0READ", created_at=datetime(2026, 12, 1, tzinfo=UTC)
        )
        session.add(group)
        session.flush()
        return group.id


def test_read_row_returns_the_first_row_as_a_tuple(db):
    group_id = _one_group(db)
    statement = select(Group.id, Group.channel_id).where(Group.team_id == bindparam("team"))

    found = read_row(db, statement, {"team": "T0READ"})
    missing = read_row(db, statement, {"team": "T0NONE"})

    assert found == (group_id, "C0READ")
    assert missing is None


def test_read_row_sees_a_commit_made_after_the_previous_read(db):
    statement = select(Group.channel_id).where(Group.team_id == bindparam("team"))
    before = read_row(db, statement, {"team": "T0READ"})
    _one_group(db)

    after = read_row(db, statement, {"team": "T0READ"})

    assert (before, after) == (None, ("C0READ",))


def test_read_row_raises_driver_errors_as_sqlalchemy_errors_and_keeps_the_pool(db):
    missing = select(column("id")).select_from(table("no_such_table"))

    with pytest.raises(DBAPIError):
        read_row(db, missing, {})

    with transaction(db) as session:  # the pool still serves working connections
        assert session.execute(select(1)).scalar_one() == 1


def test_read_row_hands_postgresql_connections_back_in_transactional_mode(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("postgresql only")
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    factory = make_session_factory(engine)
    try:
        read_row(factory, select(Group.id), {})
        with transaction(factory) as session:  # the same, only connection
            session.execute(select(Group.id))
            autocommit = session.connection().connection.dbapi_connection.autocommit
    finally:
        engine.dispose()

    assert autocommit is False
