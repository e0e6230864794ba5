"""The group feed on a real database, read by two independent parsers (icalendar and
`ical`), which must agree: the last 12 and next 12 sessions, cancelled ones kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from bot.calendar.feed import CalendarFeed
from bot.db.models import Group, Meeting
from bot.domain import calendar as calendar_domain
from bot.domain import calendar_changes
from bot.enums import Language, MeetingStatus
from tests.support.clock import ManualClock

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


def seed(db) -> str:
    """14 sessions held before NOW (monthly, 14:00 Paris), the next one scheduled and
    13 more after it cancelled; returns the feed token."""
    created = datetime(2026, 1, 1, tzinfo=UTC)
    with db.begin() as session:
        group = Group(team_id="T0001", channel_id="C0GROUP", created_at=created)
        session.add(group)
        session.flush()
        for index in range(-14, 14):
            month = 6 + index
            year, month = 2027 + (month - 1) // 12, (month - 1) % 12 + 1
            day = 25 if month == 3 else 28 if month == 10 else 10
            if index < 0:
                status = MeetingStatus.HELD
            elif index == 0:
                status = MeetingStatus.SCHEDULED
            else:
                status = MeetingStatus.CANCELLED
            session.add(
                Meeting(
                    group_id=group.id,
                    starts_at=datetime(year, month, day, 14, 0, tzinfo=PARIS).astimezone(UTC),
                    status=status,
                    theme=f"Thème {index}",
                    created_by="U0ORGA",
                    created_at=created,
                    updated_at=created,
                )
            )
        session.flush()
        return calendar_domain.ensure_feed_token(session, group=group)


def feed(db) -> CalendarFeed:
    return CalendarFeed(
        db, ManualClock(NOW), default_language=Language.FR, default_timezone="Europe/Paris"
    )


def test_feed_holds_the_last_12_and_next_12_sessions_read_alike_by_two_parsers(db):
    token = seed(db)

    data = feed(db)(token)

    assert data is not None
    by_icalendar = [
        (
            str(e["UID"]),
            int(e["SEQUENCE"]),
            e.decoded("DTSTART").astimezone(UTC),
            e.decoded("DTEND").astimezone(UTC),
            str(e["STATUS"]),
            str(e["SUMMARY"]),
        )
        for e in Calendar.from_ical(data).walk("VEVENT")
    ]
    by_ical = [
        (
            e.uid,
            e.sequence,
            e.dtstart.astimezone(UTC),
            e.dtend.astimezone(UTC),
            str(e.status.value),
            e.summary,
        )
        for e in IcsCalendarStream.calendar_from_ics(data.decode()).events
    ]
    starts = [row[2] for row in by_icalendar]
    statuses = [row[4] for row in by_icalendar]
    assert by_ical == by_icalendar
    assert len(by_icalendar) == 24
    assert starts == sorted(starts)
    assert (starts[11] < NOW, starts[12] > NOW) == (True, True)
    assert statuses == ["CONFIRMED"] * 13 + ["CANCELLED"] * 11


def test_feed_keeps_14h_paris_on_both_sides_of_daylight_saving_for_both_parsers(db):
    token = seed(db)

    data = feed(db)(token)

    assert data is not None
    late = {
        e.dtstart.date(): (e.dtstart.hour, e.dtstart.utcoffset())
        for e in IcsCalendarStream.calendar_from_ics(data.decode()).events
        if e.dtstart.month in (3, 10) and e.dtstart.year == 2027
    }
    assert late == {
        datetime(2027, 3, 25).date(): (14, timedelta(hours=1)),
        datetime(2027, 10, 28).date(): (14, timedelta(hours=2)),
    }


def test_feed_for_an_unknown_token_is_none(db):
    seed(db)

    assert feed(db)("x" * 43) is None


def test_feed_bytes_are_the_same_until_a_session_changes(db):
    token = seed(db)
    first = feed(db)(token)

    second = feed(db)(token)
    with db.begin() as session:
        meeting = session.query(Meeting).filter_by(status=MeetingStatus.SCHEDULED).one()
        calendar_changes.sequence_raised(session, meeting=meeting, now=NOW, notify=False)
    third = feed(db)(token)

    assert (first == second, first == third) == (True, False)
