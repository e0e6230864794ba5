"""The calendar's domain rules: SEQUENCE bumps, invites once per member and version,
updates queued for those who took the invite, the feed's token."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.db.models import DeliveryMessage, Group, Meeting
from bot.domain import calendar as calendar_domain
from bot.domain import calendar_changes, meetings
from bot.domain.errors import NotAllowed
from bot.domain.groups import add_organiser

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


def setup_meeting(session) -> tuple[Group, Meeting]:
    group = Group(team_id="T0001", channel_id="C0GROUP", created_at=NOW)
    session.add(group)
    session.flush()
    add_organiser(session, group_id=group.id, user_id="U0ORGA", now=NOW)
    result = meetings.schedule_meeting(
        session,
        group=group,
        user_id="U0ORGA",
        starts_at=START,
        now=NOW,
        is_admin=lambda: False,
    )
    return group, result.meeting


def queued(session, delivery_id: int | None) -> list[str]:
    return list(
        session.scalars(
            select(DeliveryMessage.recipient).where(DeliveryMessage.delivery_id == delivery_id)
        )
    )


def test_event_uid_stays_while_sequence_rises_on_move_and_theme(db):
    with db.begin() as session:
        group, meeting = setup_meeting(session)
        uid = calendar_domain.event_uid(meeting)
        meetings.schedule_meeting(
            session,
            group=group,
            user_id="U0ORGA",
            starts_at=datetime(2027, 1, 21, 13, 0, tzinfo=UTC),
            now=NOW,
            is_admin=lambda: False,
        )
        meetings.set_theme(
            session,
            group=group,
            user_id="U0ORGA",
            theme="Les communs",
            now=NOW,
            is_admin=lambda: False,
        )
        meetings.set_theme(
            session,
            group=group,
            user_id="U0ORGA",
            theme="Les communs",
            now=NOW,
            is_admin=lambda: False,
        )

    # The calendar follows the move and the new theme when they commit (`bot.followups`).
    assert (calendar_domain.event_uid(meeting), meeting.ics_sequence) == (uid, 2)


def test_request_invite_is_idempotent_per_member_and_sequence(db):
    with db.begin() as session:
        _group, meeting = setup_meeting(session)
        first = calendar_domain.request_invite(session, meeting=meeting, user_id="U0A", now=NOW)
        again = calendar_domain.request_invite(session, meeting=meeting, user_id="U0A", now=NOW)
        calendar_changes.sequence_raised(session, meeting=meeting, now=NOW, notify=False)
        newer = calendar_domain.request_invite(session, meeting=meeting, user_id="U0A", now=NOW)

        assert (first.new, again.new, newer.new) == (True, False, True)
        assert first.delivery_id == again.delivery_id != newer.delivery_id
        assert queued(session, first.delivery_id) == ["U0A"]


def test_move_queues_the_update_for_invitees_only_and_theme_queues_nothing(db):
    with db.begin() as session:
        _group, meeting = setup_meeting(session)
        calendar_domain.record_received(
            session, meeting_id=meeting.id, user_id="U0A", sequence=0, now=NOW
        )
        on_theme = calendar_changes.sequence_raised(session, meeting=meeting, now=NOW, notify=False)
        on_move = calendar_changes.sequence_raised(session, meeting=meeting, now=NOW, notify=True)

        assert (on_theme, queued(session, on_move)) == (None, ["U0A"])


def test_record_received_never_lowers_the_sequence(db):
    with db.begin() as session:
        _group, meeting = setup_meeting(session)
        for sequence in (2, 1):
            calendar_domain.record_received(
                session, meeting_id=meeting.id, user_id="U0A", sequence=sequence, now=NOW
            )

        assert calendar_domain.received_sequence(session, meeting_id=meeting.id, user_id="U0A") == 2


def test_feed_token_is_drawn_once_and_rotated_by_organisers_only(db):
    with db.begin() as session:
        group, _meeting = setup_meeting(session)
        first = calendar_domain.ensure_feed_token(session, group=group)
        again = calendar_domain.ensure_feed_token(session, group=group)
        with pytest.raises(NotAllowed):
            calendar_domain.rotate_feed_token(
                session, group=group, user_id="U0BOB", is_admin=lambda: False
            )
        rotated = calendar_domain.rotate_feed_token(
            session, group=group, user_id="U0ORGA", is_admin=lambda: False
        )
        found = calendar_domain.group_for_token(session, token=rotated)

        assert (first == again, rotated != first, found is group) == (True, True, True)
        assert calendar_domain.group_for_token(session, token=first) is None
