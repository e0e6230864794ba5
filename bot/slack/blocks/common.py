"""Small Block Kit pieces shared by the builders.

Every text goes through these pieces, and they decide how it is written: mrkdwn fields
(`section`, `context`, a message's `text` fallback) take `Mrkdwn` and escape anything
else; plain_text fields (`header`, `button`, `plain`) take raw text and unescape a
`Mrkdwn` value. So a builder that hands member text to either cannot make it ping anyone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.slack.text import NEWLINE, Mrkdwn, escape, plain

__all__ = ["Mrkdwn", "escape", "plain"]

Block = dict[str, Any]
Message = dict[str, Any]  # {"text": fallback, "blocks": [...]}

SECTION_TEXT_LIMIT = 3000
HEADER_TEXT_LIMIT = 150
MESSAGE_BLOCK_LIMIT = 50
MODAL_BLOCK_LIMIT = 100
URL_LIMIT = 3000  # a url button's url


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


def url_button(text: str, action_id: str, url: str) -> Block:
    """A button that opens `url` in the browser; Slack still sends the click, which the
    app must acknowledge."""
    return {
        "type": "button",
        "text": plain_object(text, 75),
        "action_id": action_id,
        "url": url[:URL_LIMIT],
    }


def sections(
    lines: Sequence[Mrkdwn],
    *,
    max_blocks: int = MESSAGE_BLOCK_LIMIT,
    more: Callable[[int], Mrkdwn] | None = None,
    limit: int = SECTION_TEXT_LIMIT,
    tail: Sequence[Mrkdwn] = (),
) -> list[Block]:
    """Lines packed into as few sections as fit in `limit` characters each, never cutting
    a line: a line that does not fit with others goes into a section of its own.

    A lone line longer than `limit` is cut by `Mrkdwn.truncate`, which never cuts a
    `<…>` token (a link or a mention is dropped whole rather than broken). When more than
    `max_blocks` sections would be needed, the last one ends with `more(n)`, the count of
    lines left out, so a message never exceeds Slack's 50 blocks. `tail` lines (the end of
    a run-of-show) come after the lines and are never left out.
    """
    end = _pack(tail, limit)
    packed = _pack(lines, limit)
    room = max_blocks - len(end)
    if len(packed) > room > 0:
        kept = packed[: room - 1]
        left = sum(len(group) for group in packed[room - 1 :])
        kept.append([more(left) if more is not None else Mrkdwn("…")])
        packed = kept
    return [section(NEWLINE.join(group)) for group in (*packed, *end)]


def _pack(lines: Sequence[Mrkdwn], limit: int) -> list[list[Mrkdwn]]:
    packed: list[list[Mrkdwn]] = []
    size = 0
    for raw in lines:
        line = escape(raw).truncate(limit)
        if packed and size + 1 + len(line) <= limit:
            packed[-1].append(line)
            size += 1 + len(line)
        else:
            packed.append([line])
            size = len(line)
    return packed


def actions(block_id: str, *elements: Block) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def message(text: str, blocks: list[Block]) -> Message:
    """A message with a fallback for notifications and screen readers. Slack formats the
    fallback as mrkdwn too (it notifies mentions in it), so it is escaped like a section."""
    return {"text": mrkdwn(text), "blocks": blocks}


def text_message(text: str) -> Message:
    return message(text, [section(text)])
