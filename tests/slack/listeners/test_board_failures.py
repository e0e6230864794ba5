"""The roles modal and the Home when the database or Slack fails: Slack gets its 200,
nothing is half-written."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db.models import MeetingRole
from bot.slack.ids import ActionId
from tests.support.board import click, open_roles, view_text
from tests.support.contributions import schedule
from tests.support.db_faults import tables_locked
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender


def test_roles_click_while_the_database_fails_gets_a_200_and_changes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, db, engine
):
    schedule(slack)
    view = open_roles(slack, fake_slack, user="U0BOB")
    fake_slack.reset()

    with tables_locked(engine):
        reply = click(slack, view, ActionId.BOARD_TAKE_GUIDE, user="U0BOB")

    assert reply.status == 200
    assert "Traceback" not in reply.body
    apology = fake_slack.calls("views.update")[-1].args
    assert apology["view_id"] == "V0ROLES"
    assert "je n'arrive pas à joindre ma base de données" in view_text(apology["view"])
    with db() as session:
        assert session.scalar(select(func.count()).select_from(MeetingRole)) == 0


def test_roles_click_when_slack_refuses_the_update_still_applies_once(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    view = open_roles(slack, fake_slack, user="U0BOB")
    fake_slack.reset()
    fake_slack.fail("views.update", "not_found")

    reply = click(slack, view, ActionId.BOARD_JOIN, user="U0BOB")

    assert reply.status == 200
    with db() as session:
        assert session.scalars(select(MeetingRole.user_id)).all() == ["U0BOB"]
    assert len(fake_slack.calls("views.update")) == 1
