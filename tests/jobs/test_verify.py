"""A post the outbox may have sent (a crash mid-call, a read timeout) is looked for in
Slack's history once its attempt has settled: found, it is recorded with its ts and the
next steps use it; surely absent, it is sent once; history unreadable, it stays maybe
sent. The clock is passed in (and the fake Slack stamps its messages with it)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.bootstrap import build_client
from bot.config import Settings
from bot.db.engine import transaction
from bot.db.models import Delivery, DeliveryMessage, Meeting
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus, MessageStatus, PollStatus
from bot.jobs.claims import backoff
from bot.jobs.dispatcher import Dispatcher
from bot.jobs.outbox import VERIFY_AFTER
from bot.slack.notifier import Notifier, Posted
from tests.support import server
from tests.support.clock import ManualClock
from tests.support.cycle import add_contribution, schedule
from tests.support.fake_slack import FakeResponse, FakeSlack
from tests.support.jobs import (
    AFTER_CLOSE,
    AFTER_END,
    delivery_of,
    make_dispatcher,
    outbox_rows,
    run_again,
    seed_session_end,
    the_poll,
)
from tests.support.slack_client import message_text

K = DeliveryKind
SHORT_LEASE = timedelta(seconds=30)


@pytest.fixture
def settings(database_url, fake_slack):
    return server.bot_settings(database_url, fake_slack.api_url, SLACK_TIMEOUT_SECONDS="0.5")


@pytest.fixture
def notifier(fake_slack: FakeSlack, settings, clock: ManualClock) -> Notifier:
    """A Notifier with a short read timeout; the fake Slack's ts follow the test clock."""
    fake_slack.reset()
    fake_slack.set_clock(lambda: clock.now().timestamp())
    return Notifier(build_client(settings))


class Crash(BaseException):
    """The worker dies: not an Exception, so nothing in the dispatcher catches it."""


class CrashBeforePost(Notifier):
    """Killed after the reserve, before the request left: Slack never saw it."""

    def post(self, channel: str, message: dict[str, Any]) -> Posted:
        raise Crash()


class CrashAfterPost(Notifier):
    """Slack got the post and answered; the process dies before recording it."""

    def post(self, channel: str, message: dict[str, Any]) -> Posted:
        super().post(channel, message)
        raise Crash()


def end_posts(fake: FakeSlack) -> list[dict[str, Any]]:
    return [p for p in fake.posts() if "Merci pour cette session" in p["text"]]


def reacted_on(fake: FakeSlack) -> list[str]:
    return [c.args["timestamp"] for c in fake.calls("reactions.add")]


@dataclass
class Workers:
    """A process that dies mid-delivery, and the one that takes over after its lease."""

    db: sessionmaker[Session]
    notifier: Notifier
    settings: Settings

    def crash(self, notifier_class: type[Notifier], now: datetime) -> None:
        dying = make_dispatcher(
            self.db, notifier_class(self.notifier._client), self.settings, lease=SHORT_LEASE
        )
        with pytest.raises(Crash):
            dying.dispatch_due(now)

    def survivor(self) -> Dispatcher:
        return make_dispatcher(
            self.db,
            self.notifier,
            self.settings,
            process_id="other-host:2:bbbbbb",
            lease=SHORT_LEASE,
        )


@pytest.fixture
def workers(db, notifier, settings) -> Workers:
    return Workers(db, notifier, settings)


# --- (a) a crash after the reserve, before the call reaches Slack ------------------------


def test_crash_before_the_post_left_waits_the_settle_time_then_posts_it_once(
    db, workers, fake_slack, clock
):
    seed_session_end(db, ["A", "B"])
    clock.set(AFTER_END)
    workers.crash(CrashBeforePost, clock.now())
    other = workers.survivor()

    clock.set(AFTER_END + timedelta(seconds=40))  # the lease lapsed, the attempt not settled
    too_early = other.dispatch_due(clock.now())
    requeued_at = delivery_of(db, K.SESSION_END).available_at
    clock.set(requeued_at)
    settled = other.dispatch_due(clock.now())

    assert (too_early.reclaimed, too_early.retried, too_early.sent) == (1, 1, 0)
    assert AFTER_END + VERIFY_AFTER <= requeued_at < AFTER_END + VERIFY_AFTER + timedelta(seconds=1)
    # The end message, the poll's own message and its two reactions.
    assert (settled.verified_absent, settled.sent, settled.done) == (1, 4, 1)
    [posted] = end_posts(fake_slack)
    assert len(fake_slack.calls("conversations.history")) == 1
    poll = the_poll(db)
    assert poll.message_ts == fake_slack.history["C0GROUP"][1]["ts"]
    assert reacted_on(fake_slack) == [poll.message_ts] * 2
    assert posted["metadata"]["event_payload"]["key"].endswith(":post")
    assert outbox_rows(db, K.SESSION_END) == {
        "post": "sent",
        "poll": "sent",
        "reaction:one": "sent",
        "reaction:two": "sent",
    }


# --- (b) Slack got the post, the bot did not record it ------------------------------------


def test_read_timeout_on_the_poll_post_is_found_on_slack_recorded_and_reacted_on(
    db, notifier, settings, fake_slack, clock
):
    seed_session_end(db, ["A", "B"])
    clock.set(AFTER_END)
    fake_slack.hold("chat.postMessage")  # kept by Slack, never answered: a read timeout
    dispatcher = make_dispatcher(db, notifier, settings)

    first = dispatcher.dispatch_due(clock.now())
    fake_slack.release_holds()
    clock.set(delivery_of(db, K.SESSION_END).available_at)
    second = dispatcher.dispatch_due(clock.now())

    assert (first.ambiguous, first.retried) == (1, 1)
    assert (second.verified_sent, second.verified_absent, second.done) == (1, 0, 1)
    assert len(end_posts(fake_slack)) == 1
    kept, poll_post = fake_slack.history["C0GROUP"]
    poll = the_poll(db)
    assert (poll.channel_id, poll.message_ts) == ("C0GROUP", poll_post["ts"])
    assert reacted_on(fake_slack) == [poll_post["ts"]] * 2
    with db() as session:
        row = session.scalars(
            select(DeliveryMessage).where(DeliveryMessage.recipient == "post")
        ).one()
    assert (row.status, row.channel_id, row.ts) == (MessageStatus.SENT, "C0GROUP", kept["ts"])


def test_crash_after_the_post_finds_it_on_a_later_history_page(db, workers, fake_slack, clock):
    seed_session_end(db, ["A"])
    clock.set(AFTER_END)
    workers.crash(CrashAfterPost, clock.now())
    # 150 messages from members after the bot's post: it is on the second page.
    chatter = [
        {"ts": f"{int(AFTER_END.timestamp()) + 1}.{n:06d}", "user": "U1", "text": "salut"}
        for n in range(150)
    ]
    fake_slack.history["C0GROUP"].extend(chatter)
    clock.set(AFTER_END + timedelta(minutes=5))

    report = workers.survivor().dispatch_due(clock.now())

    assert (report.verified_sent, len(end_posts(fake_slack))) == (1, 1)
    assert len(fake_slack.calls("conversations.history")) == 2
    # The poll's own message, posted after the chatter.
    assert the_poll(db).message_ts == fake_slack.history["C0GROUP"][-1]["ts"]


def test_dropped_result_update_is_made_again_once(db, notifier, settings, fake_slack, clock):
    seed_session_end(db, ["A", "B"])
    clock.set(AFTER_END)
    dispatcher = make_dispatcher(db, notifier, settings)
    dispatcher.dispatch_due(clock.now())
    poll = the_poll(db)
    fake_slack.reactions[poll.message_ts] = [{"name": "two", "users": ["U1"], "count": 1}]
    fake_slack.drop("chat.update")  # the connection dies before Slack processed it
    clock.set(AFTER_CLOSE)

    first = dispatcher.dispatch_due(clock.now())
    closed = the_poll(db).status
    clock.set(delivery_of(db, K.POLL_CLOSE).available_at)
    dispatcher.dispatch_due(clock.now())

    # The result replaces the poll's message: made again, it shows the same.
    assert (first.retried, closed) == (1, PollStatus.CLOSED)
    results = [
        c.args
        for c in fake_slack.calls("chat.update")
        if message_text(c.args).startswith("Résultat du sondage")
    ]
    assert [r["ts"] for r in results] == [poll.message_ts] * 2  # dropped, then kept
    assert fake_slack.posts()[-1]["text"].startswith("Sondage")  # no post of its own
    assert fake_slack.calls("reactions.get") != []
    assert outbox_rows(db, K.POLL_CLOSE) == {"result": "sent"}


# --- (c) history unreadable ---------------------------------------------------------------


def test_history_unreadable_leaves_the_post_maybe_sent_logged_once_and_not_resent(
    db, workers, fake_slack, clock, caplog
):
    seed_session_end(db, ["A", "B"])
    clock.set(AFTER_END)
    workers.crash(CrashBeforePost, clock.now())
    fake_slack.fail("conversations.history", "missing_scope")
    other = workers.survivor()

    with caplog.at_level(logging.WARNING, logger="bot.jobs.outbox"):
        clock.set(AFTER_END + timedelta(minutes=5))
        first = other.dispatch_due(clock.now())
        run_again(db, K.SESSION_END, AFTER_END + timedelta(minutes=10))
        clock.set(AFTER_END + timedelta(minutes=10))
        again = other.dispatch_due(clock.now())

    assert (first.not_resent, first.done, again.not_resent) == (1, 1, 1)
    assert fake_slack.posts() == []
    logged = [r for r in caplog.records if "missing_scope" in r.getMessage()]
    assert len(logged) == 1
    assert "post maybe delivered, not sent again" in logged[0].getMessage()
    with db() as session:
        row = session.scalars(
            select(DeliveryMessage).where(DeliveryMessage.payload.is_(None))
        ).one()
    assert (row.status, row.error) == (
        MessageStatus.SENDING,
        "maybe sent: interrupted mid-call; history unreadable (missing_scope)",
    )
    with db() as session:
        ended = session.get(Meeting, delivery_of(db, K.SESSION_END).meeting_id)
        assert ended is not None and ended.status == MeetingStatus.HELD


def test_history_failing_for_now_is_retried_then_verified(db, workers, fake_slack, clock):
    seed_session_end(db, ["A"])
    clock.set(AFTER_END)
    workers.crash(CrashBeforePost, clock.now())
    outage = {"on": True}
    fake_slack.on(
        "conversations.history",
        lambda _a: FakeResponse({"ok": False}, 503) if outage["on"] else None,
    )
    other = workers.survivor()

    clock.set(AFTER_END + timedelta(minutes=5))
    first = other.dispatch_due(clock.now())
    outage["on"] = False
    clock.set(AFTER_END + timedelta(minutes=5) + backoff(1))
    second = other.dispatch_due(clock.now())

    assert (first.retried, first.sent) == (1, 0)
    assert (second.verified_absent, second.done) == (1, 1)
    assert len(end_posts(fake_slack)) == 1


# --- (d) a DM -------------------------------------------------------------------------------

J7 = datetime(2027, 1, 7, 9, 0, tzinfo=AFTER_END.tzinfo)


def test_dm_timed_out_is_found_in_the_im_channel_and_not_resent(
    db, notifier, settings, fake_slack, clock
):
    _, meeting_id = schedule(db, starts_at=datetime(2027, 1, 14, 13, 0, tzinfo=J7.tzinfo), now=J7)
    add_contribution(db, meeting_id, "U0ANNA", now=J7, order=1)
    with transaction(db) as session:
        for delivery in session.scalars(select(Delivery)):
            if delivery.kind != K.CONTRIBUTOR_REMINDER:
                delivery.status = DeliveryStatus.DONE
    clock.set(J7)
    fake_slack.hold("chat.postMessage")
    dispatcher = make_dispatcher(db, notifier, settings)

    first = dispatcher.dispatch_due(clock.now())
    fake_slack.release_holds()
    clock.set(delivery_of(db, K.CONTRIBUTOR_REMINDER).available_at)
    second = dispatcher.dispatch_due(clock.now())

    assert (first.ambiguous, first.retried) == (1, 1)
    assert (second.verified_sent, second.sent, second.done) == (1, 0, 1)
    assert [p["channel"] for p in fake_slack.posts()] == ["U0ANNA"]
    assert [c.args["users"] for c in fake_slack.calls("conversations.open")] == ["U0ANNA"]
    assert [c.args["channel"] for c in fake_slack.calls("conversations.history")] == ["D0ANNA"]
    with db() as session:
        row = session.scalars(
            select(DeliveryMessage).where(DeliveryMessage.payload.is_(None))
        ).one()
    assert (row.recipient, row.status, row.channel_id, row.ts) == (
        "U0ANNA",
        MessageStatus.SENT,
        "D0ANNA",
        fake_slack.history["D0ANNA"][0]["ts"],
    )


def test_history_too_long_to_read_leaves_the_post_maybe_sent(db, workers, fake_slack, clock):
    seed_session_end(db, ["A"])
    clock.set(AFTER_END)
    workers.crash(CrashBeforePost, clock.now())
    # More member messages in the attempt's window than the bounded read covers.
    second = int(AFTER_END.timestamp())
    fake_slack.history["C0GROUP"] = [
        {"ts": f"{second}.{n:06d}", "user": "U1", "text": "salut"} for n in range(1001)
    ]
    clock.set(AFTER_END + timedelta(minutes=5))

    report = workers.survivor().dispatch_due(clock.now())

    assert (report.not_resent, report.verified_absent, report.done) == (1, 0, 1)
    assert len(fake_slack.calls("conversations.history")) == 10
    assert fake_slack.posts() == []
    assert outbox_rows(db, K.SESSION_END) == {"post": "sending"}
