"""The tour de table's buttons and modal through the real HTTP server with signed
requests: the modal opened from the DM (prefilled when editing), its validation (too
long, empty, after the start), deletion, opting out and back, and "Je peux aider"."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select

from bot.db.models import Delivery, TourAnswer, TourHelpOffer, TourOptOut
from bot.enums import DeliveryKind, DeliveryStatus
from bot.slack.ids import ActionId, BlockId, tour_need_block_id
from tests.support.blocks import assert_valid_view
from tests.support.board import click, has, published, view_text
from tests.support.contributions import schedule
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender
from tests.support.tour import answer, dm, group_id, meeting_id, open_tour_modal, submit_answers

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


def saved(db) -> list[tuple[str, str, str, bool]]:
    with db() as session:
        return [
            (a.user_id, a.feeling, a.needs, a.share_with_group)
            for a in session.scalars(select(TourAnswer).order_by(TourAnswer.id))
        ]


def answer_id(db, user: str) -> int:
    with db() as session:
        return int(session.scalars(select(TourAnswer.id).where(TourAnswer.user_id == user)).one())


def help_click(slack: SlackSender, db, *, helper: str, asker: str):
    return slack.block_action(
        ActionId.TOUR_HELP,
        str(answer_id(db, asker)),
        user=helper,
        block_id=tour_need_block_id(answer_id(db, asker)),
        message_ts="1700000000.000009",
    )


def dms_to(fake_slack: FakeSlack, user: str) -> list[dict]:
    return [p for p in fake_slack.posts() if p["channel"] == user]


def test_answer_button_opens_the_four_optional_questions_and_the_share_box(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)

    view = open_tour_modal(slack, fake_slack, db)

    assert_valid_view(view)
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["block_id"] for b in inputs] == [
        BlockId.TOUR_FEELING,
        BlockId.TOUR_DOING,
        BlockId.TOUR_LEARNED,
        BlockId.TOUR_NEEDS,
        BlockId.TOUR_SHARE,
    ]
    assert all(b["optional"] for b in inputs)
    assert [b["element"].get("max_length") for b in inputs[:4]] == [300, 1000, 1000, 500]
    assert inputs[0]["label"]["text"] == "Comment vous sentez-vous\u202f?"
    assert "initial_options" not in inputs[4]["element"]


def test_submission_saves_then_editing_is_prefilled_and_updates(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)

    first = answer(slack, fake_slack, db, feeling="En forme", needs="Un regard RGAA", share=True)
    view = open_tour_modal(slack, fake_slack, db)
    prefilled = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    second = submit_answers(slack, view, feeling="Fatiguée", share=False)

    assert first.json()["response_action"] == "update"
    assert "Merci\u202f! Vos réponses sont enregistrées." in json.dumps(
        first.json()["view"], ensure_ascii=False
    )
    assert prefilled[BlockId.TOUR_FEELING]["initial_value"] == "En forme"
    assert prefilled[BlockId.TOUR_NEEDS]["initial_value"] == "Un regard RGAA"
    assert [o["value"] for o in prefilled[BlockId.TOUR_SHARE]["initial_options"]] == ["share"]
    assert "Vos réponses sont modifiées." in json.dumps(second.json()["view"], ensure_ascii=False)
    assert saved(db) == [("U0ALICE", "Fatiguée", "Un regard RGAA", False)]


def test_submission_too_long_is_refused_under_the_input_with_the_limit(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    view = open_tour_modal(slack, fake_slack, db)

    reply = submit_answers(slack, view, feeling="x" * 301, needs="ok")

    assert reply.json() == {
        "response_action": "errors",
        "errors": {
            BlockId.TOUR_FEELING.value: (
                "301\u00a0caractères\u202f: 300 au plus. Raccourcissez votre réponse."
            )
        },
    }
    assert saved(db) == []


def test_empty_submission_saves_nothing_and_says_so(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack)
    view = open_tour_modal(slack, fake_slack, db)

    reply = submit_answers(slack, view, feeling="   ", share=True)

    assert reply.json()["response_action"] == "errors"
    assert reply.json()["errors"][BlockId.TOUR_FEELING.value].startswith("Rien n’a été enregistré")
    assert saved(db) == []


def test_submission_after_the_start_is_refused_and_keeps_the_answers(
    slack: SlackSender, fake_slack: FakeSlack, db, clock
):
    schedule(slack)
    answer(slack, fake_slack, db, feeling="En forme")
    view = open_tour_modal(slack, fake_slack, db)
    clock.set(START)

    reply = submit_answers(slack, view, feeling="Trop tard")

    assert reply.json() == {
        "response_action": "errors",
        "errors": {
            BlockId.TOUR_FEELING.value: "La session a commencé\u202f: les réponses au tour de "
            "table ne peuvent plus être modifiées."
        },
    }
    assert saved(db) == [("U0ALICE", "En forme", "", True)]


def test_answer_button_after_the_start_tells_the_member_and_opens_nothing(
    slack: SlackSender, fake_slack: FakeSlack, db, clock
):
    schedule(slack)
    clock.set(START)
    fake_slack.reset()

    slack.block_action(
        ActionId.TOUR_ANSWER, str(meeting_id(db)), channel=dm("U0ALICE"), block_id="x"
    )

    assert fake_slack.calls("views.open") == []
    [response] = fake_slack.response_posts()
    assert response["text"].startswith("La session a commencé")


def test_delete_button_removes_the_members_answers(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack)
    answer(slack, fake_slack, db, feeling="En forme")
    answer(slack, fake_slack, db, "U0BOB", feeling="Bien")

    for _ in range(2):
        slack.block_action(
            ActionId.TOUR_DELETE, str(meeting_id(db)), channel=dm("U0ALICE"), block_id="x"
        )

    assert [u for u, *_ in saved(db)] == ["U0BOB"]
    first, second = fake_slack.response_posts()
    assert first["text"] == "Vos réponses au tour de table de cette session sont supprimées."
    assert second["text"] == "Vous n’avez pas de réponses enregistrées pour cette session."


def test_opt_out_then_back_in_from_the_dm(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack)
    value = str(group_id(db))

    slack.block_action(ActionId.TOUR_OPT_OUT, value, channel=dm("U0ALICE"), block_id="x")
    with db() as session:
        opted = list(session.scalars(select(TourOptOut.user_id)))
    slack.block_action(ActionId.TOUR_OPT_IN, value, channel=dm("U0ALICE"), block_id="x")

    assert opted == ["U0ALICE"]
    with db() as session:
        assert list(session.scalars(select(TourOptOut.user_id))) == []
    out, back = fake_slack.response_posts()
    assert out["text"] == (
        "C’est noté\u202f: vous ne recevrez plus l’invitation au tour de table de <#C0GROUP>."
    )
    [button] = out["blocks"][1]["elements"]
    assert (button["action_id"], button["value"]) == (ActionId.TOUR_OPT_IN, value)
    assert back["text"].startswith("C’est noté\u202f: vous recevrez à nouveau")


def test_i_can_help_dms_the_asker_once_and_acknowledges_the_helper(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    answer(slack, fake_slack, db, needs="Quelqu'un qui connaît <DSFR> & React")
    fake_slack.reset()

    help_click(slack, db, helper="U0BOB", asker="U0ALICE")
    help_click(slack, db, helper="U0BOB", asker="U0ALICE")

    [to_asker] = dms_to(fake_slack, "U0ALICE")
    text = to_asker["blocks"][0]["text"]["text"]
    assert text == (
        "🤝 <@U0BOB> peut vous aider sur le besoin que vous avez partagé au tour de table de "
        "<#C0GROUP>\u202f:\n&gt; Quelqu'un qui connaît &lt;DSFR&gt; &amp; React"
    )
    assert to_asker["metadata"]["event_type"] == "partage_outbox"
    sent, again = fake_slack.response_posts()
    assert sent["text"] == "C’est noté\u202f: <@U0ALICE> est prévenu·e par message privé."
    assert again["text"].startswith("Vous avez déjà proposé votre aide")
    with db() as session:
        assert list(session.scalars(select(TourHelpOffer.helper_user_id))) == ["U0BOB"]
        [delivery] = session.scalars(
            select(Delivery).where(Delivery.kind == DeliveryKind.TOUR_HELP)
        ).all()
    assert delivery.status == DeliveryStatus.DONE


def test_i_can_help_on_ones_own_need_is_refused_kindly(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    answer(slack, fake_slack, db, needs="Un avis")
    fake_slack.reset()

    help_click(slack, db, helper="U0ALICE", asker="U0ALICE")

    assert fake_slack.posts() == []
    [response] = fake_slack.response_posts()
    assert response["text"].startswith("C’est votre propre besoin")
    with db() as session:
        assert list(session.scalars(select(TourHelpOffer))) == []


def test_home_shows_the_opt_out_with_the_way_back_and_the_answer(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    slack.block_action(
        ActionId.TOUR_OPT_OUT, str(group_id(db)), user="U0EVE", channel=dm("U0EVE"), block_id="x"
    )
    answer(slack, fake_slack, db, feeling="En forme")
    fake_slack.reset()

    eve = open_home(fake_slack, slack, "U0EVE")
    alice = open_home(fake_slack, slack, "U0ALICE")
    fake_slack.reset()
    click(slack, eve, ActionId.TOUR_OPT_IN, user="U0EVE", surface="home")

    assert_valid_view(eve)
    assert "vous ne recevez plus l’invitation dans ce groupe" in view_text(eve)
    assert "vous avez répondu pour la prochaine session" in view_text(alice)
    assert not has(alice, ActionId.TOUR_OPT_IN)
    with db() as session:
        assert list(session.scalars(select(TourOptOut))) == []
    [home] = published(fake_slack, "U0EVE")
    assert not has(home, ActionId.TOUR_OPT_IN)
    assert fake_slack.response_posts() == []


def open_home(fake_slack: FakeSlack, slack: SlackSender, user: str) -> dict:
    slack.event({"type": "app_home_opened", "user": user, "channel": "D0", "tab": "home"})
    return published(fake_slack, user)[-1]
