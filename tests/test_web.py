"""The HTTP transport beyond the listeners: health and language of a deployment."""

from __future__ import annotations

import socket

from tests.support.clock import ManualClock
from tests.support.fake_slack import FakeSlack
from tests.support.server import SIGNING_SECRET, BotServer, bot_settings
from tests.support.slack_client import SlackSender


def test_healthz_answers_503_when_database_unreachable(fake_slack: FakeSlack, clock: ManualClock):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port}/nowhere"
    server = BotServer(bot_settings(url, fake_slack.api_url), clock).start()
    try:
        reply = SlackSender(server.port, SIGNING_SECRET, "").get("/healthz")
    finally:
        server.stop()

    assert reply.status == 503
    assert reply.json() == {"status": "database unreachable"}


def test_bot_language_en_answers_in_english(
    database_url, db, fake_slack: FakeSlack, clock: ManualClock
):
    fake_slack.reset()
    settings = bot_settings(database_url, fake_slack.api_url, BOT_LANGUAGE="en")
    server = BotServer(settings, clock).start()
    try:
        sender = SlackSender(server.port, SIGNING_SECRET, fake_slack.response_url())
        created = sender.command("schedule 2027-01-14 14:00")
        programme = sender.command("agenda")
        refused = sender.command("schedule 2027-02-30 14:00")
    finally:
        server.stop()

    assert "Done: the next session is on *Thursday 14 January 2027 at 14:00*" in created.text
    assert "Next session: Thursday 14 January 2027 at 14:00" in programme.text
    assert "*14:30–15:15* Exchange" in programme.text
    assert "does not exist in the calendar. Accepted formats:" in refused.text


def test_custom_slash_command_name_is_served(
    database_url, db, fake_slack: FakeSlack, clock: ManualClock
):
    fake_slack.reset()  # nothing an earlier test programmed or left behind answers here
    settings = bot_settings(database_url, fake_slack.api_url, SLASH_COMMAND="/pairs")
    server = BotServer(settings, clock).start()
    try:
        sender = SlackSender(server.port, SIGNING_SECRET, fake_slack.response_url())
        reply = sender.command("aide", command="/pairs")
    finally:
        server.stop()

    assert "`/pairs session 2027-01-14 14:00`" in reply.text
