"""Guide, RSVP and withdraw on real databases, including 20 racing guide claims."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import transaction
from bot.db.models import Contribution, Meeting, MeetingRole
from bot.domain.contributions import ContributionInput, submit_contribution
from bot.domain.errors import DomainError
from bot.domain.participants import participant_count
from bot.domain.roles import (
    GuideClaim,
    GuideTaken,
    SessionGone,
    WithdrawScope,
    claim_guide,
    join_meeting,
    require_scheduled_meeting,
    withdraw,
)
from bot.enums import ContributionStatus, MeetingStatus, RoleKind
from tests.support import factories

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def make_meeting_id(db, status=MeetingStatus.SCHEDULED) -> int:
    with db.begin() as session:
        group = factories.make_group(session, now=NOW)
        return factories.make_meeting(session, group, now=NOW, status=status).id


def roles(db) -> list[tuple[str, RoleKind]]:
    with db() as session:
        return [
            (r.user_id, r.role)
            for r in session.scalars(select(MeetingRole).order_by(MeetingRole.id))
        ]


def test_claim_guide_records_the_guide(db):
    meeting_id = make_meeting_id(db)

    with db.begin() as session:
        meeting = session.get(Meeting, meeting_id)
        claim = claim_guide(session, meeting=meeting, user_id="U0BOB", now=NOW)

    assert claim.already is False
    assert roles(db) == [("U0BOB", RoleKind.GUIDE)]


def test_claim_guide_twice_by_the_guide_is_friendly(db):
    meeting_id = make_meeting_id(db)
    with db.begin() as session:
        claim_guide(session, meeting=session.get(Meeting, meeting_id), user_id="U0BOB", now=NOW)

    with db.begin() as session:
        claim = claim_guide(
            session, meeting=session.get(Meeting, meeting_id), user_id="U0BOB", now=NOW
        )

    assert claim.already is True
    assert roles(db) == [("U0BOB", RoleKind.GUIDE)]


def test_claim_guide_taken_names_the_holder(db):
    meeting_id = make_meeting_id(db)
    with db.begin() as session:
        claim_guide(session, meeting=session.get(Meeting, meeting_id), user_id="U0BOB", now=NOW)

    with db.begin() as session, pytest.raises(GuideTaken) as raised:
        claim_guide(session, meeting=session.get(Meeting, meeting_id), user_id="U0EVE", now=NOW)

    assert (raised.value.key, raised.value.params) == ("guide.error.taken", {"holder": "U0BOB"})


def test_claim_guide_twenty_racing_transactions_leave_one_guide(db):
    """Each thread reads "no guide yet" inside its own transaction before inserting: only
    the unique index can keep the other 19 out."""
    meeting_id = make_meeting_id(db)
    users = [f"U0RACE{i:02d}" for i in range(20)]
    barrier = threading.Barrier(len(users))

    # SQLite takes its write lock at BEGIN (IMMEDIATE): transactions queue there, so the
    # threads meet before it. PostgreSQL runs them side by side: meet inside.
    sqlite = db.kw["bind"].dialect.name == "sqlite"

    def claim(user: str) -> tuple[str, GuideClaim | GuideTaken]:
        if sqlite:
            barrier.wait(timeout=30)
        with transaction(db) as session:
            meeting = session.get(Meeting, meeting_id)
            if not sqlite:
                barrier.wait(timeout=30)
            try:
                return user, claim_guide(session, meeting=meeting, user_id=user, now=NOW)
            except GuideTaken as taken:
                return user, taken

    with ThreadPoolExecutor(len(users)) as pool:
        outcomes = dict(pool.map(claim, users))

    guides = [user for user, role in roles(db) if role is RoleKind.GUIDE]
    assert len(guides) == 1
    winner = guides[0]
    assert isinstance(outcomes.pop(winner), GuideClaim)
    assert sorted(o.holder for o in outcomes.values()) == [winner] * 19  # type: ignore[union-attr]


def test_join_meeting_is_idempotent(db):
    meeting_id = make_meeting_id(db)

    with db.begin() as session:
        meeting = session.get(Meeting, meeting_id)
        first = join_meeting(session, meeting=meeting, user_id="U0ALICE", now=NOW)
        second = join_meeting(session, meeting=meeting, user_id="U0ALICE", now=NOW)
        join_meeting(session, meeting=meeting, user_id="U0BOB", now=NOW)
        count = participant_count(session, meeting_id=meeting_id)

    assert (first, second, count) == (True, False, 2)


def test_guide_may_also_rsvp(db):
    meeting_id = make_meeting_id(db)

    with db.begin() as session:
        meeting = session.get(Meeting, meeting_id)
        claim_guide(session, meeting=meeting, user_id="U0BOB", now=NOW)
        join_meeting(session, meeting=meeting, user_id="U0BOB", now=NOW)

    assert roles(db) == [("U0BOB", RoleKind.GUIDE), ("U0BOB", RoleKind.PARTICIPANT)]


def _everything(db, meeting_id: int) -> None:
    with db.begin() as session:
        meeting = session.get(Meeting, meeting_id)
        claim_guide(session, meeting=meeting, user_id="U0ALICE", now=NOW)
        join_meeting(session, meeting=meeting, user_id="U0ALICE", now=NOW)
        join_meeting(session, meeting=meeting, user_id="U0BOB", now=NOW)
        submit_contribution(
            session,
            meeting_id=meeting_id,
            user_id="U0ALICE",
            data=ContributionInput(kind="talk", title="T", duration="5"),
            now=NOW,
        )


def test_withdraw_all_releases_guide_contribution_and_rsvp(db):
    meeting_id = make_meeting_id(db)
    _everything(db, meeting_id)
    later = NOW + timedelta(days=1)

    with db.begin() as session:
        result = withdraw(
            session, meeting=session.get(Meeting, meeting_id), user_id="U0ALICE", now=later
        )

    assert (result.released_guide, result.left_participants) == (True, True)
    assert result.contribution is not None
    assert roles(db) == [("U0BOB", RoleKind.PARTICIPANT)]
    with db() as session:
        kept = session.scalars(select(Contribution)).one()
        assert (kept.status, kept.withdrawn_at) == (ContributionStatus.WITHDRAWN, later)


def test_withdraw_guide_only_keeps_contribution_and_rsvp(db):
    meeting_id = make_meeting_id(db)
    _everything(db, meeting_id)

    with db.begin() as session:
        result = withdraw(
            session,
            meeting=session.get(Meeting, meeting_id),
            user_id="U0ALICE",
            now=NOW,
            scope=WithdrawScope.GUIDE,
        )

    assert (result.released_guide, result.contribution, result.left_participants) == (
        True,
        None,
        False,
    )
    assert roles(db) == [("U0ALICE", RoleKind.PARTICIPANT), ("U0BOB", RoleKind.PARTICIPANT)]
    with db() as session:
        assert session.scalars(select(Contribution.status)).one() == ContributionStatus.PROPOSED


@pytest.mark.parametrize(
    ("scope", "key"),
    [
        (WithdrawScope.ALL, "withdraw.error.nothing"),
        (WithdrawScope.GUIDE, "withdraw.error.nothing.guide"),
        (WithdrawScope.CONTRIBUTION, "withdraw.error.nothing.contribution"),
        (WithdrawScope.PARTICIPATION, "withdraw.error.nothing.participation"),
    ],
)
def test_withdraw_with_nothing_to_give_up_is_refused(db, scope, key):
    meeting_id = make_meeting_id(db)

    with db.begin() as session, pytest.raises(DomainError) as raised:
        withdraw(
            session, meeting=session.get(Meeting, meeting_id), user_id="U0EVE", now=NOW, scope=scope
        )

    assert raised.value.key == key


def test_withdrawn_guide_role_can_be_claimed_by_someone_else(db):
    meeting_id = make_meeting_id(db)
    _everything(db, meeting_id)
    with db.begin() as session:
        withdraw(
            session,
            meeting=session.get(Meeting, meeting_id),
            user_id="U0ALICE",
            now=NOW,
            scope=WithdrawScope.GUIDE,
        )

    with db.begin() as session:
        claim_guide(session, meeting=session.get(Meeting, meeting_id), user_id="U0BOB", now=NOW)

    assert ("U0BOB", RoleKind.GUIDE) in roles(db)


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.CANCELLED])
def test_require_scheduled_meeting_refuses_past_sessions(db, status):
    meeting_id = make_meeting_id(db, status=status)

    with db() as session, pytest.raises(SessionGone):
        require_scheduled_meeting(session, meeting_id=meeting_id)
