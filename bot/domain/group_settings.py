"""A group's own settings (`/partage config`): declared, read, checked, saved, re-planned.

Each setting is one entry of `SETTINGS`; its value, its check, its refusal and its input
in the settings form all follow from that entry. The rules live here, not in the form: a
value is checked on the server whatever the client let through, and every refusal names
the field and what it accepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import FrozenInstanceError, dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from bot.db.models import Delivery, Group
from bot.domain.agenda import (
    ANTICIPATION_MINUTES,
    DISCUSSION_MIN_MINUTES,
    INTRODUCTION_MINUTES,
    MARGIN_MINUTES,
    TOUR_MAX_MINUTES,
    TOUR_MIN_MINUTES,
    SessionFormat,
)
from bot.domain.errors import DomainError, NotAllowed
from bot.domain.events import SettingsChanged, emit
from bot.domain.groups import group_language, group_timezone, organiser_ids
from bot.domain.meetings import AdminCheck, may_manage, upcoming_meeting
from bot.domain.planning import plan_meeting
from bot.enums import Language, Recurrence


class SettingKind(StrEnum):
    """What a setting holds, hence how it is checked and which input asks for it."""

    TIMEZONE = "timezone"  # an IANA zone name, typed; the deployment's when unset
    LANGUAGE = "language"  # the messages' language; the deployment's when unset
    CHOICE = "choice"  # one value of an enum (`choices`), every option in view
    HOUR = "hour"  # an hour of the day within `bounds`, picked from a list
    NUMBER = "number"  # a whole number within `bounds`, inclusive
    SWITCH = "switch"  # on or off: one box in the list of switches


@dataclass(frozen=True)
class SettingSpec:
    """One group setting, declared once: everything else about it (its value in
    `GroupSettings`, its check, its refusal, its input in the settings form, reading that
    input back, saving it) is derived from this entry.

    `name` is the `Group` column. `stem` starts its i18n keys: `{stem}.label` above the
    input, `{stem}.hint` under it when `hint`, `{stem}.{value}` for each choice (a
    language's code, an enum's value), `{stem}.option` for an hour; a switch's box reads
    `{stem}` itself. `key` ends the form field's id (`name` unless given): a form already
    open carries it, so it never changes once shipped."""

    name: str
    kind: SettingKind
    stem: str
    bounds: tuple[int, int] | None = None
    choices: type[StrEnum] | None = None
    hint: bool = False
    # Added after forms were already open: a form without the field leaves the group's
    # value as it is (None in `GroupSettings`), rather than refusing the whole form.
    kept_when_absent: bool = False
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", self.name)
        if (self.kind in (SettingKind.HOUR, SettingKind.NUMBER)) != (self.bounds is not None):
            raise ValueError(f"{self.name}: bounds are for hours and numbers, and only them")
        if (self.kind is SettingKind.CHOICE) != (self.choices is not None):
            raise ValueError(f"{self.name}: choices are for a choice, and only it")
        if self.kind is SettingKind.SWITCH and (self.kept_when_absent or self.hint):
            # An unticked box is absent from the form too: it cannot tell "not offered".
            raise ValueError(f"{self.name}: a switch has no hint and is never kept when absent")

    @property
    def low(self) -> int:
        assert self.bounds is not None
        return self.bounds[0]

    @property
    def high(self) -> int:
        assert self.bounds is not None
        return self.bounds[1]


_K = SettingKind
# Every group setting, in the order the form shows them; the switches form one list of
# boxes, where the first switch stands. To add a setting: its `Group` column and
# migration, one entry here, and its strings (docs/architecture.md).
SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("timezone", _K.TIMEZONE, "config.timezone", hint=True),
    SettingSpec("language", _K.LANGUAGE, "config.language"),
    SettingSpec("reminder_hour", _K.HOUR, "config.hour", bounds=(0, 23)),
    SettingSpec("guide_call_enabled", _K.SWITCH, "config.reminders.guide_call"),
    SettingSpec("announcement_enabled", _K.SWITCH, "config.reminders.announcement"),
    SettingSpec("contributor_reminders_enabled", _K.SWITCH, "config.reminders.contributors"),
    SettingSpec("guide_overview_enabled", _K.SWITCH, "config.reminders.guide_overview"),
    SettingSpec("run_of_show_enabled", _K.SWITCH, "config.reminders.run_of_show"),
    SettingSpec("poll_enabled", _K.SWITCH, "config.reminders.poll"),
    SettingSpec("participant_reminder_enabled", _K.SWITCH, "config.reminders.participants"),
    SettingSpec("tour_enabled", _K.SWITCH, "config.reminders.tour"),
    SettingSpec("working_days_enabled", _K.SWITCH, "config.reminders.working_days"),
    SettingSpec("alsace_moselle", _K.SWITCH, "config.reminders.alsace_moselle"),
    SettingSpec("guide_call_days", _K.NUMBER, "config.guide_call_days", bounds=(1, 60)),
    SettingSpec("announcement_days", _K.NUMBER, "config.announcement_days", bounds=(1, 60)),
    # Checked against announcement_days too (`_order_problem`).
    SettingSpec("last_reminder_days", _K.NUMBER, "config.last_reminder_days", bounds=(1, 30)),
    SettingSpec(
        "run_of_show_lead_minutes", _K.NUMBER, "config.lead", bounds=(0, 180), key="lead_minutes"
    ),
    # The calendar invites' reminder; 0 for none, at most a day before.
    SettingSpec(
        "calendar_alarm_minutes",
        _K.NUMBER,
        "config.calendar_alarm",
        bounds=(0, 1440),
        kept_when_absent=True,
        key="calendar_alarm",
    ),
    # The tour de table's invitation, working days before the session; how long the
    # answers are kept after it.
    SettingSpec("tour_days", _K.NUMBER, "config.tour_days", bounds=(1, 30), kept_when_absent=True),
    SettingSpec(
        "tour_retention_months",
        _K.NUMBER,
        "config.tour_retention",
        bounds=(1, 120),
        kept_when_absent=True,
        key="tour_retention",
    ),
    SettingSpec(
        "poll_duration_hours",
        _K.NUMBER,
        "config.poll",
        bounds=(1, 336),
        hint=True,
        key="poll_hours",
    ),
    # The session format: checked together (`_format_problem`), so that the phases fit.
    SettingSpec(
        "session_minutes", _K.NUMBER, "config.session_minutes", bounds=(60, 240), hint=True
    ),
    SettingSpec(
        "presentation_minutes", _K.NUMBER, "config.presentation_minutes", bounds=(5, 120), hint=True
    ),
    SettingSpec(
        "tour_minutes",
        _K.NUMBER,
        "config.tour_minutes",
        bounds=(TOUR_MIN_MINUTES, TOUR_MAX_MINUTES),
        hint=True,
    ),
    SettingSpec("recurrence", _K.CHOICE, "config.recurrence", choices=Recurrence),
)


def setting(name: str) -> SettingSpec:
    """The entry for `name`; KeyError when no setting has that name."""
    for spec in SETTINGS:
        if spec.name == name:
            return spec
    raise KeyError(name)


def switches() -> tuple[SettingSpec, ...]:
    """The on/off settings, in the order the form lists them."""
    return tuple(spec for spec in SETTINGS if spec.kind is SettingKind.SWITCH)


_REQUIRED = object()


def _column_default(name: str) -> object:
    """The value a new group starts with, as its column declares it; `_REQUIRED` when
    the column has none (the time zone and the language fall back to the deployment's)."""
    default = sa_inspect(Group).columns[name].default
    if isinstance(default, ScalarElementColumnDefault):
        return default.arg
    return _REQUIRED


class GroupSettings:
    """The value of every setting of `SETTINGS`, by name: a group's, or a checked form's.

    Frozen, and equal when every value is. The attributes typed below are those the code
    reads by name; every setting is an attribute, and `settings[name]` reads any. A
    setting left out takes its column's default, or None when it is kept when absent
    (the group keeps its own value)."""

    timezone: str
    language: Language
    reminder_hour: int
    poll_duration_hours: int
    session_minutes: int
    presentation_minutes: int
    tour_minutes: int

    def __init__(self, **values: object) -> None:
        unknown = values.keys() - {spec.name for spec in SETTINGS}
        if unknown:
            raise TypeError(f"not group settings: {sorted(unknown)}")
        for spec in SETTINGS:
            if spec.name in values:
                value = values[spec.name]
            elif spec.kept_when_absent:
                value = None
            else:
                value = _column_default(spec.name)
                if value is _REQUIRED:
                    raise TypeError(f"missing group setting: {spec.name}")
            object.__setattr__(self, spec.name, value)

    def __getitem__(self, name: str) -> object:
        return self.__dict__[name]

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GroupSettings):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash(tuple(self.__dict__.items()))

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"GroupSettings({values})"

    @property
    def session_format(self) -> SessionFormat:
        return SessionFormat(self.session_minutes, self.presentation_minutes, self.tour_minutes)


class InvalidSettings(DomainError):
    """One or more fields were refused; `problems` maps each field to (i18n key, params)."""

    def __init__(self, problems: dict[str, tuple[str, dict[str, object]]]) -> None:
        super().__init__("config.invalid")
        self.problems = problems


def current_settings(
    group: Group, *, default_language: Language, default_timezone: str
) -> GroupSettings:
    """The settings in force, with the deployment defaults filled in."""
    values: dict[str, object] = {}
    for spec in SETTINGS:
        if spec.kind is SettingKind.TIMEZONE:
            values[spec.name] = group_timezone(group, default_timezone)
        elif spec.kind is SettingKind.LANGUAGE:
            values[spec.name] = group_language(group, default_language)
        else:
            values[spec.name] = getattr(group, spec.name)
    return GroupSettings(**values)


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
    """Check what the form sent, by setting name: text for the time zone, the choices and
    the numbers, and under `switches` the names of the switches that are on. Raises
    InvalidSettings naming every refused field (the switches as one field)."""
    problems: dict[str, tuple[str, dict[str, object]]] = {}
    values: dict[str, object] = {}

    on = raw.get("switches") or []
    if not isinstance(on, list | tuple) or not set(on) <= {spec.name for spec in switches()}:
        problems["switches"] = ("config.error.choice", {})
        on = []

    for spec in SETTINGS:
        if spec.kind is SettingKind.SWITCH:
            values[spec.name] = spec.name in on
        elif not (spec.kept_when_absent and spec.name not in raw):
            value, problem = _read_one(spec, raw.get(spec.name))
            if problem is None:
                values[spec.name] = value
            else:
                problems[spec.name] = problem

    order_problem = _order_problem(values)
    if order_problem is not None:
        problems["last_reminder_days"] = order_problem
    format_problem = _format_problem(values)
    if format_problem is not None:
        problems["session_minutes"] = format_problem

    if problems:
        raise InvalidSettings(problems)
    return GroupSettings(**values)


def _read_one(
    spec: SettingSpec, sent: object
) -> tuple[object, tuple[str, dict[str, object]] | None]:
    """One field's value as the form sent it, checked: (value, None) or (None, refusal)."""
    if spec.kind is SettingKind.TIMEZONE:
        zone = canonical_timezone(str(sent or ""))
        if zone is None:
            return None, ("config.error.timezone", {"value": sent or ""})
        return zone, None
    if spec.kind in (SettingKind.LANGUAGE, SettingKind.CHOICE):
        choices = Language if spec.kind is SettingKind.LANGUAGE else spec.choices
        assert choices is not None
        try:
            return choices(str(sent or "")), None
        except ValueError:
            return None, ("config.error.choice", {})
    text = str(sent or "").strip()
    if re.fullmatch(r"-?[0-9]{1,6}", text) and spec.low <= int(text) <= spec.high:
        return int(text), None
    return None, ("config.error.number", {"low": spec.low, "high": spec.high})


def _order_problem(values: Mapping[str, object]) -> tuple[str, dict[str, object]] | None:
    """The last reminder comes after the announcement: fewer days before the session."""
    last, announcement = values.get("last_reminder_days"), values.get("announcement_days")
    if isinstance(last, int) and isinstance(announcement, int) and last >= announcement:
        return ("config.error.order", {"days": announcement})
    return None


def _format_problem(values: Mapping[str, object]) -> tuple[str, dict[str, object]] | None:
    """The phases must fit in the session with enough discussion left; the refusal says
    how long each phase is and the shortest session that would fit."""
    session, presentation, tour = (
        values.get("session_minutes"),
        values.get("presentation_minutes"),
        values.get("tour_minutes"),
    )
    if not (isinstance(session, int) and isinstance(presentation, int) and isinstance(tour, int)):
        return None
    fmt = SessionFormat(session, presentation, tour)
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
    for spec in SETTINGS:
        value = settings[spec.name]
        if value is not None:  # None: a setting the form did not carry
            setattr(group, spec.name, value)
    session.flush()
    emit(session, SettingsChanged(group.id, now, user_id))
    meeting = upcoming_meeting(session, group_id=group.id)
    if meeting is None:
        return []
    if meeting.duration_minutes != settings.session_minutes:
        meeting.duration_minutes = settings.session_minutes
        meeting.updated_at = now
        session.flush()
    return plan_meeting(session, group=group, meeting=meeting, now=now, timezone=settings.timezone)
