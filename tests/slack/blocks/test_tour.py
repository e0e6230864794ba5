"""The tour de table's builders, validated with slack_sdk's Block Kit models: member text
escaped everywhere, no mention in the thread, the limits of a message held with many
answers, both languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.tour import MAX_LENGTHS, Answers, AnswerView
from bot.enums import Language
from bot.slack.blocks.tour import (
    AuthorName,
    TourSession,
    build_help_dm,
    build_opted_out,
    build_tour_digest,
    build_tour_invitation,
    build_tour_modal,
    build_tour_saved,
    build_tour_thread,
    overview_needs,
    read_tour_state,
    tour_metadata,
)
from bot.slack.ids import ActionId, BlockId
from tests.support.blocks import assert_valid_message, assert_valid_view
from tests.support.slack_client import message_text
from tests.support.views import submitted_state

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)
HOSTILE = "<!channel> <@U0EVE> & <https://evil.example|clic>"


def where(lang: Language = Language.FR) -> TourSession:
    return TourSession(
        meeting_id=7,
        group_id=3,
        channel_id="C0GROUP",
        starts_at=START,
        lang=lang,
        tz="Europe/Paris",
    )


def view_of(user: str, index: int, *, shared: bool = True, **fields: str) -> AnswerView:
    values = {"feeling": "", "doing": "", "learned": "", "needs": "", **fields}
    return AnswerView(
        id=index, meeting_id=7, user_id=user, share_with_group=shared, updated_at=START, **values
    )


@pytest.mark.parametrize("lang", list(Language))
def test_every_tour_message_and_view_is_valid_block_kit(lang):
    answers = [
        view_of("U0ALICE", 1, feeling=HOSTILE, needs=HOSTILE),
        view_of("U0BOB", 2, doing="x"),
    ]

    for built in (
        build_tour_invitation(where(lang)),
        build_opted_out(lang, channel_id="C0GROUP", group_id=3, new=True),
        build_tour_digest(where(lang), answers),
        build_tour_digest(where(lang), []),
        build_tour_thread(lang, [AuthorName(a, "Alice") for a in answers]),
        build_help_dm(lang, helper_user_id="U0BOB", channel_id="C0GROUP", need=HOSTILE),
    ):
        assert built is not None
        assert_valid_message(built)
    assert_valid_view(build_tour_modal(where(lang), None))
    assert_valid_view(build_tour_modal(where(lang), Answers(feeling="x" * 300, needs="y" * 500)))
    assert_valid_view(build_tour_saved(lang, created=True, shared=True, lead_minutes=15))


def test_member_text_is_escaped_in_the_digest_the_thread_and_the_help_dm():
    answer = view_of("U0ALICE", 1, learned=HOSTILE, needs=HOSTILE)

    shown = [
        message_text(build_tour_digest(where(), [answer])),
        message_text(build_tour_thread(Language.FR, [AuthorName(answer, HOSTILE)]) or {}),
        message_text(
            build_help_dm(Language.FR, helper_user_id="U0BOB", channel_id="C0GROUP", need=HOSTILE)
        ),
    ]

    for text in shown:
        assert "<!channel>" not in text and "<@U0EVE>" not in text and "<https://evil" not in text
        assert "&lt;!channel&gt; &lt;@U0EVE&gt; &amp;" in text


def test_thread_names_authors_without_mentions_and_puts_a_button_on_needs_only():
    shared = [
        AuthorName(view_of("U0ALICE", 1, feeling="Bien", needs="Un avis"), "Alice"),
        AuthorName(view_of("U0BOB", 2, doing="La migration"), ""),
    ]

    reply = build_tour_thread(Language.FR, shared)

    assert reply is not None
    assert "<@" not in message_text(reply)
    authors = [b["text"]["text"].split("\n")[0] for b in reply["blocks"][1:3]]
    assert authors == ["*Alice*", "*Un·e membre*"]
    assert [b.get("accessory", {}).get("value") for b in reply["blocks"][1:3]] == ["1", None]
    assert reply["blocks"][1]["accessory"]["action_id"] == ActionId.TOUR_HELP


def test_thread_with_nobody_sharing_is_not_posted():
    assert build_tour_thread(Language.FR, []) is None


def test_digest_and_thread_hold_the_50_block_limit_with_60_answers():
    answers = [view_of(f"U{i:04d}X", i + 1, feeling="x" * 300, needs="y" * 500) for i in range(60)]

    digest = build_tour_digest(where(), answers)
    thread = build_tour_thread(Language.FR, [AuthorName(a, "Nom") for a in answers])

    assert thread is not None
    for built in (digest, thread):
        assert_valid_message(built)
        assert len(built["blocks"]) == 50
    assert "13 autre(s) réponse(s)" in message_text(digest)


def test_digest_marks_the_answers_not_shared_and_counts_the_needs():
    answers = [
        view_of("U0ALICE", 1, needs="Un avis"),
        AnswerView(2, 7, "U0BOB", "Bien", "", "", "", False, START),
    ]

    text = message_text(build_tour_digest(where(), answers))

    assert "2 membre(s) ont répondu avant la session de <#C0GROUP>" in text
    assert "dont 1 avec un besoin" in text
    assert "*<@U0BOB>* · _non partagé_\n*Humeur\u202f:* Bien" in text
    assert "*<@U0ALICE>*\n🆘 *Besoin\u202f:* Un avis" in text


def test_modal_prefills_answers_and_reads_back_what_slack_submits():
    view = build_tour_modal(where(), Answers(doing="La migration", share_with_group=True))

    state = submitted_state(view, **{BlockId.TOUR_NEEDS.value: "Un avis"})

    assert read_tour_state(state) == {
        "feeling": "",
        "doing": "La migration",
        "learned": "",
        "needs": "Un avis",
        "share": True,
    }
    assert tour_metadata(view) == (7, "C0GROUP")
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["element"].get("max_length") for b in inputs[:4]] == list(MAX_LENGTHS.values())


def test_tour_metadata_unreadable_is_none():
    assert tour_metadata({"private_metadata": "not json"}) is None
    assert tour_metadata({"private_metadata": '{"meeting_id": "7", "channel_id": "C1"}'}) is None


def test_overview_needs_lists_each_need_on_one_line_and_nothing_without_needs():
    needs = [view_of("U0ALICE", 1, needs="Un avis\nsur <RGAA>")]

    [block] = overview_needs(Language.FR, needs)

    assert block["text"]["text"] == (
        "*Besoins exprimés au tour de table (1)\u202f:*\n"
        "• <@U0ALICE>\u202f: Un avis sur &lt;RGAA&gt;"
    )
    assert overview_needs(Language.FR, []) == []


def test_invitation_in_english_asks_the_four_questions():
    text = message_text(build_tour_invitation(where(Language.EN)))

    assert "Round table for the session of Thursday 14 January 2027" in text
    for question in (
        "How do you feel?",
        "What are you doing, where are you?",
        "What did you discover or learn?",
        "Any specific need the group can help with?",
    ):
        assert question in text
