"""Text for Slack's mrkdwn, safe by construction.

Slack reads `&`, `<` and `>` as control characters in mrkdwn: `<!channel>` pings a whole
channel, `<@U123>` a member, `<https://evil.example|https://good.example>` disguises a
link. Member text (themes, proposals, titles, guest names, links, words echoed in a
refusal) must therefore reach a mrkdwn field only with those three characters written as
entities.

`Mrkdwn` is the one type of text that is already safe to send as mrkdwn. `escape()` turns
anything else into one; the builders in `bot.slack.blocks` and `t()` in `bot.i18n` call it
on whatever they are given, so a raw string can never reach Slack unescaped, and a
`Mrkdwn` value is never escaped twice. The only markup the bot writes itself comes from
`mention()`, `channel_mention()` and `link()`, which check what they wrap.

plain_text fields (headers, buttons, options, modal titles and hints) are a different
format: Slack shows them as they are and escapes them itself (a button labelled `A & B`
comes back in payloads as `A &amp; B`), so they take raw text; `plain()` turns a
`Mrkdwn` value back into the text it shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.domain.links import is_web_link

# What Slack's user ids look like in payloads (`U…`, or `W…` on Enterprise Grid).
USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
# Enough to render an id without it carrying markup; stricter checks are at the payload edge.
_MENTIONABLE_USER = re.compile(r"[UW][A-Z0-9]+")
_MENTIONABLE_CHANNEL = re.compile(r"[CGD][A-Z0-9]+")

_ENTITY = re.compile(r"&(amp|lt|gt);")
_UNESCAPES = {"amp": "&", "lt": "<", "gt": ">"}


class Mrkdwn(str):
    """A string that is valid, safe mrkdwn as it is: member text in it is escaped.

    Joining or adding keeps the type only when every part is safe: `Mrkdwn("\\n").join()`
    and `+` escape the plain strings they are given. Any other str operation returns a
    plain `str`, which the builders then escape: a mistake shows entities, never a ping.
    """

    __slots__ = ()

    def join(self, parts: Iterable[object]) -> Mrkdwn:
        return Mrkdwn(str.join(self, (escape(part) for part in parts)))

    def __add__(self, other: object) -> Mrkdwn:
        return Mrkdwn(str.__add__(self, escape(other)))

    def __radd__(self, other: object) -> Mrkdwn:
        return Mrkdwn(str.__add__(escape(other), self))

    def plain(self) -> str:
        """The text Slack shows for this mrkdwn, for a plain_text field."""
        return plain(self)

    def truncate(self, limit: int) -> Mrkdwn:
        """At most `limit` characters, never cutting a `<…>` token or an `&…;` entity in
        half (a cut `<@U12` would swallow what follows; a cut `&am` shows as is)."""
        if len(self) <= limit:
            return self
        cut = str(self)[: limit - 1]
        opened, closed = cut.rfind("<"), cut.rfind(">")
        if opened > closed:
            cut = cut[:opened]
        amp = cut.rfind("&")
        if amp != -1 and ";" not in cut[amp:]:
            cut = cut[:amp]
        return Mrkdwn(cut + "…")


def escape(value: object) -> Mrkdwn:
    """Member text (or a number, or anything printable) as mrkdwn that shows it literally.

    A `Mrkdwn` value is returned as is, so escaping is idempotent along a chain of builders.
    """
    if isinstance(value, Mrkdwn):
        return value
    text = value if isinstance(value, str) else str(value)
    # Most text has nothing to escape; `in` is much faster than rewriting it.
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Mrkdwn(text)


def plain(text: str) -> str:
    """Raw text for a plain_text field: a `Mrkdwn` value is unescaped, a str left as is."""
    if isinstance(text, Mrkdwn):
        return _ENTITY.sub(lambda m: _UNESCAPES[m.group(1)], text)
    return str(text)


def lines(*parts: object) -> Mrkdwn:
    """Parts one per line, each escaped unless it is already `Mrkdwn`."""
    return NEWLINE.join(parts)


NEWLINE = Mrkdwn("\n")


def is_user_id(value: object) -> bool:
    """True for a Slack user id as payloads carry it (`U0123ABCD`, `W0123ABCD`)."""
    return isinstance(value, str) and USER_ID.fullmatch(value) is not None


def mentionable_user(value: object) -> bool:
    return isinstance(value, str) and _MENTIONABLE_USER.fullmatch(value) is not None


def mentionable_channel(value: object) -> bool:
    return isinstance(value, str) and _MENTIONABLE_CHANNEL.fullmatch(value) is not None


@lru_cache(maxsize=4096)
def mention(user_id: str) -> Mrkdwn:
    """`<@U…>` for a user id; anything else is shown escaped, as text, never as markup."""
    if mentionable_user(user_id):
        return Mrkdwn(f"<@{user_id}>")
    return escape(f"@{user_id}")


@lru_cache(maxsize=1024)
def channel_mention(channel_id: str) -> Mrkdwn:
    """`<#C…>` for a channel id; anything else is shown escaped."""
    if mentionable_channel(channel_id):
        return Mrkdwn(f"<#{channel_id}>")
    return escape(f"#{channel_id}")


# A label that reads like a web address (`https://…`, `www.…`, `good.example`).
_ADDRESS_LIKE = re.compile(r"://|\bwww\.|\b[\w-]+(\.[\w-]+)*\.[^\W\d_]{2,}\b")


def link(url: str | None, label: object) -> Mrkdwn:
    """The one way to write a link: `<url|label>` with the label escaped, for a URL that
    `is_web_link` accepts.

    A label that reads like an address would disguise where the link goes (a title
    `https://good.example` over a link to elsewhere), so the URL is then shown itself,
    after the label. Any URL `is_web_link` refuses (e.g. a row stored before the rule) is
    shown escaped, as text that makes no link of its own markup.
    """
    text = escape(label)
    if not url:
        return text
    if not is_web_link(url):
        return text + Mrkdwn(" (") + escape(url) + Mrkdwn(")")
    if _ADDRESS_LIKE.search(plain(text)):
        return text + Mrkdwn(f" (<{escape(url)}>)")
    return Mrkdwn(f"<{escape(url)}|{text}>")
