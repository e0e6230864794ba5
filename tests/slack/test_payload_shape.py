"""The payload shape check: Slack's documented shapes pass, wrong JSON types are named."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.payload_shape import shape_problem

BLOCK_ACTIONS: dict[str, Any] = {
    "type": "block_actions",
    "team": {"id": "T0001", "domain": "beta"},
    "user": {"id": "U0BOB", "team_id": "T0001"},
    "channel": {"id": "C0GROUP", "name": "partage"},
    "container": {"type": "message", "message_ts": "1.2", "channel_id": "C0GROUP"},
    "trigger_id": "t",
    "response_url": "https://hooks.slack.com/actions/T/1/x",
    "actions": [{"action_id": "partage_join", "block_id": "b", "value": "12", "type": "button"}],
    "enterprise": None,
    "is_enterprise_install": False,
}

EVENT: dict[str, Any] = {
    "type": "event_callback",
    "team_id": "T0001",
    "event_id": "Ev1",
    "authorizations": [{"user_id": "UBOT", "is_bot": True, "team_id": "T0001"}],
    "event": {
        "type": "reaction_added",
        "user": "U0BOB",
        "reaction": "one",
        "item": {"type": "message", "channel": "C0GROUP", "ts": "1.2"},
    },
}

COMMAND: dict[str, Any] = {"command": "/partage", "text": "aide", "team_id": "T0001"}


@pytest.mark.parametrize("payload", [BLOCK_ACTIONS, EVENT, COMMAND, {}])
def test_shape_problem_none_for_what_slack_sends(payload: dict[str, Any]):
    assert shape_problem(payload) is None


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ([1, 2], "body is not an object"),
        ({**BLOCK_ACTIONS, "team": "T0001"}, "team has the wrong type"),
        ({**BLOCK_ACTIONS, "user": {"id": 5}}, "user.id has the wrong type"),
        ({**BLOCK_ACTIONS, "actions": []}, "actions is empty"),
        ({**BLOCK_ACTIONS, "actions": ["x"]}, "actions holds a non-object"),
        (
            {**BLOCK_ACTIONS, "actions": [{"action_id": 1}]},
            "actions[].action_id has the wrong type",
        ),
        ({**BLOCK_ACTIONS, "response_url": "file:///etc"}, "response_url is not a web URL"),
        ({**BLOCK_ACTIONS, "response_url": ""}, "block_actions on a message without response_url"),
        ({**EVENT, "event": "reaction_added"}, "event has the wrong type"),
        ({**EVENT, "event_id": 12}, "event_id has the wrong type"),
        (
            {**EVENT, "authorizations": [{"is_bot": "yes"}]},
            "authorizations[].is_bot has the wrong type",
        ),
        ({**EVENT, "event": {**EVENT["event"], "item": []}}, "event.item has the wrong type"),
        (
            {
                "type": "block_actions",
                "container": {"type": "view"},
                "view": {"state": {"values": []}},
            },
            "view.state.values has the wrong type",
        ),
        (
            {"type": "view_submission", "view": {"private_metadata": 7}},
            "view.private_metadata has the wrong type",
        ),
        ({"type": True}, "type has the wrong type"),
    ],
)
def test_shape_problem_names_the_field_of_the_wrong_type(payload: Any, problem: str):
    assert shape_problem(payload) == problem


def test_shape_problem_accepts_a_button_in_a_modal_without_response_url():
    payload = {
        **BLOCK_ACTIONS,
        "container": {"type": "view", "view_id": "V1"},
        "response_url": None,
    }

    assert shape_problem(payload) is None


def test_shape_problem_leaves_a_submission_values_to_the_form_answer():
    # `bot.slack.listeners.forms` answers it on the form; a 400 would close nothing and
    # show the member an opaque error.
    payload = {"type": "view_submission", "view": {"state": {"values": {"b": "x"}}}}

    assert shape_problem(payload) is None
