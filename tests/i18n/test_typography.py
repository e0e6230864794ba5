"""French typography over the whole French catalogue, written and rendered: a narrow
no-break space (U+202F) before « ; : ! ? », after « and before », curly apostrophes,
times as `14 h 30`, a no-break space between a number and its unit, numbers grouped.
English keeps its own conventions. The same rules run over a simulated month's messages
in `tests/jobs/test_month_typography.py`."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime

import pytest

from bot.enums import Language
from bot.i18n import format_day, format_day_time, format_short, format_time, format_when, t
from bot.i18n.messages import CATALOGS
from bot.slack.text import Mrkdwn
from tests.support.month import Month
from tests.support.typography import NBSP, NNBSP, french_problems, prose, shown_texts

FRENCH = sorted(CATALOGS[Language.FR].items())
ENGLISH = sorted(CATALOGS[Language.EN].items())
START = datetime(2027, 1, 14, 13, 30, tzinfo=UTC)  # 14 h 30 in Paris
END = datetime(2027, 1, 14, 13, 40, tzinfo=UTC)
TZ = "Europe/Paris"


def plausible(lang: Language) -> dict[str, object]:
    """A value for every placeholder of the catalogue, of the kind its caller passes:
    numbers as ints (large enough to need grouping where a real one can be), dates and
    times from the i18n helpers, member ids for mentions, short member texts."""
    when = format_when(START, TZ, lang)
    return {
        "actor": "U0ORGA",
        "affiliation": "DINUM",
        "answers": "«\u202fEn forme\u202f»" if lang is Language.FR else "“Fine”",
        "answer": "répond 503" if lang is Language.FR else "answers 503",
        "anticipation": 10,
        "at": format_short(START, TZ, lang),
        "author": "U0ANNA",
        "bot": "partage",
        "budget": 30,
        "channel": "C0GROUP",
        "channels": Mrkdwn("<#C0GROUP>, <#C0OTHER>"),
        "cmd": "/partage",
        "code": "invalid_auth",
        "command": "contribuer",
        "count": 1200,
        "day": format_day(START, TZ, lang),
        "days": 7,
        "deliveries": 3,
        "detail": "Un commun",
        "discussion": 10,
        "emoji": ":one:",
        "error": "SLACK_BOT_TOKEN is missing",
        "emojis": ":one:, :two:",
        "end": format_time(END, TZ, lang),
        "formats": t(lang, "session.formats"),
        "guest": "Ana Lima",
        "guide": "U0GUIDE",
        "head": "f3a4b5c6d7e8",
        "helper": "U0BOB",
        "high": 3000,
        "holder": "U0GUIDE",
        "hour": 9,
        "index": 1,
        "kind": "Exposé" if lang is Language.FR else "Talk",
        "intro": 2,
        "items": "vos rôles" if lang is Language.FR else "your roles",
        "label": "Exposé" if lang is Language.FR else "Talk",
        "language": "français" if lang is Language.FR else "English",
        "lead": 15,
        "left": 2,
        "length": 3012,
        "limit": 3000,
        "line": "Un commun",
        "low": 1,
        "margin": 3,
        "max": 1000,
        "member": "U0ANNA",
        "minimum": 15,
        "missing": "`chat:write`, `im:write`",
        "mode": "Socket Mode",
        "minutes": 10,
        "name": "Ana Lima",
        "names": Mrkdwn("<@U0ANNA>, <@U0BOB>"),
        "needed": 120,
        "needs": 2,
        "organisers": Mrkdwn("<@U0ORGA>"),
        "over": 5,
        "page": 2,
        "participants": 1500,
        "path": "/srv/partage/partage.db",
        "pages": 3,
        "people": Mrkdwn("<@U0ORGA>"),
        "place": "Salle 3",
        "poll": 72,
        "port": 3000,
        "presentation": 30,
        "previous": format_when(END, TZ, lang),
        "question": "Comment vous sentez-vous\u202f?"
        if lang is Language.FR
        else "How do you feel?",
        "ready": 1,
        "reason": "connection refused",
        "recap": "<https://beta.slack.com/archives/C0GROUP/p1|Le récapitulatif>"
        if lang is Language.FR
        else "<https://beta.slack.com/archives/C0GROUP/p1|The recap>",
        "result": "Les communs",
        "revision": "e1f2a3b4c5d6",
        "roles": "guide",
        "session": 90,
        "shared": "partagées" if lang is Language.FR else "shared",
        "slot": t(
            lang, "slot.time", start=format_time(START, TZ, lang), end=format_time(END, TZ, lang)
        ),
        "option": t(lang, "living.poll.option", emoji=":one:", text="Un commun", name="Ana"),
        "sources": "discussion",
        "start": format_time(START, TZ, lang),
        "state": t(lang, "programme.ready"),
        "status": "prévue" if lang is Language.FR else "planned",
        "subject": "U0ANNA",
        "team": "Beta",
        "suggestion": "programme",
        "text": "Les communs numériques",
        "theme": "Les communs numériques",
        "time": format_time(END, TZ, lang),
        "title": "Un commun",
        "total": 12,
        "tour": 28,
        "tz": TZ,
        "until": format_day_time(START, TZ, lang),
        "url": "https://partage.test/calendar/abc.ics",
        "usage": "organisateur",
        "user": "U0ANNA",
        "used": 25,
        "value": "Europe/Pariss",
        "votes": 2,
        "what": "Exposé «\u202fUn commun\u202f»" if lang is Language.FR else "Talk “Un commun”",
        "when": when,
        "why": "la base de données est à corriger d’abord"
        if lang is Language.FR
        else "fix the database first",
        "word": "progamme",
    }


def names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def rendered(lang: Language, key: str) -> str:
    values = plausible(lang)
    return t(lang, key, **{name: values[name] for name in names(CATALOGS[lang][key])})


def test_every_placeholder_has_a_plausible_value():
    unknown = {name for _, text in FRENCH for name in names(text)} - plausible(Language.FR).keys()

    assert unknown == set()


def rules(text: str, *, template: bool = False) -> list[str]:
    return [problem.partition(": ")[0] for problem in french_problems(text, template=template)]


def test_french_problems_finds_each_rule_broken():
    assert rules("Thème : « x »") == ["space before :", "space before »", "space after «"]
    assert rules("Merci!") == ["space before !"]
    assert rules("C'est à 14h00, 14h, 14:00 ou 14 h 30") == [
        "straight apostrophe",
        *["time"] * 4,
        "number and unit",
    ]
    assert rules("10 min, 72 h, 3000\u00a0caractères, 25%, 5jours") == [
        "number and unit",
        "number and unit",
        "number and unit",
        "number and unit",
        "ungrouped number",
    ]
    assert rules("{minutes} min, {hour:02d}h00", template=True) == ["time", "number and unit"]


def test_french_problems_skips_code_links_mentions_entities_and_emoji_codes():
    text = (
        "`{cmd} session 2027-01-14 14:00` <https://a.example/?q=1|l'lien> <@U123> "
        "https://b.example/x?y=1 &amp; :one: `/partage lieu <texte>`"
    )

    assert french_problems(text) == []


def test_french_problems_accepts_french_typography():
    text = (
        f"Jeudi à 14{NBSP}h{NBSP}30{NBSP}–{NBSP}14{NBSP}h{NBSP}40, 10{NBSP}min, "
        f"3{NNBSP}000{NBSP}caractères, 72{NNBSP}h, J-7, 2027. C’est «{NNBSP}prêt{NNBSP}»{NNBSP}!"
    )

    assert french_problems(text) == []


@pytest.mark.parametrize(("key", "text"), FRENCH, ids=[key for key, _ in FRENCH])
def test_french_catalogue_follows_french_typography(key, text):
    assert french_problems(text, template=True) == []


@pytest.mark.parametrize(("key", "text"), FRENCH, ids=[key for key, _ in FRENCH])
def test_french_catalogue_rendered_follows_french_typography(key, text):
    assert french_problems(rendered(Language.FR, key)) == []


def test_english_catalogue_keeps_english_conventions():
    # No French spaces, times as 14:00, numbers grouped with a comma.
    french_marks = [
        key
        for key, _ in ENGLISH
        if NNBSP in rendered(Language.EN, key) or NBSP in rendered(Language.EN, key)
    ]

    assert french_marks == []
    assert format_time(START, TZ, Language.EN) == "14:30"
    assert t(Language.EN, "tour.modal.hint", limit=3000) == "At most 3,000 characters."


def test_no_catalogue_shows_a_date_or_time_as_inline_code():
    as_code = [
        (lang, key)
        for lang, table in CATALOGS.items()
        for key, text in table.items()
        if re.search(r"`\{(when|start|end|time|day)\}", text)
    ]

    assert as_code == []


def test_french_month_follows_french_typography(slack, fake_slack, clock, bot_server):
    before = clock.now()
    try:
        shown = Month(slack, fake_slack, clock, bot_server).play()
    finally:
        clock.set(before)
    problems = [
        f"{item.how}: {problem}"
        for item in shown
        for text in shown_texts(item.args)
        for problem in french_problems(text)
    ]

    # The month was played: every way the bot writes was used, many times over.
    assert {item.how for item in shown} >= {
        "chat.postMessage",
        "chat.update",
        "views.open",
        "views.update",
        "views.publish",
        "response_url",
        "reply",
    }
    assert len(shown) >= 100
    assert problems == []


def test_english_month_keeps_english_conventions(slack, fake_slack, clock, bot_server):
    before = clock.now()
    try:
        shown = Month(slack, fake_slack, clock, bot_server, language=Language.EN).play()
    finally:
        clock.set(before)
    texts = [text for item in shown for text in shown_texts(item.args)]
    # A text with a French space is French: the Home of a member who belongs to no
    # group yet speaks the workspace's language. It follows French typography.
    french = [text for text in texts if NNBSP in text]
    english = [text for text in texts if NNBSP not in text]
    french_marks = [
        text for text in english if NBSP in text or re.search(r"\d+h\d\d|\d h\b", prose(text))
    ]

    assert len(english) > 300
    assert any("Thursday 14 January 2027 at 14:00" in text for text in english)
    assert french_marks == []
    assert [problem for text in french for problem in french_problems(text)] == []
