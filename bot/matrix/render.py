"""Block Kit messages drawn for Matrix: a plain `body` and an HTML `formatted_body`.

The flows still describe their messages as Block Kit dicts (`bot.slack.blocks`); until a
neutral description replaces them, this is the one place that turns such a dict into
what a Matrix client shows. Its interface is kept to one function, `render(message)`,
so the neutral description can replace its input without touching its callers.

What a Matrix client cannot do is written out: a button becomes a line naming the
command that does the same thing. People are named, never pinged: a mention the
builders wrote for a Matrix id (`@@alice:server`, an id `mention()` could not turn into
Slack markup) becomes the member's display name, as plain text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.slack.ids import ActionId

Names = Callable[[str], str]

# Buttons, and the subcommand that does what they do.
_BUTTON_COMMANDS: dict[str, str] = {
    ActionId.CLAIM_GUIDE: "guide",
    ActionId.OPEN_CONTRIBUTION: "contribuer",
    ActionId.MARK_READY: "prête",
    ActionId.JOIN: "participer",
    ActionId.ROLES_OPEN: "roles",
    ActionId.CALENDAR_ICS: "calendrier",
    ActionId.BOARD_TAKE_GUIDE: "guide",
    ActionId.BOARD_RELEASE_GUIDE: "retirer guide",
    ActionId.BOARD_CONTRIBUTE: "contribuer",
    ActionId.BOARD_READY: "prête",
    ActionId.BOARD_WITHDRAW: "retirer contribution",
    ActionId.BOARD_JOIN: "participer",
    ActionId.BOARD_LEAVE: "retirer participation",
    ActionId.BOARD_CONFIG: "config",
}

# A Matrix user id as `mention()` leaves it (escaped text after an `@`).
_MATRIX_MENTION = re.compile(r"@(@[A-Za-z0-9._=/+\-]+:[A-Za-z0-9.\-]+(?::\d+)?)")
# Slack's markup tokens: `<url|label>`, `<url>`, `<@U…>`, `<#C…>`, `<!here>`.
_TOKEN = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])")
_CODE = re.compile(r"`([^`\n]+)`")
_BULLET = re.compile(r"^\s*[•◦▪\-]\s+")


def _unescape(text: str) -> str:
    """mrkdwn escapes only `&`, `<` and `>`, as entities."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _name(user_id: str, names: Names | None) -> str:
    if names is not None:
        return names(user_id)
    return user_id


def _inline_html(mrkdwn: str, names: Names | None) -> str:
    """One line of mrkdwn as HTML: links, names, bold, italics, strike, code."""
    parts: list[str] = []
    last = 0
    for match in _TOKEN.finditer(mrkdwn):
        parts.append(_styled_html(mrkdwn[last : match.start()], names))
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            parts.append(html.escape(_name(target[1:], names), quote=False))
        elif target.startswith("#"):
            parts.append(html.escape("#" + (label or target[1:]), quote=False))
        elif target.startswith("!"):
            parts.append(html.escape("@" + (label or target[1:]), quote=False))
        else:
            url = _unescape(target)
            text = _styled_html(label, names) if label else html.escape(url, quote=False)
            parts.append(f'<a href="{html.escape(url, quote=True)}">{text}</a>')
        last = match.end()
    parts.append(_styled_html(mrkdwn[last:], names))
    return "".join(parts)


def _styled_html(text: str, names: Names | None) -> str:
    # `text` is mrkdwn outside any token: its `&`, `<`, `>` are entities already, valid
    # in HTML as they are.
    text = _MATRIX_MENTION.sub(
        lambda m: html.escape(_name(m.group(1), names), quote=False).replace("@", "&#64;"), text
    )
    text = _CODE.sub(r"<code>\1</code>", text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    return _STRIKE.sub(r"<del>\1</del>", text)


def _inline_plain(mrkdwn: str, names: Names | None) -> str:
    def token(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            return _name(target[1:], names)
        if target.startswith(("#", "!")):
            return target[0] + (label or target[1:])
        url = _unescape(target)
        return f"{_unescape(label)} ({url})" if label and _unescape(label) != url else url

    text = _TOKEN.sub(token, mrkdwn)
    text = _MATRIX_MENTION.sub(lambda m: _name(m.group(1), names), text)
    return _unescape(text)


def _mrkdwn_html(mrkdwn: str, names: Names | None) -> str:
    """Lines of mrkdwn as HTML: runs of bullet lines become a list, `>` lines a quote."""
    out: list[str] = []
    items: list[str] = []
    quote: list[str] = []

    def flush() -> None:
        if items:
            out.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()
        if quote:
            out.append("<blockquote>" + "<br>".join(quote) + "</blockquote>")
            quote.clear()

    plain_lines: list[str] = []
    for line in mrkdwn.split("\n"):
        if _BULLET.match(line):
            if plain_lines:
                out.append("<br>".join(plain_lines))
                plain_lines.clear()
            if quote:
                flush()
            items.append(_inline_html(_BULLET.sub("", line, count=1), names))
        elif line.startswith("&gt;"):
            if plain_lines:
                out.append("<br>".join(plain_lines))
                plain_lines.clear()
            if items:
                flush()
            quote.append(_inline_html(line[4:].lstrip(), names))
        else:
            flush()
            plain_lines.append(_inline_html(line, names))
    flush()
    if plain_lines:
        out.append("<br>".join(plain_lines))
    return "".join(out)


def _button_line(element: Mapping[str, Any], command: str) -> tuple[str, str]:
    label = str((element.get("text") or {}).get("text", ""))
    url = element.get("url")
    if url:
        return (
            f"{label} : {url}",
            f'<a href="{html.escape(str(url), quote=True)}">{html.escape(label, quote=False)}</a>',
        )
    word = _BUTTON_COMMANDS.get(str(element.get("action_id", "")))
    if word is None:
        return label, html.escape(label, quote=False)
    typed = f"{command} {word}"
    return (
        f"{label}\u202f: {typed}",
        f"{html.escape(label, quote=False)}\u202f: <code>{html.escape(typed, quote=False)}</code>",
    )


def _block(block: Mapping[str, Any], command: str, names: Names | None) -> tuple[str, str]:
    kind = block.get("type")
    if kind == "header":
        text = str(block["text"]["text"])
        return text, f"<h3>{html.escape(text, quote=False)}</h3>"
    if kind == "divider":
        return "", "<hr>"
    if kind == "section":
        texts: list[str] = []
        if block.get("text"):
            texts.append(str(block["text"]["text"]))
        texts += [str(field["text"]) for field in block.get("fields", ())]
        plain = "\n".join(_inline_plain(text, names) for text in texts)
        rich = "".join(f"<p>{_mrkdwn_html(text, names)}</p>" for text in texts)
        accessory = block.get("accessory")
        if accessory and accessory.get("type") == "button":
            line, line_html = _button_line(accessory, command)
            plain, rich = f"{plain}\n{line}", f"{rich}<p>{line_html}</p>"
        return plain, rich
    if kind == "context":
        texts = [str(e.get("text", "")) for e in block.get("elements", ()) if "text" in e]
        plain = " ".join(_inline_plain(text, names) for text in texts)
        rich = " ".join(_mrkdwn_html(text, names) for text in texts)
        return plain, f"<p><em>{rich}</em></p>"
    if kind == "actions":
        lines = [
            _button_line(element, command)
            for element in block.get("elements", ())
            if element.get("type") == "button"
        ]
        if not lines:
            return "", ""
        return (
            "\n".join(line for line, _ in lines),
            "<ul>" + "".join(f"<li>{rich}</li>" for _, rich in lines) + "</ul>",
        )
    return "", ""


def render(
    message: Mapping[str, Any], *, command: str = "!partage", names: Names | None = None
) -> tuple[str, str]:
    """`(body, formatted_body)` for a Block Kit message dict (`{"text", "blocks"}`).

    `command` is how members type the bot's command here (buttons name it); `names`
    gives a member's display name for their Matrix id (the id itself without it)."""
    blocks: Sequence[Mapping[str, Any]] = message.get("blocks") or ()
    if not blocks:
        text = str(message.get("text", ""))
        return _inline_plain(text, names), _mrkdwn_html(text, names)
    drawn = [_block(block, command, names) for block in blocks]
    body = "\n\n".join(plain for plain, _ in drawn if plain)
    formatted = "".join(rich for _, rich in drawn if rich)
    return body, formatted


def matrix_content(
    message: Mapping[str, Any], *, command: str = "!partage", names: Names | None = None
) -> dict[str, Any]:
    """The `m.room.message` content for `message`: a notice (bots answer with notices,
    which other bots ignore), HTML formatted, that pings nobody (`m.mentions` empty)."""
    body, formatted = render(message, command=command, names=names)
    return {
        "msgtype": "m.notice",
        "body": body,
        "format": "org.matrix.custom.html",
        "formatted_body": formatted,
        "m.mentions": {},
    }
