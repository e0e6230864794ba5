"""The session format (run-of-show) as clock times: pure arithmetic on the start time.

A session is: introduction, tour de table, échange (one slot per contribution, in order,
then the discussion), anticipation, and a named margin so that a session that runs a
little long still ends on time. Nothing is left unnamed: the phases cover the session
from its start to its end with no gap.

Each group chooses its own format (length, presentation budget, tour de table); the
fixed phases are the same for everyone. When the contributions take more than the
budget, the time comes first from the discussion (down to a floor), then from the
margin, and only then does the session end late; the run-of-show says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

PRESENTATION_BUDGET_MINUTES = 30
INTRODUCTION_MINUTES = 2
ANTICIPATION_MINUTES = 10
TOUR_MIN_MINUTES, TOUR_MAX_MINUTES = 20, 30
DEFAULT_SESSION_MINUTES = 90
# 28 keeps the run-of-show every group had before the format became a setting:
# 14h00 introduction, 14h02 tour, 14h30 échange, 15h15 anticipation, 15h25 margin, 15h30.
DEFAULT_TOUR_MINUTES = 28
# Left free at the end so a session that runs a little long still ends on time.
MARGIN_MINUTES = 5
# A format must leave at least this much discussion after the presentation budget ...
DISCUSSION_MIN_MINUTES = 10
# ... and contributions over the budget never squeeze the discussion below this.
DISCUSSION_FLOOR_MINUTES = 5

TOUR_QUESTIONS = (
    "tour.question.feeling",
    "tour.question.doing",
    "tour.question.learned",
    "tour.question.need",
)


@dataclass(frozen=True)
class SessionFormat:
    """A group's format; `discussion_minutes` is what the other phases leave."""

    session_minutes: int = DEFAULT_SESSION_MINUTES
    presentation_minutes: int = PRESENTATION_BUDGET_MINUTES
    tour_minutes: int = DEFAULT_TOUR_MINUTES

    @property
    def fixed_minutes(self) -> int:
        """Every phase but the discussion."""
        return (
            INTRODUCTION_MINUTES
            + self.tour_minutes
            + self.presentation_minutes
            + ANTICIPATION_MINUTES
            + MARGIN_MINUTES
        )

    @property
    def discussion_minutes(self) -> int:
        return self.session_minutes - self.fixed_minutes

    @property
    def fits(self) -> bool:
        return self.discussion_minutes >= DISCUSSION_MIN_MINUTES

    @property
    def shortest_session(self) -> int:
        """The shortest session in which these presentations and tour fit."""
        return self.fixed_minutes + DISCUSSION_MIN_MINUTES


DEFAULT_FORMAT = SessionFormat()


@dataclass(frozen=True)
class ExchangePlan:
    """The échange phase in minutes from its start: a slot per talk, then the discussion.

    `discussion_cut` minutes were taken from the planned discussion, `margin_used` from
    the margin, and the session ends `late` minutes after its planned end.
    """

    talks: tuple[tuple[int, int], ...]
    discussion: tuple[int, int]
    discussion_cut: int
    margin_used: int
    late: int

    @property
    def minutes(self) -> int:
        return self.discussion[1]


def plan_exchange(
    durations: Sequence[int], *, presentation: int, discussion: int, margin: int = MARGIN_MINUTES
) -> ExchangePlan:
    """Talks back to back in the given order; the discussion takes what remains of the
    planned échange (presentation + discussion), but never less than the floor. What the
    échange then runs over the plan comes out of the margin first, then makes the end late.
    """
    talks: list[tuple[int, int]] = []
    at = 0
    for minutes in durations:
        talks.append((at, at + max(0, minutes)))
        at += max(0, minutes)
    planned = presentation + discussion
    floor = max(0, min(discussion, DISCUSSION_FLOOR_MINUTES))
    discussion_length = max(floor, planned - at)
    end = at + discussion_length
    overflow = max(0, end - planned)
    margin_used = min(overflow, margin)
    return ExchangePlan(
        talks=tuple(talks),
        discussion=(at, end),
        discussion_cut=max(0, discussion - discussion_length),
        margin_used=margin_used,
        late=overflow - margin_used,
    )


@dataclass(frozen=True)
class Phase:
    """One block of the run-of-show; `key` names its label in `bot.i18n`. A talk slot
    (`phase.exchange.talk`) carries the index of its contribution in the programme."""

    key: str
    start: datetime
    end: datetime
    parts: tuple[Phase, ...] = field(default=())
    contribution: int | None = None


@dataclass(frozen=True)
class RunOfShow:
    """The phases from start to end, and where any time over the budget comes from."""

    phases: tuple[Phase, ...]
    ends_at: datetime
    discussion_cut: int = 0
    margin_used: int = 0
    late_minutes: int = 0

    @property
    def talks(self) -> tuple[Phase, ...]:
        return tuple(
            part
            for phase in self.phases
            for part in phase.parts
            if part.key == "phase.exchange.talk"
        )


def run_of_show(
    starts_at: datetime,
    session_format: SessionFormat = DEFAULT_FORMAT,
    durations: Sequence[int] = (),
) -> RunOfShow:
    """Introduction, tour de table, échange (a slot per contribution of `durations`, in
    order, then the discussion), anticipation, and the margin that is left, if any.

    With the default format at 14:00 and no contribution: 14:00, 14:02, 14:30 (the
    discussion takes the whole échange), 15:15-15:25 anticipation, 15:25-15:30 margin.
    """

    def at(minutes: int) -> datetime:
        return starts_at + timedelta(minutes=minutes)

    fmt = session_format
    plan = plan_exchange(
        durations, presentation=fmt.presentation_minutes, discussion=fmt.discussion_minutes
    )
    tour_start = INTRODUCTION_MINUTES
    exchange_start = tour_start + fmt.tour_minutes
    exchange_end = exchange_start + plan.minutes
    anticipation_end = exchange_end + ANTICIPATION_MINUTES
    margin_end = anticipation_end + MARGIN_MINUTES - plan.margin_used
    talks = tuple(
        Phase("phase.exchange.talk", at(exchange_start + s), at(exchange_start + e), (), index)
        for index, (s, e) in enumerate(plan.talks)
    )
    discussion = Phase(
        "phase.exchange.discussion",
        at(exchange_start + plan.discussion[0]),
        at(exchange_start + plan.discussion[1]),
    )
    phases = [
        Phase("phase.introduction", at(0), at(tour_start)),
        Phase("phase.tour", at(tour_start), at(exchange_start)),
        Phase("phase.exchange", at(exchange_start), at(exchange_end), (*talks, discussion)),
        Phase("phase.anticipation", at(exchange_end), at(anticipation_end)),
    ]
    if margin_end > anticipation_end:
        phases.append(Phase("phase.margin", at(anticipation_end), at(margin_end)))
    return RunOfShow(
        phases=tuple(phases),
        ends_at=at(margin_end),
        discussion_cut=plan.discussion_cut,
        margin_used=plan.margin_used,
        late_minutes=plan.late,
    )


def session_end(starts_at: datetime, duration_minutes: int) -> datetime:
    return starts_at + timedelta(minutes=duration_minutes)
