"""The outbox on its own: reserve before the call, record after, and what a rerun does
with each status it finds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.config import ConfigError
from bot.db.engine import transaction
from bot.db.models import Delivery, DeliveryMessage
from bot.enums import DeliveryKind, MessageStatus
from bot.jobs.claims import ClaimCounts, Claims, LostClaim
from bot.jobs.outbox import VERIFY_AFTER, Outbox, OutboxCounts, VerifyLater, check_verify_after
from bot.slack.notifier import Notifier, SlackBudget, TransientFailure
from tests.support.fake_slack import FakeSlack
from tests.support.jobs import AFTER_END, seed_session_end

LEASE = timedelta(seconds=120)


@pytest.fixture
def claimed(db, fake_slack: FakeSlack):
    """The session-end delivery, claimed by this process, and its bound outbox."""
    fake_slack.reset()
    seed_session_end(db, ["A"])
    claims = Claims(db, process_id="test-host:1:aaaaaa", lease=LEASE)
    [delivery_id] = claims.claim(AFTER_END, [DeliveryKind.SESSION_END], 5, ClaimCounts())
    outbox = Outbox(db, Notifier(WebClient(base_url=fake_slack.api_url)), claims)
    counts = OutboxCounts()
    bound = outbox.for_delivery(delivery_id, label="test", counts=counts, current=lambda: AFTER_END)
    return bound, counts


def set_status(db, key: str, status: MessageStatus) -> None:
    with transaction(db) as session:
        row = session.scalars(select(DeliveryMessage).where(DeliveryMessage.recipient == key)).one()
        row.status = status


def test_outbox_post_twice_calls_slack_once_and_returns_the_ts(db, fake_slack, claimed):
    outbox, counts = claimed

    first = outbox.post("post", "C0GROUP", {"text": "hello"})
    second = outbox.post("post", "C0GROUP", {"text": "hello"})

    assert len(fake_slack.posts()) == 1
    assert (first.status, second.status) == (MessageStatus.SENT, MessageStatus.SENT)
    assert second.ts == first.ts
    assert counts.sent == 1


def test_outbox_post_carries_metadata_naming_its_row(db, fake_slack, claimed):
    outbox, _counts = claimed

    outbox.post("post", "C0GROUP", {"text": "hello"})

    assert fake_slack.posts()[0]["metadata"] == {
        "event_type": "partage_outbox",
        "event_payload": {"key": f"{outbox.delivery_id}:post"},
    }


def test_outbox_interrupted_post_waits_to_be_verified_but_a_reaction_is_made_again(
    db, fake_slack, claimed
):
    outbox, counts = claimed
    outbox.post("post", "C0GROUP", {"text": "hello"})
    outbox.react("reaction:one", "C0GROUP", "1.0", "one")
    set_status(db, "post", MessageStatus.SENDING)
    set_status(db, "reaction:one", MessageStatus.SENDING)
    fake_slack.reset()

    with pytest.raises(VerifyLater) as later:
        outbox.post("post", "C0GROUP", {"text": "hello"})
    reaction = outbox.react("reaction:one", "C0GROUP", "1.0", "one")

    assert fake_slack.posts() == []
    assert fake_slack.calls("conversations.history") == []  # too early to ask Slack
    assert later.value.at == AFTER_END + VERIFY_AFTER
    assert len(fake_slack.calls("reactions.add")) == 1
    assert reaction.status == MessageStatus.SENT
    assert counts.not_resent == 0


def test_outbox_interrupted_update_is_made_again(db, fake_slack, claimed):
    # A chat.update replaces the whole message with what this run computed: repeating it
    # shows the same, so a crash mid-call is no reason to leave it undone.
    outbox, counts = claimed
    outbox.update("update", "C0GROUP", "1.0", {"text": "changed"})
    set_status(db, "update", MessageStatus.SENDING)
    fake_slack.reset()

    step = outbox.update("update", "C0GROUP", "1.0", {"text": "changed"})

    assert [c.args["text"] for c in fake_slack.calls("chat.update")] == ["changed"]
    assert step.status == MessageStatus.SENT
    assert counts.not_resent == 0


def test_outbox_update_after_a_read_timeout_is_retried_not_left_maybe_sent(db, fake_slack):
    fake_slack.reset()
    seed_session_end(db, ["A"])
    claims = Claims(db, process_id="test-host:1:aaaaaa", lease=LEASE)
    [delivery_id] = claims.claim(AFTER_END, [DeliveryKind.SESSION_END], 5, ClaimCounts())
    notifier = Notifier(WebClient(base_url=fake_slack.api_url, timeout=0.3))
    counts = OutboxCounts()
    outbox = Outbox(db, notifier, claims).for_delivery(
        delivery_id, label="test", counts=counts, current=lambda: AFTER_END
    )
    release = fake_slack.hold("chat.update")  # Slack applies it but never answers

    with pytest.raises(TransientFailure):
        outbox.update("update", "C0GROUP", "1.0", {"text": "changed"})
    release.set()
    fake_slack.release_holds()
    retried = outbox.update("update", "C0GROUP", "1.0", {"text": "changed"})

    with db() as session:
        row = session.scalars(
            select(DeliveryMessage).where(DeliveryMessage.recipient == "update")
        ).one()
    assert len(fake_slack.calls("chat.update")) == 2
    assert (retried.status, row.status, row.attempts) == (MessageStatus.SENT, MessageStatus.SENT, 2)
    assert counts.not_resent == 0


def test_outbox_refused_call_is_recorded_and_never_tried_again(db, fake_slack, claimed):
    outbox, counts = claimed
    fake_slack.fail("chat.postMessage", "not_in_channel")

    first = outbox.post("post", "C0GROUP", {"text": "hello"})
    second = outbox.post("post", "C0GROUP", {"text": "hello"})

    assert len(fake_slack.posts()) == 1
    assert (first.status, second.status, second.error) == (
        MessageStatus.FAILED,
        MessageStatus.FAILED,
        "not_in_channel",
    )
    assert counts.failed == 1


def test_outbox_queued_call_is_sent_once_after_a_transient_failure(db, fake_slack, claimed):
    outbox, _counts = claimed
    with transaction(db) as session:
        outbox.queue(
            session, "result", "chat.postMessage", {"channel": "C0GROUP", "text": "r"}, AFTER_END
        )
        outbox.queue(
            session, "result", "chat.postMessage", {"channel": "C0GROUP", "text": "x"}, AFTER_END
        )
    fake_slack.fail("chat.postMessage", "internal_error")

    with pytest.raises(TransientFailure):
        outbox.flush()
    fake_slack.reset()
    steps = outbox.flush() + outbox.flush()

    assert [p["text"] for p in fake_slack.posts()] == ["r"]
    assert [s.status for s in steps] == [MessageStatus.SENT, MessageStatus.SENT]


def test_outbox_refuses_to_call_on_a_lost_claim(db, fake_slack, claimed):
    outbox, _counts = claimed
    with transaction(db) as session:
        delivery = session.scalars(
            select(Delivery).where(Delivery.kind == DeliveryKind.SESSION_END)
        ).one()
        delivery.claimed_by = "other-host:2:bbbbbb"

    with pytest.raises(LostClaim):
        outbox.post("post", "C0GROUP", {"text": "hello"})
    assert fake_slack.posts() == []


def test_check_verify_after_refuses_a_settle_time_one_call_could_outlast():
    budget = SlackBudget(timeout_seconds=5, rate_limit_retries=2, max_wait_seconds=5)

    check_verify_after(VERIFY_AFTER, SlackBudget())  # the defaults: 60 s against 50 s
    with pytest.raises(ConfigError) as raised:
        check_verify_after(timedelta(seconds=25), budget)

    assert str(raised.value).startswith("OUTBOX_VERIFY_AFTER_SECONDS=25 is too short")
    assert "set it above 25" in str(raised.value)
