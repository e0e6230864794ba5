"""Working days: a reminder or a poll close that falls on a weekend or a French public
holiday goes out on the previous working day, at the same local hour.

A group switches the rule off with `working_days_enabled`; `alsace_moselle` adds that
region's two extra holidays (Good Friday and 26 December). Only the days *before* a
session move: the session itself, its run-of-show and its end keep their times.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from bot.db.models import Group

# Moselle's holiday calendar is Alsace's (Bas-Rhin, Haut-Rhin): one subdivision is enough.
ALSACE_MOSELLE_SUBDIVISION = "57"
# A reminder is never moved further back than this (a run of holidays cannot make a
# J-1 a J-30); in France no run of non-working days is longer than four.
MAX_SHIFT_DAYS = 10


@cache
def _holidays(year: int, alsace_moselle: bool) -> frozenset[date]:
    subdiv = ALSACE_MOSELLE_SUBDIVISION if alsace_moselle else None
    return frozenset(holidays.France(years=year, subdiv=subdiv).keys())


def is_working_day(day: date, *, alsace_moselle: bool = False) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year, alsace_moselle)


def previous_working_day(day: date, *, alsace_moselle: bool = False) -> date:
    """`day` itself when it is a working day, otherwise the last one before it."""
    for back in range(MAX_SHIFT_DAYS + 1):
        candidate = day - timedelta(days=back)
        if is_working_day(candidate, alsace_moselle=alsace_moselle):
            return candidate
    return day


def next_working_day(day: date, *, alsace_moselle: bool = False) -> date:
    """`day` itself when it is a working day, otherwise the first one after it."""
    for ahead in range(MAX_SHIFT_DAYS + 1):
        candidate = day + timedelta(days=ahead)
        if is_working_day(candidate, alsace_moselle=alsace_moselle):
            return candidate
    return day


def _same_hour_on(when: datetime, day: date, zone: ZoneInfo) -> datetime:
    """`when`'s local wall-clock time on `day`, in UTC (10:00 stays 10:00 across a
    daylight-saving change)."""
    local = when.astimezone(zone)
    moved = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone)
    return moved.astimezone(UTC)


def on_working_day(when: datetime, zone: ZoneInfo, *, alsace_moselle: bool = False) -> datetime:
    """`when`, or the same local hour on the previous working day."""
    day = when.astimezone(zone).date()
    shifted = previous_working_day(day, alsace_moselle=alsace_moselle)
    return when if shifted == day else _same_hour_on(when, shifted, zone)


def shift_for(group: Group, when: datetime, zone: ZoneInfo) -> datetime:
    """The group's rule applied to a reminder's time."""
    if not group.working_days_enabled:
        return when
    return on_working_day(when, zone, alsace_moselle=group.alsace_moselle)


def poll_close_time(
    group: Group, *, opened_at: datetime, planned: datetime, zone: ZoneInfo
) -> datetime:
    """When a poll opened at `opened_at` for `planned` closes under the group's rule.

    The close moves back to the previous working day when that still leaves the poll
    open for at least half its planned duration. Otherwise (a poll opened on a Friday
    for a day would close on Friday itself, or minutes after it opened) it moves forward
    to the next working day: a close is never earlier than its opening, and a poll is
    never cut short to a few minutes; members get a little longer instead.
    """
    if not group.working_days_enabled:
        return planned
    earlier = on_working_day(planned, zone, alsace_moselle=group.alsace_moselle)
    if earlier == planned or earlier - opened_at >= (planned - opened_at) / 2:
        return earlier
    day = planned.astimezone(zone).date()
    later = next_working_day(day, alsace_moselle=group.alsace_moselle)
    return _same_hour_on(planned, later, zone)
