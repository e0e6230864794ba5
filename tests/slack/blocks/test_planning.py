"""`/partage planning` as a pure builder."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.enums import DeliveryKind, Language
from bot.slack.blocks.planning import PlanningEntry, build_planning
from tests.support.blocks import assert_valid_message
from tests.support.slack_client import message_text

NOW = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize("lang", [Language.FR, Language.EN])
def test_planning_lists_every_kind_validly(lang):
    entries = [PlanningEntry(kind, START) for kind in DeliveryKind]

    message = build_planning(
        entries, session_starts_at=START, now=NOW, lang=lang, tz="Europe/Paris", command="/p"
    )

    assert_valid_message(message)
    text = message_text(message)
    assert text.count("`") == 2  # the footer command only: dates are bold, not code
    assert text.count("\n• *") == len(entries)


def test_planning_shows_local_times_and_late_items_as_now():
    entries = [
        PlanningEntry(DeliveryKind.GUIDE_CALL, NOW),
        PlanningEntry(DeliveryKind.ANNOUNCEMENT, datetime(2027, 1, 7, 9, 0, tzinfo=UTC)),
    ]

    message = build_planning(
        entries,
        session_starts_at=START,
        now=NOW,
        lang=Language.FR,
        tz="Europe/Paris",
        command="/partage",
    )

    text = message_text(message)
    assert "Session du *jeudi 14 janvier 2027 à 14\u00a0h*" in text
    assert "• *dès maintenant* appel à guide" in text
    assert "• *jeu. 7 janv. à 10\u00a0h* annonce de la session dans le canal" in text
    assert "Heures de Europe/Paris" in text


def test_planning_empty_says_how_to_schedule():
    message = build_planning(
        [], session_starts_at=None, now=NOW, lang=Language.EN, tz="Europe/Paris", command="/p"
    )

    assert_valid_message(message)
    assert "Nothing is planned yet" in message["text"]
    assert "`/p schedule 2027-01-14 14:00`" in message["text"]
