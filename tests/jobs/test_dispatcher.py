"""The dispatcher against a real database and the fake Slack over HTTP: exactly once, late
rather than lost, follows changes, and the failure cases. `now` is always explicit."""

from __future__ import annotations

import logging
import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.db.models import Contribution, Delivery, DeliveryMessage, Group, Meeting
from bot.enums import (
    ContributionStatus,
    DeliveryKind,
    DeliveryStatus,
    Language,
    MeetingStatus,
    MessageStatus,
)
from bot.jobs.cycle import SENDERS
from bot.jobs.dispatcher import Dispatcher, backoff
from bot.jobs.outbox import CLOCK_MARGIN, VERIFY_AFTER
from bot.slack.ids import ActionId
from bot.slack.notifier import Notifier, PermanentFailure, TransientFailure
from tests.support.cycle import add_contribution, add_guide, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.jobs import delivery_of
from tests.support.slack_client import message_text

K = DeliveryKind
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)  # 14:00 in Paris
GUIDE_CALL_AT = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
J7 = datetime(2027, 1, 7, 9, 0, tzinfo=UTC)
J1 = datetime(2027, 1, 13, 9, 0, tzinfo=UTC)
RUN_OF_SHOW_AT = datetime(2027, 1, 14, 12, 45, tzinfo=UTC)


def client_for(url: str, timeout: float = 10) -> WebClient:
    return WebClient(
        token="xoxb-test",
        base_url=url,
        timeout=timeout,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )


def make_dispatcher(
    db: sessionmaker[Session],
    url: str,
    process_id: str = "test-host:1:aaaaaa",
    batch: int = 25,
    timeout: float = 10,
) -> Dispatcher:
    return Dispatcher(
        db=db,
        notifier=Notifier(client_for(url, timeout)),
        senders=SENDERS,
        default_language=Language.FR,
        default_timezone="Europe/Paris",
        command="/partage",
        process_id=process_id,
        batch=batch,
    )


@pytest.fixture
def slack_api(fake_slack: FakeSlack) -> FakeSlack:
    fake_slack.reset()
    return fake_slack


@pytest.fixture
def dispatcher(db: sessionmaker[Session], slack_api: FakeSlack) -> Dispatcher:
    return make_dispatcher(db, slack_api.api_url)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/"


def statuses(db: sessionmaker[Session]) -> dict[DeliveryKind, DeliveryStatus]:
    with db() as session:
        return {d.kind: d.status for d in session.scalars(select(Delivery))}


def messages(db: sessionmaker[Session]) -> dict[str, MessageStatus]:
    with db() as session:
        return {m.recipient: m.status for m in session.scalars(select(DeliveryMessage))}


def posts_to(fake: FakeSlack) -> list[str]:
    return [p["channel"] for p in fake.posts()]


def button_of(post: dict) -> dict:
    return next(b for b in post["blocks"] if b["type"] == "actions")["elements"][0]


# --- on time, once -----------------------------------------------------------------------


def test_dispatch_before_due_time_sends_nothing(db, dispatcher, slack_api):
    schedule(db, starts_at=START, now=NOW)

    report = dispatcher.dispatch_due(GUIDE_CALL_AT - timedelta(seconds=1))

    assert report.claimed == 0
    assert slack_api.posts() == []


def test_dispatch_guide_call_posts_once_with_button(db, dispatcher, slack_api):
    _, meeting_id = schedule(db, starts_at=START, now=NOW, theme="L'accessibilité")

    first = dispatcher.dispatch_due(GUIDE_CALL_AT)
    second = dispatcher.dispatch_due(GUIDE_CALL_AT + timedelta(minutes=1))

    assert (first.claimed, first.done, first.sent) == (1, 1, 1)
    assert second.claimed == 0
    posts = slack_api.posts()
    assert posts_to(slack_api) == ["C0GROUP"]
    assert "jeudi 14 janvier 2027 à 14\u00a0h" in message_text(posts[0])
    assert button_of(posts[0])["action_id"] == ActionId.CLAIM_GUIDE
    assert button_of(posts[0])["value"] == str(meeting_id)
    assert statuses(db)[K.GUIDE_CALL] == DeliveryStatus.DONE
    with db() as session:
        row = session.scalars(select(DeliveryMessage)).one()
    assert (row.status, row.channel_id, row.ts) == (
        MessageStatus.SENT,
        "C0GROUP",
        row.ts,
    )
    assert row.ts.startswith("1700000000.")


def test_dispatch_j7_sends_announcement_contributor_dms_and_guide_overview(
    db, dispatcher, slack_api
):
    _, meeting_id = schedule(db, starts_at=START, now=NOW, theme="Le design")
    add_guide(db, meeting_id, "U0GUIDE", NOW)
    add_contribution(db, meeting_id, "U0ANNA", now=NOW, title="Exposé A", order=1)
    add_contribution(db, meeting_id, "U0BOB", now=NOW, title="Démo B", order=2)

    report = dispatcher.dispatch_due(J7)

    # The guide call found a guide and was cancelled; J-7 went out.
    assert report.cancelled == 1
    assert sorted(posts_to(slack_api)) == ["C0GROUP", "U0ANNA", "U0BOB", "U0GUIDE"]
    by_channel = {p["channel"]: message_text(p) for p in slack_api.posts()}
    assert "documenter sur le thème *Le design*" in by_channel["C0GROUP"]
    assert "<@U0BOB>" in by_channel["U0ANNA"] and "Démo B" in by_channel["U0ANNA"]
    assert "<@U0ANNA>" in by_channel["U0BOB"]
    assert "*En préparation (2)\u202f:*" in by_channel["U0GUIDE"]
    assert "20\u00a0min sur 30" in by_channel["U0GUIDE"]
    assert statuses(db) == {
        K.GUIDE_CALL: DeliveryStatus.CANCELLED,
        K.ANNOUNCEMENT: DeliveryStatus.DONE,
        K.CONTRIBUTOR_REMINDER: DeliveryStatus.DONE,
        K.GUIDE_OVERVIEW: DeliveryStatus.DONE,
        K.LAST_REMINDER: DeliveryStatus.PLANNED,
        K.GUIDE_LAST_OVERVIEW: DeliveryStatus.PLANNED,
        K.PARTICIPANT_REMINDER: DeliveryStatus.PLANNED,
        K.TOUR_INVITE: DeliveryStatus.PLANNED,
        K.RUN_OF_SHOW: DeliveryStatus.PLANNED,
        K.TOUR_COMPILE: DeliveryStatus.PLANNED,
        K.SESSION_START: DeliveryStatus.PLANNED,
        K.SESSION_END: DeliveryStatus.PLANNED,
    }


def test_dispatch_run_of_show_posts_phases_questions_and_order(db, dispatcher, slack_api):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    add_contribution(db, meeting_id, "U0ANNA", now=NOW, title="Premier", order=1)
    add_contribution(db, meeting_id, "U0BOB", now=NOW, title="Second", order=2)
    with transaction(db) as session:
        for delivery in session.scalars(select(Delivery)):
            if delivery.kind != K.RUN_OF_SHOW:
                delivery.status = DeliveryStatus.DONE

    dispatcher.dispatch_due(RUN_OF_SHOW_AT)

    text = message_text(slack_api.posts()[0])
    assert "*14\u00a0h\u00a0–\u00a014\u00a0h\u00a002* Introduction" in text
    assert "Comment vous sentez-vous\u202f?" in text
    assert "Avez-vous un besoin précis" in text
    assert text.index("Premier") < text.index("Second")


# --- late rather than lost ----------------------------------------------------------------


def test_dispatch_after_downtime_sends_what_is_still_useful_once(db, dispatcher, slack_api):
    # The bot was down from J-14 until J-2: the guide call and all of J-7 are late.
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    add_contribution(db, meeting_id, "U0ANNA", now=NOW)
    back_at = START - timedelta(days=2)

    report = dispatcher.dispatch_due(back_at)
    again = dispatcher.dispatch_due(back_at + timedelta(minutes=5))

    assert report.done == 2  # guide call, announcement
    # The J-7 contributor reminder and guide overview would arrive 21 hours before their
    # J-1 counterparts: skipped.
    assert report.skipped == 2
    assert sorted(posts_to(slack_api)) == ["C0GROUP", "C0GROUP"]
    assert again.claimed == 0


def test_dispatch_expired_items_are_skipped_and_logged(db, dispatcher, slack_api, caplog):
    # Down until 10 minutes into the session: reminders are pointless, the run-of-show is not.
    schedule(db, starts_at=START, now=NOW)
    back_at = START + timedelta(minutes=10)

    with caplog.at_level(logging.WARNING, logger="bot.jobs.dispatcher"):
        report = dispatcher.dispatch_due(back_at)

    assert report.skipped == 7
    assert posts_to(slack_api) == ["C0GROUP"]
    assert "*14\u00a0h\u00a0–\u00a014\u00a0h\u00a002* Introduction" in message_text(
        slack_api.posts()[0]
    )
    assert statuses(db)[K.ANNOUNCEMENT] == DeliveryStatus.SKIPPED
    assert statuses(db)[K.RUN_OF_SHOW] == DeliveryStatus.DONE
    skipped_lines = [r for r in caplog.records if "skipped" in r.getMessage()]
    assert len(skipped_lines) == 7
    assert any("announcement" in r.getMessage() for r in skipped_lines)


def test_dispatch_kind_without_sender_stays_planned(db, dispatcher, slack_api):
    schedule(db, starts_at=START, now=NOW)

    dispatcher.dispatch_due(START + timedelta(hours=2))

    assert statuses(db)[K.SESSION_END] == DeliveryStatus.PLANNED


# --- follows changes -----------------------------------------------------------------------


def test_dispatch_guide_call_cancelled_once_a_guide_exists(db, dispatcher, slack_api):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    add_guide(db, meeting_id, "U0GUIDE", NOW)

    report = dispatcher.dispatch_due(GUIDE_CALL_AT)

    assert report.cancelled == 1
    assert slack_api.posts() == []
    with db() as session:
        call = session.scalars(select(Delivery).where(Delivery.kind == K.GUIDE_CALL)).one()
    assert (call.status, call.last_error) == (DeliveryStatus.CANCELLED, "a guide already exists")


def test_dispatch_withdrawn_contributor_gets_nothing(db, dispatcher, slack_api):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    add_guide(db, meeting_id, "U0GUIDE", NOW)
    add_contribution(db, meeting_id, "U0ANNA", now=NOW, order=1)
    gone = add_contribution(db, meeting_id, "U0BOB", now=NOW, order=2)
    with transaction(db) as session:
        session.get(Contribution, gone).status = ContributionStatus.WITHDRAWN

    dispatcher.dispatch_due(J7)
    dispatcher.dispatch_due(J1)

    recipients = posts_to(slack_api)
    assert "U0BOB" not in recipients
    assert recipients.count("U0ANNA") == 2  # J-7 and J-1
    overview = next(p for p in slack_api.posts() if p["channel"] == "U0GUIDE")
    assert "<@U0BOB>" not in message_text(overview)


def test_dispatch_last_reminder_skips_ready_contributors(db, dispatcher, slack_api):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    add_guide(db, meeting_id, "U0GUIDE", NOW)
    add_contribution(db, meeting_id, "U0ANNA", now=NOW, order=1, status=ContributionStatus.READY)
    add_contribution(db, meeting_id, "U0BOB", now=NOW, order=2)
    dispatcher.dispatch_due(J7)
    slack_api.reset()

    dispatcher.dispatch_due(J1)

    assert sorted(posts_to(slack_api)) == ["U0BOB", "U0GUIDE"]
    bob = next(p for p in slack_api.posts() if p["channel"] == "U0BOB")
    assert button_of(bob)["action_id"] == ActionId.MARK_READY
    guide = message_text(next(p for p in slack_api.posts() if p["channel"] == "U0GUIDE"))
    assert "*Prêtes (1)\u202f:*" in guide and "*En préparation (1)\u202f:*" in guide


def test_dispatch_moved_session_sends_for_the_new_date_only(db, dispatcher, slack_api):
    schedule(db, starts_at=START, now=NOW)
    schedule(db, starts_at=START + timedelta(days=7), now=NOW)

    dispatcher.dispatch_due(J7)

    # The old J-7 is cancelled; the new date's guide call (J-14 = 7 January) is due.
    assert posts_to(slack_api) == ["C0GROUP"]
    assert "21 janvier" in message_text(slack_api.posts()[0])


def test_dispatch_claimed_row_of_a_moved_session_is_cancelled(db, dispatcher, slack_api):
    # A move that bypassed planning (or raced with the claim) is still caught at send time.
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        session.get(Meeting, meeting_id).starts_at = START + timedelta(days=1)

    report = dispatcher.dispatch_due(GUIDE_CALL_AT)

    assert report.cancelled == 1
    assert slack_api.posts() == []


def test_dispatch_session_no_longer_scheduled_cancels(db, dispatcher, slack_api):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        session.get(Meeting, meeting_id).status = MeetingStatus.CANCELLED

    dispatcher.dispatch_due(J7)

    assert slack_api.posts() == []
    assert statuses(db)[K.ANNOUNCEMENT] == DeliveryStatus.CANCELLED


# --- failures ------------------------------------------------------------------------------


def test_dispatch_rate_limited_waits_retry_after_and_delivers_once(db, dispatcher, slack_api):
    schedule(db, starts_at=START, now=NOW)
    slack_api.rate_limit("chat.postMessage", times=1, retry_after=1)

    report = dispatcher.dispatch_due(GUIDE_CALL_AT)

    assert len(slack_api.calls("chat.postMessage")) == 2  # the 429, then the post
    assert report.sent == 1
    assert messages(db) == {"C0GROUP": MessageStatus.SENT}
    assert statuses(db)[K.GUIDE_CALL] == DeliveryStatus.DONE


def test_dispatch_user_not_found_others_still_get_their_dm(db, dispatcher, slack_api, caplog):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    for order, user in enumerate(["U0ANNA", "U0GONE", "U0CARL"]):
        add_contribution(db, meeting_id, user, now=NOW, order=order)
    with transaction(db) as session:
        for delivery in session.scalars(select(Delivery)):
            if delivery.kind != K.CONTRIBUTOR_REMINDER:
                delivery.status = DeliveryStatus.DONE
    slack_api.fail("chat.postMessage", "user_not_found", when=lambda a: a["channel"] == "U0GONE")

    with caplog.at_level(logging.WARNING, logger="bot.jobs.dispatcher"):
        report = dispatcher.dispatch_due(J7)
        dispatcher.dispatch_due(J7 + timedelta(hours=1))

    assert (report.sent, report.failed, report.done) == (2, 1, 1)
    assert messages(db) == {
        "U0ANNA": MessageStatus.SENT,
        "U0GONE": MessageStatus.FAILED,
        "U0CARL": MessageStatus.SENT,
    }
    assert posts_to(slack_api) == ["U0ANNA", "U0GONE", "U0CARL"]  # U0GONE tried once
    failures = [r for r in caplog.records if "U0GONE" in r.getMessage()]
    assert len(failures) == 1
    assert "user_not_found" in failures[0].getMessage()


def test_dispatch_connection_refused_retries_later_and_posts_once(db, slack_api):
    schedule(db, starts_at=START, now=NOW)
    down = make_dispatcher(db, closed_port_url())
    up = make_dispatcher(db, slack_api.api_url)

    failed = down.dispatch_due(GUIDE_CALL_AT)
    too_early = up.dispatch_due(GUIDE_CALL_AT + backoff(1) - timedelta(seconds=1))
    retried = up.dispatch_due(GUIDE_CALL_AT + backoff(1))

    assert (failed.retried, too_early.claimed, retried.sent) == (1, 0, 1)
    assert posts_to(slack_api) == ["C0GROUP"]
    assert messages(db) == {"C0GROUP": MessageStatus.SENT}
    with db() as session:
        call = session.scalars(select(Delivery).where(Delivery.kind == K.GUIDE_CALL)).one()
        row = session.scalars(select(DeliveryMessage)).one()
    assert (call.status, call.attempts) == (DeliveryStatus.DONE, 1)
    assert row.attempts == 2


def test_dispatch_outage_mid_recipients_resumes_without_double_posts(db, dispatcher, slack_api):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    for order, user in enumerate(["U0ANNA", "U0BOB", "U0CARL"]):
        add_contribution(db, meeting_id, user, now=NOW, order=order)
    with transaction(db) as session:
        for delivery in session.scalars(select(Delivery)):
            if delivery.kind != K.CONTRIBUTOR_REMINDER:
                delivery.status = DeliveryStatus.DONE
    outage = {"on": True}
    slack_api.on(
        "chat.postMessage",
        lambda a: (
            {"ok": False, "error": "service_unavailable"}
            if outage["on"] and a["channel"] == "U0BOB"
            else None
        ),
    )

    first = dispatcher.dispatch_due(J7)
    outage["on"] = False
    second = dispatcher.dispatch_due(J7 + backoff(1))

    assert (first.sent, first.retried) == (1, 1)
    assert (second.sent, second.done) == (2, 1)
    assert posts_to(slack_api) == ["U0ANNA", "U0BOB", "U0BOB", "U0CARL"]  # 1 refused by Slack
    assert set(messages(db).values()) == {MessageStatus.SENT}


def test_dispatch_read_timeout_is_verified_with_slack_and_never_repeated(db, slack_api, caplog):
    # Slack got the call but the answer never came: the post is looked for, not repeated.
    schedule(db, starts_at=START, now=NOW)
    slow = make_dispatcher(db, slack_api.api_url, timeout=0.3)
    slack_api.set_clock(GUIDE_CALL_AT.timestamp)
    slack_api.hold("chat.postMessage")

    with caplog.at_level(logging.WARNING, logger="bot.jobs.outbox"):
        first = slow.dispatch_due(GUIDE_CALL_AT)
    requeued_at = delivery_of(db, K.GUIDE_CALL).available_at
    early = slow.dispatch_due(GUIDE_CALL_AT + timedelta(seconds=30))
    later = slow.dispatch_due(GUIDE_CALL_AT + timedelta(hours=1))

    assert (first.ambiguous, first.retried) == (1, 1)
    assert GUIDE_CALL_AT + VERIFY_AFTER <= requeued_at < GUIDE_CALL_AT + timedelta(seconds=61)
    assert early.claimed == 0
    assert (later.verified_sent, later.sent, later.done) == (1, 0, 1)
    assert posts_to(slack_api) == ["C0GROUP"]
    with db() as session:
        row = session.scalars(select(DeliveryMessage)).one()
    assert (row.status, row.channel_id, row.ts) == (
        MessageStatus.SENT,
        "C0GROUP",
        slack_api.history["C0GROUP"][0]["ts"],
    )
    assert any("maybe delivered to C0GROUP" in r.getMessage() for r in caplog.records)


def test_dispatch_gives_up_when_retry_would_be_too_late(db, caplog):
    schedule(db, starts_at=START, now=NOW)
    down = make_dispatcher(db, closed_port_url())
    with transaction(db) as session:
        for delivery in session.scalars(select(Delivery)):
            if delivery.kind != K.RUN_OF_SHOW:
                delivery.status = DeliveryStatus.DONE

    with caplog.at_level(logging.ERROR, logger="bot.jobs.dispatcher"):
        report = down.dispatch_due(START + timedelta(minutes=89, seconds=50))

    assert report.given_up == 1
    assert statuses(db)[K.RUN_OF_SHOW] == DeliveryStatus.SKIPPED
    assert any("given up" in r.getMessage() for r in caplog.records)


# --- crashes and concurrency -----------------------------------------------------------------


def test_dispatch_takes_over_a_lapsed_claim_and_sends_the_dm_slack_never_got(
    db, dispatcher, slack_api, caplog
):
    # A process died mid-delivery: U0ANNA's message was reserved but never reached Slack
    # (its DM has nothing), U0BOB's never started.
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    add_contribution(db, meeting_id, "U0ANNA", now=NOW, order=1)
    add_contribution(db, meeting_id, "U0BOB", now=NOW, order=2)
    with transaction(db) as session:
        for delivery in session.scalars(select(Delivery)):
            if delivery.kind != K.CONTRIBUTOR_REMINDER:
                delivery.status = DeliveryStatus.DONE
                continue
            delivery.status = DeliveryStatus.CLAIMED
            delivery.claimed_by = "dead-host:4242:abcdef"
            delivery.claimed_until = J7 + timedelta(minutes=2)
            session.add(
                DeliveryMessage(
                    delivery_id=delivery.id,
                    recipient="U0ANNA",
                    status=MessageStatus.SENDING,
                    created_at=J7,
                    updated_at=J7,
                )
            )

    during_lease = dispatcher.dispatch_due(J7 + timedelta(minutes=1))
    with caplog.at_level(logging.WARNING, logger="bot.jobs.outbox"):
        after_lease = dispatcher.dispatch_due(J7 + timedelta(minutes=3))

    assert during_lease.claimed == 0
    assert (after_lease.reclaimed, after_lease.verified_absent, after_lease.sent) == (1, 1, 2)
    assert posts_to(slack_api) == ["U0ANNA", "U0BOB"]
    assert [c.args["users"] for c in slack_api.calls("conversations.open")] == ["U0ANNA"]
    history = slack_api.calls("conversations.history")
    assert [(c.args["channel"], c.args["include_all_metadata"]) for c in history] == [
        ("D0ANNA", True)
    ]
    assert float(history[0].args["oldest"]) == (J7 - CLOCK_MARGIN).timestamp()
    assert messages(db) == {"U0ANNA": MessageStatus.SENT, "U0BOB": MessageStatus.SENT}
    assert statuses(db)[K.CONTRIBUTOR_REMINDER] == DeliveryStatus.DONE
    assert any("U0ANNA not found on Slack" in r.getMessage() for r in caplog.records)


def test_dispatch_stop_hands_back_the_unstarted_claims(db, dispatcher, slack_api):
    for index in range(3):
        schedule(db, starts_at=START, now=NOW, channel=f"C{index}")
    calls = {"n": 0}

    def stop_after_first() -> bool:
        calls["n"] += 1
        return calls["n"] > 1

    report = dispatcher.dispatch_due(GUIDE_CALL_AT, should_stop=stop_after_first)

    assert (report.claimed, report.done, report.released) == (3, 1, 2)
    with db() as session:
        calls_status = session.scalars(
            select(Delivery.status).where(Delivery.kind == K.GUIDE_CALL).order_by(Delivery.id)
        ).all()
    assert calls_status == [DeliveryStatus.DONE, DeliveryStatus.PLANNED, DeliveryStatus.PLANNED]


def test_dispatch_two_dispatchers_in_parallel_send_each_once(db, slack_api):
    groups = 40
    for index in range(groups):
        schedule(db, starts_at=START, now=NOW, channel=f"C{index:04d}")
    workers = [
        make_dispatcher(db, slack_api.api_url, process_id=f"host:{n}:000000", batch=5)
        for n in (1, 2)
    ]

    def run(worker: Dispatcher) -> None:
        while worker.dispatch_due(GUIDE_CALL_AT).claimed:
            pass

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    channels = posts_to(slack_api)
    assert len(channels) == groups
    assert sorted(set(channels)) == sorted(channels)
    with db() as session:
        done_by = session.scalars(
            select(Delivery.claimed_by).where(Delivery.status == DeliveryStatus.DONE)
        ).all()
    assert len(done_by) == groups


def test_dispatch_kind_switched_off_after_claim_is_cancelled(db, dispatcher, slack_api):
    group_id, _ = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        session.get(Group, group_id).guide_call_enabled = False  # saved without re-planning

    report = dispatcher.dispatch_due(GUIDE_CALL_AT)

    assert report.cancelled == 1
    assert slack_api.posts() == []


# --- jobs: deliveries whose work is more than posting ----------------------------------------


def dispatcher_with_job(db, url: str, job) -> Dispatcher:
    return Dispatcher(
        db=db,
        notifier=Notifier(client_for(url)),
        senders=SENDERS,
        jobs={K.SESSION_END: job},
        default_language=Language.FR,
        default_timezone="Europe/Paris",
        command="/partage",
        process_id="test-host:1:jobs",
    )


def session_end_row(db) -> Delivery:
    with db() as session:
        return session.scalars(select(Delivery).where(Delivery.kind == K.SESSION_END)).one()


def test_dispatch_job_runs_once_with_its_ids_and_is_done(db, slack_api):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    seen: list[tuple[int | None, datetime]] = []
    dispatcher = dispatcher_with_job(
        db, slack_api.api_url, lambda item, now: seen.append((item.meeting_id, now))
    )
    end = START + timedelta(minutes=91)

    dispatcher.dispatch_due(end)
    dispatcher.dispatch_due(end + timedelta(minutes=5))

    assert seen == [(meeting_id, end)]
    assert session_end_row(db).status == DeliveryStatus.DONE


def test_dispatch_job_transient_failure_is_retried_after_backoff(db, slack_api):
    schedule(db, starts_at=START, now=NOW)
    calls: list[datetime] = []

    def flaky(_item, now):
        calls.append(now)
        if len(calls) == 1:
            raise TransientFailure("connection: refused")

    dispatcher = dispatcher_with_job(db, slack_api.api_url, flaky)
    end = START + timedelta(minutes=91)

    dispatcher.dispatch_due(end)
    row = session_end_row(db)
    dispatcher.dispatch_due(end + backoff(1))

    assert (row.status, row.attempts, row.available_at) == (
        DeliveryStatus.PLANNED,
        1,
        end + backoff(1),
    )
    assert calls == [end, end + backoff(1)]
    assert session_end_row(db).status == DeliveryStatus.DONE


def test_dispatch_job_refused_by_slack_is_done_with_the_error(db, slack_api, caplog):
    schedule(db, starts_at=START, now=NOW)

    def refused(_item, _now):
        raise PermanentFailure("not_in_channel")

    dispatcher = dispatcher_with_job(db, slack_api.api_url, refused)

    with caplog.at_level(logging.ERROR):
        dispatcher.dispatch_due(START + timedelta(minutes=91))

    row = session_end_row(db)
    assert (row.status, row.last_error) == (DeliveryStatus.DONE, "not_in_channel")
    assert "not_in_channel" in caplog.text
