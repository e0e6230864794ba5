"""`GET /metrics` after a simulated month: the counters match what the fake Slack saw.

A bot of its own (its own registry: the session's shared bot has counted other tests'
calls) serves the commands of a month; its dispatcher, built by `bootstrap`, ticks every
hour from the day before the guide call to a week after the session, while the fake
Slack fails one post with a 500 and rate-limits another once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.bootstrap import build_dispatcher
from bot.db.models import Delivery, DeliveryMessage, Meeting
from bot.enums import ContributionStatus, DeliveryStatus
from bot.metrics import Metrics
from bot.slack.socket_mode import ConnectionState
from tests.support.clock import ManualClock
from tests.support.cycle import add_contribution, add_guide
from tests.support.fake_slack import FakeResponse, FakeSlack
from tests.support.server import SIGNING_SECRET, BotServer, bot_settings
from tests.support.slack_client import SlackSender

MONTH_START = datetime(2026, 12, 30, 0, 0, tzinfo=UTC)
MONTH_END = datetime(2027, 1, 21, 0, 0, tzinfo=UTC)
J7 = datetime(2027, 1, 7, 9, 0, tzinfo=UTC)

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(sender: SlackSender) -> Samples:
    reply = sender.get("/metrics")
    assert reply.status == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(reply.body)
        for sample in family.samples
    }


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels`."""
    return sum(
        value
        for (sample, sample_labels), value in samples.items()
        if sample == name and labels.items() <= dict(sample_labels).items()
    )


def by_label(samples: Samples, name: str, label: str, **labels: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for (sample, sample_labels), value in samples.items():
        these = dict(sample_labels)
        if sample == name and labels.items() <= these.items() and value:
            found[these[label]] = found.get(these[label], 0) + value
    return found


@pytest.fixture
def own_bot(
    database_url: str, fake_slack: FakeSlack, clock: ManualClock, db: sessionmaker[Session]
) -> Iterator[tuple[BotServer, SlackSender]]:
    server = BotServer(bot_settings(database_url, fake_slack.api_url), clock).start()
    fake_slack.reset()
    try:
        yield (
            server,
            SlackSender(
                server.port, SIGNING_SECRET, fake_slack.response_url(), settle=server.drain
            ),
        )
    finally:
        server.stop()


def fail_once(fake_slack: FakeSlack, when: datetime, clock: ManualClock) -> None:
    """The first post made at `when` gets a 500 (surely not posted: retried later)."""
    failed = {"n": 0}

    def responder(_args: dict) -> FakeResponse | None:
        if clock.now() != when or failed["n"]:
            return None
        failed["n"] += 1
        return FakeResponse({"ok": False, "error": "internal_error"}, 500)

    fake_slack.on("chat.postMessage", responder)


def test_metrics_after_a_simulated_month_match_the_deliveries_made(
    own_bot: tuple[BotServer, SlackSender],
    fake_slack: FakeSlack,
    clock: ManualClock,
    db: sessionmaker[Session],
):
    server, sender = own_bot
    sender.command("session 2027-01-14 14:00", user="U0ORGA")
    sender.command("theme Les communs numériques", user="U0ORGA")
    sender.command("participer", user="U0PAUL")
    sender.command("proposer Accessibilité numérique", user="U0ANNA")
    sender.command("proposer Données ouvertes", user="U0BOB")
    with db() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    add_contribution(db, meeting_id, "U0ANNA", now=clock.now(), title="Un commun", order=1)
    add_contribution(
        db, meeting_id, "U0BOB", now=clock.now(), order=2, status=ContributionStatus.READY
    )
    dispatcher = build_dispatcher(server.runtime)
    commands = scrape(sender)
    fake_slack.reset()
    fail_once(fake_slack, J7, clock)
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=1)

    moment = MONTH_START
    while moment <= MONTH_END:
        clock.set(moment)
        if moment == J7 - timedelta(hours=1):
            add_guide(db, meeting_id, "U0GUIDE", moment)
        dispatcher.dispatch_due(clock.now())
        moment += timedelta(hours=1)
    samples = scrape(sender)

    # Every post the fake Slack kept (channel messages, DMs, thread replies) is one sent
    # outbox step; every HTTP try it saw, whatever the answer, is one request.
    kept = [message for messages in fake_slack.history.values() for message in messages]
    tries = fake_slack.calls("chat.postMessage")
    with db() as session:
        # The outbox records each post's ts: the first row with a ts is the post, later
        # ones (chat.update) rewrite it.
        first_kind: dict[str, str] = {}
        for ts, kind in session.execute(
            select(DeliveryMessage.ts, Delivery.kind)
            .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
            .where(DeliveryMessage.ts.is_not(None))
            .order_by(DeliveryMessage.id)
        ).tuples():
            first_kind.setdefault(str(ts), kind.value)
        done = Counter(
            kind.value
            for kind in session.scalars(
                select(Delivery.kind).where(Delivery.status == DeliveryStatus.DONE)
            )
        )
    sent_by_kind = Counter(first_kind[m["ts"]] for m in kept)
    posted = "chat.postMessage"
    assert len(kept) > 10
    assert total(samples, "partage_delivery_messages_total", method=posted, outcome="sent") == (
        len(kept)
    )
    assert by_label(
        samples, "partage_delivery_messages_total", "kind", method=posted, outcome="sent"
    ) == dict(sent_by_kind)
    assert by_label(samples, "partage_deliveries_total", "kind", outcome="done") == dict(done)
    assert total(samples, "partage_delivery_messages_total", outcome="retried") == 1
    assert total(samples, "partage_deliveries_total", outcome="retried") == 1
    requests = total(samples, "partage_slack_api_requests_total", method=posted)
    requests_before = total(commands, "partage_slack_api_requests_total", method=posted)
    assert requests - requests_before == len(tries)
    assert (
        by_label(samples, "partage_slack_api_requests_total", "status", method=posted)["500"] == 1
    )
    assert total(samples, "partage_slack_api_rate_limited_total", method=posted) == 1
    assert (
        total(samples, "partage_slack_api_request_duration_seconds_count", method=posted)
        == requests
    )
    assert total(samples, "partage_outbox_due_deliveries") == 0
    assert total(samples, "partage_outbox_lag_seconds") == 0


def test_outbox_lag_is_the_age_of_the_oldest_due_delivery(
    own_bot: tuple[BotServer, SlackSender], clock: ManualClock, db: sessionmaker[Session]
):
    _server, sender = own_bot
    sender.command("session 2027-01-14 14:00", user="U0ORGA")
    with db() as session:
        first_due = session.scalars(
            select(Delivery.available_at).order_by(Delivery.available_at).limit(1)
        ).one()
        due_by_then = session.scalars(
            select(Delivery.id).where(Delivery.available_at <= first_due + timedelta(days=7))
        ).all()

    clock.set(first_due + timedelta(days=7))
    samples = scrape(sender)

    assert total(samples, "partage_outbox_lag_seconds") == timedelta(days=7).total_seconds()
    assert total(samples, "partage_outbox_due_deliveries") == len(due_by_then)


def test_socket_mode_gauge_follows_the_connection_state():
    metrics = Metrics()
    now = [0.0]
    state = ConnectionState(clock=lambda: now[0])
    metrics.watch_socket(lambda: state.up)

    def connected() -> float:
        text = metrics.render(None).decode()
        [line] = [line for line in text.splitlines() if line.startswith("partage_socket")]
        return float(line.split()[-1])

    down_at_start = connected()
    state.mark_up()
    up = connected()
    state.mark_down()

    assert (down_at_start, up, connected()) == (0.0, 1.0, 0.0)


def test_each_app_counts_in_its_own_registry():
    first, second = Metrics(), Metrics()

    first.count_slack_request("chat.postMessage", "200", 0.01)

    assert b'partage_slack_api_requests_total{method="chat.postMessage",status="200"} 1.0' in (
        first.render(None)
    )
    assert b"chat.postMessage" not in second.render(None)
