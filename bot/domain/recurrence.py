"""When the next session falls: same weekday-of-month, same local time, next month.

Computed on the wall clock of the group's time zone, then converted back to UTC, so a
session at 14:00 stays at 14:00 across a daylight-saving change.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

DAYS_PER_WEEK = 7


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> int:
    """The day of the month of the `nth` (1-5) `weekday` (Monday = 0); when the month has
    no such day (a 5th Thursday), its last `weekday`."""
    first_weekday, days_in_month = calendar.monthrange(year, month)
    first = 1 + (weekday - first_weekday) % DAYS_PER_WEEK
    day = first + (nth - 1) * DAYS_PER_WEEK
    while day > days_in_month:
        day -= DAYS_PER_WEEK
    return day


def wall_clock_to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive local time in `zone` as a UTC instant.

    An ambiguous time (autumn change) means its first occurrence; a time that does not
    exist (spring change, 02:30 in Paris) is moved forward by the gap (03:30), which is
    what a wall clock shows an hour after 01:30.
    """
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_occurrence(starts_at: datetime, tz: str | ZoneInfo) -> datetime:
    """The same nth weekday of the next month at the same local time, in UTC.

    2nd Thursday 14:00 gives next month's 2nd Thursday 14:00; a 5th weekday gives the
    last such weekday of next month (the 5th when it exists, the 4th otherwise).
    """
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    local = starts_at.astimezone(zone)
    nth = (local.day - 1) // DAYS_PER_WEEK + 1
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    day = nth_weekday(year, month, local.weekday(), nth)
    target = local.replace(tzinfo=None, year=year, month=month, day=day, fold=0)
    return wall_clock_to_utc(target, zone)


def next_occurrence_after(starts_at: datetime, tz: str | ZoneInfo, now: datetime) -> datetime:
    """The first occurrence after `now`: a bot that was down for months does not create a
    session in the past."""
    candidate = next_occurrence(starts_at, tz)
    while candidate <= now:
        candidate = next_occurrence(candidate, tz)
    return candidate
