"""The settings modal: valid in both languages, prefilled, and read back by block id."""

from __future__ import annotations

import json

import pytest

from bot.domain.group_settings import GroupSettings, read_settings
from bot.enums import Language, Recurrence
from bot.slack.blocks.config import build_config_modal, group_id_of, read_config_state
from bot.slack.ids import CallbackId, ConfigBlockId
from tests.support.blocks import assert_valid_view
from tests.support.views import submitted_state

SETTINGS = GroupSettings(
    timezone="Europe/Paris",
    language=Language.FR,
    reminder_hour=10,
    guide_call_days=14,
    announcement_days=7,
    last_reminder_days=1,
    run_of_show_lead_minutes=15,
    poll_duration_hours=72,
    recurrence=Recurrence.MONTHLY_WEEKDAY,
    guide_call_enabled=True,
    announcement_enabled=True,
    contributor_reminders_enabled=False,
    guide_overview_enabled=True,
    run_of_show_enabled=True,
    poll_enabled=True,
)


@pytest.mark.parametrize("lang", [Language.FR, Language.EN])
def test_config_modal_is_valid_in_both_languages(lang):
    view = build_config_modal(SETTINGS, lang, group_id=7, channel_id="C0GROUP")

    assert_valid_view(view)
    assert view["callback_id"] == CallbackId.CONFIG_MODAL
    assert len(view["title"]["text"]) <= 24
    assert group_id_of(view) == 7


@pytest.mark.parametrize("lang", [Language.FR, Language.EN])
def test_config_modal_options_are_never_cut(lang):
    view = build_config_modal(SETTINGS, lang, group_id=7, channel_id="C0GROUP")

    options = [
        option["text"]["text"]
        for block in view["blocks"]
        if block["type"] == "input"
        for option in block["element"].get("options", [])
    ]
    assert options != []
    assert all(len(text) <= 75 and not text.endswith("…") for text in options)


@pytest.mark.parametrize("lang", [Language.FR, Language.EN])
def test_config_modal_offers_the_session_format_prefilled(lang):
    view = build_config_modal(SETTINGS, lang, group_id=7, channel_id="C0GROUP")

    initial = {
        block["block_id"]: block["element"].get("initial_value")
        for block in view["blocks"]
        if block["type"] == "input"
    }
    assert (
        initial[ConfigBlockId.SESSION_MINUTES],
        initial[ConfigBlockId.PRESENTATION_MINUTES],
        initial[ConfigBlockId.TOUR_MINUTES],
    ) == ("90", "30", "28")


def test_config_modal_with_every_switch_off_is_valid():
    off = GroupSettings(
        **{
            **SETTINGS.__dict__,
            **{k: False for k in SETTINGS.__dict__ if k.endswith("_enabled")},
        }
    )

    view = build_config_modal(off, Language.FR, group_id=7, channel_id="C0GROUP")

    assert_valid_view(view)


def test_config_modal_read_back_unchanged_gives_the_same_settings():
    view = build_config_modal(SETTINGS, Language.FR, group_id=7, channel_id="C0GROUP")

    raw = read_config_state(submitted_state(view))

    assert read_settings(raw) == SETTINGS


def test_config_modal_read_back_sees_changes_by_block_id():
    view = build_config_modal(SETTINGS, Language.FR, group_id=7, channel_id="C0GROUP")
    state = submitted_state(
        view,
        **{
            ConfigBlockId.TIMEZONE: "America/Cayenne",
            ConfigBlockId.REMINDER_HOUR: "9",
            ConfigBlockId.SWITCHES: ["poll_enabled"],
            ConfigBlockId.POLL_HOURS: "48",
        },
    )

    raw = read_config_state(state)

    assert raw["timezone"] == "America/Cayenne"
    assert raw["reminder_hour"] == "9"
    assert raw["switches"] == ["poll_enabled"]
    assert raw["poll_duration_hours"] == "48"


def test_config_modal_metadata_tampered_reads_as_no_group():
    assert group_id_of({"private_metadata": "not json"}) is None
    assert group_id_of({"private_metadata": json.dumps({"group_id": "7"})}) is None
