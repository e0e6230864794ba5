"""The roles modal and the Home when the database or Slack fails: Slack gets its 200,
nothing is half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db.models import Meeting, MeetingRole
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
    assert "je n’arrive pas à joindre ma base de données" in view_text(apology["view"])
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


@pytest.mark.parametrize(
    ("block_id", "fields"),
    [
        ("partage_board:99999999999999999999:guide", {"value": "take"}),
        ("partage_board:abc:guide", {"value": "take"}),
        ("something_else", {"value": "take"}),
        ("partage_board:1:item:-3", {"selected_option": "remove:-3"}),
    ],
)
def test_roles_click_with_a_crafted_block_id_is_refused_politely(
    slack: SlackSender, fake_slack: FakeSlack, db, block_id, fields
):
    schedule(slack)
    view = open_roles(slack, fake_slack, user="U0BOB")
    fake_slack.reset()

    reply = click(slack, view, ActionId.BOARD_TAKE_GUIDE, user="U0BOB", block_id=block_id, **fields)

    assert reply.status == 200
    assert "n’est plus à venir" in view_text(fake_slack.calls("views.update")[-1].args["view"])
    with db() as session:
        assert session.scalar(select(func.count()).select_from(MeetingRole)) == 0


def test_roles_menu_with_a_crafted_option_is_refused_politely(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    view = open_roles(slack, fake_slack, user="U0ORGA")
    fake_slack.reset()
    with db() as session:
        mid = session.scalars(select(Meeting.id)).one()

    reply = click(
        slack,
        view,
        ActionId.BOARD_CONTRIBUTION_MENU,
        user="U0ORGA",
        block_id=f"partage_board:{mid}:item:1",
        selected_option="explode:<!channel>",
    )

    assert reply.status == 200
    assert "n’est plus au programme" in view_text(fake_slack.calls("views.update")[-1].args["view"])
