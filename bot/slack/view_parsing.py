"""Read what Slack sends back from a modal: `view.state.values` and `private_metadata`.

Pure functions over the payload's dicts, so each element type's shape is tested once here
and the listener only maps fields to block ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.domain.contributions import ContributionInput, Field
from bot.slack.ids import BOARD_BLOCK_PREFIX, ActionId, BlockId

# Which input block and element carries each contribution field.
CONTRIBUTION_INPUTS: dict[Field, tuple[BlockId, ActionId]] = {
    Field.KIND: (BlockId.CONTRIBUTION_KIND, ActionId.CONTRIBUTION_KIND),
    Field.TITLE: (BlockId.CONTRIBUTION_TITLE, ActionId.CONTRIBUTION_TITLE),
    Field.DESCRIPTION: (BlockId.CONTRIBUTION_DESCRIPTION, ActionId.CONTRIBUTION_DESCRIPTION),
    Field.DURATION: (BlockId.CONTRIBUTION_DURATION, ActionId.CONTRIBUTION_DURATION),
    Field.LINK: (BlockId.CONTRIBUTION_LINK, ActionId.CONTRIBUTION_LINK),
    Field.GUEST_NAME: (BlockId.CONTRIBUTION_GUEST, ActionId.CONTRIBUTION_GUEST),
    Field.GUEST_AFFILIATION: (BlockId.CONTRIBUTION_AFFILIATION, ActionId.CONTRIBUTION_AFFILIATION),
}

PRIVATE_METADATA_LIMIT = 3000
# Row ids are INTEGER primary keys, 32-bit on PostgreSQL: a larger number from a crafted
# payload would overflow in the query instead of simply finding nothing.
MAX_ROW_ID = 2**31 - 1


def row_id(value: object) -> int | None:
    """A database row id read from a payload (an int, or its decimal string), or None
    when it cannot be one; never raises, whatever the payload holds."""
    if isinstance(value, str):
        raw = value.strip()
        if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_ROW_ID))):
            return None
        value = int(raw)
    if type(value) is not int or not 1 <= value <= MAX_ROW_ID:
        return None
    return value


def state_value(values: dict[str, Any], block_id: str, action_id: str) -> str | None:
    """The submitted value of one element, whatever its type; None when left empty.

    Text-like inputs (plain_text_input, number_input, url_text_input, email_text_input)
    carry `value`; selects and radio buttons carry `selected_option.value`.
    """
    element = (values.get(block_id) or {}).get(action_id) or {}
    if "selected_option" in element:
        option = element.get("selected_option") or {}
        value = option.get("value")
    else:
        value = element.get("value")
    return value if isinstance(value, str) and value != "" else None


def parse_contribution_state(values: dict[str, Any]) -> ContributionInput:
    read = {
        name: state_value(values, block_id, action_id)
        for name, (block_id, action_id) in CONTRIBUTION_INPUTS.items()
    }
    return ContributionInput(
        kind=read[Field.KIND],
        title=read[Field.TITLE],
        description=read[Field.DESCRIPTION],
        duration=read[Field.DURATION],
        link=read[Field.LINK],
        guest_name=read[Field.GUEST_NAME],
        guest_affiliation=read[Field.GUEST_AFFILIATION],
    )


@dataclass(frozen=True)
class ContributionMetadata:
    """What the modal must remember between opening and submission: Slack hands it back
    untouched in `view.private_metadata` (at most 3000 characters)."""

    meeting_id: int
    channel_id: str

    def encode(self) -> str:
        encoded = json.dumps(
            {"meeting_id": self.meeting_id, "channel_id": self.channel_id},
            separators=(",", ":"),
        )
        assert len(encoded) <= PRIVATE_METADATA_LIMIT
        return encoded

    @classmethod
    def decode(cls, raw: str | None) -> ContributionMetadata | None:
        """None when the metadata is missing or not ours (e.g. a modal from an old build)."""
        try:
            data = json.loads(raw or "")
            meeting_id, channel_id = data["meeting_id"], data["channel_id"]
        except (ValueError, TypeError, KeyError, RecursionError):
            return None
        if type(meeting_id) is not int or not isinstance(channel_id, str):
            return None
        if row_id(meeting_id) is None:
            return None
        return cls(meeting_id=meeting_id, channel_id=channel_id)


def parse_meeting_id(value: str | None) -> int | None:
    """A role button's `value` is the meeting id as a string."""
    return row_id(value or "")


def parse_board_block_id(block_id: object) -> tuple[int, int | None] | None:
    """(meeting id, contribution id or None) from a roles modal or Home block_id (see
    `bot.slack.ids.board_block_id`); None if it is not one, whatever the payload holds."""
    if not isinstance(block_id, str) or len(block_id) > 255:
        return None
    parts = block_id.split(":")
    if len(parts) not in (3, 4) or parts[0] != BOARD_BLOCK_PREFIX:
        return None
    meeting_id = row_id(parts[1])
    item = row_id(parts[3]) if len(parts) == 4 else None
    if meeting_id is None or (len(parts) == 4 and item is None):
        return None
    return meeting_id, item
