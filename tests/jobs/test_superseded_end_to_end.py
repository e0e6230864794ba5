"""A bot whose clock jumps over several reminders (a VM resumed after a suspension) sends
each reader only the most recent one still due; the earlier ones are skipped, logged."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.db.models import Delivery, Meeting
from bot.enums import DeliveryKind, DeliveryStatus
from tests.support.cycle import add_contribution, add_guide
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender, message_text

K = DeliveryKind
J8 = datetime(2027, 1, 6, 9, 0, tzinfo=UTC)  # 10:00 in Paris, eight days before
J1_EARLY = datetime(2027, 1, 13, 7, 0, tzinfo=UTC)  # 08:00 in Paris, the J-1 is at 10:00
J = datetime(2027, 1, 14, 8, 0, tzinfo=UTC)  # 09:00 in Paris, the session's day


def prepare(slack: SlackSender, fake_slack: FakeSlack, clock, bot_server, db) -> None:
    """A session on 14 January with a guide and a contributor not ready, and the bot's
    clock at J-8 with everything due so far sent."""
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    with db() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    add_guide(db, meeting_id, "U0GUIDE", clock.now())
    add_contribution(db, meeting_id, "U0ANNA", now=clock.now(), title="Un commun")
    clock.set(J8)
    bot_server.runtime.dispatcher.dispatch_due(clock.now())
    fake_slack.reset()


def direct_messages(fake_slack: FakeSlack) -> dict[str, list[str]]:
    """Each member's DMs (chat.postMessage to a user id), first line of each."""
    dms: dict[str, list[str]] = {}
    for post in fake_slack.posts():
        if post["channel"].startswith("U"):
            dms.setdefault(post["channel"], []).append(message_text(post).splitlines()[0])
    return dms


def statuses(db, *kinds: DeliveryKind) -> dict[DeliveryKind, tuple[DeliveryStatus, str | None]]:
    with db() as session:
        rows = session.execute(
            select(Delivery.kind, Delivery.status, Delivery.last_error).where(
                Delivery.kind.in_(kinds)
            )
        ).tuples()
        return {kind: (status, error) for kind, status, error in rows}


def test_jump_from_j_minus_8_to_j_sends_each_reader_one_reminder(
    slack: SlackSender,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    *,
    clock,
    bot_server,
    db,
):
    prepare(slack, fake_slack, clock, bot_server, db)

    clock.set(J)  # the bot was suspended from J-8 to the morning of the session
    with caplog.at_level(logging.INFO, logger="bot.jobs.dispatcher"):
        report = bot_server.runtime.dispatcher.dispatch_due(clock.now())

    assert direct_messages(fake_slack) == {
        "U0ANNA": ["Dernier rappel\u202f: session du jeudi 14 janvier 2027"],
        "U0GUIDE": ["Dernier point avant la session du jeudi 14 janvier 2027"],
    }
    assert Counter(p["channel"] for p in fake_slack.posts()) == Counter(
        {"C0GROUP": 1, "U0ANNA": 1, "U0GUIDE": 1}
    )
    assert report.skipped == 2
    assert statuses(db, K.CONTRIBUTOR_REMINDER, K.GUIDE_OVERVIEW) == {
        K.CONTRIBUTOR_REMINDER: (DeliveryStatus.SKIPPED, "superseded by last_reminder"),
        K.GUIDE_OVERVIEW: (DeliveryStatus.SKIPPED, "superseded by guide_last_overview"),
    }
    skipped = [r.getMessage() for r in caplog.records if "skipped, superseded by" in r.getMessage()]
    assert [line.split("(")[1].split(",")[0] for line in skipped] == [
        "contributor_reminder",
        "guide_overview",
    ]


def test_jump_to_hours_before_the_last_reminder_sends_only_the_last_one(
    slack: SlackSender, fake_slack: FakeSlack, *, clock, bot_server, db
):
    prepare(slack, fake_slack, clock, bot_server, db)
    dispatcher = bot_server.runtime.dispatcher

    clock.set(J1_EARLY)  # back two hours before the J-1 reminders
    dispatcher.dispatch_due(clock.now())
    early = direct_messages(fake_slack)
    fake_slack.reset()
    clock.set(J1_EARLY.replace(hour=9))  # 10:00 in Paris
    dispatcher.dispatch_due(clock.now())

    assert early == {}
    assert direct_messages(fake_slack) == {
        "U0ANNA": ["Dernier rappel\u202f: session du jeudi 14 janvier 2027"],
        "U0GUIDE": ["Demain, la session du jeudi 14 janvier 2027\u202f: dernier point"],
    }
