"""Driving the living messages from a test: post the announcement now, let the refresh a
change planned fall due, and read what the channel and the thread got."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.bootstrap import build_dispatcher
from bot.db.models import Delivery, DeliveryMessage
from bot.domain.changes import NOTICE_PREFIX, REFRESH_DELAY
from bot.enums import DeliveryKind, DeliveryStatus
from bot.jobs.dispatcher import DispatchReport
from tests.support.clock import ManualClock
from tests.support.fake_slack import FakeSlack
from tests.support.server import BotServer


def run_kind_now(bot_server: BotServer, clock: ManualClock, kind: DeliveryKind) -> DispatchReport:
    """Work the planned delivery of `kind` now, whatever its due time (one per test)."""
    db = bot_server.runtime.deps.db
    with db() as session:
        delivery_id = session.scalars(
            select(Delivery.id).where(
                Delivery.kind == kind, Delivery.status == DeliveryStatus.PLANNED
            )
        ).first()
    assert delivery_id is not None, f"no planned {kind.value}"
    return build_dispatcher(bot_server.runtime).run_now(delivery_id, clock.now())


def announce(bot_server: BotServer, clock: ManualClock) -> str:
    """Post the session's announcement now; its ts (the session's thread) is returned."""
    run_kind_now(bot_server, clock, DeliveryKind.ANNOUNCEMENT)
    return posted_ts(bot_server, DeliveryKind.ANNOUNCEMENT)


def posted_ts(bot_server: BotServer, kind: DeliveryKind) -> str:
    """The ts the outbox recorded for the (last) message a delivery of `kind` posted."""
    with bot_server.runtime.deps.db() as session:
        ts = session.scalars(
            select(DeliveryMessage.ts)
            .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
            .where(Delivery.kind == kind, DeliveryMessage.ts.is_not(None))
            .order_by(DeliveryMessage.id.desc())
        ).first()
    assert ts is not None, f"nothing posted by {kind.value}"
    return ts


def refresh(bot_server: BotServer, clock: ManualClock) -> DispatchReport:
    """Let the refreshes planned by the changes so far fall due, and work them."""
    clock.advance(REFRESH_DELAY + timedelta(seconds=1))
    return build_dispatcher(bot_server.runtime).dispatch_due(clock.now())


def thread_replies(fake_slack: FakeSlack) -> list[dict[str, Any]]:
    return [p for p in fake_slack.posts() if p.get("thread_ts")]


def top_level_posts(fake_slack: FakeSlack) -> list[dict[str, Any]]:
    return [p for p in fake_slack.posts() if not p.get("thread_ts")]


def updates(fake_slack: FakeSlack) -> list[dict[str, Any]]:
    return [c.args for c in fake_slack.calls("chat.update")]


def queued_notices(db: sessionmaker[Session], containing: str) -> list[str]:
    """The thread notices the changes queued (whether or not sent yet) whose text holds
    `containing`: one per change applied, however often Slack delivered the request."""
    with db() as session:
        payloads = session.scalars(
            select(DeliveryMessage.payload).where(
                DeliveryMessage.recipient.like(f"{NOTICE_PREFIX}%")
            )
        ).all()
    texts = [str(json.loads(p)["args"].get("text", "")) for p in payloads if p]
    return [text for text in texts if containing in text]


def announced(db: sessionmaker[Session], *, channel: str = "C0GROUP") -> str:
    """Record the upcoming session's announcement as posted (its thread exists), as its
    delivery would have: changes after it are told in that thread. Returns its ts."""
    from bot.db.models import Meeting
    from bot.domain.planner import plan_delivery
    from bot.enums import MeetingStatus, MessageStatus

    ts = "1700000000.000900"
    with db.begin() as session:
        meeting = session.scalars(
            select(Meeting).where(Meeting.status == MeetingStatus.SCHEDULED)
        ).one()
        now = meeting.created_at
        delivery_id, _ = plan_delivery(
            session,
            kind=DeliveryKind.ANNOUNCEMENT,
            group_id=meeting.group_id,
            meeting_id=meeting.id,
            key=f"test:announced:{meeting.id}",
            due_at=now,
            expires_at=meeting.starts_at,
            now=now,
        )
        session.add(
            DeliveryMessage(
                delivery_id=delivery_id,
                recipient="post",
                status=MessageStatus.SENT,
                channel_id=channel,
                ts=ts,
                created_at=now,
                updated_at=now,
            )
        )
    return ts
