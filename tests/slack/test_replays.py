"""Slack's retries and replays of signed requests apply a change once and announce it once,
in either transport and across bot processes sharing the database; a genuine second
request, or the retry of one whose listener failed, still applies."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from sqlalchemy import func, select

from bot.db.engine import transaction
from bot.db.models import Contribution, Meeting, PollVote, SeenRequest
from bot.deps import Deps
from bot.domain.polls import open_poll, record_message
from bot.slack import dedup
from bot.slack.admins import AdminDirectory
from bot.slack.dedup import RETENTION, RequestLedger, request_key
from bot.slack.listeners import errors
from bot.slack.notifier import Notifier
from tests.conftest import DEFAULT_NOW
from tests.support.clock import ManualClock
from tests.support.contributions import answers, open_modal, schedule
from tests.support.factories import CHANNEL, make_group, make_proposals
from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.living import announced, queued_notices
from tests.support.server import SIGNING_SECRET, BotServer, bot_settings
from tests.support.slack_client import SlackSender, submitted_values

POLL_TS = "1700000000.000042"


def theme_notices(db) -> list[str]:
    """The theme notices queued for the session's thread: one per change applied."""
    return queued_notices(db, "a fixé le thème")


def seen_count(db) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(SeenRequest)) or 0


def test_replayed_theme_command_posts_its_notice_once(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    announced(db)  # the thread exists: changes are told in it
    first = slack.command("theme Accessibilité", user="U0ORGA")
    sent = slack.last_sent
    assert sent is not None

    replay = slack.resend(sent)

    assert first.status == 200
    assert "Accessibilité" in first.text
    assert (replay.status, replay.body) == (200, "")
    assert len(theme_notices(db)) == 1


def test_identical_command_with_its_own_trigger_id_applies_again(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    announced(db)  # the thread exists: changes are told in it

    first = slack.command("proposer Accessibilité", user="U0ORGA")
    again = slack.command("proposer Accessibilité", user="U0ORGA")

    # Applied again, not answered from the first: the same theme is now a duplicate.
    assert "Accessibilité" in first.text
    assert "déjà" in again.text
    assert len(queued_notices(db, "Accessibilité")) == 1


def test_view_submission_replayed_three_times_announces_once(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    announced(db)  # the thread exists: changes are told in it
    view = open_modal(slack, fake_slack, "U0ALICE")
    fake_slack.reset()
    first = slack.view_submission(view, submitted_values(view, answers()), user="U0ALICE")
    sent = slack.last_sent
    assert sent is not None

    replays = [slack.resend(sent) for _ in range(3)]

    assert (first.status, first.body) == (200, "")
    assert [(r.status, r.body) for r in replays] == [(200, "")] * 3
    assert len(queued_notices(db, "contribue à la session")) == 1
    assert len(fake_slack.calls("chat.postEphemeral")) == 1
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Contribution)) == 1


@pytest.fixture
def poll_message(db) -> str:
    with transaction(db) as session:
        group = make_group(session, channel=CHANNEL)
        make_proposals(session, group, ["A", "B"])
        poll = open_poll(
            session,
            timezone="Europe/Paris",
            group=group,
            opened_by=None,
            now=DEFAULT_NOW,
            target_meeting=None,
        )
        record_message(session, poll_id=poll.id, channel_id=CHANNEL, ts=POLL_TS)
    return POLL_TS


def reaction(kind: str, user: str = "U0BOB", emoji: str = "one") -> dict[str, Any]:
    return {
        "type": kind,
        "user": user,
        "reaction": emoji,
        "item": {"type": "message", "channel": CHANNEL, "ts": POLL_TS},
        "event_ts": "1700000100.000001",
    }


def votes(db) -> list[tuple[str, str]]:
    with db() as session:
        return sorted(session.execute(select(PollVote.user_id, PollVote.emoji)).tuples())


def test_events_api_retry_records_one_vote(slack: SlackSender, db, poll_message):
    slack.event(reaction("reaction_added"))
    sent = slack.last_sent
    assert sent is not None

    retry = slack.resend(sent, extra_headers={"X-Slack-Retry-Num": "1"})

    assert (retry.status, retry.body) == (200, "")
    assert votes(db) == [("U0BOB", "one")]


def test_events_api_retry_after_removal_does_not_bring_the_vote_back(
    slack: SlackSender, db, poll_message
):
    slack.event(reaction("reaction_added"))
    added = slack.last_sent
    assert added is not None
    slack.event(reaction("reaction_removed"))

    slack.resend(added, extra_headers={"X-Slack-Retry-Num": "2"})

    assert votes(db) == []


def test_reactions_that_cannot_be_votes_are_not_recorded(slack: SlackSender, db, poll_message):
    slack.event(reaction("reaction_added", emoji="tada"))
    slack.command("programme")

    assert seen_count(db) == 0


def test_replay_to_another_process_on_the_same_database_is_acknowledged_only(
    database_url, slack: SlackSender, fake_slack: FakeSlack, clock: ManualClock, db
):
    schedule(slack)
    announced(db)  # the thread exists: changes are told in it
    slack.command("theme Accessibilité", user="U0ORGA")
    sent = slack.last_sent
    assert sent is not None
    other = BotServer(bot_settings(database_url, fake_slack.api_url), clock).start()
    try:
        to_other = SlackSender(other.port, SIGNING_SECRET, fake_slack.response_url())
        replay = to_other.resend(sent)
        other.drain()
    finally:
        other.stop()

    assert (replay.status, replay.body) == (200, "")
    assert len(theme_notices(db)) == 1


def test_socket_mode_retried_envelope_applies_theme_once(
    slack: SlackSender, bot_server: BotServer, fake_slack: FakeSlack, db
):
    schedule(slack)
    announced(db)  # the thread exists: changes are told in it
    payload = {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "channel_id": "C0GROUP",
        "user_id": "U0ORGA",
        "command": "/partage",
        "text": "theme Sobriété",
        "api_app_id": "A0001",
        "response_url": fake_slack.response_url(),
        "trigger_id": "trigger-socket-1",
    }
    app = bot_server.runtime.app

    first = app.dispatch(BoltRequest(mode="socket_mode", body=dict(payload)))
    retried = app.dispatch(
        BoltRequest(mode="socket_mode", body=dict(payload), headers={"x-slack-retry-num": "1"})
    )
    bot_server.drain()

    assert first.status == 200
    assert "*Sobriété*" in json.loads(first.body)["text"]
    assert (retried.status, retried.body) == (200, "")
    assert len(theme_notices(db)) == 1
    with db() as session:
        assert session.scalar(select(Meeting.theme)) == "Sobriété"


# --- the ledger and the error handler ---------------------------------------------------


def failing_app(deps: Deps, failures: int, api_url: str) -> tuple[App, list[str]]:
    """A Bolt app with the bot's error handler and ledger, whose command listener fails
    `failures` times before applying."""
    app = App(
        client=WebClient(token="xoxb-test-token", base_url=api_url),
        signing_secret=SIGNING_SECRET,
        token_verification_enabled=False,
    )
    applied: list[str] = []
    errors.register(app, deps)
    dedup.register(app, deps.db, deps.clock)

    @app.command("/partage")
    def apply(ack, command) -> None:
        if len(applied) < failures:
            applied.append("failed")
            raise RuntimeError("the database went away")
        applied.append("applied")
        ack()

    return app, applied


@pytest.fixture
def deps(db, database_url) -> Deps:
    return Deps(
        settings=bot_settings(database_url, "http://127.0.0.1:9/api/"),
        db=db,
        clock=ManualClock(DEFAULT_NOW),
        admins=AdminDirectory(WebClient(base_url="http://127.0.0.1:9/api/")),
        after_ack=lambda work: work(),
        notifier=Notifier(WebClient(base_url="http://127.0.0.1:9/api/")),
    )


def command_request(trigger: str = "trigger-1") -> BoltRequest:
    body = {
        "team_id": TEAM_ID,
        "channel_id": "C0GROUP",
        "user_id": "U0ORGA",
        "command": "/partage",
        "text": "theme Sobriété",
        "trigger_id": trigger,
    }
    return BoltRequest(mode="socket_mode", body=body)


def test_retry_of_a_failed_listener_runs_again(deps: Deps, db, fake_slack: FakeSlack):
    app, applied = failing_app(deps, failures=1, api_url=fake_slack.api_url)

    app.dispatch(command_request())
    app.dispatch(command_request())
    app.dispatch(command_request())

    assert applied == ["failed", "applied"]
    assert seen_count(db) == 1


def test_ledger_purges_keys_older_than_the_retention(deps: Deps, db):
    clock = ManualClock(DEFAULT_NOW)
    ledger = RequestLedger(db, clock)
    assert ledger.claim("command:old") is True
    clock.set(DEFAULT_NOW + RETENTION + timedelta(seconds=1))

    fresh = ledger.claim("command:new")
    again = ledger.claim("command:old")

    assert (fresh, again) == (True, True)
    with db() as session:
        assert sorted(session.scalars(select(SeenRequest.key))) == ["command:new", "command:old"]


def test_ledger_refuses_a_key_seen_within_the_retention(deps: Deps, db):
    clock = ManualClock(DEFAULT_NOW)
    ledger = RequestLedger(db, clock)
    ledger.claim("event:Ev1")
    clock.set(DEFAULT_NOW + RETENTION - timedelta(seconds=1))

    assert ledger.claim("event:Ev1") is False


@pytest.mark.parametrize(
    "body",
    [
        {"command": "/partage", "text": "programme"},
        {"command": "/partage", "text": "aide"},
        {"command": "/partage", "text": ""},
        {"command": "/partage", "text": "planning"},
        {"type": "block_suggestion", "action_id": "x"},
        {"type": "event_callback", "event_id": "Ev1", "event": {"type": "reaction_added"}},
    ],
)
def test_read_only_requests_have_no_key(body: dict[str, Any]):
    assert request_key(BoltRequest(mode="socket_mode", body=body)) is None


def test_events_are_keyed_by_event_id_whatever_the_retry_headers():
    body = {
        "type": "event_callback",
        "event_id": "Ev42",
        "event": {"type": "reaction_added", "reaction": "two"},
    }

    first = request_key(BoltRequest(mode="socket_mode", body=body))
    retried = request_key(
        BoltRequest(mode="socket_mode", body=dict(body), headers={"x-slack-retry-num": "3"})
    )

    assert (first, retried) == ("event:Ev42", "event:Ev42")


def test_same_request_racing_into_two_processes_applies_once(
    database_url, slack: SlackSender, fake_slack: FakeSlack, clock: ManualClock, db
):
    schedule(slack)
    announced(db)  # the thread exists: changes are told in it
    other = BotServer(bot_settings(database_url, fake_slack.api_url), clock).start()
    try:
        to_other = SlackSender(other.port, SIGNING_SECRET, fake_slack.response_url())
        replies = []
        for n in range(5):
            slack.command(f"theme Thème {n}", user="U0ORGA", settle=False)
            sent = slack.last_sent
            assert sent is not None
            with ThreadPoolExecutor(max_workers=4) as pool:
                racing = [
                    pool.submit(sender.resend, sent, settle=False)
                    for sender in (slack, to_other, slack, to_other)
                ]
                replies += [r.result() for r in racing]
        if slack.settle is not None:
            slack.settle()
        other.drain()
    finally:
        other.stop()

    assert {r.status for r in replies} == {200}
    assert sorted(text.rsplit("Thème ", 1)[1][0] for text in theme_notices(db)) == [
        "0",
        "1",
        "2",
        "3",
        "4",
    ]
