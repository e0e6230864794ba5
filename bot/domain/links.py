"""What counts as a web link a member may attach: the rule both validation and rendering use.

A link is written into Slack's mrkdwn as `<url|label>`, where `<`, `>` and `|` are control
characters: a URL that contains one can close the link early and smuggle `<!channel>` or a
second, disguised link. Whitespace, control and invisible characters (zero-width spaces,
bidirectional overrides) make a URL that reads differently from where it goes. Refusing
them all keeps the rule short enough to state to the member.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

LINK_SCHEMES = ("http", "https")
_FORBIDDEN = frozenset('<>|"`\\')


def _unsafe_character(char: str) -> bool:
    if char in _FORBIDDEN or char.isspace():
        return True
    # Cc control, Cf format (zero-width, RTL/LTR overrides and marks), Zl/Zp separators.
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs")


# Printable ASCII but space, `"`, `<`, `>`, `\\`, `` ` `` and `|`: the usual link, checked at once.
_SAFE_ASCII = re.compile(r"[!#-;=?-\[\]-_a-{}~]+")


def is_web_link(link: str) -> bool:
    """True for an http(s) URL with a host and none of `<`, `>`, `|`, quotes, backslashes,
    whitespace or control/invisible characters."""
    if not link:
        return False
    if link.isascii():
        if _SAFE_ASCII.fullmatch(link) is None:
            return False
    elif any(_unsafe_character(c) for c in link):
        return False
    try:
        parts = urlsplit(link)
        hostname = parts.hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return False
    return parts.scheme.lower() in LINK_SCHEMES and bool(hostname)
