"""Every user-facing string, in French and English, and the dates written each way.

Strings live in `bot.i18n.messages.*` modules, one per feature, each exporting `FR` and
`EN` dictionaries with the same keys. `t()` fails loudly on a missing key: a blank message
in Slack is worse than a failing test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime

from bot.enums import Language
from bot.i18n.messages import CATALOGS
from bot.slack.text import Mrkdwn, channel_mention, escape, mention

# `<@{user}>` and `<#{channel}>`: the only markup a template writes around a parameter.
_TEMPLATE_TOKEN = re.compile(r"<([@#])\{(\w+)\}>|\{\{|\}\}|\{[^{}]*\}")


@dataclass(frozen=True)
class _Template:
    """A catalog string made ready for mrkdwn: its own text escaped, its mentions named."""

    text: Mrkdwn
    users: tuple[str, ...]
    channels: tuple[str, ...]


@cache
def _compile(template: str) -> _Template:
    """Templates are written as readable text (`{cmd} theme <texte>`, `Q&A`): everything
    but the placeholders and the `<@{…}>` / `<#{…}>` mentions around them is escaped, so
    a template is valid mrkdwn however it is written."""
    parts: list[str] = []
    users: list[str] = []
    channels: list[str] = []
    last = 0
    for match in _TEMPLATE_TOKEN.finditer(template):
        parts.append(escape(template[last : match.start()]))
        sigil, name = match.group(1), match.group(2)
        if sigil == "@":
            users.append(name)
            parts.append("{@" + name + "}")
        elif sigil == "#":
            channels.append(name)
            parts.append("{#" + name + "}")
        else:
            parts.append(match.group(0))
        last = match.end()
    parts.append(escape(template[last:]))
    return _Template(Mrkdwn("".join(parts)), tuple(users), tuple(channels))


# Safe as they are: mrkdwn already, or numbers (which keep their type for format specs
# such as `{hour:02d}`).
_KEPT_AS_IS = frozenset({Mrkdwn, int, float})


def t(lang: Language, key: str, **params: object) -> Mrkdwn:
    """Translate `key` into `lang`, filling `{placeholders}` from `params`, as mrkdwn.

    Every parameter is escaped unless it already is `Mrkdwn` (another `t()`, a link from
    `link()`), so member text can be passed as it is and never pings or links anything.
    A value inside `<@{…}>` or `<#{…}>` is written as a mention only if it is an id.
    """
    compiled = _compile(CATALOGS[lang][key])
    if not params and not compiled.users and not compiled.channels:
        return compiled.text
    values = {
        name: value if type(value) in _KEPT_AS_IS else escape(value)
        for name, value in params.items()
    }
    for name in compiled.users:
        values["@" + name] = mention(str(params[name]))
    for name in compiled.channels:
        values["#" + name] = channel_mention(str(params[name]))
    return Mrkdwn(compiled.text.format_map(values))


_DATE_FORMATS = {
    Language.FR: "EEEE d MMMM y 'à' HH'h'mm",
    Language.EN: "EEEE d MMMM y 'at' HH:mm",
}
_DAY_FORMATS = {Language.FR: "EEEE d MMMM y", Language.EN: "EEEE d MMMM y"}
_TIME_FORMATS = {Language.FR: "HH'h'mm", Language.EN: "HH:mm"}
_SHORT_FORMATS = {
    Language.FR: "EEE d MMM 'à' HH'h'mm",
    Language.EN: "EEE d MMM 'at' HH:mm",
}


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@cache
def _locale(lang: Language) -> Locale:
    return Locale.parse(lang.value)


@lru_cache(maxsize=4096)
def _format(moment: datetime, pattern: str, tz: str, lang: Language) -> Mrkdwn:
    """Cached: a programme formats the same dozen instants on every request, and Babel
    takes ~20 µs per call. Mrkdwn, escaped once here rather than at every use."""
    return escape(format_datetime(moment, pattern, tzinfo=_zone(tz), locale=_locale(lang)))


def format_when(moment: datetime, tz: str, lang: Language) -> Mrkdwn:
    """'jeudi 14 janvier 2027 à 14h00' / 'Thursday 14 January 2027 at 14:00'."""
    return _format(moment, _DATE_FORMATS[lang], tz, lang)


def format_day(moment: datetime, tz: str, lang: Language) -> Mrkdwn:
    """'jeudi 14 janvier 2027'."""
    return _format(moment, _DAY_FORMATS[lang], tz, lang)


def format_time(moment: datetime, tz: str, lang: Language) -> Mrkdwn:
    """'14h00' / '14:00'."""
    return _format(moment, _TIME_FORMATS[lang], tz, lang)


def format_short(moment: datetime, tz: str, lang: Language) -> Mrkdwn:
    """'jeu. 14 janv. à 14h00', for compact lists."""
    return _format(moment, _SHORT_FORMATS[lang], tz, lang)
