"""A group's own settings (`/partage config`): read, check, save, and re-plan.

The rules live here, not in the modal: a value is checked on the server whatever the
client let through, and every refusal names the field and what it accepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy.orm import Session

from bot.db.models import Delivery, Group
from bot.domain.agenda import (
    ANTICIPATION_MINUTES,
    DEFAULT_FORMAT,
    DISCUSSION_MIN_MINUTES,
    INTRODUCTION_MINUTES,
    MARGIN_MINUTES,
    TOUR_MAX_MINUTES,
    TOUR_MIN_MINUTES,
    SessionFormat,
)
from bot.domain.errors import DomainError, NotAllowed
from bot.domain.groups import group_language, group_timezone, organiser_ids
from bot.domain.meetings import AdminCheck, may_manage, upcoming_meeting
from bot.domain.planning import plan_meeting
from bot.enums import Language, Recurrence

# (low, high) for each whole-number setting, inclusive.
RANGES: dict[str, tuple[int, int]] = {
    "reminder_hour": (0, 23),
    "guide_call_days": (1, 60),
    "announcement_days": (1, 60),
    "last_reminder_days": (1, 30),
    "run_of_show_lead_minutes": (0, 180),
    "poll_duration_hours": (1, 336),
    # The session format: checked together below, so that the phases fit.
    "session_minutes": (60, 240),
    "presentation_minutes": (5, 120),
    "tour_minutes": (TOUR_MIN_MINUTES, TOUR_MAX_MINUTES),
    # The calendar invites' reminder; 0 for none, at most a day before.
    "calendar_alarm_minutes": (0, 1440),
    # The tour de table's invitation, working days before the session; how long the
    # answers are kept after it.
    "tour_days": (1, 30),
    "tour_retention_months": (1, 120),
}
# Settings added after modals were already open: a modal without the field leaves the
# group's value as it is.
KEPT_WHEN_ABSENT = frozenset({"calendar_alarm_minutes", "tour_days", "tour_retention_months"})
# The on/off switches, in the order the modal shows them.
SWITCHES = (
    "guide_call_enabled",
    "announcement_enabled",
    "contributor_reminders_enabled",
    "guide_overview_enabled",
    "run_of_show_enabled",
    "poll_enabled",
    "participant_reminder_enabled",
    "tour_enabled",
    "working_days_enabled",
    "alsace_moselle",
)


@dataclass(frozen=True)
class GroupSettings:
    timezone: str
    language: Language
    reminder_hour: int
    guide_call_days: int
    announcement_days: int
    last_reminder_days: int
    run_of_show_lead_minutes: int
    poll_duration_hours: int
    recurrence: Recurrence
    guide_call_enabled: bool
    announcement_enabled: bool
    contributor_reminders_enabled: bool
    guide_overview_enabled: bool
    run_of_show_enabled: bool
    poll_enabled: bool
    session_minutes: int = DEFAULT_FORMAT.session_minutes
    presentation_minutes: int = DEFAULT_FORMAT.presentation_minutes
    tour_minutes: int = DEFAULT_FORMAT.tour_minutes
    participant_reminder_enabled: bool = True
    working_days_enabled: bool = True
    alsace_moselle: bool = False

    @property
    def session_format(self) -> SessionFormat:
        return SessionFormat(self.session_minutes, self.presentation_minutes, self.tour_minutes)

    # None: not sent (a modal opened before this setting existed); the group keeps its own.
    calendar_alarm_minutes: int | None = None
    tour_enabled: bool = True
    tour_days: int | None = None
    tour_retention_months: int | None = None


class InvalidSettings(DomainError):
    """One or more fields were refused; `problems` maps each field to (i18n key, params)."""

    def __init__(self, problems: dict[str, tuple[str, dict[str, object]]]) -> None:
        super().__init__("config.invalid")
        self.problems = problems


def current_settings(
    group: Group, *, default_language: Language, default_timezone: str
) -> GroupSettings:
    """The settings in force, with the deployment defaults filled in."""
    values: dict[str, object] = {
        f.name: getattr(group, f.name)
        for f in fields(GroupSettings)
        if f.name not in ("timezone", "language")
    }
    return GroupSettings(
        timezone=group_timezone(group, default_timezone),
        language=group_language(group, default_language),
        **values,  # type: ignore[arg-type]
    )


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def canonical_timezone(raw: str) -> str | None:
    """`europe/paris` -> `Europe/Paris`; None when it names no IANA zone."""
    value = raw.strip()
    known = _zones_by_folded_name()
    if known:
        return known.get(value.casefold())
    try:  # no zone list on this system: trust ZoneInfo itself
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return value


def read_settings(raw: Mapping[str, object]) -> GroupSettings:
    """Check what the modal sent: strings for text and numbers, a list of switch names
    that are on. Raises InvalidSettings naming every refused field."""
    problems: dict[str, tuple[str, dict[str, object]]] = {}

    zone = canonical_timezone(str(raw.get("timezone") or ""))
    if zone is None:
        problems["timezone"] = ("config.error.timezone", {"value": raw.get("timezone") or ""})

    language: Language | None = None
    try:
        language = Language(str(raw.get("language") or ""))
    except ValueError:
        problems["language"] = ("config.error.choice", {})

    recurrence: Recurrence | None = None
    try:
        recurrence = Recurrence(str(raw.get("recurrence") or ""))
    except ValueError:
        problems["recurrence"] = ("config.error.choice", {})

    numbers: dict[str, int] = {}
    for name, (low, high) in RANGES.items():
        if name in KEPT_WHEN_ABSENT and name not in raw:
            continue
        text = str(raw.get(name) or "").strip()
        if re.fullmatch(r"-?[0-9]{1,6}", text) and low <= int(text) <= high:
            numbers[name] = int(text)
        else:
            problems[name] = ("config.error.number", {"low": low, "high": high})

    on = raw.get("switches") or []
    if not isinstance(on, list | tuple) or not set(on) <= set(SWITCHES):
        problems["switches"] = ("config.error.choice", {})
        on = []

    if (
        "last_reminder_days" in numbers
        and "announcement_days" in numbers
        and numbers["last_reminder_days"] >= numbers["announcement_days"]
    ):
        problems["last_reminder_days"] = (
            "config.error.order",
            {"days": numbers["announcement_days"]},
        )

    format_problem = _format_problem(numbers)
    if format_problem is not None:
        problems["session_minutes"] = format_problem

    if problems:
        raise InvalidSettings(problems)
    assert zone is not None and language is not None and recurrence is not None
    # Numbers and switches by field name: checked above, typed by GroupSettings itself.
    values: dict[str, Any] = {**numbers, **{name: name in on for name in SWITCHES}}
    return GroupSettings(timezone=zone, language=language, recurrence=recurrence, **values)


def _format_problem(numbers: Mapping[str, int]) -> tuple[str, dict[str, object]] | None:
    """The phases must fit in the session with enough discussion left; the refusal says
    how long each phase is and the shortest session that would fit."""
    if not {"session_minutes", "presentation_minutes", "tour_minutes"} <= numbers.keys():
        return None
    fmt = SessionFormat(
        numbers["session_minutes"], numbers["presentation_minutes"], numbers["tour_minutes"]
    )
    if fmt.fits:
        return None
    return (
        "config.error.format",
        {
            "session": fmt.session_minutes,
            "intro": INTRODUCTION_MINUTES,
            "tour": fmt.tour_minutes,
            "presentation": fmt.presentation_minutes,
            "anticipation": ANTICIPATION_MINUTES,
            "margin": MARGIN_MINUTES,
            "discussion": max(0, fmt.discussion_minutes),
            "minimum": DISCUSSION_MIN_MINUTES,
            "needed": fmt.shortest_session,
        },
    )


def _require_manager(session: Session, *, group: Group, user_id: str, is_admin: AdminCheck) -> None:
    meeting = upcoming_meeting(session, group_id=group.id)
    if not may_manage(session, group=group, meeting=meeting, user_id=user_id, is_admin=is_admin):
        raise NotAllowed(
            "config.error.not_allowed", organisers=organiser_ids(session, group_id=group.id)
        )


def settings_for_edit(
    session: Session,
    *,
    group: Group,
    user_id: str,
    is_admin: AdminCheck,
    default_language: Language,
    default_timezone: str,
) -> GroupSettings:
    """The settings to prefill the modal with, for those who may change them."""
    _require_manager(session, group=group, user_id=user_id, is_admin=is_admin)
    return current_settings(
        group, default_language=default_language, default_timezone=default_timezone
    )


def update_group_settings(
    session: Session,
    *,
    group: Group,
    user_id: str,
    settings: GroupSettings,
    now: datetime,
    is_admin: AdminCheck,
) -> list[Delivery]:
    """Save the settings (organisers, the next session's guide, workspace admins) and
    re-plan the next session's deliveries; returns them. The next session takes the new
    length at once (its end, hence the poll, moves with it)."""
    _require_manager(session, group=group, user_id=user_id, is_admin=is_admin)
    for f in fields(GroupSettings):
        value = getattr(settings, f.name)
        if value is not None:
            setattr(group, f.name, value)
    session.flush()
    meeting = upcoming_meeting(session, group_id=group.id)
    if meeting is None:
        return []
    if meeting.duration_minutes != settings.session_minutes:
        meeting.duration_minutes = settings.session_minutes
        meeting.updated_at = now
        session.flush()
    return plan_meeting(session, group=group, meeting=meeting, now=now, timezone=settings.timezone)
