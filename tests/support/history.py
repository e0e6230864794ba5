"""Holding sessions one after another, as the monthly cycle does, with an injected clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from bot.bootstrap import build_dispatcher
from bot.db.models import Meeting
from bot.enums import MeetingStatus
from tests.support.contributions import contribute, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender


def hold_sessions(
    slack: SlackSender,
    fake_slack: FakeSlack,
    db,
    *,
    bot_server,
    clock,
    count: int,
    before_end: Callable[[int], None] | None = None,
) -> None:
    """Hold `count` monthly sessions, each with its theme; the last one has a
    contribution. `before_end(number)` runs what a test needs just before each ends."""
    dispatcher = build_dispatcher(bot_server.runtime)
    schedule(slack)
    for number in range(1, count + 1):
        slack.command(f"theme Thème {number}", user="U0ORGA")
        if number == count:
            contribute(slack, fake_slack, title="Les formulaires", link="https://example.org/f")
        if before_end is not None:
            before_end(number)
        with db() as session:
            meeting = session.scalars(
                select(Meeting).where(Meeting.status == MeetingStatus.SCHEDULED)
            ).one()
        clock.set(meeting.starts_at + timedelta(minutes=meeting.duration_minutes))
        dispatcher.dispatch_due(clock.now())
    fake_slack.reset()
