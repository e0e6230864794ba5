"""Validation of built messages and views with slack_sdk's own Block Kit models."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View


def assert_valid_message(message: dict[str, Any]) -> None:
    """Every block parses and passes slack_sdk's validation; message limits hold."""
    assert message.get("text"), "a message needs a plain-text fallback"
    blocks = message.get("blocks") or []
    assert len(blocks) <= 50, f"{len(blocks)} blocks; a message allows 50"
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, f"unknown block {raw}"
        block.validate_json()
        assert block.to_dict() == raw, f"block changed when parsed: {raw}"


def assert_valid_view(view: dict[str, Any]) -> None:
    parsed = View(**view)
    parsed.validate_json()
    assert len(view.get("blocks") or []) <= 100


# Words that state a field's optional or required state. Slack states it itself, next to
# the label ("(facultatif)" / "(optional)" on every optional input), so a hint or a label
# that says it too either repeats Slack or contradicts it.
FIELD_STATE_WORDS = ("obligatoire", "facultati", "required", "optional", "mandatory")


def field_state_claims(view: dict[str, Any]) -> list[str]:
    """Each input whose label or hint speaks of its optional or required state, with the
    state Slack shows for it: empty when every form leaves that to Slack."""
    found = []
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        state = "optional" if block.get("optional") else "required"
        for part in ("label", "hint"):
            text = str((block.get(part) or {}).get("text") or "")
            if any(word in text.casefold() for word in FIELD_STATE_WORDS):
                found.append(f"{block.get('block_id')} ({state}) {part}: {text}")
    return found
