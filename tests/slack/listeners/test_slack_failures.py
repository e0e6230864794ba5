"""Slack refusing a listener's follow-up: the member is told what to do, the other
follow-ups still happen, and each failure is logged once."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.db.models import Meeting
from bot.slack.ids import ActionId
from tests.support.contributions import contribute, schedule
from tests.support.fake_slack import FakeResponse, FakeSlack
from tests.support.living import announce, refresh
from tests.support.slack_client import SlackSender


def warnings_mentioning(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and text in r.getMessage()
    ]


def test_config_modal_that_slack_refuses_tells_the_organiser_how_to_retry(
    slack: SlackSender, fake_slack: FakeSlack
):
    schedule(slack, user="U0ORGA")
    fake_slack.fail("views.open", "expired_trigger_id")

    reply = slack.command("config", user="U0ORGA")

    assert (reply.status, reply.body) == (200, "")
    [ephemeral] = fake_slack.calls("chat.postEphemeral")
    assert (ephemeral.args["channel"], ephemeral.args["user"]) == ("C0GROUP", "U0ORGA")
    assert "Réessayez avec `/partage config`" in ephemeral.args["text"]


def test_contribution_confirmation_failing_is_logged_once_and_the_rest_goes_out(
    slack: SlackSender,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    *,
    bot_server,
    clock,
):
    schedule(slack)
    announce(bot_server, clock)
    fake_slack.reset()
    fake_slack.on("chat.postEphemeral", lambda _args: FakeResponse({"ok": False}, 500))

    with caplog.at_level(logging.WARNING):
        reply = contribute(slack, fake_slack, user="U0ALICE", title="Quand même")
    refresh(bot_server, clock)

    assert (reply.status, reply.body) == (200, "")
    assert sorted(p["channel"] for p in fake_slack.posts()) == ["C0GROUP", "U0ALICE"]
    # A 500 is Slack failing, not a refusal: the outage's first line says it, once.
    assert len(warnings_mentioning(caplog, "slack outage started: http_500")) == 1


def test_button_notice_failing_still_answers_the_member(
    slack: SlackSender,
    fake_slack: FakeSlack,
    db,
    caplog: pytest.LogCaptureFixture,
    *,
    bot_server,
    clock,
):
    schedule(slack)
    announce(bot_server, clock)
    with db() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    fake_slack.reset()
    fake_slack.on("chat.postMessage", lambda _args: FakeResponse({"ok": False}, 500))

    with caplog.at_level(logging.WARNING):
        reply = slack.block_action(ActionId.CLAIM_GUIDE.value, str(meeting_id), user="U0BOB")
        report = refresh(bot_server, clock)

    assert (reply.status, reply.body) == (200, "")
    [answer] = fake_slack.response_posts()
    assert "Vous êtes guide de la session du *jeudi 14 janvier 2027 à 14\u00a0h*" in answer["text"]
    # The thread reply is retried later by the outbox, not lost.
    assert report.retried == 1
    # Counted in the outage's lines rather than logged per message.
    assert len(warnings_mentioning(caplog, "slack outage started: http_500")) == 1
