"""The session-end, poll and poll-close jobs run by the dispatcher against the fake Slack:
every side effect once, through the outbox, and the state changes however late."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import select

from bot.db.engine import transaction
from bot.db.models import Delivery, DeliveryMessage, Meeting, MeetingRole, Poll, PollVote
from bot.domain.planning import plan_meeting
from bot.domain.polls import record_vote
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus, PollStatus, RoleKind
from bot.jobs.claims import backoff
from bot.jobs.cycle import SENDERS
from bot.jobs.dispatcher import Dispatcher
from bot.jobs.senders import default_jobs
from bot.slack.identity import BotIdentity
from bot.slack.notifier import Notifier
from tests.support import server
from tests.support.factories import SESSION_START, make_group, make_meeting, make_proposals
from tests.support.fake_slack import BOT_USER_ID, FakeResponse, FakeSlack
from tests.support.slack_client import message_text

AFTER_END = SESSION_START + timedelta(minutes=91)
# The 72-hour poll would close on Sunday 17 January; on working days (the default) the
# Friday before would leave it a day only, so it closes on Monday 18 at the same hour.
AFTER_CLOSE = AFTER_END + timedelta(hours=96, minutes=1)


def client_for(fake_slack: FakeSlack) -> WebClient:
    return WebClient(
        token="xoxb-test",
        base_url=fake_slack.api_url,
        timeout=5,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )


@pytest.fixture
def notifier(fake_slack: FakeSlack) -> Notifier:
    fake_slack.reset()
    return Notifier(client_for(fake_slack))


@pytest.fixture
def settings(database_url, fake_slack):
    return server.bot_settings(database_url, fake_slack.api_url)


def make_dispatcher(db, notifier, settings, process_id="test-host:1:aaaaaa") -> Dispatcher:
    identity = BotIdentity(notifier._client)
    return Dispatcher(
        db=db,
        notifier=notifier,
        senders=SENDERS,
        jobs=default_jobs(
            db=db, notifier=notifier, settings=settings, bot_user_id=identity.user_id
        ),
        default_language=settings.bot_language,
        default_timezone=settings.bot_timezone,
        command=settings.slash_command,
        process_id=process_id,
    )


@pytest.fixture
def dispatcher(db, notifier, settings) -> Dispatcher:
    return make_dispatcher(db, notifier, settings)


def seeded(db, texts, *, guide=None):
    """A session with its session-end delivery planned, and open proposals."""
    with transaction(db) as session:
        group = make_group(session)
        meeting = make_meeting(session, group, guide=guide)
        make_proposals(session, group, texts)
        plan_meeting(
            session, group=group, meeting=meeting, now=SESSION_START, timezone="Europe/Paris"
        )
        for delivery in session.scalars(select(Delivery)):
            if delivery.kind != DeliveryKind.SESSION_END:
                delivery.status = DeliveryStatus.DONE
    return meeting.id


def run_again(db, kind, now):
    """Put a settled delivery back in the queue, as a crash before its settling would."""
    with transaction(db) as session:
        delivery = session.scalars(
            select(Delivery).where(Delivery.kind == kind).order_by(Delivery.id).limit(1)
        ).one()
        delivery.status = DeliveryStatus.PLANNED
        delivery.available_at = now


def run_end(dispatcher, now=AFTER_END):
    return dispatcher.dispatch_due(now)


def run_close(dispatcher, now=AFTER_CLOSE):
    return dispatcher.dispatch_due(now)


def the_poll(db) -> Poll:
    with db() as session:
        return session.scalars(select(Poll)).one()


def delivery_of(db, kind) -> Delivery:
    """The first delivery of that kind (the rollover plans the next session's too)."""
    with db() as session:
        return session.scalars(
            select(Delivery).where(Delivery.kind == kind).order_by(Delivery.id).limit(1)
        ).one()


def outbox_rows(db, kind) -> dict[str, str]:
    with db() as session:
        return {
            m.recipient: m.status.value
            for m in session.scalars(
                select(DeliveryMessage)
                .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
                .where(Delivery.kind == kind)
            )
        }


def test_end_session_posts_the_thanks_then_the_poll_in_its_own_message_with_its_reactions(
    db, dispatcher, fake_slack
):
    meeting_id = seeded(db, ["A", "B", "C"])

    run_end(dispatcher)

    thanks, poll_post = fake_slack.posts()
    assert (thanks["channel"], poll_post["channel"]) == ("C0GROUP", "C0GROUP")
    assert ":one: A" not in message_text(thanks)
    assert "sondage juste en dessous" in message_text(thanks)
    text = message_text(poll_post)
    assert text.startswith("Sondage\u202f: le thème de la prochaine session")
    assert ":one: A · *0 vote*" in text
    assert ":three: C" in text
    assert "Fin du vote le *lundi 18 janvier 2027 à 15\u00a0h\u00a031*" in text
    poll = the_poll(db)
    reactions = fake_slack.calls("reactions.add")
    assert [(c.args["name"], c.args["timestamp"]) for c in reactions] == [
        ("one", poll.message_ts),
        ("two", poll.message_ts),
        ("three", poll.message_ts),
    ]
    with db() as session:
        end_ts = session.get(Meeting, meeting_id).end_message_ts
    assert None not in (end_ts, poll.message_ts)
    assert end_ts != poll.message_ts


def test_end_session_thanks_and_role_call_stay_short(db, dispatcher, fake_slack):
    seeded(db, ["A", "B", "C"])

    run_end(dispatcher)

    thanks = fake_slack.posts()[0]
    kinds = [b["type"] for b in thanks["blocks"]]
    # The recap (one section for a session without answers), then the line pointing to
    # the poll, the role call and its buttons: no option of the poll.
    assert kinds == ["header", "section", "divider", "section", "section", "actions"]
    assert ":one:" not in str(thanks["blocks"])


def test_end_session_twice_posts_once(db, dispatcher, fake_slack):
    seeded(db, ["A"])
    run_end(dispatcher)
    run_again(db, DeliveryKind.SESSION_END, AFTER_END)

    run_end(dispatcher, now=AFTER_END + timedelta(minutes=2))

    assert len(fake_slack.posts()) == 2
    assert len(fake_slack.calls("reactions.add")) == 1
    with db() as session:
        assert len(session.scalars(select(Meeting)).all()) == 2


def test_end_session_transient_failure_then_retry_posts_the_same_poll_once(
    db, dispatcher, fake_slack
):
    seeded(db, ["A"])
    fake_slack.fail("chat.postMessage", "internal_error")

    report = run_end(dispatcher)
    first_poll = the_poll(db)
    fake_slack.reset()
    run_end(dispatcher, now=AFTER_END + backoff(1))

    assert report.retried == 1
    assert len(fake_slack.posts()) == 2
    poll = the_poll(db)
    assert poll.id == first_poll.id
    assert poll.message_ts is not None


def test_end_session_refused_channel_discards_the_poll(db, dispatcher, fake_slack):
    meeting_id = seeded(db, ["A"])
    fake_slack.fail("chat.postMessage", "not_in_channel")

    run_end(dispatcher)

    with db() as session:
        assert session.scalars(select(Poll)).all() == []
        assert session.get(Meeting, meeting_id).status == MeetingStatus.HELD
    assert delivery_of(db, DeliveryKind.SESSION_END).last_error == "not_in_channel"


def test_end_session_without_proposals_calls_for_them(db, dispatcher, fake_slack):
    meeting_id = seeded(db, [])

    run_end(dispatcher)

    assert "`/partage proposer &lt;thème&gt;`" in message_text(fake_slack.posts()[0])
    assert fake_slack.calls("reactions.add") == []
    with db() as session:
        assert session.get(Meeting, meeting_id).end_message_ts is not None


def test_end_session_before_the_end_does_nothing(db, dispatcher, fake_slack):
    seeded(db, ["A"])

    run_end(dispatcher, now=SESSION_START + timedelta(minutes=30))

    assert fake_slack.posts() == []


def ended_poll(db, dispatcher, fake_slack, texts, *, guide=None) -> Poll:
    seeded(db, texts, guide=guide)
    run_end(dispatcher)
    fake_slack.reset()
    return the_poll(db)


RESULT_TITLE = "Résultat du sondage"


def result_calls(fake_slack) -> list[dict]:
    """The result, as Slack was asked to show it: written in place of the poll's
    message (`chat.update`), failed attempts included."""
    return [
        c.args
        for c in fake_slack.calls("chat.update")
        if message_text(c.args).startswith(RESULT_TITLE)
    ]


def results(fake_slack) -> list[str]:
    """The texts of the result's writes in place of the poll."""
    return [message_text(args) for args in result_calls(fake_slack)]


def test_close_poll_tallies_reactions_sets_theme_and_posts_result(db, dispatcher, fake_slack):
    poll = ended_poll(db, dispatcher, fake_slack, ["A", "B", "C"])
    fake_slack.reactions[poll.message_ts] = [
        {"name": "one", "users": [BOT_USER_ID, "U1"], "count": 2},
        {"name": "two", "users": [BOT_USER_ID, "U1", "U2"], "count": 3},
        {"name": "two::skin-tone-4", "users": ["U2", "U3"], "count": 2},
        {"name": "three", "users": [BOT_USER_ID], "count": 1},
        {"name": "tada", "users": ["U4", "U5", "U6", "U7"], "count": 4},
    ]

    run_close(dispatcher)

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


def test_close_poll_twice_posts_one_result(db, dispatcher, fake_slack):
    poll = ended_poll(db, dispatcher, fake_slack, ["A"])
    fake_slack.reactions[poll.message_ts] = [{"name": "one", "users": ["U1"], "count": 1}]

    run_close(dispatcher)
    run_again(db, DeliveryKind.POLL_CLOSE, AFTER_CLOSE)
    run_close(dispatcher, now=AFTER_CLOSE + timedelta(minutes=1))

    assert len(results(fake_slack)) == 1
    assert fake_slack.posts() == []


def test_close_poll_before_closing_time_does_nothing(db, dispatcher, fake_slack):
    ended_poll(db, dispatcher, fake_slack, ["A"])

    run_close(dispatcher, now=AFTER_END + timedelta(hours=1))

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
    db, dispatcher, fake_slack
):
    poll = ended_poll(db, dispatcher, fake_slack, ["A", "B"])
    record(db, poll, "U1", "two")
    record(db, poll, "U2", "two::skin-tone-2")
    record(db, poll, "U3", "one")
    fake_slack.fail("reactions.get", "internal_error")
    fake_slack.fail("chat.update", "internal_error")

    now = AFTER_CLOSE
    for _ in range(12):  # every retry fails until none is left
        run_close(dispatcher, now=now)
        now += timedelta(hours=1)
    fake_slack.reset()
    run_close(dispatcher, now=now)

    assert results(fake_slack) == []  # the result could not be written while useful
    closed = the_poll(db)
    assert (closed.status, closed.winner_proposal_id is not None) == (PollStatus.CLOSED, True)
    with db() as session:
        scheduled = session.scalars(
            select(Meeting).where(Meeting.status == MeetingStatus.SCHEDULED)
        ).one()
    assert scheduled.theme == "B"


def test_close_poll_slack_failing_briefly_posts_the_result_once_after_backoff(
    db, dispatcher, fake_slack
):
    poll = ended_poll(db, dispatcher, fake_slack, ["A", "B"])
    record(db, poll, "U1", "two")
    record(db, poll, "U2", "two::skin-tone-2")
    record(db, poll, "U3", "one")
    fake_slack.fail("reactions.get", "message_not_found")
    fake_slack.on("chat.update", lambda _a: FakeResponse({"ok": False}, 500))

    first = run_close(dispatcher)
    fake_slack.reset()
    fake_slack.fail("reactions.get", "message_not_found")
    second = run_close(dispatcher, now=AFTER_CLOSE + backoff(1))

    # Done: the close, then the refreshes of the poll and of the session it set the theme of.
    assert (first.retried, second.done) == (1, 3)
    [text] = results(fake_slack)
    assert ":one: A\u202f: 1 vote" in text
    assert ":two: B\u202f: 2 votes" in text
    assert "Thème retenu\u202f: *B*" in text
    assert "réactions que j’avais enregistrées" in text


def test_close_poll_message_deleted_uses_recorded_votes_without_retrying(
    db, dispatcher, fake_slack
):
    poll = ended_poll(db, dispatcher, fake_slack, ["A", "B"])
    record(db, poll, "U1", "one")
    record(db, poll, "U2", "two")
    fake_slack.fail("reactions.get", "message_not_found")

    run_close(dispatcher)

    assert len(fake_slack.calls("reactions.get")) == 1
    [text] = results(fake_slack)
    assert "Égalité entre :one:, :two:" in text
    assert "Thème retenu\u202f: *A*" in text


def test_close_poll_unreadable_without_events_asks_the_guide(db, dispatcher, fake_slack):
    seeded(db, ["A"])
    run_end(dispatcher)
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

    run_close(dispatcher)

    [text] = results(fake_slack)
    assert "<@U0GUIDE>, à vous de fixer le thème de la prochaine session" in text
    assert "/partage theme" not in text
    with db() as session:
        assert session.get(Poll, poll.id).status == PollStatus.CLOSED
        assert session.get(Poll, poll.id).winner_proposal_id is None
        assert session.scalars(select(PollVote)).all() == []


def test_close_poll_result_post_retried_after_transient_failure(db, dispatcher, fake_slack):
    poll = ended_poll(db, dispatcher, fake_slack, ["A"])
    fake_slack.reactions[poll.message_ts] = [{"name": "one", "users": ["U1"], "count": 1}]
    failures = {"left": 1}

    def flaky(_args):
        if failures["left"]:
            failures["left"] -= 1
            return {"ok": False, "error": "internal_error"}
        return None

    fake_slack.on("chat.update", flaky)

    run_close(dispatcher)
    closed_at_first_try = the_poll(db).status
    run_close(dispatcher, now=AFTER_CLOSE + backoff(1))

    assert closed_at_first_try == PollStatus.CLOSED
    assert len(result_calls(fake_slack)) == 2  # one refused by Slack, one delivered
    assert outbox_rows(db, DeliveryKind.POLL_CLOSE) == {"result": "sent"}


def test_close_poll_result_never_postable_still_closes_without_raising(db, dispatcher, fake_slack):
    poll = ended_poll(db, dispatcher, fake_slack, ["A"])
    fake_slack.reactions[poll.message_ts] = [{"name": "one", "users": ["U1"], "count": 1}]
    fake_slack.fail("chat.update", "is_archived")

    run_close(dispatcher)

    assert len(result_calls(fake_slack)) == 1
    assert the_poll(db).status == PollStatus.CLOSED


def test_close_poll_by_two_processes_at_once_posts_one_result(db, notifier, settings, fake_slack):
    first = make_dispatcher(db, notifier, settings)
    poll = ended_poll(db, first, fake_slack, ["A", "B"])
    fake_slack.reactions[poll.message_ts] = [{"name": "two", "users": ["U1"], "count": 1}]
    second = make_dispatcher(db, notifier, settings, process_id="other-host:2:bbbbbb")
    threads = [
        threading.Thread(target=run_close, args=(dispatcher,)) for dispatcher in (first, second)
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(results(fake_slack)) == 1
    assert "Thème retenu\u202f: *B*" in results(fake_slack)[0]
