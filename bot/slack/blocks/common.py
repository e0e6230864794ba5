"""Small Block Kit pieces shared by the builders.

Every text goes through these pieces, and they decide how it is written: mrkdwn fields
(`section`, `context`, a message's `text` fallback) take `Mrkdwn` and escape anything
else; plain_text fields (`header`, `button`, `plain`) take raw text and unescape a
`Mrkdwn` value. So a builder that hands member text to either cannot make it ping anyone.
"""

from __future__ import annotations

from typing import Any

from bot.slack.text import Mrkdwn, escape, plain

__all__ = ["Mrkdwn", "escape", "plain"]

Block = dict[str, Any]
Message = dict[str, Any]  # {"text": fallback, "blocks": [...]}

SECTION_TEXT_LIMIT = 3000
HEADER_TEXT_LIMIT = 150


def truncate(text: str, limit: int) -> str:
    """Raw text cut to `limit` characters; `Mrkdwn` is cut without breaking its markup."""
    if isinstance(text, Mrkdwn):
        return text.truncate(limit)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> Mrkdwn:
    """`text` escaped unless it is `Mrkdwn` already, within `limit`."""
    return escape(text).truncate(limit)


def plain_text(text: str, limit: int) -> str:
    """The raw text a plain_text field shows, within `limit`."""
    return truncate(plain(text), limit)


def plain_object(text: str, limit: int = 2000) -> dict[str, Any]:
    return {"type": "plain_text", "text": plain_text(text, limit), "emoji": True}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": plain_text(text, 150)}}


def section(text: str, block_id: str | None = None) -> Block:
    block: Block = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": mrkdwn(text)},
    }
    if block_id:
        block["block_id"] = block_id
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn(text)}]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": plain_object(text, 75),
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
    """A message with a fallback for notifications and screen readers. Slack formats the
    fallback as mrkdwn too (it notifies mentions in it), so it is escaped like a section."""
    return {"text": mrkdwn(text), "blocks": blocks}


def text_message(text: str) -> Message:
    return message(text, [section(text)])
