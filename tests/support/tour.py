"""Driving the async tour de table from a test: the channel's members on the fake Slack,
the invitation sent, the modal opened from the DM's button and submitted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Group, Meeting
from bot.slack.ids import ActionId, BlockId
from tests.support.fake_slack import BOT_USER_ID, FakeSlack
from tests.support.slack_client import HttpReply, SlackSender
from tests.support.views import submitted_state

INVITE_TITLE = "Tour de table de la session"


def meeting_id(db: sessionmaker[Session]) -> int:
    with db() as session:
        return int(session.scalars(select(Meeting.id).order_by(Meeting.id)).first() or 0)


def group_id(db: sessionmaker[Session]) -> int:
    with db() as session:
        return int(session.scalars(select(Group.id).order_by(Group.id)).first() or 0)


def channel_members(fake_slack: FakeSlack, *users: str, channel: str = "C0GROUP") -> None:
    """The channel's members as conversations.members will list them, the bot included."""
    fake_slack.members[channel] = [*users, BOT_USER_ID]


def invitations(fake_slack: FakeSlack) -> list[dict[str, Any]]:
    return [p for p in fake_slack.posts() if INVITE_TITLE in str(p.get("text"))]


def dm(user: str) -> str:
    return "D" + user[1:]


def open_tour_modal(
    slack: SlackSender, fake_slack: FakeSlack, db: sessionmaker[Session], user: str = "U0ALICE"
) -> dict[str, Any]:
    """Click "Répondre" (or "Modifier") in the invitation DM; the view given to views.open."""
    before = len(fake_slack.calls("views.open"))
    reply = slack.block_action(
        ActionId.TOUR_ANSWER,
        str(meeting_id(db)),
        user=user,
        channel=dm(user),
        block_id=BlockId.TOUR_ACTIONS,
    )
    assert (reply.status, reply.body) == (200, ""), reply.body
    opened = fake_slack.calls("views.open")
    assert len(opened) == before + 1, "the modal did not open"
    return opened[-1].args["view"]


def submit_answers(
    slack: SlackSender,
    view: dict[str, Any],
    user: str = "U0ALICE",
    *,
    share: bool | None = None,
    **answers: str,
) -> HttpReply:
    """Submit the modal; fields not given keep their initial values (share included)."""
    overrides: dict[str, Any] = {
        {
            "feeling": BlockId.TOUR_FEELING,
            "doing": BlockId.TOUR_DOING,
            "learned": BlockId.TOUR_LEARNED,
            "needs": BlockId.TOUR_NEEDS,
        }[name].value: value
        for name, value in answers.items()
    }
    if share is not None:
        overrides[BlockId.TOUR_SHARE.value] = ["share"] if share else []
    return slack.view_submission(view, submitted_state(view, **overrides), user=user)


def answer(
    slack: SlackSender,
    fake_slack: FakeSlack,
    db: sessionmaker[Session],
    user: str = "U0ALICE",
    *,
    share: bool = True,
    **answers: str,
) -> HttpReply:
    view = open_tour_modal(slack, fake_slack, db, user)
    reply = submit_answers(slack, view, user, share=share, **answers)
    assert reply.status == 200, reply.body
    return reply
