"""The settings modal of `/partage config`, and reading its submitted state back.

Builder and reader share `FIELD_BLOCKS`, so a setting's block id is written once; the
values are checked by `bot.domain.group_settings`, not here.
"""

from __future__ import annotations

import json
from typing import Any

from bot.domain.group_settings import KEPT_WHEN_ABSENT, RANGES, SWITCHES, GroupSettings
from bot.enums import Language, Recurrence
from bot.i18n import t
from bot.slack.blocks.common import Block, plain_object, section
from bot.slack.ids import CONFIG_INPUT_ACTION, CallbackId, ConfigBlockId
from bot.slack.view_parsing import row_id

# Domain field name -> block id of its input.
FIELD_BLOCKS: dict[str, ConfigBlockId] = {
    "timezone": ConfigBlockId.TIMEZONE,
    "language": ConfigBlockId.LANGUAGE,
    "reminder_hour": ConfigBlockId.REMINDER_HOUR,
    "switches": ConfigBlockId.SWITCHES,
    "guide_call_days": ConfigBlockId.GUIDE_CALL_DAYS,
    "announcement_days": ConfigBlockId.ANNOUNCEMENT_DAYS,
    "last_reminder_days": ConfigBlockId.LAST_REMINDER_DAYS,
    "run_of_show_lead_minutes": ConfigBlockId.LEAD_MINUTES,
    "poll_duration_hours": ConfigBlockId.POLL_HOURS,
    "recurrence": ConfigBlockId.RECURRENCE,
    "session_minutes": ConfigBlockId.SESSION_MINUTES,
    "presentation_minutes": ConfigBlockId.PRESENTATION_MINUTES,
    "tour_minutes": ConfigBlockId.TOUR_MINUTES,
    "calendar_alarm_minutes": ConfigBlockId.CALENDAR_ALARM,
    "tour_days": ConfigBlockId.TOUR_DAYS,
    "tour_retention_months": ConfigBlockId.TOUR_RETENTION,
}
SWITCH_LABELS = {
    "guide_call_enabled": "config.reminders.guide_call",
    "announcement_enabled": "config.reminders.announcement",
    "contributor_reminders_enabled": "config.reminders.contributors",
    "guide_overview_enabled": "config.reminders.guide_overview",
    "run_of_show_enabled": "config.reminders.run_of_show",
    "poll_enabled": "config.reminders.poll",
    "participant_reminder_enabled": "config.reminders.participants",
    "tour_enabled": "config.reminders.tour",
    "working_days_enabled": "config.reminders.working_days",
    "alsace_moselle": "config.reminders.alsace_moselle",
}
NUMBER_LABELS = {
    "guide_call_days": "config.guide_call_days.label",
    "announcement_days": "config.announcement_days.label",
    "last_reminder_days": "config.last_reminder_days.label",
    "run_of_show_lead_minutes": "config.lead.label",
    "poll_duration_hours": "config.poll.label",
    "calendar_alarm_minutes": "config.calendar_alarm.label",
    "tour_days": "config.tour_days.label",
    "tour_retention_months": "config.tour_retention.label",
}
# The session format, each with a hint naming its range and default.
FORMAT_FIELDS = ("session_minutes", "presentation_minutes", "tour_minutes")


def _plain(text: str) -> dict[str, Any]:
    return plain_object(text)


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain_object(text, 75), "value": value}


def _input(field: str, label: str, element: dict[str, Any], *, hint: str | None = None) -> Block:
    block: Block = {
        "type": "input",
        "block_id": FIELD_BLOCKS[field],
        "label": _plain(label),
        "element": {**element, "action_id": CONFIG_INPUT_ACTION},
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def _number(field: str, label: str, value: int | None, hint: str | None = None) -> Block:
    low, high = RANGES[field]
    element = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": str(low),
        "max_value": str(high),
    }
    if value is not None:
        element["initial_value"] = str(value)
    return _input(field, label, element, hint=hint)


def build_config_modal(
    settings: GroupSettings, lang: Language, *, group_id: int, channel_id: str
) -> dict[str, Any]:
    """The settings modal, prefilled with the settings in force, in the group's language."""
    languages = [_option(t(lang, f"config.language.{code.value}"), code.value) for code in Language]
    hours = [
        _option(t(lang, "config.hour.option", hour=hour), str(hour))
        for hour in range(RANGES["reminder_hour"][0], RANGES["reminder_hour"][1] + 1)
    ]
    switches = [_option(t(lang, SWITCH_LABELS[name]), name) for name in SWITCHES]
    switched_on = [o for o in switches if getattr(settings, o["value"])]
    recurrences = [_option(t(lang, f"config.recurrence.{r.value}"), r.value) for r in Recurrence]
    checkboxes: dict[str, Any] = {"type": "checkboxes", "options": switches}
    if switched_on:
        checkboxes["initial_options"] = switched_on
    blocks: list[Block] = [
        section(t(lang, "config.intro", channel=channel_id)),
        _input(
            "timezone",
            t(lang, "config.timezone.label"),
            {"type": "plain_text_input", "initial_value": settings.timezone, "max_length": 64},
            hint=t(lang, "config.timezone.hint"),
        ),
        _input(
            "language",
            t(lang, "config.language.label"),
            {
                "type": "static_select",
                "options": languages,
                "initial_option": next(o for o in languages if o["value"] == settings.language),
            },
        ),
        _input(
            "reminder_hour",
            t(lang, "config.hour.label"),
            {
                "type": "static_select",
                "options": hours,
                "initial_option": hours[settings.reminder_hour],
            },
        ),
        {
            **_input("switches", t(lang, "config.reminders.label"), checkboxes),
            "optional": True,
        },
        *(
            _number(name, t(lang, label), getattr(settings, name))
            for name, label in NUMBER_LABELS.items()
            if name != "poll_duration_hours" and getattr(settings, name) is not None
        ),
        _number(
            "poll_duration_hours",
            t(lang, NUMBER_LABELS["poll_duration_hours"]),
            settings.poll_duration_hours,
            hint=t(lang, "config.poll.hint"),
        ),
        *(
            _number(
                name,
                t(lang, f"config.{name}.label"),
                getattr(settings, name),
                hint=t(lang, f"config.{name}.hint"),
            )
            for name in FORMAT_FIELDS
        ),
        _input(
            "recurrence",
            t(lang, "config.recurrence.label"),
            {
                "type": "radio_buttons",
                "options": recurrences,
                "initial_option": next(o for o in recurrences if o["value"] == settings.recurrence),
            },
        ),
    ]
    return {
        "type": "modal",
        "callback_id": CallbackId.CONFIG_MODAL,
        "private_metadata": json.dumps({"group_id": group_id}),
        "title": _plain(t(lang, "config.title")),
        "submit": _plain(t(lang, "config.submit")),
        "close": _plain(t(lang, "config.close")),
        "blocks": blocks,
    }


def read_config_state(values: dict[str, dict[str, dict[str, Any]]]) -> dict[str, object]:
    """`view.state.values` -> {field: raw value}: text for inputs and selects, a list of
    switch names for the checkboxes. Missing or malformed entries read as empty, for the
    domain to refuse by name."""
    raw: dict[str, object] = {}
    for field, block_id in FIELD_BLOCKS.items():
        if field in KEPT_WHEN_ABSENT and block_id not in values:
            continue  # a modal opened before this setting existed
        state = (values.get(block_id) or {}).get(CONFIG_INPUT_ACTION) or {}
        if field == "switches":
            raw[field] = [str(o.get("value")) for o in state.get("selected_options") or [] if o]
        elif "selected_option" in state:
            raw[field] = str((state.get("selected_option") or {}).get("value") or "")
        else:
            raw[field] = str(state.get("value") or "")
    return raw


def group_id_of(view: dict[str, Any]) -> int | None:
    try:
        value = json.loads(view.get("private_metadata") or "{}").get("group_id")
    except (ValueError, AttributeError, RecursionError):  # not JSON, not an object, too deep
        return None
    return row_id(value) if type(value) is int else None
