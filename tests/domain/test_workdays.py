"""The working-day rule: reminders and poll closes on a weekend or a French public
holiday move to the previous working day, at the same local hour."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db.models import Group
from bot.domain.workdays import (
    is_working_day,
    on_working_day,
    poll_close_time,
    previous_working_day,
    shift_for,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def group(*, enabled: bool = True, alsace_moselle: bool = False) -> Group:
    return Group(working_days_enabled=enabled, alsace_moselle=alsace_moselle)


def test_is_working_day_easter_monday_2027_is_a_holiday():
    assert is_working_day(date(2027, 3, 29)) is False


def test_is_working_day_good_friday_only_in_alsace_moselle():
    assert (
        is_working_day(date(2027, 3, 26)),
        is_working_day(date(2027, 3, 26), alsace_moselle=True),
    ) == (
        True,
        False,
    )


def test_previous_working_day_of_14_juillet_2027_is_tuesday_13():
    assert previous_working_day(date(2027, 7, 14)) == date(2027, 7, 13)


def test_previous_working_day_of_26_december_in_alsace_moselle_skips_christmas():
    # Sunday 26 December 2027 (and Saturday 25) back to Friday 24.
    assert previous_working_day(date(2027, 12, 26), alsace_moselle=True) == date(2027, 12, 24)


def test_on_working_day_easter_monday_reminder_moves_to_friday_same_hour():
    # Across the spring clock change (28 March): 10:00 stays 10:00 on the Friday.
    moved = on_working_day(paris(2027, 3, 29, 10, 0).astimezone(UTC), PARIS)

    assert moved.astimezone(PARIS) == paris(2027, 3, 26, 10, 0)


def test_on_working_day_easter_monday_in_alsace_moselle_moves_to_thursday():
    moved = on_working_day(paris(2027, 3, 29, 10, 0).astimezone(UTC), PARIS, alsace_moselle=True)

    assert moved.astimezone(PARIS) == paris(2027, 3, 25, 10, 0)


def test_on_working_day_working_day_is_kept():
    when = paris(2027, 3, 30, 10, 0).astimezone(UTC)

    assert on_working_day(when, PARIS) == when


def test_shift_for_group_with_rule_off_keeps_the_sunday():
    sunday = paris(2027, 1, 17, 10, 0).astimezone(UTC)

    assert shift_for(group(enabled=False), sunday, PARIS) == sunday


def test_poll_close_time_sunday_moves_back_to_friday():
    # Opened on Tuesday 12 January at 10:00 for 5 days: Sunday 17, hence Friday 15.
    opened = paris(2027, 1, 12, 10, 0).astimezone(UTC)

    closes = poll_close_time(
        group(), opened_at=opened, planned=opened + timedelta(hours=120), zone=PARIS
    )

    assert closes.astimezone(PARIS) == paris(2027, 1, 15, 10, 0)


def test_poll_close_time_friday_before_the_opening_moves_forward_to_monday():
    # Opened on Friday 15 January at 15:30 for 48 hours: Sunday; the Friday before is the
    # opening itself, so the close goes forward to Monday 18 at 15:30.
    opened = paris(2027, 1, 15, 15, 30).astimezone(UTC)

    closes = poll_close_time(
        group(), opened_at=opened, planned=opened + timedelta(hours=48), zone=PARIS
    )

    assert closes.astimezone(PARIS) == paris(2027, 1, 18, 15, 30)


def test_poll_close_time_that_would_keep_under_half_the_poll_moves_forward():
    # Opened on Thursday 14 January at 15:30 for 72 hours: Sunday 17. Friday 15 would
    # leave 24 of the 72 hours, so Monday 18 (96 hours): never cut short.
    opened = paris(2027, 1, 14, 15, 30).astimezone(UTC)

    closes = poll_close_time(
        group(), opened_at=opened, planned=opened + timedelta(hours=72), zone=PARIS
    )

    assert closes.astimezone(PARIS) == paris(2027, 1, 18, 15, 30)


def test_poll_close_time_never_before_its_opening():
    opened = paris(2027, 12, 24, 18, 0).astimezone(UTC)  # a Friday, before Christmas
    for hours in range(1, 200):
        closes = poll_close_time(
            group(alsace_moselle=True),
            opened_at=opened,
            planned=opened + timedelta(hours=hours),
            zone=PARIS,
        )
        assert closes > opened
