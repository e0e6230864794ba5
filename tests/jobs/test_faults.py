"""Each fault of the cycle injected on purpose, with the clock passed in: every message
goes out once (or not at all where the maybe-sent rule says so) and the cycle moves on."""

from __future__ import annotations

import logging
import sqlite3
import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.bootstrap import build_client
from bot.db.engine import make_engine, transaction
from bot.db.models import Group, Meeting, Poll, PollVote, ThemeProposal
from bot.domain.polls import open_poll, plan_poll_post
from bot.domain.proposals import propose_theme
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus, PollStatus, ProposalStatus
from bot.followups import session_factory
from bot.jobs.claims import backoff
from bot.slack.notifier import Notifier, Posted
from tests.support import server
from tests.support.fake_slack import BOT_USER_ID, FakeResponse, FakeSlack
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
from tests.support.wait import wait_for

K = DeliveryKind


@pytest.fixture
def settings(database_url, fake_slack):
    return server.bot_settings(database_url, fake_slack.api_url, SLACK_TIMEOUT_SECONDS="5")


@pytest.fixture
def notifier(fake_slack: FakeSlack, settings) -> Notifier:
    fake_slack.reset()
    return Notifier(build_client(settings))


def end_posts(fake: FakeSlack) -> list[dict[str, Any]]:
    return [p for p in fake.posts() if "Merci pour cette session" in p["text"]]


def next_session(db: sessionmaker[Session]) -> Meeting:
    with db() as session:
        return session.scalars(
            select(Meeting).where(Meeting.status == MeetingStatus.SCHEDULED)
        ).one()


class Crash(BaseException):
    """The worker dies: not an Exception, so nothing in the dispatcher catches it."""


class CrashAfterPost(Notifier):
    """Slack got the post and answered; the process dies before recording it."""

    def post(self, channel: str, message: dict[str, Any]) -> Posted:
        super().post(channel, message)
        raise Crash()


# --- a crash between reserve and record --------------------------------------------------


def test_crash_during_poll_post_never_posts_it_twice_and_reacts_on_the_one_slack_has(
    db, notifier, settings, fake_slack, caplog
):
    seed_session_end(db, ["A", "B"])
    fake_slack.set_clock(AFTER_END.timestamp)
    dying = make_dispatcher(db, CrashAfterPost(notifier._client), settings)
    with pytest.raises(Crash):
        dying.dispatch_due(AFTER_END)
    survivor = make_dispatcher(db, notifier, settings, process_id="other-host:2:bbbbbb")

    with caplog.at_level(logging.INFO, logger="bot.jobs.outbox"):
        taken_over = survivor.dispatch_due(AFTER_END + timedelta(minutes=10))
        run_again(db, K.SESSION_END, AFTER_END + timedelta(minutes=20))
        survivor.dispatch_due(AFTER_END + timedelta(minutes=20))

    [posted] = end_posts(fake_slack)
    poll = the_poll(db)
    # The end message found on Slack, then the poll's own message and its two reactions.
    assert (taken_over.reclaimed, taken_over.verified_sent, taken_over.sent) == (1, 1, 3)
    found = [r for r in caplog.records if "post found on Slack" in r.getMessage()]
    assert len(found) == 1
    channel = fake_slack.history["C0GROUP"]
    assert [m["text"].split("\n")[0] for m in channel] == [
        posted["text"].split("\n")[0],
        "Sondage\u202f: le thème de la prochaine session",
    ]
    assert poll.message_ts == channel[1]["ts"]
    assert [c.args["timestamp"] for c in fake_slack.calls("reactions.add")] == [poll.message_ts] * 2
    assert outbox_rows(db, K.SESSION_END) == {
        "post": "sent",
        "poll": "sent",
        "reaction:one": "sent",
        "reaction:two": "sent",
    }
    assert posted["metadata"]["event_type"] == "partage_outbox"
    assert the_poll(db).status == PollStatus.OPEN
    assert next_session(db).starts_at.month == 2


class CrashAfterPoll(Notifier):
    """Slack got the poll's own message and answered; the process dies before recording
    it (the end message before it went through)."""

    def post(self, channel: str, message: dict[str, Any]) -> Posted:
        posted = super().post(channel, message)
        if str(message.get("text", "")).startswith("Sondage"):
            raise Crash()
        return posted


def test_crash_during_the_session_end_poll_post_never_posts_it_twice(
    db, notifier, settings, fake_slack
):
    seed_session_end(db, ["A", "B"])
    fake_slack.set_clock(AFTER_END.timestamp)
    dying = make_dispatcher(db, CrashAfterPoll(notifier._client), settings)
    with pytest.raises(Crash):
        dying.dispatch_due(AFTER_END)
    survivor = make_dispatcher(db, notifier, settings, process_id="other-host:2:bbbbbb")

    taken_over = survivor.dispatch_due(AFTER_END + timedelta(minutes=10))

    poll = the_poll(db)
    channel = fake_slack.history["C0GROUP"]
    assert len(channel) == 2
    assert (taken_over.verified_sent, taken_over.sent) == (1, 2)
    assert poll.message_ts == channel[1]["ts"]
    assert [c.args["timestamp"] for c in fake_slack.calls("reactions.add")] == [poll.message_ts] * 2


def test_crash_during_command_poll_post_never_posts_it_twice(db, notifier, settings, fake_slack):
    meeting_id = seed_session_end(db, ["A"])
    fake_slack.set_clock(AFTER_END.timestamp)
    with transaction(db) as session:
        meeting = session.get(Meeting, meeting_id)
        meeting.status = MeetingStatus.CANCELLED  # only the poll is due
        group = session.get(Group, meeting.group_id)
        view = open_poll(
            session,
            timezone="Europe/Paris",
            group=group,
            opened_by="U0ORGA",
            now=AFTER_END,
            target_meeting=None,
        )
        plan_poll_post(session, poll=view, now=AFTER_END)
    dying = make_dispatcher(db, CrashAfterPost(notifier._client), settings)
    with pytest.raises(Crash):
        dying.dispatch_due(AFTER_END)
    survivor = make_dispatcher(db, notifier, settings, process_id="other-host:2:bbbbbb")

    survivor.dispatch_due(AFTER_END + timedelta(minutes=10))

    assert len([p for p in fake_slack.posts() if "Sondage" in p["text"]]) == 1
    poll = the_poll(db)
    assert poll.message_ts == fake_slack.history["C0GROUP"][0]["ts"]
    # The ts is known from Slack's history: the reactions go on the one message.
    assert [c.args["timestamp"] for c in fake_slack.calls("reactions.add")] == [poll.message_ts]
    assert delivery_of(db, K.POLL_POST).status == DeliveryStatus.DONE


# --- the database stops while Slack holds the post --------------------------------------


def stop_database_while_posting(fake: FakeSlack, database_url: str, pids: list[int]) -> list[str]:
    """While Slack holds the post, PostgreSQL drops every connection of the bot (as a
    restart does), or another process locks the SQLite file for a second."""
    done: list[str] = []

    def responder(args: dict[str, Any]) -> None:
        if done or "Merci pour cette session" not in args.get("text", ""):
            return None
        if database_url.startswith("postgresql"):
            killer = create_engine(database_url, isolation_level="AUTOCOMMIT")
            with killer.connect() as conn:
                for pid in pids:
                    conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            killer.dispose()
        else:
            path = database_url.removeprefix("sqlite:///")
            locker = sqlite3.connect(path, check_same_thread=False)
            locker.execute("BEGIN EXCLUSIVE")
            threading.Timer(1.0, locker.close).start()
        done.append("stopped")
        return None

    fake.on("chat.postMessage", responder)
    return done


def engine_remembering_its_connections(database_url: str) -> tuple[Engine, list[int]]:
    """The bot's own engine, whose PostgreSQL backends are the ones to terminate (the
    other tests' connections are left alone)."""
    engine = make_engine(database_url)
    pids: list[int] = []
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def remember(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids.append(cursor.fetchone()[0])

    return engine, pids


def test_database_stop_during_poll_post_records_it_once(
    db, notifier, settings, fake_slack, database_url
):
    seed_session_end(db, ["A", "B"])
    bot_engine, pids = engine_remembering_its_connections(database_url)
    stopped = stop_database_while_posting(fake_slack, database_url, pids)
    dispatcher = make_dispatcher(session_factory(bot_engine), notifier, settings)

    dispatcher.dispatch_due(AFTER_END)
    run_again(db, K.SESSION_END, AFTER_END + timedelta(minutes=5))
    dispatcher.dispatch_due(AFTER_END + timedelta(minutes=5))
    bot_engine.dispose()

    assert stopped == ["stopped"]
    assert len(end_posts(fake_slack)) == 1
    poll = the_poll(db)
    assert poll.message_ts is not None
    assert [c.args["timestamp"] for c in fake_slack.calls("reactions.add")] == [poll.message_ts] * 2
    assert outbox_rows(db, K.SESSION_END) == {
        "post": "sent",
        "poll": "sent",
        "reaction:one": "sent",
        "reaction:two": "sent",
    }
    assert next_session(db).starts_at.month == 2


# --- Slack answers more slowly than the lease -------------------------------------------


def test_slack_slower_than_the_lease_keeps_the_claim_and_posts_once(
    db, notifier, settings, fake_slack
):
    seed_session_end(db, ["A"])
    fake_slack.set_clock(AFTER_END.timestamp)
    release = fake_slack.hold("chat.postMessage")  # Slack has the post, answers late
    lease = timedelta(seconds=1)
    first = make_dispatcher(db, notifier, settings, lease=lease)
    second = make_dispatcher(db, notifier, settings, process_id="other-host:2:bbbbbb", lease=lease)
    worker = threading.Thread(target=first.dispatch_due, args=(AFTER_END,))

    worker.start()
    wait_for(lambda: len(end_posts(fake_slack)) == 1)
    wait_for(lambda: delivery_of(db, K.SESSION_END).claimed_until > AFTER_END + 2 * lease)
    meanwhile = second.dispatch_due(AFTER_END + lease + timedelta(milliseconds=500))
    long_after = second.dispatch_due(AFTER_END + timedelta(hours=1))
    release.set()
    worker.join(30)

    assert meanwhile.claimed == 0  # renewed by the live worker: not taken over
    # Its lease lapsed: the post is found on Slack and recorded, not sent again.
    assert (long_after.claimed, long_after.verified_sent) == (1, 1)
    assert len(end_posts(fake_slack)) == 1
    assert outbox_rows(db, K.SESSION_END)["post"] == "sent"
    # The poll's own message, posted by the process that took over: once.
    channel = fake_slack.history["C0GROUP"]
    assert [m["text"].startswith("Sondage") for m in channel] == [False, True]


# --- 429s with a long Retry-After -------------------------------------------------------


def test_long_retry_after_requeues_the_delivery_and_posts_once(db, notifier, settings, fake_slack):
    seed_session_end(db, ["A"])
    fake_slack.rate_limit("chat.postMessage", times=2, retry_after=65)
    dispatcher = make_dispatcher(db, notifier, settings)

    first = dispatcher.dispatch_due(AFTER_END)
    queued_at = delivery_of(db, K.SESSION_END).available_at
    early = dispatcher.dispatch_due(AFTER_END + timedelta(seconds=64))
    second = dispatcher.dispatch_due(AFTER_END + timedelta(seconds=65))
    third = dispatcher.dispatch_due(AFTER_END + timedelta(seconds=130))

    assert queued_at == AFTER_END + timedelta(seconds=65)
    assert (first.retried, early.claimed, second.retried, third.done) == (1, 0, 1, 1)
    # Two refused with 429, then the end message and the poll's own message.
    assert len(fake_slack.calls("chat.postMessage")) == 4
    assert outbox_rows(db, K.SESSION_END)["post"] == "sent"
    assert len(fake_slack.calls("reactions.add")) == 1


# --- a proxy in front of Slack answers an HTML page --------------------------------------


def test_html_page_with_200_from_a_proxy_is_retried_then_posted_once(
    db, notifier, settings, fake_slack
):
    seed_session_end(db, ["A"])
    fake_slack.set_clock(AFTER_END.timestamp)
    fake_slack.answer_html("chat.postMessage", times=1, status=200)
    dispatcher = make_dispatcher(db, notifier, settings)

    first = dispatcher.dispatch_due(AFTER_END)
    retried_at = delivery_of(db, K.SESSION_END).available_at
    second = dispatcher.dispatch_due(AFTER_END + backoff(1))

    assert (first.retried, second.done) == (1, 1)
    assert retried_at == AFTER_END + backoff(1)
    # The end message twice (the page, then Slack), then the poll in its own message.
    assert len(fake_slack.calls("chat.postMessage")) == 3
    assert len(fake_slack.history["C0GROUP"]) == 2
    assert outbox_rows(db, K.SESSION_END)["post"] == "sent"
    assert delivery_of(db, K.SESSION_END).status == DeliveryStatus.DONE


# --- Slack answering 500 for 6 s at poll close ------------------------------------------


def result_writes(fake: FakeSlack) -> list[dict[str, Any]]:
    """The poll's result, written in place of its message."""
    return [
        c.args
        for c in fake.calls("chat.update")
        if message_text(c.args).startswith("Résultat du sondage")
    ]


def ended_poll(db, dispatcher, fake_slack) -> Poll:
    seed_session_end(db, ["A", "B"])
    dispatcher.dispatch_due(AFTER_END)
    fake_slack.reset()
    return the_poll(db)


def test_slack_500_for_six_seconds_at_poll_close_posts_the_result_once(
    db, notifier, settings, fake_slack, clock
):
    dispatcher = make_dispatcher(db, notifier, settings)
    poll = ended_poll(db, dispatcher, fake_slack)
    fake_slack.reactions[poll.message_ts] = [{"name": "two", "users": ["U1", "U2"], "count": 2}]
    clock.set(AFTER_CLOSE)
    outage_ends = AFTER_CLOSE + timedelta(seconds=6)

    def failing(_args: dict[str, Any]) -> FakeResponse | None:
        return FakeResponse({"ok": False}, 500) if clock.now() < outage_ends else None

    fake_slack.on("reactions.get", failing)
    fake_slack.on("chat.update", failing)

    first = dispatcher.dispatch_due(clock.now())
    clock.advance(timedelta(seconds=6))
    during = dispatcher.dispatch_due(clock.now())
    clock.set(AFTER_CLOSE + backoff(1))
    after = dispatcher.dispatch_due(clock.now())

    assert (first.retried, during.claimed, after.done) == (1, 0, 1)
    assert len(result_writes(fake_slack)) == 1
    assert the_poll(db).status == PollStatus.CLOSED
    assert next_session(db).theme == "B"


def test_slack_500_for_the_result_post_keeps_the_closed_poll_and_posts_it_later(
    db, notifier, settings, fake_slack
):
    dispatcher = make_dispatcher(db, notifier, settings)
    poll = ended_poll(db, dispatcher, fake_slack)
    fake_slack.reactions[poll.message_ts] = [{"name": "one", "users": ["U1"], "count": 1}]
    fake_slack.on("chat.update", lambda _a: FakeResponse({"ok": False}, 500))

    dispatcher.dispatch_due(AFTER_CLOSE)
    closed = the_poll(db)
    fake_slack.reset()
    dispatcher.dispatch_due(AFTER_CLOSE + backoff(1))

    assert (closed.status, next_session(db).theme) == (PollStatus.CLOSED, "A")
    assert len(result_writes(fake_slack)) == 1
    assert fake_slack.posts() == []
    assert fake_slack.calls("reactions.get") == []  # decided once, not tallied again


# --- auth.test refused at poll close ----------------------------------------------------


def test_auth_test_refused_at_poll_close_does_not_jam_the_group(db, notifier, settings, fake_slack):
    dispatcher = make_dispatcher(db, notifier, settings)
    poll = ended_poll(db, dispatcher, fake_slack)
    fake_slack.reactions[poll.message_ts] = [
        {"name": "one", "users": [BOT_USER_ID], "count": 1},
        {"name": "two", "users": [BOT_USER_ID, "U1"], "count": 2},
    ]
    fake_slack.fail("auth.test", "invalid_auth")

    dispatcher.dispatch_due(AFTER_CLOSE)

    assert the_poll(db).posted_by == BOT_USER_ID
    assert fake_slack.calls("auth.test") == []
    [result] = result_writes(fake_slack)
    assert "Thème retenu\u202f: *B*" in message_text(result)
    assert_next_poll_can_open(db)


def assert_next_poll_can_open(db) -> None:
    with transaction(db) as session:
        group = session.scalars(select(Group)).one()
        propose_theme(session, group=group, user_id="U0NEW", text="Nouveau", now=AFTER_CLOSE)
        view = open_poll(
            session,
            timezone="Europe/Paris",
            group=group,
            opened_by="U0ORGA",
            now=AFTER_CLOSE,
            target_meeting=None,
        )
    assert view.status == PollStatus.OPEN


def test_auth_test_refused_for_an_older_poll_retries_then_closes_from_votes(
    db, notifier, settings, fake_slack
):
    dispatcher = make_dispatcher(db, notifier, settings)
    poll = ended_poll(db, dispatcher, fake_slack)
    with transaction(db) as session:
        session.get(Poll, poll.id).posted_by = None  # posted before the bot kept its id
        session.add(PollVote(poll_id=poll.id, user_id="U1", emoji="two", created_at=AFTER_END))
    fake_slack.fail("auth.test", "invalid_auth")

    first = dispatcher.dispatch_due(AFTER_CLOSE)
    still_open = the_poll(db).status
    now = AFTER_CLOSE
    while delivery_of(db, K.POLL_CLOSE).status == DeliveryStatus.PLANNED:
        now += timedelta(hours=1)
        dispatcher.dispatch_due(now)

    assert (first.retried, still_open) == (1, PollStatus.OPEN)
    assert the_poll(db).status == PollStatus.CLOSED
    assert next_session(db).theme == "B"
    assert_next_poll_can_open(db)


def test_slack_down_for_the_whole_session_end_still_rolls_over_and_frees_the_poll(
    db, notifier, settings, fake_slack
):
    seed_session_end(db, ["A", "B"])
    fake_slack.on("chat.postMessage", lambda _a: FakeResponse({"ok": False}, 503))
    dispatcher = make_dispatcher(db, notifier, settings)

    now = AFTER_END
    while delivery_of(db, K.SESSION_END).status == DeliveryStatus.PLANNED:
        dispatcher.dispatch_due(now)
        now += timedelta(hours=1)

    end = delivery_of(db, K.SESSION_END)
    assert (end.status, end.last_error) == (DeliveryStatus.SKIPPED, "gave up sending: http_503")
    assert next_session(db).starts_at.month == 2
    with db() as session:
        assert session.scalars(select(Poll)).all() == []  # never shown: removed
        assert session.scalars(select(ThemeProposal.status)).all() == [ProposalStatus.OPEN] * 2
    assert_next_poll_can_open(db)
