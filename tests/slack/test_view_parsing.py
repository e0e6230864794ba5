"""Reading view.state.values and private_metadata, with Slack's real element shapes."""

from __future__ import annotations

import pytest

from bot.domain.contributions import ContributionInput
from bot.slack.ids import ActionId, BlockId
from bot.slack.view_parsing import (
    ContributionMetadata,
    parse_contribution_state,
    parse_meeting_id,
    state_value,
)


def text(kind: str, value: str | None) -> dict:
    return {"type": kind, "value": value}


def select(value: str | None) -> dict:
    option = None
    if value is not None:
        option = {"text": {"type": "plain_text", "text": "Exposé", "emoji": True}, "value": value}
    return {"type": "static_select", "selected_option": option}


def values(**elements: dict) -> dict:
    blocks = {
        "kind": (BlockId.CONTRIBUTION_KIND, ActionId.CONTRIBUTION_KIND),
        "title": (BlockId.CONTRIBUTION_TITLE, ActionId.CONTRIBUTION_TITLE),
        "description": (BlockId.CONTRIBUTION_DESCRIPTION, ActionId.CONTRIBUTION_DESCRIPTION),
        "duration": (BlockId.CONTRIBUTION_DURATION, ActionId.CONTRIBUTION_DURATION),
        "link": (BlockId.CONTRIBUTION_LINK, ActionId.CONTRIBUTION_LINK),
        "guest": (BlockId.CONTRIBUTION_GUEST, ActionId.CONTRIBUTION_GUEST),
        "affiliation": (BlockId.CONTRIBUTION_AFFILIATION, ActionId.CONTRIBUTION_AFFILIATION),
    }
    return {
        blocks[name][0].value: {blocks[name][1].value: element}
        for name, element in elements.items()
    }


def test_parse_contribution_state_reads_every_element_type():
    state = values(
        kind=select("demo"),
        title=text("plain_text_input", "Mon titre"),
        description=text("plain_text_input", "Ligne 1\nLigne 2"),
        duration=text("number_input", "12"),
        link=text("url_text_input", "https://exemple.fr"),
        guest=text("plain_text_input", "Marie Dupont"),
        affiliation=text("plain_text_input", "APF France handicap"),
    )

    assert parse_contribution_state(state) == ContributionInput(
        kind="demo",
        title="Mon titre",
        description="Ligne 1\nLigne 2",
        duration="12",
        link="https://exemple.fr",
        guest_name="Marie Dupont",
        guest_affiliation="APF France handicap",
    )


def test_parse_contribution_state_missing_blocks_and_empty_select_read_as_none():
    state = values(kind=select(None), title=text("plain_text_input", ""))

    assert parse_contribution_state(state) == ContributionInput()


def test_state_value_unknown_block_is_none():
    assert state_value({}, "nope", "nope") is None


def test_contribution_metadata_round_trips_under_3000_characters():
    metadata = ContributionMetadata(meeting_id=42, channel_id="C0GROUP")

    encoded = metadata.encode()

    assert len(encoded) < 3000
    assert ContributionMetadata.decode(encoded) == metadata


@pytest.mark.parametrize(
    "raw",
    [None, "", "not json", "[]", '{"meeting_id": "42", "channel_id": "C1"}', '{"meeting_id": 1}'],
)
def test_contribution_metadata_decode_foreign_metadata_is_none(raw):
    assert ContributionMetadata.decode(raw) is None


@pytest.mark.parametrize(("value", "expected"), [("42", 42), (" 7 ", 7), ("", None), (None, None)])
def test_parse_meeting_id_reads_the_button_value(value, expected):
    assert parse_meeting_id(value) == expected


@pytest.mark.parametrize("value", ["abc", "-1", "4.2", "١٢"])
def test_parse_meeting_id_refuses_what_is_not_an_id(value):
    assert parse_meeting_id(value) is None
