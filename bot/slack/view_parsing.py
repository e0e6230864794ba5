"""Read what Slack sends back from a modal: `view.state.values` and `private_metadata`.

Pure functions over the payload's dicts, so each element type's shape is tested once here
and the listener only maps fields to block ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.domain.contributions import ContributionInput, Field
from bot.slack.ids import BOARD_BLOCK_PREFIX, ActionId, BlockId, CallbackId, ConfigBlockId

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


# Where each modal shows an error that belongs to no input in particular (the view sent
# back has no input block to name): the block its listener uses for its own refusals.
FORM_ERROR_BLOCKS: dict[str, str] = {
    CallbackId.CONFIG_MODAL.value: ConfigBlockId.TIMEZONE.value,
    CallbackId.CONTRIBUTION_MODAL.value: BlockId.CONTRIBUTION_TITLE.value,
    CallbackId.TOUR_MODAL.value: BlockId.TOUR_FEELING.value,
}

# The key Slack's `view.state.values` holds for each input element type we build, always
# present once submitted (None or [] when left empty).
_STATE_KEY = {
    "plain_text_input": "value",
    "number_input": "value",
    "url_text_input": "value",
    "email_text_input": "value",
    "static_select": "selected_option",
    "radio_buttons": "selected_option",
    "checkboxes": "selected_options",
    "multi_static_select": "selected_options",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
}
_TEXT_KEYS = ("value", "selected_date", "selected_time", "selected_user", "selected_channel")


def _option_ok(option: object) -> bool:
    return isinstance(option, dict) and isinstance(option.get("value"), str)


def _element_ok(state: object, element_type: object) -> bool:
    """Whether one element's submitted state has the shape Slack gives it."""
    if not isinstance(state, dict):
        return False
    for key in _TEXT_KEYS:
        if key in state and not isinstance(state[key], str | None):
            return False
    option = state.get("selected_option")
    if option is not None and not _option_ok(option):
        return False
    if "selected_options" in state:
        options = state["selected_options"]
        if not isinstance(options, list) or not all(_option_ok(o) for o in options):
            return False
    expected = _STATE_KEY.get(element_type) if isinstance(element_type, str) else None
    return expected is None or expected in state


def _input_blocks(view: dict[str, Any]) -> list[tuple[str, str | None, object]]:
    """(block id, action id, element type) of each input block of the view."""
    found: list[tuple[str, str | None, object]] = []
    for block in view.get("blocks") or []:
        if not isinstance(block, dict) or block.get("type") != "input":
            continue
        block_id = block.get("block_id")
        element = block.get("element")
        element = element if isinstance(element, dict) else {}
        action_id = element.get("action_id")
        if isinstance(block_id, str) and block_id:
            found.append(
                (block_id, action_id if isinstance(action_id, str) else None, element.get("type"))
            )
    return found


def form_error_block(view: dict[str, Any]) -> str | None:
    """Where to show an error that belongs to no input: the view's first input, or the
    modal's usual block when the view sent back lists none; None for a modal not ours."""
    inputs = _input_blocks(view)
    if inputs:
        return inputs[0][0]
    return FORM_ERROR_BLOCKS.get(str(view.get("callback_id")))


def malformed_input(view: dict[str, Any]) -> str | None:
    """The block to show an error on when `view.state.values` is not what Slack sends
    for this view (an input block missing, a value of the wrong JSON type: a checkbox
    list given as a string, an option that is not an object...), else None.

    Slack always sends every input block of the view, each element with the key of its
    type; only a crafted or corrupted payload differs, and it must be answered on the
    form rather than reach the readers, which trust that shape.
    """
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    if not isinstance(values, dict):
        return form_error_block(view)
    for block_id, action_id, element_type in _input_blocks(view):
        block = values.get(block_id)
        if not isinstance(block, dict):
            return block_id
        if action_id is not None and not _element_ok(block.get(action_id), element_type):
            return block_id
    for block in values.values():  # blocks the view does not list: still read by id
        if not isinstance(block, dict) or not all(
            _element_ok(element, None) for element in block.values()
        ):
            return form_error_block(view)
    return None


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
