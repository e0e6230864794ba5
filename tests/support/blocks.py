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
