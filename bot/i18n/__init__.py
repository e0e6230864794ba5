"""Every user-facing string, in French and English, and the dates, times and numbers
written each way.

Strings live in `bot.i18n.messages.*` modules, one per feature, each exporting `FR` and
`EN` dictionaries with the same keys. `t()` fails loudly on a missing key: a blank message
in Slack is worse than a failing test.

Values are formatted here, never in a catalogue string or a builder, so French typography
holds by construction: `format_time` writes `14 h 30` (French) or `14:30` (English), and
`t()` writes every integer parameter as its language groups numbers (`3 000` with a narrow
no-break space, `3,000`). A catalogue string only joins a formatted value to its unit, with
a no-break space in French (`{minutes}\u00a0min`); tests/i18n/test_typography.py checks
every string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime
from babel.numbers import format_decimal

from bot.enums import Language
from bot.i18n.messages import CATALOGS
from bot.slack.text import Mrkdwn, channel_mention, escape, mention

# `<@{user}>` and `<#{channel}>`: the only markup a template writes around a parameter.
_TEMPLATE_TOKEN = re.compile(r"<([@#])\{(\w+)\}>|\{\{|\}\}|\{[^{}]*\}")


@dataclass(frozen=True)
class _Template:
    """A catalog string made ready for mrkdwn: its own text escaped, its mentions named,
    and the parameters it formats itself (`{hour:02d}`), which get their number raw."""

    text: Mrkdwn
    users: tuple[str, ...]
    channels: tuple[str, ...]
    raw: frozenset[str]


@cache
def _compile(template: str) -> _Template:
    """Templates are written as readable text (`{cmd} theme <texte>`, `Q&A`): everything
    but the placeholders and the `<@{…}>` / `<#{…}>` mentions around them is escaped, so
    a template is valid mrkdwn however it is written."""
    parts: list[str] = []
    users: list[str] = []
    channels: list[str] = []
    raw: set[str] = set()
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
            field = match.group(0)[1:-1]
            if ":" in field or "!" in field:
                raw.add(re.split(r"[:!.\[]", field, maxsplit=1)[0])
        last = match.end()
    parts.append(escape(template[last:]))
    return _Template(Mrkdwn("".join(parts)), tuple(users), tuple(channels), frozenset(raw))


# Safe as they are: mrkdwn already, or floats (which keep their type for format specs).
_KEPT_AS_IS = frozenset({Mrkdwn, float})


@lru_cache(maxsize=4096)
def format_number(value: int, lang: Language) -> Mrkdwn:
    """`3 000` (a narrow no-break space, as Babel's French locale groups) / `3,000`.

    Cached: a programme writes the same few durations on every request."""
    return escape(format_decimal(value, locale=_locale(lang)))


def _value(value: object, lang: Language, raw: bool) -> object:
    """A parameter made ready for its template: an integer written the language's way
    (the template cannot group `3000` itself), member text escaped."""
    kind = type(value)
    if kind is int:
        return value if raw else format_number(value, lang)
    return value if kind in _KEPT_AS_IS else escape(value)


def t(lang: Language, key: str, **params: object) -> Mrkdwn:
    """Translate `key` into `lang`, filling `{placeholders}` from `params`, as mrkdwn.

    Every parameter is escaped unless it already is `Mrkdwn` (another `t()`, a link from
    `link()`), so member text can be passed as it is and never pings or links anything.
    An integer is written the language's way (`format_number`), unless the template
    formats it itself (`{hour:02d}`). A value inside `<@{…}>` or `<#{…}>` is written as a
    mention only if it is an id.
    """
    compiled = _compile(CATALOGS[lang][key])
    if not params and not compiled.users and not compiled.channels:
        return compiled.text
    values = {name: _value(value, lang, name in compiled.raw) for name, value in params.items()}
    for name in compiled.users:
        values["@" + name] = mention(str(params[name]))
    for name in compiled.channels:
        values["#" + name] = channel_mention(str(params[name]))
    return Mrkdwn(compiled.text.format_map(values))


# The date part only: Babel's patterns cannot drop the minutes of a full hour, so the
# time is written by `_clock`.
_DATE_FORMATS = {Language.FR: "EEEE d MMMM y", Language.EN: "EEEE d MMMM y"}
_DAY_MONTH_FORMATS = {Language.FR: "EEEE d MMMM", Language.EN: "EEEE d MMMM"}
_SHORT_DATE_FORMATS = {Language.FR: "EEE d MMM", Language.EN: "EEE d MMM"}
_AT = {Language.FR: "à", Language.EN: "at"}
NBSP = "\u00a0"  # French typography: between a number and its unit, inside `14 h 30`


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


@lru_cache(maxsize=4096)
def _clock(moment: datetime, tz: str, lang: Language) -> str:
    """French typography writes `14 h` and `14 h 30`, with no-break spaces so the time
    never breaks across lines; English writes `14:30`, as it did."""
    local = moment.astimezone(_zone(tz))
    if lang is Language.FR:
        minutes = f"{NBSP}{local.minute:02d}" if local.minute else ""
        return f"{local.hour}{NBSP}h{minutes}"
    return f"{local.hour:02d}:{local.minute:02d}"


def format_when(moment: datetime, tz: str, lang: Language) -> Mrkdwn:
    """'jeudi 14 janvier 2027 à 14 h' / 'Thursday 14 January 2027 at 14:00'."""
    day = _format(moment, _DATE_FORMATS[lang], tz, lang)
    return Mrkdwn(f"{day} {_AT[lang]} {_clock(moment, tz, lang)}")


def format_day(moment: datetime, tz: str, lang: Language) -> Mrkdwn:
    """'jeudi 14 janvier 2027'."""
    return _format(moment, _DATE_FORMATS[lang], tz, lang)


def format_day_time(moment: datetime, tz: str, lang: Language) -> Mrkdwn:
    """'jeudi 14 janvier à 14 h' / 'Thursday 14 January at 14:00': a deadline in the
    weeks to come, whose year goes without saying."""
    day = _format(moment, _DAY_MONTH_FORMATS[lang], tz, lang)
    return Mrkdwn(f"{day} {_AT[lang]} {_clock(moment, tz, lang)}")


def format_time(moment: datetime, tz: str, lang: Language) -> Mrkdwn:
    """'14 h', '14 h 30' / '14:00', '14:30'."""
    return Mrkdwn(_clock(moment, tz, lang))


def format_short(moment: datetime, tz: str, lang: Language) -> Mrkdwn:
    """'jeu. 14 janv. à 14 h', for compact lists."""
    day = _format(moment, _SHORT_DATE_FORMATS[lang], tz, lang)
    return Mrkdwn(f"{day} {_AT[lang]} {_clock(moment, tz, lang)}")
