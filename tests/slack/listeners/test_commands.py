"""The slash command end to end: signed requests to the running bot, real database."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Meeting, Organiser
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender


def test_command_schedule_then_programme_shows_french_date_and_phases(slack: SlackSender):
    created = slack.command("session 2027-01-14 14:00")
    programme = slack.command("programme")

    assert created.status == 200
    assert "jeudi 14 janvier 2027 à 14h00" in created.text
    assert programme.status == 200
    assert programme.json()["response_type"] == "ephemeral"
    text = programme.text
    assert "jeudi 14 janvier 2027 à 14h00" in text
    assert "`14h00–14h02` Introduction" in text
    assert "`14h02–14h30` Tour de table" in text
    assert "`14h30–15h15` Échange" in text
    assert "`15h15–15h25` Anticipation" in text
    assert "`15h30` Fin" in text


def test_command_schedule_makes_first_user_organiser_and_notifies_channel(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    reply = slack.command("session 14/01/2027 14h", user="U0ORGA")

    assert "organisateur·rice" in reply.text
    with db() as session:
        assert session.scalars(select(Organiser.user_id)).all() == ["U0ORGA"]
        assert len(session.scalars(select(Meeting)).all()) == 1
    posts = fake_slack.posts()
    assert [p["channel"] for p in posts] == ["C0GROUP"]
    assert "<@U0ORGA>" in posts[0]["text"]
