"""A setting added to the table alone reaches Slack and the database: `/partage config`
shows its input, a submission saves it, and a refusal lands on its block."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Group
from bot.slack.ids import ConfigBlockId
from tests.slack.listeners.test_config import open_config
from tests.support.blocks import assert_valid_view
from tests.support.settings_table import NEW_NUMBER_BLOCK, declare_new_entries
from tests.support.views import submitted_state, view_submission


@pytest.fixture
def new_entries(monkeypatch):
    declare_new_entries(monkeypatch)


@pytest.mark.usefixtures("new_entries")
def test_config_new_table_entry_is_offered_and_saved(slack, fake_slack, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    view = open_config(slack, fake_slack)
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    boxes = blocks[ConfigBlockId.SWITCHES]["element"]["options"]
    ticked = [o["value"] for o in blocks[ConfigBlockId.SWITCHES]["element"]["initial_options"]]
    values = submitted_state(
        view, **{NEW_NUMBER_BLOCK: "18", ConfigBlockId.SWITCHES: [*ticked, "alsace_moselle"]}
    )

    reply = slack.interaction(view_submission(view, "U0ORGA", values))

    assert_valid_view(view)
    assert blocks[NEW_NUMBER_BLOCK]["label"]["text"] == "Nouveau réglage, en mois"
    assert blocks[NEW_NUMBER_BLOCK]["element"]["initial_value"] == "12"
    assert boxes[-1] == {
        "text": {"type": "plain_text", "text": "Nouvel envoi", "emoji": True},
        "value": "alsace_moselle",
    }
    assert (reply.status, reply.body) == (200, "")
    with db() as session:
        group = session.scalars(select(Group)).one()
        saved = (group.tour_retention_months, group.alsace_moselle, group.tour_days)
    assert saved == (18, True, 2)


@pytest.mark.usefixtures("new_entries")
def test_config_new_table_entry_out_of_bounds_is_refused_on_its_block(slack, fake_slack, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    view = open_config(slack, fake_slack)

    reply = slack.interaction(
        view_submission(view, "U0ORGA", submitted_state(view, **{NEW_NUMBER_BLOCK: "25"}))
    )

    assert reply.json() == {
        "response_action": "errors",
        "errors": {NEW_NUMBER_BLOCK: "Indiquez un nombre entier entre 1 et 24."},
    }
    with db() as session:
        assert session.scalars(select(Group.tour_retention_months)).one() == 12
