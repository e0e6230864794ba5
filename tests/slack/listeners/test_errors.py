"""The error handler's answer per payload, for failures the end-to-end tests cannot
provoke on purpose (a bug in a listener)."""

from __future__ import annotations

import json

import pytest
from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError

from bot.deps import Deps
from bot.enums import Language
from bot.slack.admins import AdminDirectory
from bot.slack.listeners.errors import failure_response
from bot.slack.notifier import Notifier
from bot.slack.view_parsing import form_error_block
from tests.conftest import DEFAULT_NOW
from tests.support import server
from tests.support.clock import ManualClock

UNUSED_API = "http://127.0.0.1:9/api/"
VIEW = {
    "type": "modal",
    "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "…"}},
        {"type": "input", "block_id": "partage_first", "element": {"type": "plain_text_input"}},
        {"type": "input", "block_id": "partage_second", "element": {"type": "plain_text_input"}},
    ],
}


@pytest.fixture
def deps() -> Deps:
    return Deps(
        settings=server.bot_settings("sqlite:///unused.db", UNUSED_API),
        db=None,  # type: ignore[arg-type]  # the error path never reaches the database
        clock=ManualClock(DEFAULT_NOW),
        admins=AdminDirectory(WebClient(base_url=UNUSED_API)),
        after_ack=lambda work: work(),
        notifier=Notifier(WebClient(base_url=UNUSED_API)),
    )


def test_form_error_block_skips_the_sections():
    assert form_error_block(VIEW) == "partage_first"


def test_bug_under_a_modal_keeps_it_open_with_an_apology(deps: Deps):
    body = {"type": "view_submission", "user": {"id": "U0ALICE"}, "view": VIEW}

    response = failure_response(deps, ValueError("bug"), body, None)

    assert response.status == 200
    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {
            "partage_first": (
                "Désolé, quelque chose s’est mal passé de mon côté et rien n’a été "
                "enregistré. Vos réponses sont toujours là\u202f: réessayez dans un instant."
            )
        },
    }


def test_database_failure_under_a_command_answers_in_the_members_last_language(deps: Deps):
    deps.languages.remember("U0CAROL", Language.EN)
    error = OperationalError("SELECT 1", {}, Exception("database or disk is full"))

    response = failure_response(deps, error, {"command": "/partage", "user_id": "U0CAROL"}, None)

    assert json.loads(response.body) == {
        "response_type": "ephemeral",
        "text": (
            "Sorry, I cannot reach my database right now and nothing was saved. "
            "Try again in a moment."
        ),
    }


def test_failure_under_a_button_answers_over_its_response_url(deps: Deps):
    said: list[dict] = []
    body = {"type": "block_actions", "user": {"id": "U0BOB"}, "response_url": "https://r"}

    response = failure_response(deps, ValueError("bug"), body, lambda **kw: said.append(kw))

    assert (response.status, response.body) == (200, "")
    assert [s["text"][:30] for s in said] == ["Toutes mes excuses\u202f: quelque c"]
    assert said[0]["response_type"] == "ephemeral"


def test_failure_under_an_event_is_an_empty_200(deps: Deps):
    body = {"type": "event_callback", "event": {"type": "reaction_added"}}

    response = failure_response(deps, ValueError("bug"), body, None)

    assert (response.status, response.body) == (200, "")
