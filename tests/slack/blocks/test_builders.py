"""Pure builders: validated with slack_sdk.models in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.programme import ContributionLine, Programme
from bot.enums import ContributionKind, Language
from bot.slack.blocks.help import HELP_LINES, build_help
from bot.slack.blocks.programme import build_programme
from bot.slack.ids import ActionId
from tests.support.blocks import assert_valid_message
from tests.support.slack_client import message_text

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


def programme(**overrides) -> Programme:
    values = {
        "meeting_id": 1,
        "starts_at": START,
        "duration_minutes": 90,
        "theme": "Le design <des> politiques & co",
        "guide_user_id": "U0GUIDE",
        "contributions": (
            ContributionLine(1, ContributionKind.TALK, "Legal design", "U1", 10, True, None, None),
            ContributionLine(
                2,
                ContributionKind.GUEST,
                "Vu d'ailleurs",
                "U2",
                15,
                False,
                "Ada L.",
                "https://x.fr",
            ),
            ContributionLine(3, ContributionKind.DEMO, "Extension", "U3", 10, False, None, None),
        ),
        "participant_count": 4,
    }
    values.update(overrides)
    return Programme(**values)


@pytest.mark.parametrize("lang", list(Language))
def test_build_help_lists_every_subcommand(lang):
    built = build_help(lang, "/partage")

    assert_valid_message(built)
    text = message_text(built)
    assert text.count("`/partage ") >= len(HELP_LINES)


def test_build_help_unknown_word_is_escaped():
    built = build_help(Language.FR, "/partage", unknown_word="<!channel>")

    assert_valid_message(built)
    assert "«\u202f&lt;!channel&gt;\u202f»" in message_text(built)


def test_build_help_puts_member_commands_before_the_organisers_section():
    text = message_text(build_help(Language.FR, "/partage"))

    members, organisers = text.index("*Pour tout le monde*"), text.index("*Pour les organisat")
    assert members < text.index("`/partage participer`") < organisers
    assert organisers < text.index("`/partage session") and organisers < text.index(
        "`/partage config`"
    )


def test_build_help_with_a_next_session_offers_the_three_commonest_actions():
    built = build_help(Language.FR, "/partage", meeting_id=7)

    assert_valid_message(built)
    buttons = [e for b in built["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        (ActionId.JOIN, "7"),
        (ActionId.OPEN_CONTRIBUTION, "7"),
        (ActionId.CLAIM_GUIDE, "7"),
    ]


def test_build_help_for_an_unknown_word_suggests_the_nearest_and_lists_nothing():
    built = build_help(Language.FR, "/partage", "partciper", suggestion="participer")

    assert built["text"] == (
        "Je ne connais pas «\u202fpartciper\u202f». Vouliez-vous dire "
        "`/partage participer`\u202f?\n`/partage aide` pour tout ce que je sais faire."
    )


def test_build_programme_french_full():
    built = build_programme(programme(), Language.FR, "Europe/Paris", "/partage", manage=True)

    assert_valid_message(built)
    text = message_text(built)
    assert "Prochaine session\u202f: jeudi 14 janvier 2027 à 14\u00a0h" in text
    assert "*Thème\u202f:* Le design &lt;des&gt; politiques &amp; co" in text
    assert "*Guide\u202f:* <@U0GUIDE>" in text
    assert (
        "1. *14\u00a0h\u00a030\u00a0–\u00a014\u00a0h\u00a040* <@U1> — Exposé «\u202fLegal "
        "design\u202f», 10\u00a0min · contribution prête ✅" in text
    )
    assert (
        "2. *14\u00a0h\u00a040\u00a0–\u00a014\u00a0h\u00a055* Invité·e\u202f: Ada L. — "
        "«\u202f<https://x.fr|Vu d'ailleurs>\u202f», "
        "accueilli·e par <@U2>, 15\u00a0min · en préparation ⏳"
    ) in text
    assert "*15\u00a0h\u00a005\u00a0–\u00a015\u00a0h\u00a015* discussion" in text
    assert "*Participant·es inscrit·es\u202f:* 4" in text
    assert "5\u00a0min de dépassement" not in text
    assert "35\u00a0min sur 30 ⚠️ dépassement de 5\u00a0min" in text
    for question in ("Comment vous sentez-vous\u202f?", "Avez-vous un besoin précis"):
        assert question in text


def test_build_programme_for_a_member_shows_neither_readiness_nor_time_nor_their_commands():
    built = build_programme(
        programme(theme=None, place=None), Language.FR, "Europe/Paris", "/partage"
    )

    assert_valid_message(built)
    text = message_text(built)
    assert (
        "1. *14\u00a0h\u00a030\u00a0–\u00a014\u00a0h\u00a040* <@U1> — Exposé «\u202fLegal "
        "design\u202f», 10\u00a0min\n" in text
    )
    assert "*Lieu\u202f:* à préciser\n" in text
    assert "*Thème\u202f:* pas encore choisi (`/partage proposer &lt;thème&gt;`)" in text
    for hidden in ("prête ✅", "en préparation", "Temps de présentation", "dépassement"):
        assert hidden not in text
    for command in ("lieu", "theme", "sondage", "session"):
        assert f"`/partage {command} " not in text


def test_build_programme_english_empty():
    built = build_programme(
        programme(theme=None, guide_user_id=None, contributions=(), participant_count=0),
        Language.EN,
        "Europe/Paris",
        "/partage",
        manage=True,
    )

    assert_valid_message(built)
    text = message_text(built)
    assert "Next session: Thursday 14 January 2027 at 14:00" in text
    assert "*Guide:* nobody yet (`/partage guide`)" in text
    assert "*Presentation time:* 0 min out of 30" in text
    assert "*14:02–14:30* Round table" in text
    assert "*15:25–15:30* Margin: room to end on time" in text


def test_build_programme_long_titles_stay_within_limits():
    many = tuple(
        ContributionLine(i, ContributionKind.TALK, "é" * 150, f"U{i}", 30, False, "g" * 150, None)
        for i in range(40)
    )

    built = build_programme(programme(contributions=many), Language.FR, "Europe/Paris", "/p")

    assert_valid_message(built)
