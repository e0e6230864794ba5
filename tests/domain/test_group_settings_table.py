"""The table of group settings: every entry stands on a `Group` column of its kind and
has its strings in both languages; `GroupSettings` follows the table and nothing else."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import get_type_hints

import pytest
from sqlalchemy import Boolean, Enum, Integer, String

from bot.db.models import Group
from bot.domain.group_settings import (
    SETTINGS,
    GroupSettings,
    InvalidSettings,
    SettingKind,
    SettingSpec,
    read_settings,
)
from bot.enums import Language, Recurrence
from bot.i18n.messages import CATALOGS

NAMES = [spec.name for spec in SETTINGS]
COLUMN_TYPES = {
    SettingKind.TIMEZONE: String,
    SettingKind.LANGUAGE: Enum,
    SettingKind.CHOICE: Enum,
    SettingKind.HOUR: Integer,
    SettingKind.NUMBER: Integer,
    SettingKind.SWITCH: Boolean,
}
PYTHON_TYPES = {
    SettingKind.TIMEZONE: str,
    SettingKind.HOUR: int,
    SettingKind.NUMBER: int,
    SettingKind.SWITCH: bool,
}


def strings_of(spec: SettingSpec) -> list[str]:
    """The i18n keys the entry's input reads."""
    if spec.kind is SettingKind.SWITCH:
        return [spec.stem]
    keys = [f"{spec.stem}.label"] + ([f"{spec.stem}.hint"] if spec.hint else [])
    if spec.kind is SettingKind.HOUR:
        keys.append(f"{spec.stem}.option")
    if spec.kind is SettingKind.LANGUAGE:
        keys += [f"{spec.stem}.{code.value}" for code in Language]
    if spec.kind is SettingKind.CHOICE:
        assert spec.choices is not None
        keys += [f"{spec.stem}.{choice.value}" for choice in spec.choices]
    return keys


def test_settings_table_names_each_setting_and_form_key_once():
    keys = [spec.key for spec in SETTINGS]

    assert len(set(NAMES)) == len(NAMES)
    assert len(set(keys)) == len(keys)
    assert "switches" not in keys


def test_settings_table_has_one_time_zone_and_one_language():
    kinds = [spec.kind for spec in SETTINGS]

    assert (kinds.count(SettingKind.TIMEZONE), kinds.count(SettingKind.LANGUAGE)) == (1, 1)


@pytest.mark.parametrize("spec", SETTINGS, ids=NAMES)
def test_settings_table_entry_stands_on_a_group_column_of_its_kind(spec):
    column = Group.__table__.c[spec.name]

    assert isinstance(column.type, COLUMN_TYPES[spec.kind])
    if spec.kind in (SettingKind.LANGUAGE, SettingKind.CHOICE):
        choices = Language if spec.kind is SettingKind.LANGUAGE else spec.choices
        assert column.type.enums == [choice.value for choice in choices]


@pytest.mark.parametrize("lang", [Language.FR, Language.EN])
@pytest.mark.parametrize("spec", SETTINGS, ids=NAMES)
def test_settings_table_entry_has_its_strings_in_both_languages(spec, lang):
    missing = [key for key in strings_of(spec) if key not in CATALOGS[lang]]

    assert missing == []


@pytest.mark.parametrize("spec", SETTINGS, ids=NAMES)
def test_settings_table_entry_default_fits_its_own_check(spec):
    """A new group's value (its column default) is one the form accepts."""
    default = GroupSettings(timezone="Europe/Paris", language=Language.FR)[spec.name]

    if spec.kept_when_absent:
        assert default is None
    elif spec.bounds is not None:
        assert spec.low <= default <= spec.high
    elif spec.kind is SettingKind.SWITCH:
        assert isinstance(default, bool)


def test_group_settings_typed_attributes_are_table_entries_of_their_type():
    hints = get_type_hints(GroupSettings)
    kinds = {spec.name: spec.kind for spec in SETTINGS}

    assert set(hints) <= set(kinds)
    for name, hint in hints.items():
        expected = Language if kinds[name] is SettingKind.LANGUAGE else PYTHON_TYPES[kinds[name]]
        assert hint is expected, name


def test_group_settings_holds_every_table_entry_and_nothing_else():
    settings = GroupSettings(timezone="Europe/Paris", language=Language.FR)

    assert list(settings.__dict__) == NAMES
    assert settings.recurrence == Recurrence.MONTHLY_WEEKDAY
    with pytest.raises(TypeError):
        GroupSettings(timezone="Europe/Paris", language=Language.FR, colour="blue")
    with pytest.raises(TypeError):
        GroupSettings(timezone="Europe/Paris")


def test_group_settings_cannot_change_once_made():
    settings = GroupSettings(timezone="Europe/Paris", language=Language.FR)

    with pytest.raises(FrozenInstanceError):
        settings.reminder_hour = 3  # type: ignore[misc]


def test_group_settings_with_a_different_value_is_not_equal():
    one = GroupSettings(timezone="Europe/Paris", language=Language.FR)

    assert one == GroupSettings(timezone="Europe/Paris", language=Language.FR)
    assert one != GroupSettings(timezone="Europe/Paris", language=Language.FR, tour_days=3)
    assert hash(one) == hash(GroupSettings(timezone="Europe/Paris", language=Language.FR))


@pytest.mark.parametrize(
    "spec",
    [s for s in SETTINGS if s.bounds is not None],
    ids=[s.name for s in SETTINGS if s.bounds is not None],
)
def test_read_settings_refuses_each_number_out_of_its_table_bounds(spec):
    valid = {
        **{s.name: str(s.low) for s in SETTINGS if s.bounds is not None},
        "timezone": "Europe/Paris",
        "language": "fr",
        "recurrence": "none",
        "announcement_days": "7",
        "session_minutes": "120",
    }
    read_settings(valid)

    with pytest.raises(InvalidSettings) as raised:
        read_settings({**valid, spec.name: str(spec.high + 1)})

    assert raised.value.problems == {
        spec.name: ("config.error.number", {"low": spec.low, "high": spec.high})
    }


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        (SettingKind.NUMBER, {}),
        (SettingKind.HOUR, {"bounds": (0, 23), "choices": Recurrence}),
        (SettingKind.CHOICE, {}),
        (SettingKind.SWITCH, {"kept_when_absent": True}),
        (SettingKind.SWITCH, {"bounds": (0, 1)}),
    ],
)
def test_setting_spec_inconsistent_is_refused_when_declared(kind, extra):
    with pytest.raises(ValueError):
        SettingSpec("tour_days", kind, "config.tour_days", **extra)
