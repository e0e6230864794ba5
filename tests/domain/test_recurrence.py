"""Next session by recurrence: same nth weekday, same local time, next month."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given
from hypothesis import strategies as st

from bot.domain.recurrence import (
    next_occurrence,
    next_occurrence_after,
    nth_weekday,
    wall_clock_to_utc,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return wall_clock_to_utc(datetime(*args), PARIS)


def local(moment: datetime, zone: ZoneInfo = PARIS) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def test_next_occurrence_second_thursday_stays_second_thursday():
    held = paris(2027, 1, 14, 14, 0)  # 2nd Thursday of January 2027

    assert local(next_occurrence(held, "Europe/Paris")) == datetime(2027, 2, 11, 14, 0)


def test_next_occurrence_keeps_local_time_across_dst_change():
    held = paris(2027, 3, 11, 14, 0)  # 2nd Thursday, winter time (UTC+1)

    following = next_occurrence(held, PARIS)

    assert local(following) == datetime(2027, 4, 8, 14, 0)  # summer time
    assert following == datetime(2027, 4, 8, 12, 0, tzinfo=UTC)


def test_next_occurrence_fifth_weekday_falls_back_to_last():
    held = paris(2027, 4, 29, 14, 0)  # 5th Thursday of April 2027; May has four

    assert local(next_occurrence(held, PARIS)) == datetime(2027, 5, 27, 14, 0)


def test_next_occurrence_fifth_monday_gives_last_monday():
    held = paris(2027, 3, 29, 10, 0)  # 5th Monday of March 2027

    assert local(next_occurrence(held, PARIS)) == datetime(2027, 4, 26, 10, 0)


def test_next_occurrence_december_rolls_into_january():
    held = paris(2027, 12, 9, 14, 0)  # 2nd Thursday of December

    assert local(next_occurrence(held, PARIS)) == datetime(2028, 1, 13, 14, 0)


def test_next_occurrence_after_skips_months_already_past():
    held = paris(2027, 1, 14, 14, 0)
    now = paris(2027, 4, 1, 9, 0)  # the bot was down for ten weeks

    assert local(next_occurrence_after(held, PARIS, now)) == datetime(2027, 4, 8, 14, 0)


def test_nth_weekday_first_monday():
    assert nth_weekday(2027, 2, 0, 1) == 1  # 1 February 2027 is a Monday


# --- properties --------------------------------------------------------------------------

ZONES = st.sampled_from(["Europe/Paris", "America/New_York", "Pacific/Auckland", "UTC"])
MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)
)


def exists(naive: datetime, zone: ZoneInfo) -> bool:
    return local(wall_clock_to_utc(naive, zone), zone) == naive


@given(moment=MOMENTS, zone_name=ZONES)
def test_property_same_weekday_same_local_time_next_month(moment, zone_name):
    zone = ZoneInfo(zone_name)
    held = local(moment, zone).replace(microsecond=0)
    assume(exists(held, zone))
    nth = (held.day - 1) // 7 + 1

    following = local(next_occurrence(wall_clock_to_utc(held, zone), zone), zone)
    # A session at 02:30 on a spring-forward day moves: the same wall-clock time must
    # exist on the new date (checking `following` itself would always pass).
    assume(exists(following.replace(hour=held.hour, minute=held.minute, second=held.second), zone))

    assert following.weekday() == held.weekday()
    assert following.time() == held.time()
    assert (following.year * 12 + following.month) - (held.year * 12 + held.month) == 1
    expected_nth = (following.day - 1) // 7 + 1
    if nth <= 4:
        assert expected_nth == nth
    else:  # a 5th weekday becomes the last one of next month
        assert following.day + 7 > _days_in_month(following)


@given(moment=MOMENTS, zone_name=ZONES)
def test_property_next_occurrence_is_in_the_future_of_the_session(moment, zone_name):
    assert next_occurrence(moment, zone_name) > moment + timedelta(days=20)


def _days_in_month(day: datetime) -> int:
    first_of_next = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return (first_of_next - timedelta(days=1)).day
