"""Both languages say the same things, with the same placeholders."""

from __future__ import annotations

import string
from datetime import UTC, datetime

from bot.enums import Language
from bot.i18n import format_day, format_short, format_time, format_when
from bot.i18n.messages import CATALOGS


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogs_have_the_same_keys():
    assert CATALOGS[Language.FR].keys() == CATALOGS[Language.EN].keys()


def test_catalogs_use_the_same_placeholders():
    mismatched = [
        key
        for key, french in CATALOGS[Language.FR].items()
        if placeholders(french) != placeholders(CATALOGS[Language.EN][key])
    ]

    assert mismatched == []


def test_dates_written_the_french_and_english_way():
    moment = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)
    half_past = datetime(2027, 1, 14, 8, 30, tzinfo=UTC)

    assert format_when(moment, "Europe/Paris", Language.FR) == "jeudi 14 janvier 2027 à 14\u00a0h"
    assert format_when(moment, "Europe/Paris", Language.EN) == "Thursday 14 January 2027 at 14:00"
    assert format_day(moment, "Europe/Paris", Language.FR) == "jeudi 14 janvier 2027"
    assert format_time(moment, "America/Cayenne", Language.FR) == "10\u00a0h"
    assert format_time(half_past, "Europe/Paris", Language.FR) == "9\u00a0h\u00a030"
    assert format_time(half_past, "Europe/Paris", Language.EN) == "09:30"
    assert (
        format_short(half_past, "Europe/Paris", Language.FR) == "jeu. 14 janv. à 9\u00a0h\u00a030"
    )
