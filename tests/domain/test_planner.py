"""Every delivery row is written by one planner (`bot.domain.planner.plan_delivery`)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.db.models import Delivery
from bot.domain.groups import ensure_group
from bot.domain.planner import plan_delivery
from bot.enums import DeliveryKind, DeliveryStatus

BOT = Path(__file__).resolve().parents[2] / "bot"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


INSERTS = {"insert", "insert_ignoring_conflicts", "insert_returning_id"}


def _is_delivery_table(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "__table__"
        and getattr(node.value, "id", None) == "Delivery"
    )


def writes_deliveries(path: Path) -> bool:
    """Whether the module builds a `Delivery(...)` or inserts into its table (updates of
    a row, like a claim's, are not a plan)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name == "Delivery":
            return True
        if name in INSERTS and any(_is_delivery_table(a) for a in node.args):
            return True
    return False


def test_planner_is_the_only_module_that_writes_delivery_rows():
    writers = sorted(
        str(path.relative_to(BOT)) for path in BOT.rglob("*.py") if writes_deliveries(path)
    )

    assert writers == ["domain/planner.py"]


def test_planner_plans_a_key_once(db):
    with db.begin() as session:
        group = ensure_group(session, team_id="T0", channel_id="C0", now=NOW)
        args = {
            "kind": DeliveryKind.STATS_EXPORT,
            "group_id": group.id,
            "key": "stats:once",
            "due_at": NOW,
            "expires_at": NOW + timedelta(days=1),
            "now": NOW,
        }
        first = plan_delivery(session, **args)
        again = plan_delivery(session, **args)

    with db() as session:
        rows = session.scalar(select(func.count()).select_from(Delivery))
        delivery = session.scalars(select(Delivery)).one()
    assert (first[1], again[1], first[0] == again[0], rows) == (True, False, True, 1)
    assert (delivery.status, delivery.available_at, delivery.attempts) == (
        DeliveryStatus.PLANNED,
        NOW,
        0,
    )


def test_writes_deliveries_finds_an_insert_but_not_an_update(tmp_path):
    inserting = tmp_path / "inserting.py"
    inserting.write_text(
        "insert_ignoring_conflicts(session, Delivery.__table__, {}, ['dedup_key'])\n",
        encoding="utf-8",
    )
    updating = tmp_path / "updating.py"
    updating.write_text("table = Delivery.__table__\nupdate(table)\n", encoding="utf-8")

    assert (writes_deliveries(inserting), writes_deliveries(updating)) == (True, False)
