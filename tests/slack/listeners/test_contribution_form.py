"""One contribution form, whatever opens it: the command, a message's button, the roles
modal and the App Home all give the same view, with the group's own budget."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.db.models import Group, Meeting
from bot.slack.ids import ActionId, BlockId
from tests.support.blocks import assert_valid_view, field_state_claims
from tests.support.board import click, open_roles
from tests.support.contributions import open_modal, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender


def meeting_id(db) -> str:
    with db() as session:
        return str(session.scalars(select(Meeting.id)).one())


def modal_text(view: dict) -> str:
    return "\n".join(b["text"]["text"] for b in view["blocks"] if isinstance(b.get("text"), dict))


def opened_from_every_entry_point(slack: SlackSender, fake_slack: FakeSlack, db) -> dict:
    """The form as each entry point opened it (views.open, or views.push over the roles
    modal), for the same member."""
    user = "U0ALICE"
    forms = {"command": open_modal(slack, fake_slack, user)}

    fake_slack.reset()
    slack.block_action(ActionId.OPEN_CONTRIBUTION, meeting_id(db), user=user)
    forms["message button"] = fake_slack.calls("views.open")[-1].args["view"]

    roles = open_roles(slack, fake_slack, user)
    fake_slack.reset()
    click(slack, roles, ActionId.BOARD_CONTRIBUTE, user=user, surface="modal")
    forms["roles modal"] = fake_slack.calls("views.push")[-1].args["view"]

    fake_slack.members["C0GROUP"] = [user]  # a member of the channel, no role yet
    slack.event({"type": "app_home_opened", "user": user, "channel": "D0", "tab": "home"})
    home = [c.args["view"] for c in fake_slack.calls("views.publish")][-1]
    fake_slack.reset()
    click(slack, home, ActionId.BOARD_CONTRIBUTE, user=user, surface="home")
    forms["home"] = fake_slack.calls("views.open")[-1].args["view"]
    return forms


def test_contribution_form_is_the_same_from_every_entry_point(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)

    forms = opened_from_every_entry_point(slack, fake_slack, db)

    for view in forms.values():
        assert_valid_view(view)
    assert {name: view for name, view in forms.items()} == dict.fromkeys(forms, forms["command"])


def test_contribution_form_states_the_groups_own_budget_from_every_entry_point(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    with db.begin() as session:
        session.execute(update(Group).values(presentation_minutes=45))

    forms = opened_from_every_entry_point(slack, fake_slack, db)

    assert {name: "sur 45" in modal_text(view) for name, view in forms.items()} == {
        "command": True,
        "message button": True,
        "roles modal": True,
        "home": True,
    }


def test_contribution_form_hints_agree_with_slacks_optional_labels(
    slack: SlackSender, fake_slack: FakeSlack
):
    schedule(slack)

    view = open_modal(slack, fake_slack)

    guest = next(b for b in view["blocks"] if b.get("block_id") == BlockId.CONTRIBUTION_GUEST)
    # Slack marks the guest's name "(facultatif)": the hint says when to fill it, and
    # no hint of the form claims a state of its own.
    assert guest["optional"] is True
    assert "obligatoire" not in guest["hint"]["text"]
    assert guest["hint"]["text"].startswith("À remplir pour une contribution Invité·e")
    assert field_state_claims(view) == []
