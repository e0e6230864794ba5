"""French typography over the whole French catalogue: a narrow no-break space (U+202F)
before « ; : ! ? », after « and before », one time style, no date as inline code."""

from __future__ import annotations

import re

import pytest

from bot.enums import Language
from bot.i18n.messages import CATALOGS

NNBSP = "\u202f"
# What the rule does not apply to: code spans, `<…>` tokens (links, mentions), URLs,
# placeholders, emoji codes such as `:one:` and clock times such as 14:00.
EXEMPT = re.compile(r"`[^`]*`|<[^<>]*>|https?://[^\s`]*|\{[^{}]*\}|:[a-z0-9_+-]+:|\d{1,2}:\d{2}")
FRENCH = sorted(CATALOGS[Language.FR].items())


def typography_problems(text: str) -> list[str]:
    """Each offending character with what surrounds it, so a failure says where."""
    prose = EXEMPT.sub(lambda m: "x" * len(m.group(0)), text)
    problems = []
    for match in re.finditer(r"[;:!?»]", prose):
        if prose[match.start() - 1 : match.start()] != NNBSP:
            problems.append(text[max(0, match.start() - 12) : match.end() + 2])
    for match in re.finditer("«", prose):
        if prose[match.end() : match.end() + 1] != NNBSP:
            problems.append(text[match.start() : match.end() + 12])
    return problems


def test_typography_problems_finds_ordinary_spaces_and_missing_spaces():
    assert typography_problems("Thème : « x »") == ["Thème : «", "Thème : « x »", "« x »"]
    assert typography_problems("Merci!") == ["Merci!"]


def test_typography_problems_exempts_code_links_times_and_emoji_codes():
    text = "`{cmd} session 2027-01-14 14:00` <https://a.example/?q=1|lien> :one: 14:00 {x}"

    assert typography_problems(text) == []


@pytest.mark.parametrize(("key", "text"), FRENCH, ids=[key for key, _ in FRENCH])
def test_french_catalogue_follows_french_typography(key, text):
    assert typography_problems(text) == []


def test_french_catalogue_writes_times_one_way():
    # 14h00, as Babel writes them in French; 14:00 only inside a command example.
    prose = [
        key for key, text in FRENCH if re.search(r"\d{1,2}:\d{2}", re.sub(r"`[^`]*`", "", text))
    ]

    assert prose == []


def test_no_catalogue_shows_a_date_or_time_as_inline_code():
    as_code = [
        (lang, key)
        for lang, table in CATALOGS.items()
        for key, text in table.items()
        if re.search(r"`\{(when|start|end|time|day)\}", text)
    ]

    assert as_code == []
