"""The fair rotation's order on real databases, from explicit histories."""

from __future__ import annotations

from datetime import timedelta

from bot.db.engine import transaction
from bot.db.models import MeetingRole
from bot.domain.meetings import upcoming_meeting
from bot.domain.rotation import suggest_guides
from bot.enums import RoleKind
from tests.support.factories import make_group
from tests.support.rotation import EXPECTED_ORDER, NOW, seed_history


def test_suggest_guides_orders_never_guided_first_then_oldest_guide(db):
    with transaction(db) as session:
        group = seed_history(session)

        suggested = suggest_guides(session, group_id=group.id, now=NOW, limit=10)

    assert suggested == EXPECTED_ORDER


def test_suggest_guides_stops_at_the_limit(db):
    with transaction(db) as session:
        group = seed_history(session)

        suggested = suggest_guides(session, group_id=group.id, now=NOW)

    assert suggested == EXPECTED_ORDER[:3]


def test_suggest_guides_leaves_out_the_upcoming_guide_and_the_last_one(db):
    with transaction(db) as session:
        group = seed_history(session)
        upcoming = upcoming_meeting(session, group_id=group.id)
        assert upcoming is not None
        session.add(
            MeetingRole(
                meeting_id=upcoming.id, user_id="U0ELLA", role=RoleKind.GUIDE, created_at=NOW
            )
        )
        session.flush()

        suggested = suggest_guides(session, group_id=group.id, now=NOW, limit=10)

    assert "U0LAST" not in suggested
    assert suggested == EXPECTED_ORDER[1:]


def test_suggest_guides_counts_an_rsvp_to_the_upcoming_session_as_activity(db):
    with transaction(db) as session:
        group = seed_history(session)
        upcoming = upcoming_meeting(session, group_id=group.id)
        assert upcoming is not None
        session.add(
            MeetingRole(
                meeting_id=upcoming.id,
                user_id="U0OLD",
                role=RoleKind.PARTICIPANT,
                created_at=NOW,
            )
        )
        session.flush()

        suggested = suggest_guides(session, group_id=group.id, now=NOW, limit=10)

    # Back after a long absence: active again, and their last turn (8 months ago) is older
    # than U0ALIX's and U0DOMI's.
    assert suggested == (*EXPECTED_ORDER[:4], "U0OLD", "U0ALIX", "U0DOMI")


def test_suggest_guides_forgets_members_inactive_for_six_months(db):
    with transaction(db) as session:
        group = seed_history(session)

        suggested = suggest_guides(
            session, group_id=group.id, now=NOW + timedelta(days=100), limit=10
        )

    # 100 days on, the window starts 83 days before the original NOW: only the contribution
    # of 2 months ago and last week's proposal are left (U0LAST just guided).
    assert suggested == ("U0ELLA", "U0BERT")


def test_suggest_guides_is_empty_for_a_new_group(db):
    with transaction(db) as session:
        group = seed_history(session)
        other = make_group(session, channel="C0OTHER", now=NOW)

        suggested = suggest_guides(session, group_id=other.id, now=NOW)

    assert group.id != other.id
    assert suggested == ()
