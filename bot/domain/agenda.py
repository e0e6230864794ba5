"""The session format (run-of-show) as clock times: pure arithmetic on the start time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

PRESENTATION_BUDGET_MINUTES = 30
INTRODUCTION_MINUTES = 2
EXCHANGE_MINUTES = 45
DISCUSSION_MINUTES = EXCHANGE_MINUTES - PRESENTATION_BUDGET_MINUTES
ANTICIPATION_MINUTES = 10
TOUR_MIN_MINUTES, TOUR_MAX_MINUTES = 20, 30
# Left free at the end so a session that runs a little long still ends on time.
MARGIN_MINUTES = 5

TOUR_QUESTIONS = (
    "tour.question.feeling",
    "tour.question.doing",
    "tour.question.learned",
    "tour.question.need",
)


@dataclass(frozen=True)
class Phase:
    """One block of the run-of-show; `key` names its label in `bot.i18n`."""

    key: str
    start: datetime
    end: datetime
    parts: tuple[Phase, ...] = field(default=())


def tour_minutes(duration_minutes: int) -> int:
    """The tour de table absorbs what the fixed phases leave, within 20-30 minutes."""
    fixed = INTRODUCTION_MINUTES + EXCHANGE_MINUTES + ANTICIPATION_MINUTES + MARGIN_MINUTES
    return max(TOUR_MIN_MINUTES, min(TOUR_MAX_MINUTES, duration_minutes - fixed))


def run_of_show(starts_at: datetime, duration_minutes: int = 90) -> list[Phase]:
    """Introduction, tour de table, échange (presentations then discussion), anticipation.

    With the default 90 minutes at 14:00: 14:00, 14:02, 14:30 (talks until 15:00,
    discussion until 15:15), 15:15-15:25, and the session ends at 15:30.
    """

    def at(minutes: int) -> datetime:
        return starts_at + timedelta(minutes=minutes)

    tour_start = INTRODUCTION_MINUTES
    exchange_start = tour_start + tour_minutes(duration_minutes)
    talks_end = exchange_start + PRESENTATION_BUDGET_MINUTES
    anticipation_start = exchange_start + EXCHANGE_MINUTES
    anticipation_end = anticipation_start + ANTICIPATION_MINUTES
    return [
        Phase("phase.introduction", at(0), at(tour_start)),
        Phase("phase.tour", at(tour_start), at(exchange_start)),
        Phase(
            "phase.exchange",
            at(exchange_start),
            at(anticipation_start),
            (
                Phase("phase.exchange.talks", at(exchange_start), at(talks_end)),
                Phase("phase.exchange.discussion", at(talks_end), at(anticipation_start)),
            ),
        ),
        Phase("phase.anticipation", at(anticipation_start), at(anticipation_end)),
    ]


def session_end(starts_at: datetime, duration_minutes: int) -> datetime:
    return starts_at + timedelta(minutes=duration_minutes)
