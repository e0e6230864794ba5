"""The bot's own user id: asked once, kept, failures classified like the Notifier's."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.slack.identity import BotIdentity
from bot.slack.notifier import PermanentFailure, TransientFailure
from tests.support.fake_slack import BOT_USER_ID, FakeSlack


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    fake_slack.reset()
    return WebClient(token="xoxb-test", base_url=fake_slack.api_url)


def test_bot_identity_asks_auth_test_once(client, fake_slack):
    identity = BotIdentity(client)

    ids = [identity.user_id(), identity.user_id()]

    assert ids == [BOT_USER_ID, BOT_USER_ID]
    assert len(fake_slack.calls("auth.test")) == 1


def test_bot_identity_slack_failing_is_transient_and_not_cached(client, fake_slack):
    identity = BotIdentity(client)
    fake_slack.fail("auth.test", "internal_error")

    with pytest.raises(TransientFailure):
        identity.user_id()
    fake_slack.reset()

    assert identity.user_id() == BOT_USER_ID


def test_bot_identity_refused_token_is_permanent(client, fake_slack):
    fake_slack.fail("auth.test", "invalid_auth")

    with pytest.raises(PermanentFailure):
        BotIdentity(client).user_id()
