"""The settings modal follows the table of settings: every entry has its input (or its
box among the switches), the named block ids are the table's, and an entry added to the
table appears in the modal and is read back with nothing else changed."""

from __future__ import annotations

import pytest

from bot.domain import group_settings
from bot.domain.group_settings import (
    SETTINGS,
    GroupSettings,
    SettingKind,
    read_settings,
)
from bot.enums import Language
from bot.slack.blocks.config import build_config_modal, config_block_id, read_config_state
from bot.slack.ids import ConfigBlockId
from tests.support.blocks import assert_valid_view
from tests.support.settings_table import declare_new_entries
from tests.support.views import submitted_state

NAMES = [spec.name for spec in SETTINGS]
GROUP = GroupSettings(
    timezone="Europe/Paris", language=Language.FR, calendar_alarm_minutes=30, tour_days=2
)


def inputs(settings: GroupSettings, lang: Language = Language.FR) -> dict[str, dict]:
    view = build_config_modal(settings, lang, group_id=7, channel_id="C0GROUP")
    assert_valid_view(view)
    return {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}


@pytest.mark.parametrize("spec", SETTINGS, ids=NAMES)
def test_config_modal_has_an_input_for_each_table_entry(spec):
    blocks = inputs(GroupSettings(**{**GROUP.__dict__, "tour_retention_months": 12}))

    if spec.kind is SettingKind.SWITCH:
        boxes = blocks[ConfigBlockId.SWITCHES]["element"]["options"]
        assert spec.name in [box["value"] for box in boxes]
    else:
        assert config_block_id(spec.name) in blocks


def test_config_modal_without_a_kept_setting_leaves_its_input_out():
    blocks = inputs(GROUP)

    assert config_block_id("tour_retention_months") not in blocks
    assert read_config_state(submitted_state({"blocks": list(blocks.values())})).keys() == {
        *(s.name for s in SETTINGS if s.kind is not SettingKind.SWITCH),
        "switches",
    } - {"tour_retention_months"}


def test_config_block_ids_named_in_code_are_the_tables():
    blocks = inputs(GroupSettings(**{**GROUP.__dict__, "tour_retention_months": 12}))

    assert {member.value for member in ConfigBlockId} <= set(blocks)
    assert config_block_id("run_of_show_lead_minutes") == ConfigBlockId.LEAD_MINUTES


@pytest.fixture
def new_entries(monkeypatch):
    declare_new_entries(monkeypatch)


@pytest.mark.usefixtures("new_entries")
@pytest.mark.parametrize("lang", [Language.FR, Language.EN])
def test_config_modal_shows_a_new_table_entry_last_with_its_strings(lang):
    settings = GroupSettings(**{**GROUP.__dict__, "tour_retention_months": 12})

    blocks = inputs(settings, lang)

    new = blocks["partage_config_new_number"]
    assert list(blocks)[-1] == "partage_config_new_number"
    assert (new["label"]["text"], new["hint"]["text"]) == (
        ("Nouveau réglage, en mois", "De 1 à 24\u00a0mois.")
        if lang is Language.FR
        else ("New setting, in months", "From 1 to 24 months.")
    )
    assert (new["element"]["min_value"], new["element"]["max_value"]) == ("1", "24")
    assert new["element"]["initial_value"] == "12"
    boxes = blocks[ConfigBlockId.SWITCHES]["element"]["options"]
    assert boxes[-1]["value"] == "alsace_moselle"
    assert boxes[-1]["text"]["text"] == ("Nouvel envoi" if lang is Language.FR else "New message")


@pytest.mark.usefixtures("new_entries")
def test_config_modal_reads_back_a_new_table_entry_and_checks_it():
    settings = GroupSettings(**{**GROUP.__dict__, "tour_retention_months": 12})
    view = build_config_modal(settings, Language.FR, group_id=7, channel_id="C0GROUP")
    on = [*settings_on(settings), "alsace_moselle"]

    changed = read_settings(
        read_config_state(
            submitted_state(view, **{"partage_config_new_number": "18", ConfigBlockId.SWITCHES: on})
        )
    )
    refused = read_config_state(submitted_state(view, partage_config_new_number="25"))

    assert changed == GroupSettings(
        **{**settings.__dict__, "tour_retention_months": 18, "alsace_moselle": True}
    )
    with pytest.raises(group_settings.InvalidSettings) as raised:
        read_settings(refused)
    assert raised.value.problems == {
        "tour_retention_months": ("config.error.number", {"low": 1, "high": 24})
    }
    assert config_block_id("tour_retention_months") == "partage_config_new_number"


def settings_on(settings: GroupSettings) -> list[str]:
    return [s.name for s in group_settings.switches() if settings[s.name]]
