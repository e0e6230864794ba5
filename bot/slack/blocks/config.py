"""The settings modal of `/partage config`, and reading its submitted state back.

Both follow the table of settings (`bot.domain.group_settings.SETTINGS`): each entry
gives its input, its block id (`CONFIG_BLOCK_PREFIX` and the entry's `key`) and its place;
the values are checked by the domain, not here. The table is read at each call, through
its module (`group_settings.SETTINGS`), never copied into a constant of this one.
"""

from __future__ import annotations

import json
from typing import Any

from bot.domain import group_settings
from bot.domain.group_settings import GroupSettings, SettingKind, SettingSpec, switches
from bot.enums import Language
from bot.i18n import t
from bot.slack.blocks.common import Block, plain_object, section
from bot.slack.ids import CONFIG_BLOCK_PREFIX, CONFIG_INPUT_ACTION, CallbackId, ConfigBlockId
from bot.slack.view_parsing import row_id

# The one field that is not a setting of its own: the list of switches.
SWITCHES_FIELD = "switches"
# A time zone name: the `Group.timezone` column's length.
_TIMEZONE_MAX_LENGTH = 64


def config_block_id(field: str) -> str:
    """The block id of a setting's input (or of the switches' list), from its entry's
    `key`: what a refusal for `field` is attached to."""
    if field == SWITCHES_FIELD:
        return ConfigBlockId.SWITCHES
    return CONFIG_BLOCK_PREFIX + group_settings.setting(field).key


def _plain(text: str) -> dict[str, Any]:
    return plain_object(text)


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain_object(text, 75), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], *, hint: str | None = None) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": {**element, "action_id": CONFIG_INPUT_ACTION},
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def _picked(options: list[dict[str, Any]], value: object) -> dict[str, Any]:
    return next(o for o in options if o["value"] == value)


def _element(spec: SettingSpec, value: object, lang: Language) -> dict[str, Any]:
    """The input asking for one setting, prefilled with `value`."""
    if spec.kind is SettingKind.TIMEZONE:
        return {
            "type": "plain_text_input",
            "initial_value": value,
            "max_length": _TIMEZONE_MAX_LENGTH,
        }
    if spec.kind is SettingKind.LANGUAGE:
        languages = [_option(t(lang, f"{spec.stem}.{c.value}"), c.value) for c in Language]
        return {
            "type": "static_select",
            "options": languages,
            "initial_option": _picked(languages, value),
        }
    if spec.kind is SettingKind.CHOICE:
        assert spec.choices is not None
        choices = [_option(t(lang, f"{spec.stem}.{c.value}"), c.value) for c in spec.choices]
        return {
            "type": "radio_buttons",
            "options": choices,
            "initial_option": _picked(choices, value),
        }
    if spec.kind is SettingKind.HOUR:
        hours = [
            _option(t(lang, f"{spec.stem}.option", hour=hour), str(hour))
            for hour in range(spec.low, spec.high + 1)
        ]
        return {
            "type": "static_select",
            "options": hours,
            "initial_option": _picked(hours, str(value)),
        }
    element = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": str(spec.low),
        "max_value": str(spec.high),
    }
    element["initial_value"] = str(value)
    return element


def _switches_block(settings: GroupSettings, lang: Language) -> Block:
    """Every switch as one box of one list, ticked when on."""
    boxes = [_option(t(lang, spec.stem), spec.name) for spec in switches()]
    ticked = [box for box in boxes if settings[box["value"]]]
    checkboxes: dict[str, Any] = {"type": "checkboxes", "options": boxes}
    if ticked:
        checkboxes["initial_options"] = ticked
    block = _input(ConfigBlockId.SWITCHES, t(lang, "config.reminders.label"), checkboxes)
    return {**block, "optional": True}


def _blocks(settings: GroupSettings, lang: Language) -> list[Block]:
    """One input per setting, in the table's order; the switches' list where the first
    switch stands. A setting without a value (kept when absent) is not asked for."""
    blocks: list[Block] = []
    for spec in group_settings.SETTINGS:
        if spec.kind is SettingKind.SWITCH:
            if spec == switches()[0]:
                blocks.append(_switches_block(settings, lang))
            continue
        value = settings[spec.name]
        if value is None:
            continue
        blocks.append(
            _input(
                config_block_id(spec.name),
                t(lang, f"{spec.stem}.label"),
                _element(spec, value, lang),
                hint=t(lang, f"{spec.stem}.hint") if spec.hint else None,
            )
        )
    return blocks


def build_config_modal(
    settings: GroupSettings, lang: Language, *, group_id: int, channel_id: str
) -> dict[str, Any]:
    """The settings modal, prefilled with the settings in force, in the group's language."""
    return {
        "type": "modal",
        "callback_id": CallbackId.CONFIG_MODAL,
        "private_metadata": json.dumps({"group_id": group_id}),
        "title": _plain(t(lang, "config.title")),
        "submit": _plain(t(lang, "config.submit")),
        "close": _plain(t(lang, "config.close")),
        "blocks": [
            section(t(lang, "config.intro", channel=channel_id)),
            *_blocks(settings, lang),
        ],
    }


def read_config_state(values: dict[str, dict[str, dict[str, Any]]]) -> dict[str, object]:
    """`view.state.values` -> {setting: raw value}: text for inputs and selects, and
    under `switches` the names of the switches ticked. Missing or malformed entries read
    as empty, for the domain to refuse by name."""

    def state_of(block_id: str) -> dict[str, Any]:
        return (values.get(block_id) or {}).get(CONFIG_INPUT_ACTION) or {}

    raw: dict[str, object] = {}
    for spec in group_settings.SETTINGS:
        block_id = config_block_id(spec.name)
        if spec.kind is SettingKind.SWITCH:
            continue
        if spec.kept_when_absent and block_id not in values:
            continue  # a modal opened before this setting existed
        state = state_of(block_id)
        if "selected_option" in state:
            raw[spec.name] = str((state.get("selected_option") or {}).get("value") or "")
        else:
            raw[spec.name] = str(state.get("value") or "")
    ticked = state_of(ConfigBlockId.SWITCHES).get("selected_options") or []
    raw[SWITCHES_FIELD] = [str(o.get("value")) for o in ticked if o]
    return raw


def group_id_of(view: dict[str, Any]) -> int | None:
    try:
        value = json.loads(view.get("private_metadata") or "{}").get("group_id")
    except (ValueError, AttributeError, RecursionError):  # not JSON, not an object, too deep
        return None
    return row_id(value) if type(value) is int else None
