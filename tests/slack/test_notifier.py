"""The notifier against the fake Slack over real HTTP: outcomes the dispatcher relies on."""

from __future__ import annotations

import socket

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.slack.notifier import (
    BoundedRateLimitRetryHandler,
    Notifier,
    PermanentFailure,
    RateLimited,
    SlackBudget,
    TransientFailure,
)
from tests.support.fake_slack import FakeResponse, FakeSlack


@pytest.fixture
def notifier(fake_slack: FakeSlack) -> Notifier:
    fake_slack.reset()
    client = WebClient(
        token="xoxb-test",
        base_url=fake_slack.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    return Notifier(client)


def test_notifier_post_returns_channel_and_ts(notifier: Notifier, fake_slack: FakeSlack):
    posted = notifier.post("C1", {"text": "bonjour", "blocks": []})

    assert posted.channel == "C1"
    assert posted.ts.startswith("1700000000.")
    assert fake_slack.posts()[0]["text"] == "bonjour"


def test_notifier_post_user_error_is_permanent(notifier: Notifier, fake_slack: FakeSlack):
    fake_slack.fail("chat.postMessage", "cannot_dm_bot")

    with pytest.raises(PermanentFailure) as raised:
        notifier.post("U0BOT", {"text": "x"})

    assert raised.value.code == "cannot_dm_bot"


def test_notifier_post_rate_limited_waits_and_delivers(notifier: Notifier, fake_slack: FakeSlack):
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=1)

    notifier.post("C1", {"text": "x"})

    assert len(fake_slack.calls("chat.postMessage")) == 2


@pytest.mark.parametrize("status", [200, 502])
def test_notifier_post_answered_with_html_is_transient(
    notifier: Notifier, fake_slack: FakeSlack, status: int
):
    fake_slack.answer_html("chat.postMessage", status=status)

    with pytest.raises(TransientFailure) as raised:
        notifier.post("C1", {"text": "x"})

    assert raised.value.code == "non_json_response"
    assert fake_slack.history.get("C1", []) == []


def test_notifier_post_answered_with_a_brace_that_is_not_json_is_transient(
    notifier: Notifier, fake_slack: FakeSlack
):
    fake_slack.on(
        "chat.postMessage",
        lambda _args: FakeResponse({}, raw=b"{oops", content_type="application/json"),
    )

    with pytest.raises(TransientFailure) as raised:
        notifier.post("C1", {"text": "x"})

    assert raised.value.code == "non_json_response"


def test_notifier_post_connection_refused_is_transient():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    notifier = Notifier(WebClient(token="xoxb-test", base_url=f"http://127.0.0.1:{port}/api/"))

    with pytest.raises(TransientFailure):
        notifier.post("C1", {"text": "x"})


def test_notifier_reactions_reads_full_list(notifier: Notifier, fake_slack: FakeSlack):
    fake_slack.reactions["1.1"] = [{"name": "one", "users": ["U1", "U2"], "count": 2}]

    reactions = notifier.reactions("C1", "1.1")

    assert reactions == [{"name": "one", "users": ["U1", "U2"], "count": 2}]
    assert fake_slack.calls("reactions.get")[0].args["full"] == "true"


def bounded_notifier(fake_slack: FakeSlack, max_wait: float) -> Notifier:
    client = WebClient(
        token="xoxb-test",
        base_url=fake_slack.api_url,
        retry_handlers=[BoundedRateLimitRetryHandler(max_retry_count=2, max_wait_seconds=max_wait)],
    )
    return Notifier(client)


def test_notifier_long_retry_after_is_not_waited_but_reported(fake_slack: FakeSlack):
    fake_slack.reset()
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=65)

    with pytest.raises(RateLimited) as raised:
        bounded_notifier(fake_slack, max_wait=10).post("C1", {"text": "x"})

    assert (raised.value.retry_after, len(fake_slack.calls("chat.postMessage"))) == (65, 1)


def test_notifier_short_retry_after_is_waited_in_place(fake_slack: FakeSlack):
    fake_slack.reset()
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=1)

    posted = bounded_notifier(fake_slack, max_wait=10).post("C1", {"text": "x"})

    assert (posted.user, len(fake_slack.calls("chat.postMessage"))) == ("UBOT", 2)


def test_slack_budget_worst_case_counts_tries_and_waits():
    budget = SlackBudget(timeout_seconds=10, rate_limit_retries=2, max_wait_seconds=10)

    assert budget.worst_case_seconds == 50


def test_notifier_channel_members_reads_every_cursor_page(
    notifier: Notifier, fake_slack: FakeSlack
):
    fake_slack.members["C0GROUP"] = [f"U{i:04d}" for i in range(5)]

    members = notifier.channel_members("C0GROUP", page_size=2)

    assert members == ["U0000", "U0001", "U0002", "U0003", "U0004"]
    calls = fake_slack.calls("conversations.members")
    assert [c.args.get("cursor") for c in calls] == [None, "2", "4"]
    assert {c.args["limit"] for c in calls} == {"2"}


def test_notifier_channel_members_of_a_channel_the_bot_cannot_read_is_permanent(
    notifier: Notifier, fake_slack: FakeSlack
):
    fake_slack.fail("conversations.members", "channel_not_found")

    with pytest.raises(PermanentFailure):
        notifier.channel_members("C0GONE")


def test_notifier_user_info_tells_bots_and_names(notifier: Notifier, fake_slack: FakeSlack):
    fake_slack.bots.add("U0HELPER")
    fake_slack.names["U0ALICE"] = "Alice"

    assert notifier.user_info("U0HELPER")["is_bot"] is True
    assert notifier.user_info("U0ALICE")["profile"]["display_name"] == "Alice"
