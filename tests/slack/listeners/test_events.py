"""The reaction listeners called directly: who counts, and what is not a vote."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy import select

from bot.db.engine import transaction
from bot.db.models import PollVote
from bot.deps import Deps
from bot.domain.polls import open_poll, record_message
from bot.slack.admins import AdminDirectory
from bot.slack.listeners.events import handle_reaction_added, handle_reaction_removed
from bot.slack.notifier import Notifier
from tests.support import server
from tests.support.clock import ManualClock
from tests.support.factories import CHANNEL, make_group, make_proposals

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
TS = "1700000000.000042"
UNUSED_API = "http://127.0.0.1:9/api/"  # these listeners never call Slack


@pytest.fixture
def deps(db, database_url) -> Deps:
    return Deps(
        settings=server.bot_settings(database_url, UNUSED_API),
        db=db,
        clock=ManualClock(NOW),
        admins=AdminDirectory(WebClient(base_url=UNUSED_API)),
        after_ack=lambda work: work(),
        notifier=Notifier(WebClient(base_url=UNUSED_API)),
    )


@pytest.fixture
def poll_ts(db) -> str:
    with transaction(db) as session:
        group = make_group(session)
        make_proposals(session, group, ["A", "B"])
        poll = open_poll(
            session,
            timezone="Europe/Paris",
            group=group,
            opened_by=None,
            now=NOW,
            target_meeting=None,
        )
        record_message(session, poll_id=poll.id, channel_id=CHANNEL, ts=TS)
    return TS


def event(user: str, reaction: str, *, item_type: str = "message") -> dict:
    return {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item": {"type": item_type, "channel": CHANNEL, "ts": TS},
    }


def votes(db) -> list[tuple[str, str]]:
    with db() as session:
        return sorted(session.execute(select(PollVote.user_id, PollVote.emoji)).tuples())


def test_reaction_added_by_the_bot_is_not_a_vote(deps, db, poll_ts):
    context = BoltContext({"bot_user_id": "UBOT"})

    handle_reaction_added(event("UBOT", "one"), {}, context, deps=deps)
    handle_reaction_added(event("U1", "two"), {}, context, deps=deps)

    assert votes(db) == [("U1", "two")]


def test_reaction_added_bot_known_from_authorizations(deps, db, poll_ts):
    body = {"authorizations": [{"user_id": "UBOT", "is_bot": True}]}

    handle_reaction_added(event("UBOT", "one"), body, BoltContext({}), deps=deps)

    assert votes(db) == []


def test_reaction_on_a_file_or_with_other_emoji_is_ignored(deps, db, poll_ts):
    context = BoltContext({"bot_user_id": "UBOT"})

    handle_reaction_added(event("U1", "one", item_type="file"), {}, context, deps=deps)
    handle_reaction_added(event("U1", "+1"), {}, context, deps=deps)

    assert votes(db) == []


def test_reaction_removed_forgets_the_vote(deps, db, poll_ts):
    context = BoltContext({"bot_user_id": "UBOT"})
    handle_reaction_added(event("U1", "one::skin-tone-4"), {}, context, deps=deps)

    handle_reaction_removed(
        {**event("U1", "one::skin-tone-4"), "type": "reaction_removed"}, deps=deps
    )

    assert votes(db) == []
