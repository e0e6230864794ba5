"""The Alembic revisions describe exactly the models, on both databases."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect

from bot.db.engine import alembic_config


def test_migrations_match_models(database_url):
    command.check(alembic_config(database_url))  # raises when the models drifted


def test_session_end_links_revision_round_trips_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'round_trip.db'}"
    config = alembic_config(url)
    command.upgrade(config, "head")
    command.downgrade(config, "0001")
    engine = create_engine(url)
    with engine.connect() as conn:
        before = {c["name"] for c in inspect(conn).get_columns("polls")}

    command.upgrade(config, "head")

    with engine.connect() as conn:
        after = {c["name"] for c in inspect(conn).get_columns("polls")}
        indexes = {i["name"]: i for i in inspect(conn).get_indexes("polls")}
    engine.dispose()
    assert after - before == {"source_meeting_id"}
    # The table was rebuilt: its partial unique index must have survived.
    where = indexes["uq_polls_one_open_per_group"]["dialect_options"]["sqlite_where"]
    assert str(where) == "status = 'open'"
