"""The one way a delivery row is written.

Whatever plans it (a session's cycle, a change's refresh, a poll, a member's `.ics`, an
organiser's export or cancellation, a "Je peux aider"), a delivery is inserted here: its
kind, what it is about, its key (unique: planning the same thing twice, from two
requests at once, keeps one row), when it falls due and until when it is useful. The
kind's declaration (`bot.domain.kinds.SPECS`) says who works it; nothing else has to
know how a row is made.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Delivery
from bot.domain.db_helpers import insert_returning_id
from bot.domain.kinds import SPECS
from bot.enums import DeliveryKind, DeliveryStatus


def plan_delivery(
    session: Session,
    *,
    kind: DeliveryKind,
    group_id: int,
    key: str,
    due_at: datetime,
    expires_at: datetime,
    now: datetime,
    meeting_id: int | None = None,
    poll_id: int | None = None,
    available_at: datetime | None = None,
) -> tuple[int, bool]:
    """Plan `kind` under `key`; returns the row's id and whether this call created it
    (False: that key was planned already, by this or a concurrent request)."""
    assert kind in SPECS, f"{kind} is not declared in bot.domain.kinds"
    inserted = insert_returning_id(
        session,
        Delivery.__table__,  # type: ignore[arg-type]
        {
            "group_id": group_id,
            "meeting_id": meeting_id,
            "poll_id": poll_id,
            "kind": kind.value,
            "dedup_key": key,
            "due_at": due_at,
            "expires_at": expires_at,
            "available_at": available_at or due_at,
            "status": DeliveryStatus.PLANNED.value,
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        },
        ["dedup_key"],
    )
    if inserted is not None:
        return inserted, True
    existing = session.scalar(select(Delivery.id).where(Delivery.dedup_key == key))
    assert existing is not None, f"delivery {key} neither inserted nor found"
    return int(existing), False
