"""`/partage lieu` end to end: signed requests to the running bot, the fake Slack's
recorded calls, and the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Meeting
from bot.slack.ids import ActionId, BlockId
from tests.support.fake_slack import FakeSlack
from tests.support.living import announce, refresh, thread_replies, updates
from tests.support.slack_client import SlackSender, message_text

CALL = "https://visio.exemple.fr/partage-janvier?pwd=abc&lang=fr"


def test_command_place_sets_text_answers_and_tells_the_channel(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    thread = announce(bot_server, clock)
    fake_slack.reset()

    reply = slack.command("lieu   Salle 3,  12 rue des Lilas ", user="U0ORGA")
    refresh(bot_server, clock)

    assert reply.json()["response_type"] == "ephemeral"
    assert reply.json()["text"] == (
        "Lieu de la session du *jeudi 14 janvier 2027 à 14\u00a0h*\u202f: Salle 3, 12 rue des "
        "Lilas."
    )
    [notice] = thread_replies(fake_slack)
    assert (notice["thread_ts"], notice["text"]) == (
        thread,
        "<@U0ORGA> a indiqué le lieu de la prochaine session\u202f: Salle 3, 12 rue des Lilas.",
    )
    [update] = updates(fake_slack)
    assert update["ts"] == thread
    assert "Salle 3, 12 rue des Lilas" in message_text(update)
    with db() as session:
        assert session.scalar(select(Meeting.place)) == "Salle 3, 12 rue des Lilas"


def test_command_place_link_is_shown_as_its_host_with_a_join_button(
    slack: SlackSender, fake_slack: FakeSlack
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    reply = slack.command(f"place {CALL}", user="U0ORGA")
    programme = slack.command("programme", user="U0BOB")

    escaped = CALL.replace("&", "&amp;")
    assert f"<{escaped}|lien de la visio>" in reply.text
    assert f"*Lieu\u202f:* en visio, <{escaped}|lien de la visio>" in programme.text
    buttons = [
        element
        for block in programme.json()["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert [(b["action_id"], b["url"], b["text"]["text"]) for b in buttons] == [
        (ActionId.JOIN_CALL, CALL, "Rejoindre")
    ]


def test_join_call_button_click_is_acknowledged(slack: SlackSender, fake_slack: FakeSlack):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    fake_slack.reset()

    reply = slack.block_action(ActionId.JOIN_CALL, "", block_id=BlockId.JOIN_CALL)

    assert (reply.status, reply.body) == (200, "")
    assert fake_slack.posts() == []


def test_command_place_by_a_member_is_refused_naming_the_organisers(slack: SlackSender, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    reply = slack.command("lieu Chez moi", user="U0BOB")

    assert "peuvent indiquer le lieu" in reply.text
    assert "<@U0ORGA>" in reply.text
    with db() as session:
        assert session.scalar(select(Meeting.place)) is None


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("", "Indiquez le lieu en 1 à 1\u202f000\u00a0caractères (vous en avez écrit 0)"),
        (
            "x" * 1001,
            "Indiquez le lieu en 1 à 1\u202f000\u00a0caractères (vous en avez écrit 1\u202f001)",
        ),
        ("https://visio.exemple.fr/<!channel>", "Ce lien de visio n’est pas une adresse web"),
    ],
)
def test_command_place_invalid_is_refused_and_nothing_saved(
    slack: SlackSender, db, argument, expected
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    reply = slack.command(f"lieu {argument}", user="U0ORGA")

    assert expected in reply.text
    with db() as session:
        assert session.scalar(select(Meeting.place)) is None


def test_command_place_without_session_explains_how_to_create_one(slack: SlackSender):
    reply = slack.command("lieu Salle 3")

    assert "Aucune session n’est prévue" in reply.text
