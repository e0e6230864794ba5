"""The organisers' domain: reorder with a stored position, cancel once, the last
organiser kept, the audit log newest first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import Contribution
from bot.domain import organising
from bot.domain.errors import DomainError, InvalidInput, NotAllowed
from bot.domain.programme import load_programme
from bot.enums import AuditAction, MeetingStatus
from tests.support.board import add_contributions
from tests.support.factories import BEFORE, ORGANISER, make_group, make_meeting


def never_admin() -> bool:
    return False


def _setup(session, count: int = 3, guide: str | None = None):
    group = make_group(session)
    meeting = make_meeting(session, group, guide=guide)
    add_contributions(session, meeting.id, count)
    session.flush()
    ids = list(session.scalars(select(Contribution.id).order_by(Contribution.id)))
    return group, meeting, ids


def test_reorder_contributions_stores_positions_the_programme_follows(db):
    with db() as session:
        group, meeting, ids = _setup(session)

        organising.reorder_contributions(
            session,
            group=group,
            meeting=meeting,
            actor=ORGANISER,
            ordered_ids=[ids[2], ids[0], ids[1]],
            now=BEFORE,
            is_admin=never_admin,
        )

        titles = [c.title for c in load_programme(session, meeting=meeting).contributions]
    assert titles == ["Sujet 2", "Sujet 0", "Sujet 1"]


def test_reorder_contributions_by_the_guide_is_allowed_by_a_member_refused(db):
    with db() as session:
        group, meeting, ids = _setup(session, guide="U0GUIDE")

        organising.reorder_contributions(
            session,
            group=group,
            meeting=meeting,
            actor="U0GUIDE",
            ordered_ids=list(reversed(ids)),
            now=BEFORE,
            is_admin=never_admin,
        )
        with pytest.raises(NotAllowed):
            organising.reorder_contributions(
                session,
                group=group,
                meeting=meeting,
                actor="U0BOB",
                ordered_ids=ids,
                now=BEFORE,
                is_admin=never_admin,
            )
        positions = list(session.scalars(select(Contribution.position).order_by(Contribution.id)))
    assert positions == [2, 1, 0]


@pytest.mark.parametrize("wrong", [[1], [1, 1, 2], [1, 2, 3, 4]])
def test_reorder_contributions_refuses_a_list_that_does_not_match_the_programme(db, wrong):
    with db() as session:
        group, meeting, ids = _setup(session)
        ordered = [ids[i - 1] if i <= len(ids) else 10_000 for i in wrong]

        with pytest.raises(InvalidInput) as refused:
            organising.reorder_contributions(
                session,
                group=group,
                meeting=meeting,
                actor=ORGANISER,
                ordered_ids=ordered,
                now=BEFORE,
                is_admin=never_admin,
            )
        positions = set(session.scalars(select(Contribution.position)))
    assert refused.value.key == "organise.error.order_changed"
    assert positions == {None}


def test_move_contribution_at_the_top_stays_there(db):
    with db() as session:
        group, meeting, ids = _setup(session)

        order = organising.move_contribution(
            session,
            group=group,
            meeting=meeting,
            actor=ORGANISER,
            contribution_id=ids[0],
            offset=-1,
            now=BEFORE,
            is_admin=never_admin,
        )
    assert [c.id for c in order] == ids


def test_cancel_meeting_twice_cancels_once(db):
    with db() as session:
        group, meeting, _ids = _setup(session)
        first = organising.cancel_meeting(
            session,
            group=group,
            meeting=meeting,
            actor=ORGANISER,
            plan_next=False,
            now=BEFORE,
            timezone="Europe/Paris",
            is_admin=never_admin,
        )

        with pytest.raises(DomainError) as second:
            organising.cancel_meeting(
                session,
                group=group,
                meeting=meeting,
                actor=ORGANISER,
                plan_next=False,
                now=BEFORE,
                timezone="Europe/Paris",
                is_admin=never_admin,
            )
    assert meeting.status == MeetingStatus.CANCELLED
    assert len(first.concerned) == 3
    assert first.next_meeting is None
    assert second.value.key == "roles.error.session_gone"


def test_revoke_organiser_keeps_the_last_one(db):
    with db() as session:
        group = make_group(session)

        with pytest.raises(DomainError) as refused:
            organising.revoke_organiser(
                session,
                group=group,
                actor=ORGANISER,
                member=ORGANISER,
                now=BEFORE,
                is_admin=never_admin,
            )
    assert refused.value.key == "organise.error.last_organiser"


def test_recent_changes_are_the_last_twenty_newest_first(db):
    with db() as session:
        group = make_group(session)
        for i in range(25):
            organising.record(
                session,
                group_id=group.id,
                meeting_id=None,
                actor=ORGANISER,
                action=AuditAction.ADD_ORGANISER,
                subject=f"U0M{i:02d}",
                now=BEFORE + timedelta(minutes=i),
            )
        session.flush()

        changes = organising.recent_changes(session, group_id=group.id)
    assert len(changes) == 20
    assert [c.subject for c in changes[:2]] == ["U0M24", "U0M23"]
    assert changes[-1].subject == "U0M05"
