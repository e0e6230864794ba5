"""Small Block Kit pieces shared by the builders."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]
Message = dict[str, Any]  # {"text": fallback, "blocks": [...]}

SECTION_TEXT_LIMIT = 3000
HEADER_TEXT_LIMIT = 150


def escape(text: str) -> str:
    """Escape user text for mrkdwn so `<!channel>` or `<http://x|y>` stay literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, 150)}}


def section(text: str, block_id: str | None = None) -> Block:
    block: Block = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate(text, SECTION_TEXT_LIMIT)},
    }
    if block_id:
        block["block_id"] = block_id
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, 3000)}]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(text, 75), "emoji": True},
        "action_id": action_id,
    }
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    return element


def actions(block_id: str, *elements: Block) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def message(text: str, blocks: list[Block]) -> Message:
    """A message with a plain-text fallback for notifications and screen readers."""
    return {"text": truncate(text, 3000), "blocks": blocks}


def text_message(text: str) -> Message:
    return message(text, [section(text)])
