"""Opening, voting on and closing the theme poll, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import transaction
from bot.db.models import Delivery, Meeting, Poll, PollOption, PollVote, ThemeProposal
from bot.domain.errors import DomainError
from bot.domain.polls import (
    CloseOutcome,
    close_poll,
    open_poll,
    record_message,
    record_vote,
    recorded_votes,
    remove_vote,
)
from bot.domain.tally import tally_votes
from bot.enums import (
    DeliveryKind,
    DeliveryStatus,
    MeetingStatus,
    PollStatus,
    ProposalStatus,
)
from tests.support.factories import (
    BEFORE,
    CHANNEL,
    ORGANISER,
    SESSION_START,
    make_group,
    make_meeting,
    make_proposals,
)

NOW = BEFORE + timedelta(days=1)
BOT = "UBOT"


def opened(db, texts, *, guide=None):
    with transaction(db) as session:
        group = make_group(session)
        meeting = make_meeting(session, group, guide=guide)
        make_proposals(session, group, texts)
        poll = open_poll(
            session,
            timezone="Europe/Paris",
            group=group,
            opened_by="U0ORGA",
            now=NOW,
            target_meeting=meeting,
        )
    return poll


def test_open_poll_lists_open_proposals_oldest_first_with_keycap_emojis(db):
    poll = opened(db, ["A", "B", "C"])

    assert [(o.position, o.emoji, o.text) for o in poll.options] == [
        (1, "one", "A"),
        (2, "two", "B"),
        (3, "three", "C"),
    ]
    # Saturday 5 December at 10:00 falls on a weekend: Friday 4 at 10:00 (48 h still).
    assert poll.closes_at == NOW + timedelta(hours=48)
    assert poll.left_out == 0
    assert poll.channel_id == CHANNEL


def test_open_poll_plans_its_close_as_a_delivery(db):
    poll = opened(db, ["A"])

    with db() as session:
        delivery = session.scalars(
            select(Delivery).where(Delivery.kind == DeliveryKind.POLL_CLOSE)
        ).one()
    assert delivery.poll_id == poll.id
    assert delivery.meeting_id is None
    assert delivery.dedup_key == f"poll:{poll.id}:close"
    assert delivery.due_at == delivery.available_at == poll.closes_at
    assert delivery.expires_at == poll.closes_at + timedelta(days=7)
    assert delivery.status == DeliveryStatus.PLANNED


def test_open_poll_uses_the_group_poll_duration(db):
    with transaction(db) as session:
        group = make_group(session)
        group.poll_duration_hours = 24
        make_proposals(session, group, ["A"])
        poll = open_poll(
            session,
            timezone="Europe/Paris",
            group=group,
            opened_by=None,
            now=NOW,
            target_meeting=None,
        )

    assert poll.closes_at == NOW + timedelta(hours=24)
    assert poll.target_meeting_id is None


def test_open_poll_with_more_than_ten_takes_ten_oldest_and_keeps_the_rest(db):
    texts = [f"Thème {i}" for i in range(1, 13)]

    poll = opened(db, texts)

    assert [o.text for o in poll.options] == texts[:10]
    assert poll.options[-1].emoji == "keycap_ten"
    assert poll.left_out == 2
    with db() as session:
        open_texts = session.scalars(
            select(ThemeProposal.text).where(ThemeProposal.status == ProposalStatus.OPEN)
        ).all()
    assert len(open_texts) == 12


def test_open_poll_after_a_lost_poll_newcomers_go_before_losers(db):
    texts = [f"Old {i}" for i in range(1, 11)]
    with transaction(db) as session:
        group = make_group(session)
        make_proposals(session, group, texts)
        first = open_poll(
            session,
            timezone="Europe/Paris",
            group=group,
            opened_by=None,
            now=NOW,
            target_meeting=None,
        )
    with transaction(db) as session:
        result = tally_votes(first.option_pairs, [("U1", "one")], BOT)
        close_poll(session, poll_id=first.id, result=result, from_events=False, now=NOW)
        group = make_group(session)
        make_proposals(session, group, ["New 1", "New 2"], now=NOW)
        second = open_poll(
            session,
            timezone="Europe/Paris",
            group=group,
            opened_by=None,
            now=NOW + timedelta(days=5),
            target_meeting=None,
        )

    # "Old 1" won and is used; 9 losers and 2 newcomers compete for 10 places.
    assert [o.text for o in second.options] == [
        *[f"Old {i}" for i in range(2, 10)],
        "New 1",
        "New 2",
    ]
    assert second.left_out == 1


def test_open_poll_twice_is_refused_with_the_closing_date(db):
    poll = opened(db, ["A"])

    with transaction(db) as session:
        group = make_group(session)
        make_proposals(session, group, ["B"])
        with pytest.raises(DomainError) as raised:
            open_poll(
                session,
                timezone="Europe/Paris",
                group=group,
                opened_by=None,
                now=NOW,
                target_meeting=None,
            )

    assert raised.value.key == "poll.error.already_open"
    assert raised.value.params == {"when": poll.closes_at}


def test_open_poll_without_proposals_is_refused(db):
    with transaction(db) as session:
        group = make_group(session)
        with pytest.raises(DomainError) as raised:
            open_poll(
                session,
                timezone="Europe/Paris",
                group=group,
                opened_by=None,
                now=NOW,
                target_meeting=None,
            )

    assert raised.value.key == "poll.error.no_proposals"
    with db() as session:
        assert session.scalars(select(Poll)).all() == []


def test_close_poll_sets_winner_theme_and_marks_only_the_winner_used(db):
    poll = opened(db, ["A", "B", "C"])
    result = tally_votes(poll.option_pairs, [("U1", "two"), ("U2", "two"), ("U3", "one")], BOT)

    with transaction(db) as session:
        closure = close_poll(session, poll_id=poll.id, result=result, from_events=False, now=NOW)

    assert closure is not None
    assert closure.outcome == CloseOutcome.DECIDED
    assert closure.winner.text == "B"
    assert closure.themed_meeting_starts_at == SESSION_START
    with db() as session:
        stored = session.get(Poll, poll.id)
        statuses = dict(session.execute(select(ThemeProposal.text, ThemeProposal.status)).all())
        meeting = session.scalars(select(Meeting)).one()
    assert stored.status == PollStatus.CLOSED
    assert stored.closed_at == NOW
    assert stored.tie is False
    assert stored.winner_proposal_id == closure.winner.proposal_id
    assert statuses == {
        "A": ProposalStatus.OPEN,
        "B": ProposalStatus.USED,
        "C": ProposalStatus.OPEN,
    }
    assert meeting.theme == "B"


def test_close_poll_twice_only_the_first_closes(db):
    poll = opened(db, ["A", "B"])
    result = tally_votes(poll.option_pairs, [("U1", "one")], BOT)

    with transaction(db) as session:
        first = close_poll(session, poll_id=poll.id, result=result, from_events=False, now=NOW)
    with transaction(db) as session:
        second = close_poll(session, poll_id=poll.id, result=None, from_events=False, now=NOW)

    assert first is not None
    assert second is None
    with db() as session:
        assert session.get(Poll, poll.id).winner_proposal_id == first.winner.proposal_id


def test_close_poll_records_a_tie(db):
    poll = opened(db, ["A", "B"])
    result = tally_votes(poll.option_pairs, [("U1", "two"), ("U2", "one")], BOT)

    with transaction(db) as session:
        closure = close_poll(session, poll_id=poll.id, result=result, from_events=False, now=NOW)

    assert closure.winner.text == "A"
    with db() as session:
        assert session.get(Poll, poll.id).tie is True


def test_close_poll_unreadable_asks_the_guide_and_keeps_proposals_open(db):
    poll = opened(db, ["A", "B"], guide="U0GUIDE")

    with transaction(db) as session:
        closure = close_poll(session, poll_id=poll.id, result=None, from_events=False, now=NOW)

    assert closure.outcome == CloseOutcome.UNREADABLE
    assert closure.winner is None
    assert closure.ask_user_ids == ("U0GUIDE",)
    with db() as session:
        assert set(session.scalars(select(ThemeProposal.status)).all()) == {ProposalStatus.OPEN}
        assert session.scalars(select(Meeting.theme)).one() is None


def test_close_poll_nobody_voted_asks_organisers_when_no_guide(db):
    poll = opened(db, ["A"])
    result = tally_votes(poll.option_pairs, [(BOT, "one")], BOT)

    with transaction(db) as session:
        closure = close_poll(session, poll_id=poll.id, result=result, from_events=False, now=NOW)

    assert closure.outcome == CloseOutcome.NO_VOTES
    assert closure.ask_user_ids == (ORGANISER,)


def test_close_poll_target_held_gives_theme_to_next_scheduled(db):
    poll = opened(db, ["A"])
    with transaction(db) as session:
        target = session.scalars(select(Meeting)).one()
        target.status = MeetingStatus.HELD
        session.flush()
        later = make_meeting(
            session, make_group(session), starts_at=SESSION_START + timedelta(days=28)
        )
    result = tally_votes(poll.option_pairs, [("U1", "one")], BOT)

    with transaction(db) as session:
        closure = close_poll(session, poll_id=poll.id, result=result, from_events=False, now=NOW)

    assert closure.themed_meeting_starts_at == later.starts_at
    with db() as session:
        assert session.get(Meeting, later.id).theme == "A"
        assert session.get(Meeting, target.id).theme is None


def test_close_poll_without_any_session_keeps_winner_used_and_says_so(db):
    with transaction(db) as session:
        group = make_group(session)
        make_proposals(session, group, ["A"])
        poll = open_poll(
            session,
            timezone="Europe/Paris",
            group=group,
            opened_by=None,
            now=NOW,
            target_meeting=None,
        )
    result = tally_votes(poll.option_pairs, [("U1", "one")], BOT)

    with transaction(db) as session:
        closure = close_poll(session, poll_id=poll.id, result=result, from_events=False, now=NOW)

    assert closure.outcome == CloseOutcome.DECIDED
    assert closure.themed_meeting_starts_at is None


def posted_poll(db, texts):
    poll = opened(db, texts)
    with transaction(db) as session:
        record_message(session, poll_id=poll.id, channel_id=CHANNEL, ts="1.1")
    return poll


def vote(db, user, emoji, ts="1.1"):
    with transaction(db) as session:
        return record_vote(
            session,
            channel_id=CHANNEL,
            message_ts=ts,
            user_id=user,
            emoji=emoji,
            bot_user_id=BOT,
            now=NOW,
        )


def test_record_vote_keeps_option_votes_only(db):
    poll = posted_poll(db, ["A", "B"])

    outcomes = [
        vote(db, "U1", "one"),
        vote(db, "U1", "one"),  # same reaction twice: one row
        vote(db, "U2", "two::skin-tone-3"),
        vote(db, "U3", "three"),  # not an option of this poll
        vote(db, "U3", "thumbsup"),
        vote(db, BOT, "one"),
        vote(db, "U4", "one", ts="9.9"),  # another message
        vote(db, "U5", "one::not-a-tone"),
    ]

    assert outcomes == [True, False, True, False, False, False, False, False]
    with db() as session:
        assert sorted(recorded_votes(session, poll_id=poll.id)) == [
            ("U1", "one"),
            ("U2", "two::skin-tone-3"),
        ]


def test_remove_vote_removes_only_that_variant(db):
    poll = posted_poll(db, ["A"])
    vote(db, "U1", "one")
    vote(db, "U1", "one::skin-tone-2")

    with transaction(db) as session:
        removed = remove_vote(
            session, channel_id=CHANNEL, message_ts="1.1", user_id="U1", emoji="one", now=NOW
        )

    assert removed is True
    with db() as session:
        assert recorded_votes(session, poll_id=poll.id) == [("U1", "one::skin-tone-2")]


def test_record_vote_on_closed_poll_is_ignored(db):
    poll = posted_poll(db, ["A"])
    with transaction(db) as session:
        close_poll(session, poll_id=poll.id, result=None, from_events=False, now=NOW)

    assert vote(db, "U1", "one") is False
    with db() as session:
        assert session.scalars(select(PollVote)).all() == []


def test_record_message_never_overwrites(db):
    poll = opened(db, ["A"])

    with transaction(db) as session:
        first = record_message(session, poll_id=poll.id, channel_id=CHANNEL, ts="1.1")
        second = record_message(session, poll_id=poll.id, channel_id=CHANNEL, ts="2.2")

    assert (first, second) == (True, False)
    with db() as session:
        assert session.get(Poll, poll.id).message_ts == "1.1"
        assert len(session.scalars(select(PollOption)).all()) == 1
