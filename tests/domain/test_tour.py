"""The tour de table's rules on both databases: answers checked, saved until the start,
deleted by their author; opt-outs; "Je peux aider" once per helper; the retention purge
with an injected `now`; a member's own data listed and erased."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.engine import transaction
from bot.db.models import (
    Delivery,
    DeliveryMessage,
    Group,
    Meeting,
    TourAnswer,
    TourHelpOffer,
    TourOptOut,
)
from bot.domain import tour
from bot.domain.roles import SessionGone
from bot.enums import DeliveryKind, MeetingStatus
from tests.support.factories import BEFORE, SESSION_START, make_group, make_meeting

FULL = tour.Answers(
    feeling="En forme",
    doing="Je migre l'API",
    learned="Les index partiels",
    needs="Un·e relecteur·rice RGAA",
    share_with_group=True,
)


def seed(db, *, starts_at: datetime = SESSION_START, channel: str = "C0GROUP") -> tuple[int, int]:
    with transaction(db) as session:
        group = make_group(session, channel=channel)
        meeting = make_meeting(session, group, starts_at=starts_at)
        return group.id, meeting.id


def save(db, meeting_id: int, user: str, answers: tour.Answers = FULL, now: datetime = BEFORE):
    with transaction(db) as session:
        return tour.save_answers(
            session, meeting_id=meeting_id, user_id=user, answers=answers, now=now
        )


def count(db, model) -> int:
    with db() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# --- reading the modal ------------------------------------------------------------------


def test_read_answers_strips_and_keeps_the_share_choice():
    answers = tour.read_answers({"feeling": "  bien \n", "needs": "", "share": True})

    assert answers == tour.Answers(feeling="bien", share_with_group=True)


def test_read_answers_too_long_names_each_field_and_its_limit():
    with pytest.raises(tour.InvalidAnswers) as raised:
        tour.read_answers({"feeling": "x" * 301, "doing": "ok", "needs": "y" * 501})

    assert raised.value.problems == {
        "feeling": ("tour.error.too_long", {"limit": 300, "length": 301}),
        "needs": ("tour.error.too_long", {"limit": 500, "length": 501}),
    }


def test_read_answers_all_empty_saves_nothing():
    with pytest.raises(tour.NothingToSave):
        tour.read_answers({"feeling": "  ", "doing": "", "learned": None, "share": True})


# --- saving, editing, deleting ------------------------------------------------------------


def test_save_answers_then_again_updates_the_same_row(db):
    _group_id, meeting_id = seed(db)

    first = save(db, meeting_id, "U0ALICE")
    second = save(
        db, meeting_id, "U0ALICE", tour.Answers(feeling="Fatigué·e"), BEFORE + timedelta(1)
    )

    assert (first.created, second.created) == (True, False)
    assert second.answer.id == first.answer.id
    with db() as session:
        row = session.scalars(select(TourAnswer)).one()
        assert (row.feeling, row.needs, row.share_with_group) == ("Fatigué·e", "", False)
        assert row.updated_at == BEFORE + timedelta(1)


def test_save_answers_after_the_start_is_refused_and_changes_nothing(db):
    _group_id, meeting_id = seed(db)
    save(db, meeting_id, "U0ALICE")

    with pytest.raises(tour.TourClosed):
        save(db, meeting_id, "U0ALICE", tour.Answers(feeling="Autre"), SESSION_START)

    with db() as session:
        assert session.scalars(select(TourAnswer.feeling)).one() == "En forme"


def test_save_answers_for_a_cancelled_session_is_refused(db):
    with transaction(db) as session:
        group = make_group(session)
        meeting_id = make_meeting(session, group, status=MeetingStatus.CANCELLED).id

    with pytest.raises(SessionGone):
        save(db, meeting_id, "U0ALICE")


def test_delete_answers_removes_them_and_the_offers_made_on_them(db):
    _group_id, meeting_id = seed(db)
    answer_id = save(db, meeting_id, "U0ALICE").answer.id
    with transaction(db) as session:
        tour.offer_help(
            session, answer_id=answer_id, helper_user_id="U0BOB", message={"text": "x"}, now=BEFORE
        )

    with transaction(db) as session:
        deleted = tour.delete_answers(session, meeting_id=meeting_id, user_id="U0ALICE", now=BEFORE)
    with transaction(db) as session:
        again = tour.delete_answers(session, meeting_id=meeting_id, user_id="U0ALICE", now=BEFORE)

    assert (deleted, again) == (True, False)
    assert (count(db, TourAnswer), count(db, TourHelpOffer)) == (0, 0)


def test_open_needs_lists_only_answers_with_a_need_in_answer_order(db):
    _group_id, meeting_id = seed(db)
    save(db, meeting_id, "U0ALICE", tour.Answers(needs="Un avis"), BEFORE)
    save(db, meeting_id, "U0BOB", tour.Answers(feeling="Bien"), BEFORE + timedelta(1))
    save(db, meeting_id, "U0CAROL", tour.Answers(needs="Un contact"), BEFORE + timedelta(2))

    with db() as session:
        needs = tour.open_needs(session, meeting_id=meeting_id)

    assert [(a.user_id, a.needs) for a in needs] == [
        ("U0ALICE", "Un avis"),
        ("U0CAROL", "Un contact"),
    ]


# --- opting out ---------------------------------------------------------------------------


def test_opt_out_then_in_is_idempotent_each_way(db):
    group_id, _meeting_id = seed(db)

    with transaction(db) as session:
        steps = [
            tour.opt_out(session, group_id=group_id, user_id="U0ALICE", now=BEFORE),
            tour.opt_out(session, group_id=group_id, user_id="U0ALICE", now=BEFORE),
        ]
        out = tour.is_opted_out(session, group_id=group_id, user_id="U0ALICE")
        steps += [
            tour.opt_in(session, group_id=group_id, user_id="U0ALICE", now=BEFORE),
            tour.opt_in(session, group_id=group_id, user_id="U0ALICE", now=BEFORE),
        ]

    assert (steps, out) == ([True, False, True, False], True)
    assert count(db, TourOptOut) == 0


def test_invitation_recipients_drop_bots_opted_out_answered_and_repeats(db):
    group_id, meeting_id = seed(db)
    with transaction(db) as session:
        tour.opt_out(session, group_id=group_id, user_id="U0CAROL", now=BEFORE)
    save(db, meeting_id, "U0DAN")

    with db() as session:
        recipients = tour.invitation_recipients(
            session,
            group_id=group_id,
            meeting_id=meeting_id,
            members=["U0ALICE", "UHELPBOT", "U0CAROL", "U0DAN", "U0BOB", "U0ALICE"],
            bots={"UHELPBOT"},
        )

    assert recipients == ["U0ALICE", "U0BOB"]


# --- "Je peux aider" ------------------------------------------------------------------------


def test_offer_help_queues_one_dm_to_the_asker_per_helper(db):
    _group_id, meeting_id = seed(db)
    answer_id = save(db, meeting_id, "U0ALICE").answer.id

    with transaction(db) as session:
        first = tour.offer_help(
            session, answer_id=answer_id, helper_user_id="U0BOB", message={"text": "a"}, now=BEFORE
        )
    with transaction(db) as session:
        second = tour.offer_help(
            session, answer_id=answer_id, helper_user_id="U0BOB", message={"text": "b"}, now=BEFORE
        )

    assert first.delivery_id is not None
    assert (second.delivery_id, second.asker_user_id) == (None, "U0ALICE")
    with db() as session:
        [delivery] = session.scalars(select(Delivery)).all()
        [queued] = session.scalars(select(DeliveryMessage)).all()
    assert delivery.kind == DeliveryKind.TOUR_HELP
    assert json.loads(queued.payload or "") == {
        "method": "chat.postMessage",
        "args": {"channel": "U0ALICE", "text": "a"},
    }


def test_offer_help_on_ones_own_need_is_refused(db):
    _group_id, meeting_id = seed(db)
    answer_id = save(db, meeting_id, "U0ALICE").answer.id

    with transaction(db) as session, pytest.raises(tour.OwnNeed):
        tour.offer_help(
            session, answer_id=answer_id, helper_user_id="U0ALICE", message={}, now=BEFORE
        )

    assert (count(db, TourHelpOffer), count(db, Delivery)) == (0, 0)


def test_offer_help_on_a_deleted_need_is_refused(db):
    _group_id, meeting_id = seed(db)
    answer_id = save(db, meeting_id, "U0ALICE", tour.Answers(feeling="Bien")).answer.id

    with transaction(db) as session, pytest.raises(tour.NeedGone):
        tour.offer_help(
            session, answer_id=answer_id, helper_user_id="U0BOB", message={}, now=BEFORE
        )


# --- retention --------------------------------------------------------------------------------


def test_months_before_falls_back_to_the_last_day_of_a_shorter_month():
    assert tour.months_before(datetime(2027, 3, 31, 9, 0, tzinfo=UTC), 1) == datetime(
        2027, 2, 28, 9, 0, tzinfo=UTC
    )
    assert tour.months_before(datetime(2027, 1, 14, 9, 0, tzinfo=UTC), 12) == datetime(
        2026, 1, 14, 9, 0, tzinfo=UTC
    )


def test_purge_expired_deletes_answers_older_than_each_groups_retention(db):
    old_start = datetime(2026, 1, 8, 13, 0, tzinfo=UTC)
    recent_start = datetime(2026, 6, 11, 12, 0, tzinfo=UTC)
    group_id, old_meeting = seed(db, starts_at=old_start)
    asked = datetime(2025, 12, 1, tzinfo=UTC)
    save(db, old_meeting, "U0ALICE", now=asked)
    with transaction(db) as session:
        session.get(Meeting, old_meeting).status = MeetingStatus.HELD
        group = session.get(Group, group_id)
        recent_meeting = make_meeting(session, group, starts_at=recent_start).id
        other = make_group(session, channel="C0OTHER")
        other.tour_retention_months = 24
        other_meeting = make_meeting(session, other, starts_at=old_start).id
    save(db, recent_meeting, "U0ALICE", now=asked)
    save(db, other_meeting, "U0ALICE", now=asked)
    with transaction(db) as session:
        old_answer = session.scalar(
            select(TourAnswer.id).where(TourAnswer.meeting_id == old_meeting)
        )
        tour.offer_help(
            session, answer_id=old_answer, helper_user_id="U0BOB", message={}, now=BEFORE
        )

    # 12 months after the old session, to the minute: not yet past.
    with transaction(db) as session:
        early = tour.purge_expired(session, now=old_start + timedelta(days=365))
    with transaction(db) as session:
        purged = tour.purge_expired(session, now=datetime(2027, 1, 9, tzinfo=UTC))

    assert early == {}
    assert purged == {group_id: 1}
    with db() as session:
        kept = set(session.scalars(select(TourAnswer.meeting_id)))
    assert kept == {recent_meeting, other_meeting}
    assert count(db, TourHelpOffer) == 0


# --- a member's own data ----------------------------------------------------------------------


def test_delete_member_data_erases_answers_opt_outs_and_offers_of_the_member_only(db):
    group_id, meeting_id = seed(db)
    with transaction(db) as session:
        other = make_group(session, channel="C0OTHER")
        other_meeting = make_meeting(session, other).id
    alice = save(db, meeting_id, "U0ALICE").answer.id
    bob = save(db, other_meeting, "U0BOB").answer.id
    with transaction(db) as session:
        tour.opt_out(session, group_id=group_id, user_id="U0BOB", now=BEFORE)
        tour.offer_help(session, answer_id=alice, helper_user_id="U0BOB", message={}, now=BEFORE)
        tour.offer_help(session, answer_id=bob, helper_user_id="U0ALICE", message={}, now=BEFORE)

    with transaction(db) as session:
        deleted = tour.delete_member_data(session, user_id="U0BOB", team_id="T0001")

    assert deleted == tour.MemberTourDeletion(answers=1, opt_outs=1, help_offers=1)
    with db() as session:
        remaining = list(session.scalars(select(TourAnswer.user_id)))
    assert remaining == ["U0ALICE"]
    # Bob's offer is gone, and so is Alice's offer on Bob's answer.
    assert (count(db, TourOptOut), count(db, TourHelpOffer)) == (0, 0)
