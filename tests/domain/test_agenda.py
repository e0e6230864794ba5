"""The run-of-show clock times: a slot per contribution, the discussion takes the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.agenda import (
    DISCUSSION_FLOOR_MINUTES,
    DISCUSSION_MIN_MINUTES,
    MARGIN_MINUTES,
    TOUR_MAX_MINUTES,
    TOUR_MIN_MINUTES,
    SessionFormat,
    plan_exchange,
    run_of_show,
)

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


def minutes(moment: datetime) -> int:
    return int((moment - START).total_seconds() // 60)


def spans(phases) -> list[tuple[str, int, int]]:
    return [(p.key, minutes(p.start), minutes(p.end)) for p in phases]


def test_run_of_show_default_format_without_contributions():
    run = run_of_show(START)

    assert spans(run.phases) == [
        ("phase.introduction", 0, 2),
        ("phase.tour", 2, 30),
        ("phase.exchange", 30, 75),
        ("phase.anticipation", 75, 85),
        ("phase.margin", 85, 90),
    ]
    assert spans(run.phases[2].parts) == [("phase.exchange.discussion", 30, 75)]
    assert run.ends_at == START + timedelta(minutes=90)


def test_run_of_show_gives_each_contribution_its_slot_in_order():
    run = run_of_show(START, SessionFormat(), [12, 8, 10])

    assert spans(run.phases[2].parts) == [
        ("phase.exchange.talk", 30, 42),
        ("phase.exchange.talk", 42, 50),
        ("phase.exchange.talk", 50, 60),
        ("phase.exchange.discussion", 60, 75),
    ]
    assert [p.contribution for p in run.talks] == [0, 1, 2]
    assert (run.discussion_cut, run.margin_used, run.late_minutes) == (0, 0, 0)


def test_run_of_show_under_budget_lengthens_the_discussion():
    run = run_of_show(START, SessionFormat(), [10])

    assert spans(run.phases[2].parts)[-1] == ("phase.exchange.discussion", 40, 75)


def test_run_of_show_over_budget_takes_the_time_from_the_discussion():
    run = run_of_show(START, SessionFormat(), [12, 12, 13])

    assert spans(run.phases[2].parts)[-1] == ("phase.exchange.discussion", 67, 75)
    assert (run.discussion_cut, run.margin_used, run.late_minutes) == (7, 0, 0)
    assert run.ends_at == START + timedelta(minutes=90)


def test_run_of_show_far_over_budget_uses_the_margin_then_ends_late():
    run = run_of_show(START, SessionFormat(), [20, 20, 20])

    assert spans(run.phases)[2:] == [
        ("phase.exchange", 30, 95),
        ("phase.anticipation", 95, 105),
    ]
    assert (run.discussion_cut, run.margin_used, run.late_minutes) == (10, 5, 15)
    assert run.ends_at == START + timedelta(minutes=105)


def test_session_format_default_leaves_fifteen_minutes_of_discussion():
    assert SessionFormat().discussion_minutes == 15
    assert SessionFormat().fits


def test_session_format_that_leaves_too_little_discussion_does_not_fit():
    cramped = SessionFormat(session_minutes=80, presentation_minutes=30, tour_minutes=30)

    assert cramped.discussion_minutes == 3
    assert not cramped.fits
    assert cramped.shortest_session == 87


formats = st.builds(
    SessionFormat,
    session_minutes=st.integers(60, 240),
    presentation_minutes=st.integers(5, 120),
    tour_minutes=st.integers(TOUR_MIN_MINUTES, TOUR_MAX_MINUTES),
).filter(lambda f: f.fits)
durations = st.lists(st.integers(1, 30), max_size=40)


@given(fmt=formats, talks=durations)
def test_run_of_show_slots_exactly_cover_the_exchange(fmt, talks):
    run = run_of_show(START, fmt, talks)

    exchange = run.phases[2]
    parts = exchange.parts
    assert parts[0].start == exchange.start
    assert parts[-1].end == exchange.end
    assert all(before.end == after.start for before, after in pairwise(parts))
    assert [minutes(p.end) - minutes(p.start) for p in parts[:-1]] == talks
    assert parts[-1].key == "phase.exchange.discussion"


@given(fmt=formats, talks=durations)
def test_run_of_show_phases_are_contiguous_from_start_to_end(fmt, talks):
    run = run_of_show(START, fmt, talks)

    assert run.phases[0].start == START
    assert all(before.end == after.start for before, after in pairwise(run.phases))
    assert run.phases[-1].end == run.ends_at
    assert minutes(run.ends_at) == fmt.session_minutes + run.late_minutes


@given(fmt=formats, talks=durations)
def test_run_of_show_names_where_the_time_over_budget_comes_from(fmt, talks):
    run = run_of_show(START, fmt, talks)

    over = max(0, sum(talks) - fmt.presentation_minutes)
    assert run.discussion_cut + run.margin_used + run.late_minutes == over
    assert run.margin_used <= MARGIN_MINUTES
    discussion = run.phases[2].parts[-1]
    assert minutes(discussion.end) - minutes(discussion.start) >= min(
        DISCUSSION_FLOOR_MINUTES, fmt.discussion_minutes
    )
    assert run.late_minutes == 0 or run.margin_used == MARGIN_MINUTES


@given(
    talks=durations,
    presentation=st.integers(0, 120),
    discussion=st.integers(DISCUSSION_MIN_MINUTES, 120),
)
def test_plan_exchange_discussion_starts_where_the_last_talk_ends(talks, presentation, discussion):
    plan = plan_exchange(talks, presentation=presentation, discussion=discussion)

    assert plan.discussion[0] == (plan.talks[-1][1] if plan.talks else 0)
    assert plan.minutes == max(presentation + discussion, sum(talks) + DISCUSSION_FLOOR_MINUTES)
