"""The run-of-show clock times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.agenda import run_of_show, session_end, tour_minutes

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


def minutes(moment: datetime) -> int:
    return int((moment - START).total_seconds() // 60)


def test_run_of_show_default_90_minutes():
    phases = run_of_show(START, 90)

    assert [(p.key, minutes(p.start), minutes(p.end)) for p in phases] == [
        ("phase.introduction", 0, 2),
        ("phase.tour", 2, 30),
        ("phase.exchange", 30, 75),
        ("phase.anticipation", 75, 85),
    ]
    assert [(p.key, minutes(p.start), minutes(p.end)) for p in phases[2].parts] == [
        ("phase.exchange.talks", 30, 60),
        ("phase.exchange.discussion", 60, 75),
    ]
    assert session_end(START, 90) == START + timedelta(minutes=90)


@given(duration=st.integers(min_value=60, max_value=240))
def test_run_of_show_phases_are_contiguous_and_tour_within_20_30(duration):
    phases = run_of_show(START, duration)

    for before, after in pairwise(phases):
        assert before.end == after.start
    assert 20 <= tour_minutes(duration) <= 30
    assert phases[-1].end <= session_end(START, duration) or duration < 87
