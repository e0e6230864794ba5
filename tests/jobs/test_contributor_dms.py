"""The contributors' reminder DMs, as sent through the fake Slack: they open with the
contributor's slot and what to do now, and their "Modifier" and "Retirer" buttons act."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.bootstrap import build_dispatcher
from bot.db.models import Contribution, Meeting
from bot.enums import ContributionStatus
from bot.slack.ids import ActionId
from tests.support.contributions import contribute, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender, message_text

J7 = datetime(2027, 1, 7, 9, 0, tzinfo=UTC)
J1 = datetime(2027, 1, 13, 9, 0, tzinfo=UTC)


def meeting_id(db) -> str:
    with db() as session:
        return str(session.scalars(select(Meeting.id)).one())


def dm_to(fake_slack: FakeSlack, user: str) -> dict:
    [post] = [p for p in fake_slack.posts() if p["channel"] == user]
    return post


def first_section(post: dict) -> str:
    return next(b["text"]["text"] for b in post["blocks"] if b["type"] == "section")


def buttons_of(post: dict) -> list[str]:
    return [
        e["action_id"]
        for b in post["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("partage_") and "calendar" not in e["action_id"]
    ]


def test_j7_and_j1_dms_open_with_each_contributors_slot_and_next_step(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ANNA", title="Un commun", duration="10")
    contribute(slack, fake_slack, user="U0BOB", title="Une démo", duration="15")
    slack.command("prête", user="U0BOB")
    dispatcher = build_dispatcher(bot_server.runtime)
    fake_slack.reset()

    clock.set(J7)
    dispatcher.dispatch_due(clock.now())
    anna, bob = dm_to(fake_slack, "U0ANNA"), dm_to(fake_slack, "U0BOB")
    fake_slack.reset()
    clock.set(J1)
    dispatcher.dispatch_due(clock.now())
    last = dm_to(fake_slack, "U0ANNA")

    nbsp, nnbsp = "\u00a0", "\u202f"
    assert first_section(anna) == (
        f"*Votre créneau{nnbsp}: 14{nbsp}h{nbsp}30{nbsp}–{nbsp}14{nbsp}h{nbsp}40*, "
        "jeudi 14 janvier 2027\n"
        f"À faire{nnbsp}: préparer une courte présentation de «{nnbsp}Un commun{nnbsp}», "
        f"puis cliquer sur «{nnbsp}Ma contribution est prête{nnbsp}»."
    )
    # Ready before J-7: still told their slot, and that nothing else is to do.
    assert first_section(bob) == (
        f"*Votre créneau{nnbsp}: 14{nbsp}h{nbsp}40{nbsp}–{nbsp}14{nbsp}h{nbsp}55*, "
        "jeudi 14 janvier 2027\n"
        f"«{nnbsp}Une démo{nnbsp}» est prête{nnbsp}: rien d’autre à faire."
    )
    assert first_section(last).startswith(
        f"*Votre créneau{nnbsp}: 14{nbsp}h{nbsp}30{nbsp}–{nbsp}14{nbsp}h{nbsp}40*, "
        f"jeudi 14 janvier 2027\nÀ faire maintenant{nnbsp}: finir «{nnbsp}Un commun{nnbsp}»"
    )
    assert buttons_of(anna) == [
        ActionId.MARK_READY,
        ActionId.EDIT_CONTRIBUTION,
        ActionId.WITHDRAW_CONTRIBUTION,
    ]
    assert buttons_of(bob) == [ActionId.EDIT_CONTRIBUTION, ActionId.WITHDRAW_CONTRIBUTION]
    assert "créneau" not in message_text(anna).split("\n", 3)[3]  # said once, first


def test_edit_button_opens_the_contribution_form_prefilled(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ANNA", title="Un commun", duration="10")
    fake_slack.reset()

    reply = slack.block_action(
        ActionId.EDIT_CONTRIBUTION, meeting_id(db), user="U0ANNA", channel="D0ANNA"
    )

    assert (reply.status, reply.body) == (200, "")
    [opened] = fake_slack.calls("views.open")
    assert "Un commun" in str(opened.args["view"]["blocks"])


def test_withdraw_button_withdraws_the_contribution_only(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ANNA", title="Un commun", duration="10")
    slack.command("participer", user="U0ANNA")
    fake_slack.reset()

    reply = slack.block_action(
        ActionId.WITHDRAW_CONTRIBUTION, meeting_id(db), user="U0ANNA", channel="D0ANNA"
    )

    assert reply.status == 200
    with db() as session:
        assert session.scalars(select(Contribution.status)).one() == ContributionStatus.WITHDRAWN
    [answer] = fake_slack.response_posts()
    assert "Un commun" in answer["text"]
    assert "participation" not in answer["text"].lower()
