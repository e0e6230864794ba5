"""Every delivery kind declared once: when it is due, how long it stays useful, which
group setting switches it on, its label, and whether a sender or a job works it.

Planning (`bot.domain.planning`) derives its plan from these specs, the dispatcher's
registry (`bot.jobs.senders`) must cover each one as its `worker` says, and the labels
of `/partage planning` are `label_key`. A test iterates every DeliveryKind against this
table, so a new kind cannot be half declared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.db.models import Group
from bot.enums import DeliveryKind


class Scope(StrEnum):
    SESSION = "session"  # planned from a session's date by `plan_meeting`
    POLL = "poll"  # planned when a poll is opened, closed or cancelled
    # Planned when a member asks for something (a session's `.ics`) or a change must be
    # told to those who did (the session moved or was cancelled).
    MEMBER = "member"
    CHANGE = "change"  # planned by a committed change (`bot.domain.changes`)
    ACTION = "action"  # planned by an organiser's action (a cancelled session's DMs)


class Worker(StrEnum):
    SENDER = "sender"  # messages computed at send time, sent per recipient
    JOB = "job"  # state changes and messages in idempotent steps


@dataclass(frozen=True)
class SessionTimes:
    """What a session kind's times are computed from."""

    start: datetime
    end: datetime
    # `reminder_hour` in the group's zone, N days before, on the previous working day when
    # that falls on a weekend or a holiday and the group keeps to working days.
    at: Callable[[int], datetime]


@dataclass(frozen=True)
class KindSpec:
    kind: DeliveryKind
    scope: Scope
    worker: Worker
    # Session kinds: the due time and the end of usefulness; None for poll kinds.
    due: Callable[[Group, SessionTimes], datetime] | None = None
    useful_until: Callable[[Group, SessionTimes], datetime] | None = None
    switch: Callable[[Group], bool] = lambda _group: True
    # Sent late, this kind would arrive less than a day before that one (a session
    # planned a few days ahead, or the bot's clock jumping over both): left out when
    # planned, skipped when it falls due.
    superseded_by: DeliveryKind | None = None

    @property
    def label_key(self) -> str:
        return f"planning.kind.{self.kind.value}"


def _before_start(_group: Group, times: SessionTimes) -> datetime:
    # Reminders and announcements are pointless once the session has begun.
    return times.start


K = DeliveryKind
SPECS: dict[DeliveryKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            K.GUIDE_CALL,
            Scope.SESSION,
            Worker.SENDER,
            due=lambda g, t: t.at(g.guide_call_days),
            useful_until=_before_start,
            switch=lambda g: g.guide_call_enabled,
        ),
        KindSpec(
            K.ANNOUNCEMENT,
            Scope.SESSION,
            Worker.SENDER,
            due=lambda g, t: t.at(g.announcement_days),
            useful_until=_before_start,
            switch=lambda g: g.announcement_enabled,
        ),
        KindSpec(
            K.CONTRIBUTOR_REMINDER,
            Scope.SESSION,
            Worker.SENDER,
            due=lambda g, t: t.at(g.announcement_days),
            useful_until=_before_start,
            switch=lambda g: g.contributor_reminders_enabled,
            superseded_by=K.LAST_REMINDER,
        ),
        KindSpec(
            K.GUIDE_OVERVIEW,
            Scope.SESSION,
            Worker.SENDER,
            due=lambda g, t: t.at(g.announcement_days),
            useful_until=_before_start,
            switch=lambda g: g.guide_overview_enabled,
            superseded_by=K.GUIDE_LAST_OVERVIEW,
        ),
        KindSpec(
            K.LAST_REMINDER,
            Scope.SESSION,
            Worker.SENDER,
            due=lambda g, t: t.at(g.last_reminder_days),
            useful_until=_before_start,
            switch=lambda g: g.contributor_reminders_enabled,
        ),
        KindSpec(
            K.GUIDE_LAST_OVERVIEW,
            Scope.SESSION,
            Worker.SENDER,
            due=lambda g, t: t.at(g.last_reminder_days),
            useful_until=_before_start,
            switch=lambda g: g.guide_overview_enabled,
        ),
        # Those who said they would come: the date, the place and the theme, the day before.
        KindSpec(
            K.PARTICIPANT_REMINDER,
            Scope.SESSION,
            Worker.SENDER,
            due=lambda g, t: t.at(g.last_reminder_days),
            useful_until=_before_start,
            switch=lambda g: g.participant_reminder_enabled,
        ),
        # The run-of-show still helps the guide while the session runs.
        KindSpec(
            K.RUN_OF_SHOW,
            Scope.SESSION,
            Worker.SENDER,
            due=lambda g, t: t.start - timedelta(minutes=g.run_of_show_lead_minutes),
            useful_until=lambda _g, t: t.end,
            switch=lambda g: g.run_of_show_enabled,
        ),
        # Always planned: besides the poll it holds the rollover to the next session. Its
        # message is worth posting until the poll would have closed.
        KindSpec(
            K.SESSION_END,
            Scope.SESSION,
            Worker.JOB,
            due=lambda _g, t: t.end,
            useful_until=lambda g, t: t.end + timedelta(hours=g.poll_duration_hours),
        ),
        # The tour de table's invitation, one DM per member of the channel as it is at
        # send time; answering is pointless once the session has begun.
        KindSpec(
            K.TOUR_INVITE,
            Scope.SESSION,
            Worker.JOB,
            due=lambda g, t: t.at(g.tour_days),
            useful_until=_before_start,
            switch=lambda g: g.tour_enabled,
        ),
        # The answers compiled for the guide (DM) and the group (the session's thread), at
        # the run-of-show's time; still worth reading while the session runs.
        KindSpec(
            K.TOUR_COMPILE,
            Scope.SESSION,
            Worker.JOB,
            due=lambda g, t: t.start - timedelta(minutes=g.run_of_show_lead_minutes),
            useful_until=lambda _g, t: t.end,
            switch=lambda g: g.tour_enabled,
        ),
        # The start: the session's messages stop offering what must come before it.
        KindSpec(
            K.SESSION_START,
            Scope.SESSION,
            Worker.JOB,
            due=lambda _g, t: t.start,
            useful_until=lambda _g, t: t.end,
            switch=lambda g: g.tour_enabled,
        ),
        KindSpec(K.POLL_POST, Scope.POLL, Worker.JOB),
        KindSpec(K.POLL_CLOSE, Scope.POLL, Worker.JOB),
        KindSpec(K.POLL_CANCEL, Scope.POLL, Worker.JOB),
        KindSpec(K.CALENDAR_INVITE, Scope.MEMBER, Worker.JOB),
        KindSpec(K.REFRESH, Scope.CHANGE, Worker.JOB),
        KindSpec(K.SESSION_CANCEL, Scope.ACTION, Worker.JOB),
        KindSpec(K.STATS_EXPORT, Scope.ACTION, Worker.JOB),
        # "Je peux aider": the DM telling the asker who offered, queued with the offer.
        KindSpec(K.TOUR_HELP, Scope.ACTION, Worker.JOB),
        # "Relancer" in the guide's overview: the nudge DM, queued with the click.
        KindSpec(K.CONTRIBUTOR_NUDGE, Scope.ACTION, Worker.JOB),
    )
}

# The kinds whose posts show the session's state and are rewritten when it changes (the
# refresh's views); besides them, the role call in the previous session's end message.
LIVING_KINDS: tuple[DeliveryKind, ...] = (
    K.GUIDE_CALL,
    K.ANNOUNCEMENT,
    K.CONTRIBUTOR_REMINDER,
    K.LAST_REMINDER,
    K.TOUR_INVITE,
)

SESSION_KINDS: tuple[DeliveryKind, ...] = tuple(
    kind for kind, spec in SPECS.items() if spec.scope == Scope.SESSION
)
