"""Queue a Slack call in the transaction of the state change it announces.

A poll's result is decided and written in one transaction; the message that announces it
is written there too, as a QUEUED outbox row (`delivery_messages`) carrying the call to
make. Whatever happens next (a crash, Slack failing for an hour), the dispatcher finds
the row and sends it once while it is useful; nothing has to recompute it. This module
only writes the row: sending is `bot.jobs.outbox`'s business.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from bot.db.models import DeliveryMessage
from bot.domain.db_helpers import insert_ignoring_conflicts
from bot.enums import MessageStatus

# The keys of the calls a change queues on its subject's REFRESH delivery: replies in
# the session's thread, DMs about the change, and the guide's once-a-day alerts.
NOTICE_PREFIX = "notice:"
DM_PREFIX = "dm:"
ALERT_PREFIX = "alert:"
# A member's own DM to rebuild (their tour de table invitation, after they answered):
# a marker, not a call; the refresh makes it a `chat.update` from the state it reads.
TOUR_DM_PREFIX = "tour_dm:"


class Subject(StrEnum):
    """What a REFRESH delivery brings up to date."""

    SESSION = "session"
    POLL = "poll"
    # Only the session's DMs named by markers (`TOUR_DM_PREFIX`): one member's change.
    MEMBERS = "members"


def refresh_scope(key: str) -> Subject:
    """What a REFRESH delivery brings up to date, from its key (`bot.domain.changes` writes it as
    `refresh:<subject>:<id>:<random>`)."""
    prefix, _, rest = key.partition(":")
    value = rest.partition(":")[0]
    if prefix == "refresh" and value in {s.value for s in Subject}:
        return Subject(value)
    return Subject.SESSION


def queue_call(
    session: Session,
    *,
    delivery_id: int,
    key: str,
    method: str,
    args: dict[str, Any],
    now: datetime,
) -> bool:
    """Queue `method(**args)` under (delivery, key); False if that key is queued already
    (the first one wins: a replayed state change does not queue a second message)."""
    return insert_ignoring_conflicts(
        session,
        DeliveryMessage.__table__,  # type: ignore[arg-type]
        {
            "delivery_id": delivery_id,
            "recipient": key,
            "status": MessageStatus.QUEUED.value,
            "payload": json.dumps({"method": method, "args": args}, ensure_ascii=False),
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        },
        ["delivery_id", "recipient"],
    )
