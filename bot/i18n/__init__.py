"""Every user-facing string, in French and English, and the dates written each way.

Strings live in `bot.i18n.messages.*` modules, one per feature, each exporting `FR` and
`EN` dictionaries with the same keys. `t()` fails loudly on a missing key: a blank message
in Slack is worse than a failing test.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime

from bot.enums import Language
from bot.i18n.messages import CATALOGS


def t(lang: Language, key: str, **params: object) -> str:
    """Translate `key` into `lang`, filling `{placeholders}` from `params`."""
    template = CATALOGS[lang][key]
    return template.format(**params) if params else template


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
def _format(moment: datetime, pattern: str, tz: str, lang: Language) -> str:
    """Cached: a programme formats the same dozen instants on every request, and Babel
    takes ~20 µs per call."""
    return format_datetime(moment, pattern, tzinfo=_zone(tz), locale=_locale(lang))


def format_when(moment: datetime, tz: str, lang: Language) -> str:
    """'jeudi 14 janvier 2027 à 14h00' / 'Thursday 14 January 2027 at 14:00'."""
    return _format(moment, _DATE_FORMATS[lang], tz, lang)


def format_day(moment: datetime, tz: str, lang: Language) -> str:
    """'jeudi 14 janvier 2027'."""
    return _format(moment, _DAY_FORMATS[lang], tz, lang)


def format_time(moment: datetime, tz: str, lang: Language) -> str:
    """'14h00' / '14:00'."""
    return _format(moment, _TIME_FORMATS[lang], tz, lang)


def format_short(moment: datetime, tz: str, lang: Language) -> str:
    """'jeu. 14 janv. à 14h00', for compact lists."""
    return _format(moment, _SHORT_FORMATS[lang], tz, lang)
