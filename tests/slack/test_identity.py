"""The bot's own user id: asked once, kept, failures classified like the Notifier's."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.slack.identity import NAME_TTL_SECONDS, BotIdentity, MemberNames, display_name
from bot.slack.notifier import PermanentFailure, TransientFailure
from tests.support.fake_slack import BOT_USER_ID, FakeResponse, FakeSlack


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


# --- members' display names -------------------------------------------------------------


def test_member_names_asks_each_member_once_within_a_day(client, fake_slack):
    fake_slack.names.update({"U0CAMI": "Camille"})
    now = [0.0]
    names = MemberNames(client, clock=lambda: now[0])

    first = names.names(["U0CAMI", "U0NONAME", "U0CAMI"])
    second = names.names(["U0CAMI", "U0NONAME"])
    now[0] = NAME_TTL_SECONDS + 1
    third = names.names(["U0CAMI"])

    assert (first, second, third) == ({"U0CAMI": "Camille"},) * 3
    # U0NONAME has no name: remembered as such, not asked again the same day.
    assert [c.args["user"] for c in fake_slack.calls("users.info")] == [
        "U0CAMI",
        "U0NONAME",
        "U0CAMI",
    ]


def test_member_names_leaves_out_a_member_slack_fails_on_and_asks_again(client, fake_slack):
    fake_slack.names.update({"U0CAMI": "Camille", "U0DOMI": "Dominique"})
    fake_slack.on(
        "users.info",
        lambda args: (
            FakeResponse({"ok": False, "error": "internal_error"}, 500)
            if args.get("user") == "U0DOMI"
            else None
        ),
    )
    names = MemberNames(client)

    found = names.names(["U0DOMI", "U0CAMI"])
    names.names(["U0DOMI"])

    assert found == {"U0CAMI": "Camille"}
    assert [c.args["user"] for c in fake_slack.calls("users.info")] == [
        "U0DOMI",
        "U0CAMI",
        "U0DOMI",
    ]


def test_display_name_prefers_the_display_name_then_the_full_name_never_the_handle():
    assert [
        display_name({"profile": {"display_name": "Cam", "real_name": "Camille D."}}),
        display_name({"profile": {"display_name": " ", "real_name": "Camille D."}}),
        display_name({"real_name": "Camille Dupont", "name": "camille"}),
        display_name({"name": "camille"}),
        display_name({}),
    ] == ["Cam", "Camille D.", "Camille Dupont", None, None]
