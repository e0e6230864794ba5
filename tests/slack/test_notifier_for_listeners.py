"""The Notifier's listener-facing calls against the fake Slack: the same three outcomes
as for jobs (permanent, transient, maybe sent)."""

from __future__ import annotations

import socket

import pytest
from slack_sdk import WebClient

from bot.slack.notifier import Notifier, PermanentFailure, TransientFailure
from tests.support.fake_slack import FakeResponse, FakeSlack

VIEW = {"type": "modal", "title": {"type": "plain_text", "text": "Réglages"}, "blocks": []}


@pytest.fixture
def notifier(fake_slack: FakeSlack) -> Notifier:
    fake_slack.reset()
    return Notifier(WebClient(token="xoxb-test", base_url=fake_slack.api_url))


def test_post_ephemeral_reaches_one_member_in_the_channel(
    notifier: Notifier, fake_slack: FakeSlack
):
    notifier.post_ephemeral("C0GROUP", "U0ALICE", {"text": "C’est enregistré."})

    [call] = fake_slack.calls("chat.postEphemeral")
    assert (call.args["channel"], call.args["user"], call.args["text"]) == (
        "C0GROUP",
        "U0ALICE",
        "C’est enregistré.",
    )


def test_open_view_returns_the_view_id(notifier: Notifier, fake_slack: FakeSlack):
    view_id = notifier.open_view("trigger-1", VIEW)

    assert view_id == "V0001"
    assert fake_slack.calls("views.open")[0].args["trigger_id"] == "trigger-1"


def test_open_view_with_an_expired_trigger_is_permanent(notifier: Notifier, fake_slack: FakeSlack):
    fake_slack.fail("views.open", "expired_trigger_id")

    with pytest.raises(PermanentFailure) as raised:
        notifier.open_view("trigger-1", VIEW)

    assert raised.value.code == "expired_trigger_id"


def test_update_view_sends_the_hash_it_was_given(notifier: Notifier, fake_slack: FakeSlack):
    notifier.update_view("V0001", VIEW, view_hash="1700000000.abcdef")

    [call] = fake_slack.calls("views.update")
    assert (call.args["view_id"], call.args["hash"]) == ("V0001", "1700000000.abcdef")


def test_post_ephemeral_on_a_slack_500_is_transient(notifier: Notifier, fake_slack: FakeSlack):
    fake_slack.on("chat.postEphemeral", lambda _args: FakeResponse({"ok": False}, 500))

    with pytest.raises(TransientFailure):
        notifier.post_ephemeral("C0GROUP", "U0ALICE", {"text": "x"})


def test_open_view_with_slack_unreachable_is_transient():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    notifier = Notifier(WebClient(base_url=f"http://127.0.0.1:{closed_port}/api/"))

    with pytest.raises(TransientFailure):
        notifier.open_view("trigger-1", VIEW)
