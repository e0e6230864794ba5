"""A session's end: held, next session by recurrence, the poll opened once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.db.engine import transaction
from bot.db.models import Meeting, Poll
from bot.domain.polls import open_poll
from bot.domain.rollover import end_meeting, record_end_message
from bot.enums import MeetingStatus, Recurrence
from tests.support.factories import (
    ORGANISER,
    SESSION_START,
    make_group,
    make_meeting,
    make_proposals,
)

AFTER_END = SESSION_START + timedelta(minutes=95)  # 15:35 in Paris
NEXT_START = datetime(2027, 2, 11, 13, 0, tzinfo=UTC)  # 2nd Thursday of February, 14:00


def end(db, meeting_id, now=AFTER_END):
    with transaction(db) as session:
        return end_meeting(session, meeting_id=meeting_id, now=now, default_tz="Europe/Paris")


def seeded(db, texts=(), *, recurrence=Recurrence.MONTHLY_WEEKDAY, poll_enabled=True):
    with transaction(db) as session:
        group = make_group(session)
        group.recurrence = recurrence
        group.poll_enabled = poll_enabled
        meeting = make_meeting(session, group)
        meeting.duration_minutes = 90
        make_proposals(session, group, list(texts))
    return meeting.id


def test_end_meeting_marks_held_creates_next_and_opens_poll(db):
    meeting_id = seeded(db, ["A", "B"])

    ended = end(db, meeting_id)

    assert ended.next_starts_at == NEXT_START
    assert [o.text for o in ended.poll.options] == ["A", "B"]
    assert ended.poll.target_meeting_id == ended.next_meeting_id
    assert ended.message_ts is None
    with db() as session:
        held = session.get(Meeting, meeting_id)
        following = session.get(Meeting, ended.next_meeting_id)
        poll = session.scalars(select(Poll)).one()
    assert held.status == MeetingStatus.HELD
    assert held.held_at == AFTER_END
    assert following.status == MeetingStatus.SCHEDULED
    assert following.created_by == ORGANISER
    assert following.duration_minutes == 90
    assert following.theme is None
    assert poll.source_meeting_id == meeting_id
    assert poll.opened_by is None


def test_end_meeting_next_session_keeps_the_place(db):
    meeting_id = seeded(db)
    with transaction(db) as session:
        session.get(Meeting, meeting_id).place = "Salle 4.12, 20 avenue de Ségur"

    ended = end(db, meeting_id)

    with db() as session:
        following = session.get(Meeting, ended.next_meeting_id)
    assert following.place == "Salle 4.12, 20 avenue de Ségur"


def test_end_meeting_twice_creates_nothing_more(db):
    meeting_id = seeded(db, ["A"])
    first = end(db, meeting_id)

    second = end(db, meeting_id, now=AFTER_END + timedelta(minutes=5))

    assert second.next_meeting_id == first.next_meeting_id
    assert second.poll.id == first.poll.id
    with db() as session:
        assert len(session.scalars(select(Meeting)).all()) == 2
        assert len(session.scalars(select(Poll)).all()) == 1
        assert session.get(Meeting, meeting_id).held_at == AFTER_END


def test_end_meeting_after_message_posted_reports_its_ts(db):
    meeting_id = seeded(db)
    end(db, meeting_id)
    with transaction(db) as session:
        record_end_message(session, meeting_id=meeting_id, ts="1.1")

    again = end(db, meeting_id)

    assert again.message_ts == "1.1"


def test_end_meeting_without_proposals_opens_no_poll(db):
    meeting_id = seeded(db)

    ended = end(db, meeting_id)

    assert ended.poll is None
    assert ended.running_poll_closes_at is None
    assert ended.poll_enabled is True


def test_end_meeting_with_a_poll_already_running_reports_it(db):
    meeting_id = seeded(db, ["A"])
    with transaction(db) as session:
        meeting = session.get(Meeting, meeting_id)
        running = open_poll(
            session,
            timezone="Europe/Paris",
            group=meeting.group,
            opened_by="U0GUIDE",
            now=SESSION_START + timedelta(minutes=80),
            target_meeting=meeting,
        )
        make_proposals(session, meeting.group, ["B"])

    ended = end(db, meeting_id)

    assert ended.poll is None
    assert ended.running_poll_closes_at == running.closes_at


def test_end_meeting_poll_disabled_opens_no_poll(db):
    meeting_id = seeded(db, ["A"], poll_enabled=False)

    ended = end(db, meeting_id)

    assert ended.poll is None
    assert ended.poll_enabled is False
    with db() as session:
        assert session.scalars(select(Poll)).all() == []


def test_end_meeting_without_recurrence_creates_no_next(db):
    meeting_id = seeded(db, ["A"], recurrence=Recurrence.NONE)

    ended = end(db, meeting_id)

    assert ended.next_meeting_id is None
    assert ended.poll.target_meeting_id is None
    with db() as session:
        assert session.get(Meeting, meeting_id).status == MeetingStatus.HELD


def test_end_meeting_before_its_end_does_nothing(db):
    meeting_id = seeded(db, ["A"])

    ended = end(db, meeting_id, now=SESSION_START + timedelta(minutes=60))

    assert ended is None
    with db() as session:
        assert session.get(Meeting, meeting_id).status == MeetingStatus.SCHEDULED
        assert session.scalars(select(Poll)).all() == []


def test_end_meeting_cancelled_or_unknown_does_nothing(db):
    meeting_id = seeded(db, ["A"])
    with transaction(db) as session:
        session.get(Meeting, meeting_id).status = MeetingStatus.CANCELLED

    assert end(db, meeting_id) is None
    assert end(db, meeting_id + 1000) is None


def test_end_meeting_late_bot_creates_next_session_in_the_future(db):
    meeting_id = seeded(db)
    late = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

    ended = end(db, meeting_id, now=late)

    assert ended.next_starts_at == datetime(2027, 3, 11, 13, 0, tzinfo=UTC)


def test_end_meeting_keeps_a_session_scheduled_by_hand_meanwhile(db):
    meeting_id = seeded(db, recurrence=Recurrence.NONE)
    end(db, meeting_id)
    with transaction(db) as session:
        group = session.get(Meeting, meeting_id).group
        manual = make_meeting(session, group, starts_at=NEXT_START + timedelta(days=1))

    again = end(db, meeting_id)

    assert again.next_meeting_id == manual.id
