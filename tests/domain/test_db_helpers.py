"""The portable ON CONFLICT DO NOTHING helper on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db.models import Group
from bot.domain.db_helpers import insert_ignoring_conflicts

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_insert_ignoring_conflicts_tells_inserted_from_skipped(db):
    values = {"team_id": "T0001", "channel_id": "C0GROUP", "created_at": NOW}

    with db.begin() as session:
        first = insert_ignoring_conflicts(
            session, Group.__table__, values, ["team_id", "channel_id"]
        )
        second = insert_ignoring_conflicts(
            session, Group.__table__, values, ["team_id", "channel_id"]
        )

    assert (first, second) == (True, False)
