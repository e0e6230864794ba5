"""Engine behaviour the server relies on."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from bot.db.engine import ReadOnlyViolation, read_transaction, transaction
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
