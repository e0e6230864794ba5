"""The cycle's messages as pure builders: valid Block Kit in French and English, buttons
carrying the meeting id, user text escaped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.nudges import PreparationChanges
from bot.domain.programme import ContributionLine, Programme
from bot.enums import ContributionKind, Language
from bot.slack.blocks.cycle import (
    Audience,
    build_announcement,
    build_contributor_reminder,
    build_guide_call,
    build_guide_overview,
    build_run_of_show,
    build_session_over,
)
from bot.slack.ids import ActionId, BlockId
from tests.support.blocks import assert_valid_message
from tests.support.slack_client import message_text

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)
LANGS = [Language.FR, Language.EN]


def line(author: str, title: str, minutes: int, *, ready: bool = False, index: int = 1):
    return ContributionLine(
        id=index,
        kind=ContributionKind.TALK,
        title=title,
        author_user_id=author,
        duration_minutes=minutes,
        ready=ready,
        guest_name=None,
        link=None,
    )


def programme(*contributions: ContributionLine, guide: str | None = "U0GUIDE", theme="Le design"):
    return Programme(
        meeting_id=42,
        starts_at=START,
        duration_minutes=90,
        theme=theme,
        guide_user_id=guide,
        contributions=tuple(contributions),
        participant_count=3,
    )


def audience(lang: Language = Language.FR) -> Audience:
    return Audience(lang=lang, tz="Europe/Paris", command="/partage", channel_id="C0GROUP")


def buttons(message: dict) -> list[dict]:
    """The role buttons (the calendar row has its own block, tested in test_calendar)."""
    return [
        e
        for b in message["blocks"]
        if b["type"] == "actions" and b["block_id"] != BlockId.CALENDAR
        for e in b["elements"]
    ]


ANNA = line("U0ANNA", "Accessibilité <b>", 20, ready=True, index=1)
BOB = line("U0BOB", "Démo", 15, index=2)


@pytest.mark.parametrize("lang", LANGS)
def test_cycle_builders_produce_valid_messages_in_both_languages(lang):
    full = programme(ANNA, BOB)
    empty = programme(guide=None, theme=None)
    built = [
        build_guide_call(empty, audience(lang)),
        build_announcement(full, audience(lang)),
        build_announcement(empty, audience(lang)),
        build_contributor_reminder(full, BOB, [ANNA], audience(lang)),
        build_contributor_reminder(full, ANNA, [BOB], audience(lang), last=True),
        build_contributor_reminder(empty, BOB, [], audience(lang)),
        build_guide_overview(full, audience(lang), lead_minutes=15),
        build_guide_overview(empty, audience(lang), lead_minutes=15, last=True),
        build_run_of_show(full, audience(lang)),
        build_run_of_show(empty, audience(lang)),
    ]

    for message in built:
        assert_valid_message(message)


def test_guide_call_button_claims_the_guide_role_of_this_meeting():
    message = build_guide_call(programme(guide=None), audience())

    assert [(b["action_id"], b["value"]) for b in buttons(message)] == [
        (ActionId.CLAIM_GUIDE, "42")
    ]
    assert "Je serai guide" in buttons(message)[0]["text"]["text"]
    assert "jeudi 14 janvier 2027 à 14\u00a0h" in message_text(message)


def test_announcement_invites_reading_up_and_offers_rsvp():
    message = build_announcement(programme(ANNA, BOB), audience())

    text = message_text(message)
    assert "Prochaine session\u202f: jeudi 14 janvier 2027 à 14\u00a0h" in text
    assert "documenter sur le thème *Le design*" in text
    assert "*Guide\u202f:* <@U0GUIDE>" in text
    assert "35\u00a0min sur 30 ⚠️ dépassement de 5\u00a0min" in text
    assert "Accessibilité &lt;b&gt;" in text
    assert [(b["action_id"], b["value"]) for b in buttons(message)] == [
        (ActionId.JOIN, "42"),
        (ActionId.OPEN_CONTRIBUTION, "42"),
        (ActionId.ROLES_OPEN, "42"),
    ]


def test_contributor_reminder_opens_with_the_slot_and_the_action_with_its_buttons():
    message = build_contributor_reminder(programme(ANNA, BOB), BOB, [ANNA], audience())

    text = message_text(message)
    first = message["blocks"][1]["text"]["text"]
    assert first == (
        "*Votre créneau\u202f: 14\u00a0h\u00a050\u00a0–\u00a015\u00a0h\u00a005*, "
        "jeudi 14 janvier 2027\n"
        "À faire\u202f: préparer une courte présentation de «\u202fDémo\u202f», puis "
        "cliquer sur «\u202fMa contribution est prête\u202f»."
    )
    assert "*Exposé* «\u202fDémo\u202f» (15\u00a0min)" in text
    assert "Synchronisez-vous" in text
    assert "• <@U0ANNA> — Exposé «\u202fAccessibilité &lt;b&gt;\u202f», 20\u00a0min" in text
    assert [(b["action_id"], b["value"]) for b in buttons(message)] == [
        (ActionId.MARK_READY, "42"),
        (ActionId.EDIT_CONTRIBUTION, "42"),
        (ActionId.WITHDRAW_CONTRIBUTION, "42"),
    ]
    # The buttons come right after what to do, before the session's details.
    assert message["blocks"][2]["type"] == "actions"
    withdraw = buttons(message)[2]
    assert withdraw["confirm"]["title"]["text"] == "Retirer ma contribution\u202f?"


def test_contributor_reminder_alone_and_ready_keeps_its_slot_and_says_all_set():
    message = build_contributor_reminder(programme(ANNA), ANNA, [], audience(Language.EN))

    text = message_text(message)
    assert message["blocks"][1]["text"]["text"].startswith(
        "*Your slot: 14:30–14:50*, Thursday 14 January 2027\n"
    )
    assert "You are the only contributor so far" in text
    assert "You are all set" in text
    assert "✅ ready" in text
    assert "time to prepare" not in text
    assert [b["action_id"] for b in buttons(message)] == [
        ActionId.EDIT_CONTRIBUTION,
        ActionId.WITHDRAW_CONTRIBUTION,
    ]


def test_last_reminder_says_not_ready_yet():
    message = build_contributor_reminder(programme(BOB), BOB, [], audience(), last=True)

    assert "Dernier rappel" in message["text"]
    assert "n’est pas encore marquée prête" in message_text(message)


def test_guide_overview_splits_ready_and_not_ready_with_budget():
    message = build_guide_overview(programme(ANNA, BOB), audience(), lead_minutes=15)

    text = message_text(message)
    assert "*Prêtes (1)\u202f:*\n• <@U0ANNA>" in text
    assert "*En préparation (1)\u202f:*\n• <@U0BOB>" in text
    assert "35\u00a0min sur 30" in text
    assert "15\u00a0min avant le début" in text


def test_guide_overview_with_everyone_ready_asks_for_nothing():
    message = build_guide_overview(programme(ANNA), audience(), lead_minutes=15)

    text = message_text(message)
    assert "*Prêtes (1)\u202f:*\n• <@U0ANNA>" in text
    assert "En préparation" not in text
    assert "personne" not in text
    assert "relancer les personnes" not in text
    assert "Rien à relancer." in text


def test_run_of_show_has_clock_times_questions_and_order_in_english():
    message = build_run_of_show(programme(ANNA, BOB), audience(Language.EN))

    text = message_text(message)
    assert message["text"] == "The session starts at 14:00: here is the run-of-show"
    assert "*14:02–14:30* Round table" in text
    assert "      *14:30–14:50* <@U0ANNA> — Talk \u201cAccessibilité &lt;b&gt;\u201d" in text
    assert "      *15:05–15:15* discussion" in text
    for question in (
        "How do you feel?",
        "What are you doing, where are you?",
        "What did you discover or learn?",
        "Any specific need the group can help with?",
    ):
        assert question in text
    assert text.index("U0ANNA") < text.index("U0BOB")
    assert "*15:30* End" in text


def test_last_overview_not_the_day_before_does_not_say_tomorrow():
    # A Monday session's last overview goes out on the Friday before.
    message = build_guide_overview(
        programme(ANNA, BOB), audience(), lead_minutes=15, last=True, tomorrow=False
    )

    assert message["text"] == "Dernier point avant la session du jeudi 14 janvier 2027"
    assert "demain" not in message_text(message)


def test_first_overview_has_no_nudge_button_and_no_changes():
    message = build_guide_overview(programme(ANNA, BOB), audience(), lead_minutes=15)

    assert [b for b in message["blocks"] if b.get("accessory")] == []
    assert "Depuis le premier point" not in message_text(message)


def test_last_overview_with_nothing_changed_says_so():
    message = build_guide_overview(
        programme(ANNA),
        audience(),
        lead_minutes=15,
        last=True,
        changes=PreparationChanges(),
        tomorrow=True,
    )

    assert "*Depuis le premier point\u202f:* rien n’a changé." in message_text(message)
    assert_valid_message(message)


def test_session_over_names_theme_and_guide_links_the_recap_and_offers_nothing():
    over = build_session_over(programme(), audience(), "https://beta.slack.com/archives/C0GROUP/p1")

    assert_valid_message(over)
    text = message_text(over)
    assert "Session du jeudi 14 janvier 2027 à 14\u00a0h\u202f: terminée" in text
    assert "Le design" in text and "<@U0GUIDE>" in text
    assert "<https://beta.slack.com/archives/C0GROUP/p1|Le récapitulatif>" in text
    assert [b for b in over["blocks"] if b["type"] == "actions"] == []


def test_session_over_without_theme_or_guide_says_only_that_it_is_over():
    over = build_session_over(programme(guide=None, theme=None), audience(Language.EN))

    assert_valid_message(over)
    text = message_text(over)
    assert "Session on Thursday 14 January 2027 at 14:00: over" in text
    assert "The recap is posted in the channel." in text
    assert "nobody yet" not in text and "not chosen" not in text
