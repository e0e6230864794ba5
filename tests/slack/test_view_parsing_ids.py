"""Row ids read from payloads: what fits a 32-bit primary key, or None; never an error."""

from __future__ import annotations

import json

import pytest

from bot.slack.view_parsing import MAX_ROW_ID, ContributionMetadata, parse_meeting_id, row_id


@pytest.mark.parametrize(
    ("value", "expected"), [(1, 1), ("42", 42), (" 7 ", 7), (MAX_ROW_ID, MAX_ROW_ID)]
)
def test_row_id_reads_ids_that_fit(value: object, expected: int):
    assert row_id(value) == expected


@pytest.mark.parametrize(
    "value", [0, -1, MAX_ROW_ID + 1, 2**70, True, 1.0, None, "", "1e3", "-3", "²", "9" * 5000, [1]]
)
def test_row_id_none_for_anything_else(value: object):
    assert row_id(value) is None


def test_parse_meeting_id_none_above_32_bits():
    assert parse_meeting_id(str(2**31)) is None


@pytest.mark.parametrize("raw", [json.dumps({"meeting_id": 2**63, "channel_id": "C1"}), "[" * 5000])
def test_contribution_metadata_none_when_crafted(raw: str):
    assert ContributionMetadata.decode(raw) is None
