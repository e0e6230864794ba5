"""A guest contribution end to end: the modal's guest fields, what is stored, and how the
channel and the programme name the guest and the member who hosts them."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Contribution
from bot.slack.ids import BlockId
from tests.support.contributions import contribute, open_modal, schedule, submit
from tests.support.fake_slack import FakeSlack
from tests.support.living import announce, refresh, thread_replies
from tests.support.slack_client import SlackSender

TITLE = "L'accessibilité vue par une usagère"


def test_guest_submission_stores_name_and_affiliation_apart_and_names_them_everywhere(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack)
    thread = announce(bot_server, clock)
    fake_slack.reset()

    reply = contribute(
        slack,
        fake_slack,
        user="U0INES",
        kind="guest",
        title=TITLE,
        duration="12",
        guest="Marie Dupont",
        affiliation="APF France handicap",
    )

    assert (reply.status, reply.body) == (200, "")
    with db() as session:
        row = session.scalars(select(Contribution)).one()
        assert (row.title, row.guest_name, row.guest_affiliation) == (
            TITLE,
            "Marie Dupont",
            "APF France handicap",
        )
    refresh(bot_server, clock)
    [notice] = thread_replies(fake_slack)
    assert notice["thread_ts"] == thread
    assert notice["text"].startswith(
        "<@U0INES> invite Marie Dupont (APF France handicap) à la session du "
    )
    # The organiser's programme: the readiness is theirs to read.
    programme = slack.command("programme", user="U0ORGA").text
    assert (
        "1. *14\u00a0h\u00a030\u00a0–\u00a014\u00a0h\u00a042* Invité·e\u202f: Marie Dupont (APF "
        "France handicap) — "
        f"«\u202f{TITLE}\u202f», accueilli·e par <@U0INES>, 12\u00a0min · en préparation ⏳"
    ) in programme


def test_guest_modal_is_prefilled_with_the_affiliation_to_edit(slack: SlackSender, fake_slack):
    schedule(slack)
    contribute(
        slack,
        fake_slack,
        user="U0INES",
        kind="guest",
        title=TITLE,
        guest="Marie Dupont",
        affiliation="APF France handicap",
    )

    view = open_modal(slack, fake_slack, "U0INES")

    blocks = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert blocks[BlockId.CONTRIBUTION_GUEST]["element"]["initial_value"] == "Marie Dupont"
    assert blocks[BlockId.CONTRIBUTION_AFFILIATION]["element"]["initial_value"] == (
        "APF France handicap"
    )
    assert blocks[BlockId.CONTRIBUTION_AFFILIATION]["optional"] is True


def test_guest_without_name_is_refused_on_its_block_and_nothing_is_stored(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    view = open_modal(slack, fake_slack, "U0INES")

    reply = submit(
        slack, view, user="U0INES", kind="guest", title=TITLE, duration="10", affiliation="APF"
    )

    assert reply.json()["errors"] == {
        BlockId.CONTRIBUTION_GUEST: (
            "Indiquez le nom de la personne invitée\u202f: il est obligatoire pour une "
            "contribution de type Invité·e."
        )
    }
    with db() as session:
        assert session.scalars(select(Contribution)).all() == []
