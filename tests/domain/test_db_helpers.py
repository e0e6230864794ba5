"""insert_ignoring_conflicts must tell an insert from a skipped conflict on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.db.engine import transaction
from bot.db.models import Organiser
from bot.domain.db_helpers import insert_ignoring_conflicts
from bot.domain.groups import ensure_group

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_insert_ignoring_conflicts_second_insert_reports_false(db):
    with transaction(db) as session:
        group = ensure_group(session, team_id="T1", channel_id="C1", now=NOW)
        values = {"group_id": group.id, "user_id": "U1", "created_at": NOW}
        table = Organiser.__table__

        first = insert_ignoring_conflicts(session, table, values, ["group_id", "user_id"])
        second = insert_ignoring_conflicts(session, table, values, ["group_id", "user_id"])

        count = session.scalar(select(func.count(Organiser.id)))
    assert (first, second, count) == (True, False, 1)
