"""The session-end and poll-close jobs against the fake Slack: once, and never a crash."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import select

from bot.db.engine import transaction
from bot.db.models import Meeting, MeetingRole, Poll, PollVote
from bot.domain.polls import record_vote
from bot.enums import MeetingStatus, PollStatus, RoleKind
from bot.jobs.polls import RetryPolicy, close_poll, end_session
from bot.slack.notifier import Notifier, PermanentFailure, TransientFailure
from tests.support import server
from tests.support.factories import SESSION_START, make_group, make_meeting, make_proposals
from tests.support.fake_slack import BOT_USER_ID, FakeSlack
from tests.support.slack_client import message_text

AFTER_END = SESSION_START + timedelta(minutes=91)
AFTER_CLOSE = AFTER_END + timedelta(hours=72, minutes=1)
NO_WAIT = RetryPolicy(attempts=3, delay_seconds=0)


@pytest.fixture
def notifier(fake_slack: FakeSlack) -> Notifier:
    fake_slack.reset()
    client = WebClient(
        token="xoxb-test",
        base_url=fake_slack.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    return Notifier(client)


@pytest.fixture
def settings(database_url, fake_slack):
    return server.bot_settings(database_url, fake_slack.api_url)


def seeded(db, texts, *, guide=None):
    with transaction(db) as session:
        group = make_group(session)
        meeting = make_meeting(session, group, guide=guide)
        make_proposals(session, group, texts)
    return meeting.id


def run_end(db, notifier, settings, meeting_id, now=AFTER_END):
    end_session(db=db, notifier=notifier, meeting_id=meeting_id, now=now, settings=settings)


def run_close(db, notifier, settings, poll_id, now=AFTER_CLOSE):
    close_poll(
        db=db,
        notifier=notifier,
        poll_id=poll_id,
        now=now,
        settings=settings,
        bot_user_id=BOT_USER_ID,
        retry=NO_WAIT,
        sleep=lambda _s: None,
    )


def the_poll(db) -> Poll:
    with db() as session:
        return session.scalars(select(Poll)).one()


def test_end_session_posts_poll_once_and_adds_one_reaction_per_option(
    db, notifier, settings, fake_slack
):
    meeting_id = seeded(db, ["A", "B", "C"])

    run_end(db, notifier, settings, meeting_id)

    posts = fake_slack.posts()
    assert len(posts) == 1
    assert posts[0]["channel"] == "C0GROUP"
    text = message_text(posts[0])
    assert ":one: A" in text
    assert ":three: C" in text
    poll = the_poll(db)
    reactions = fake_slack.calls("reactions.add")
    assert [(c.args["name"], c.args["timestamp"]) for c in reactions] == [
        ("one", poll.message_ts),
        ("two", poll.message_ts),
        ("three", poll.message_ts),
    ]
    with db() as session:
        assert session.get(Meeting, meeting_id).end_message_ts == poll.message_ts


def test_end_session_twice_posts_once(db, notifier, settings, fake_slack):
    meeting_id = seeded(db, ["A"])
    run_end(db, notifier, settings, meeting_id)
    fake_slack.fail("reactions.add", "already_reacted")

    run_end(db, notifier, settings, meeting_id, now=AFTER_END + timedelta(minutes=2))

    assert len(fake_slack.posts()) == 1
    with db() as session:
        assert len(session.scalars(select(Meeting)).all()) == 2


def test_end_session_transient_failure_then_retry_posts_the_same_poll_once(
    db, notifier, settings, fake_slack
):
    meeting_id = seeded(db, ["A"])
    fake_slack.fail("chat.postMessage", "internal_error")

    with pytest.raises(TransientFailure):
        run_end(db, notifier, settings, meeting_id)
    first_poll = the_poll(db)
    fake_slack.reset()
    run_end(db, notifier, settings, meeting_id, now=AFTER_END + timedelta(minutes=5))

    assert len(fake_slack.posts()) == 1
    poll = the_poll(db)
    assert poll.id == first_poll.id
    assert poll.message_ts is not None


def test_end_session_refused_channel_discards_the_poll(db, notifier, settings, fake_slack):
    meeting_id = seeded(db, ["A"])
    fake_slack.fail("chat.postMessage", "not_in_channel")

    with pytest.raises(PermanentFailure):
        run_end(db, notifier, settings, meeting_id)

    with db() as session:
        assert session.scalars(select(Poll)).all() == []
        assert session.get(Meeting, meeting_id).status == MeetingStatus.HELD


def test_end_session_without_proposals_calls_for_them(db, notifier, settings, fake_slack):
    meeting_id = seeded(db, [])

    run_end(db, notifier, settings, meeting_id)

    assert "`/partage proposer &lt;thème&gt;`" in message_text(fake_slack.posts()[0])
    assert fake_slack.calls("reactions.add") == []
    with db() as session:
        assert session.get(Meeting, meeting_id).end_message_ts is not None


def test_end_session_before_the_end_does_nothing(db, notifier, settings, fake_slack):
    meeting_id = seeded(db, ["A"])

    run_end(db, notifier, settings, meeting_id, now=SESSION_START + timedelta(minutes=30))

    assert fake_slack.posts() == []


def ended_poll(db, notifier, settings, fake_slack, texts, *, guide=None) -> Poll:
    meeting_id = seeded(db, texts, guide=guide)
    run_end(db, notifier, settings, meeting_id)
    fake_slack.reset()
    return the_poll(db)


def results(fake_slack) -> list[str]:
    return [message_text(p) for p in fake_slack.posts()]


def test_close_poll_tallies_reactions_sets_theme_and_posts_result(
    db, notifier, settings, fake_slack
):
    poll = ended_poll(db, notifier, settings, fake_slack, ["A", "B", "C"])
    fake_slack.reactions[poll.message_ts] = [
        {"name": "one", "users": [BOT_USER_ID, "U1"], "count": 2},
        {"name": "two", "users": [BOT_USER_ID, "U1", "U2"], "count": 3},
        {"name": "two::skin-tone-4", "users": ["U2", "U3"], "count": 2},
        {"name": "three", "users": [BOT_USER_ID], "count": 1},
        {"name": "tada", "users": ["U4", "U5", "U6", "U7"], "count": 4},
    ]

    run_close(db, notifier, settings, poll.id)

    [text] = results(fake_slack)
    assert ":one: A\u202f: 1 vote" in text
    assert ":two: B\u202f: 3 votes" in text
    assert ":three: C\u202f: 0 vote" in text
    assert "Thème retenu\u202f: *B*" in text
    assert "galité" not in text
    assert fake_slack.calls("reactions.get")[0].args["full"] == "true"
    with db() as session:
        assert session.get(Poll, poll.id).status == PollStatus.CLOSED
        scheduled = session.scalars(
            select(Meeting).where(Meeting.status == MeetingStatus.SCHEDULED)
        ).one()
    assert scheduled.theme == "B"


def test_close_poll_twice_posts_one_result(db, notifier, settings, fake_slack):
    poll = ended_poll(db, notifier, settings, fake_slack, ["A"])
    fake_slack.reactions[poll.message_ts] = [{"name": "one", "users": ["U1"], "count": 1}]

    run_close(db, notifier, settings, poll.id)
    run_close(db, notifier, settings, poll.id, now=AFTER_CLOSE + timedelta(minutes=1))

    assert len(fake_slack.posts()) == 1


def test_close_poll_before_closing_time_does_nothing(db, notifier, settings, fake_slack):
    poll = ended_poll(db, notifier, settings, fake_slack, ["A"])

    run_close(db, notifier, settings, poll.id, now=AFTER_END + timedelta(hours=1))

    assert fake_slack.posts() == []
    assert the_poll(db).status == PollStatus.OPEN


def record(db, poll, user, emoji):
    with transaction(db) as session:
        record_vote(
            session,
            channel_id=poll.channel_id,
            message_ts=poll.message_ts,
            user_id=user,
            emoji=emoji,
            bot_user_id=BOT_USER_ID,
            now=AFTER_END,
        )


def test_close_poll_reactions_get_failing_retries_then_uses_recorded_votes(
    db, notifier, settings, fake_slack
):
    poll = ended_poll(db, notifier, settings, fake_slack, ["A", "B"])
    record(db, poll, "U1", "two")
    record(db, poll, "U2", "two::skin-tone-2")
    record(db, poll, "U3", "one")
    fake_slack.fail("reactions.get", "internal_error")

    run_close(db, notifier, settings, poll.id)

    assert len(fake_slack.calls("reactions.get")) == NO_WAIT.attempts
    [text] = results(fake_slack)
    assert ":one: A\u202f: 1 vote" in text
    assert ":two: B\u202f: 2 votes" in text
    assert "Thème retenu\u202f: *B*" in text
    assert "réactions que j'avais enregistrées" in text


def test_close_poll_message_deleted_uses_recorded_votes_without_retrying(
    db, notifier, settings, fake_slack
):
    poll = ended_poll(db, notifier, settings, fake_slack, ["A", "B"])
    record(db, poll, "U1", "one")
    record(db, poll, "U2", "two")
    fake_slack.fail("reactions.get", "message_not_found")

    run_close(db, notifier, settings, poll.id)

    assert len(fake_slack.calls("reactions.get")) == 1
    [text] = results(fake_slack)
    assert "Égalité entre :one:, :two:" in text
    assert "Thème retenu\u202f: *A*" in text


def test_close_poll_unreadable_without_events_asks_the_guide(db, notifier, settings, fake_slack):
    meeting_id = seeded(db, ["A"])
    run_end(db, notifier, settings, meeting_id)
    with transaction(db) as session:
        following = session.scalars(
            select(Meeting).where(Meeting.status == MeetingStatus.SCHEDULED)
        ).one()
        session.add(
            MeetingRole(
                meeting_id=following.id,
                user_id="U0GUIDE",
                role=RoleKind.GUIDE,
                created_at=AFTER_END,
            )
        )
    fake_slack.reset()
    fake_slack.fail("reactions.get", "channel_not_found")
    poll = the_poll(db)

    run_close(db, notifier, settings, poll.id)

    [text] = results(fake_slack)
    assert (
        "<@U0GUIDE>, fixez le thème de la prochaine session avec `/partage theme &lt;texte&gt;`"
        in text
    )
    with db() as session:
        assert session.get(Poll, poll.id).status == PollStatus.CLOSED
        assert session.get(Poll, poll.id).winner_proposal_id is None
        assert session.scalars(select(PollVote)).all() == []


def test_close_poll_result_post_retried_after_transient_failure(db, notifier, settings, fake_slack):
    poll = ended_poll(db, notifier, settings, fake_slack, ["A"])
    fake_slack.reactions[poll.message_ts] = [{"name": "one", "users": ["U1"], "count": 1}]
    failures = {"left": 1}

    def flaky(_args):
        if failures["left"]:
            failures["left"] -= 1
            return {"ok": False, "error": "internal_error"}
        return None

    fake_slack.on("chat.postMessage", flaky)

    run_close(db, notifier, settings, poll.id)

    assert len(fake_slack.posts()) == 2  # one refused by Slack, one delivered
    assert the_poll(db).status == PollStatus.CLOSED


def test_close_poll_result_never_postable_still_closes_without_raising(
    db, notifier, settings, fake_slack
):
    poll = ended_poll(db, notifier, settings, fake_slack, ["A"])
    fake_slack.reactions[poll.message_ts] = [{"name": "one", "users": ["U1"], "count": 1}]
    fake_slack.fail("chat.postMessage", "is_archived")

    run_close(db, notifier, settings, poll.id)

    assert len(fake_slack.posts()) == 1
    assert the_poll(db).status == PollStatus.CLOSED


class MeetingPointNotifier(Notifier):
    """Both closers read the votes before either closes: the conditional UPDATE decides."""

    def __init__(self, client: WebClient, parties: int) -> None:
        super().__init__(client)
        self.barrier = threading.Barrier(parties, timeout=10)

    def reactions(self, channel: str, ts: str) -> list[dict]:
        found = super().reactions(channel, ts)
        self.barrier.wait()
        return found


def test_close_poll_by_two_processes_at_once_posts_one_result(db, notifier, settings, fake_slack):
    poll = ended_poll(db, notifier, settings, fake_slack, ["A", "B"])
    fake_slack.reactions[poll.message_ts] = [{"name": "two", "users": ["U1"], "count": 1}]
    racing = MeetingPointNotifier(WebClient(token="xoxb-test", base_url=fake_slack.api_url), 2)
    threads = [
        threading.Thread(target=run_close, args=(db, racing, settings, poll.id)) for _ in range(2)
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(fake_slack.calls("reactions.get")) == 2
    assert len(fake_slack.posts()) == 1
    assert "Thème retenu\u202f: *B*" in results(fake_slack)[0]
