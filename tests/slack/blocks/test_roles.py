"""Role buttons and withdraw messages: valid Block Kit carrying the meeting id."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db.models import Contribution, Meeting
from bot.domain.roles import Withdrawal
from bot.enums import ContributionKind, Language
from bot.slack.blocks.common import message, section
from bot.slack.blocks.roles import (
    RoleButton,
    build_withdraw_notice,
    build_withdraw_reply,
    role_buttons,
)
from bot.slack.ids import ActionId
from tests.support.blocks import assert_valid_message

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def withdrawal(guide: bool, contribution: bool, rsvp: bool) -> Withdrawal:
    meeting = Meeting(id=7, starts_at=NOW)
    withdrawn = (
        Contribution(title="<b>Mon exposé</b>", kind=ContributionKind.TALK)
        if contribution
        else None
    )
    return Withdrawal(meeting, guide, withdrawn, rsvp)


@pytest.mark.parametrize("lang", list(Language))
def test_role_buttons_all_carry_the_meeting_id(lang):
    block = role_buttons(lang, 42)

    assert_valid_message(message("x", [section("x"), block]))
    assert [(e["action_id"], e["value"]) for e in block["elements"]] == [
        (ActionId.CLAIM_GUIDE, "42"),
        (ActionId.OPEN_CONTRIBUTION, "42"),
        (ActionId.MARK_READY, "42"),
        (ActionId.JOIN, "42"),
    ]


def test_role_buttons_french_labels_in_the_order_asked():
    block = role_buttons(Language.FR, 3, [RoleButton.READY, RoleButton.GUIDE], block_id="b2")

    assert block["block_id"] == "b2"
    assert [e["text"]["text"] for e in block["elements"]] == [
        "Ma contribution est prête",
        "Je serai guide",
    ]


@pytest.mark.parametrize("lang", list(Language))
def test_build_withdraw_reply_lists_what_was_given_up(lang):
    reply = build_withdraw_reply(lang, "jeudi", withdrawal(True, True, True))

    assert_valid_message(reply)
    assert reply["text"].count("\n• ") == 3
    assert "&lt;b&gt;Mon exposé&lt;/b&gt;" in reply["text"]


def test_build_withdraw_notice_after_guide_left_offers_the_guide_button():
    notice = build_withdraw_notice(
        Language.FR,
        when="jeudi",
        user_id="U0BOB",
        meeting_id=7,
        released_guide=True,
        contribution_title=None,
    )

    assert notice is not None
    assert_valid_message(notice)
    assert "<@U0BOB> ne sera plus guide" in notice["text"]
    button = notice["blocks"][-1]["elements"][0]
    assert (button["action_id"], button["value"], button["text"]["text"]) == (
        ActionId.CLAIM_GUIDE,
        "7",
        "Je serai guide",
    )


def test_build_withdraw_notice_contribution_only_has_no_button():
    notice = build_withdraw_notice(
        Language.EN,
        when="Thu",
        user_id="U0BOB",
        meeting_id=7,
        released_guide=False,
        contribution_title="Mon exposé",
    )

    assert notice is not None
    assert_valid_message(notice)
    assert [b["type"] for b in notice["blocks"]] == ["section"]


def test_build_withdraw_notice_rsvp_only_tells_nobody():
    notice = build_withdraw_notice(
        Language.FR,
        when="jeudi",
        user_id="U0BOB",
        meeting_id=7,
        released_guide=False,
        contribution_title=None,
    )

    assert notice is None
