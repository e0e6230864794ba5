"""Malformed submissions of every modal, as signed requests to the running bot: a value of
the wrong JSON type, an option that is not an object, an input missing, a number given as
text. Each gets `response_action: errors` on the form in the member's language, never an
empty 200 (Slack would close the modal as if saved) and never a traceback."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.slack.ids import CallbackId, ConfigBlockId
from tests.slack.listeners.test_config import open_config
from tests.support.contributions import open_modal, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender
from tests.support.tour import open_tour_modal
from tests.support.views import submitted_state

MALFORMED_FR = (
    "Je n\u2019ai pas pu lire ce que le formulaire m\u2019a envoyé et rien n\u2019a été "
    "enregistré. Fermez-le, rouvrez-le et renvoyez vos réponses."
)
MALFORMED_EN = (
    "I could not read what the form sent me and nothing was saved. "
    "Close it, open it again and resend your answers."
)
TEXT_TYPES = ("plain_text_input", "number_input", "url_text_input", "email_text_input")


def inputs(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in view["blocks"] if b["type"] == "input"]


def malformations(view: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(what, the block that is wrong, view.state.values) for each way one input of
    `view` can be malformed, the other inputs left as the member filled them."""
    for block in inputs(view):
        block_id, element = block["block_id"], block["element"]
        action_id, kind = element["action_id"], element["type"]
        wrong: list[tuple[str, Any]] = [
            ("missing block", None),
            ("block is a string", "x"),
            ("element is a string", {action_id: "x"}),
            ("element is a list", {action_id: ["x"]}),
        ]
        if kind in TEXT_TYPES:
            wrong += [
                ("value is a number", {action_id: {"type": kind, "value": 12}}),
                ("value is an object", {action_id: {"type": kind, "value": {"a": 1}}}),
                ("value under the wrong key", {action_id: {"type": kind, "selected_option": None}}),
            ]
        if kind in ("static_select", "radio_buttons"):
            wrong += [
                ("option is a string", {action_id: {"type": kind, "selected_option": "fr"}}),
                ("option is a list", {action_id: {"type": kind, "selected_option": ["fr"]}}),
                (
                    "option value is a number",
                    {action_id: {"type": kind, "selected_option": {"value": 3}}},
                ),
                ("option missing", {action_id: {"type": kind, "value": "fr"}}),
            ]
        if kind == "checkboxes":
            wrong += [
                ("switches are a string", {action_id: {"type": kind, "selected_options": "on"}}),
                ("a switch is a string", {action_id: {"type": kind, "selected_options": ["on"]}}),
                (
                    "switches are an object",
                    {action_id: {"type": kind, "selected_options": {"value": "on"}}},
                ),
                (
                    "switch value is a bool",
                    {action_id: {"type": kind, "selected_options": [{"value": True}]}},
                ),
                ("switches missing", {action_id: {"type": kind, "value": "on"}}),
            ]
        for what, replacement in wrong:
            values = submitted_state(view)
            if replacement is None:
                del values[block_id]
            else:
                values[block_id] = replacement
            yield what, block_id, values


Opener = Callable[[SlackSender, FakeSlack, Any], dict[str, Any]]


def open_config_modal(slack: SlackSender, fake_slack: FakeSlack, _db: Any) -> dict[str, Any]:
    schedule(slack)
    return open_config(slack, fake_slack, "U0ORGA")


def open_contribution_modal(slack: SlackSender, fake_slack: FakeSlack, _db: Any) -> dict[str, Any]:
    schedule(slack)
    return open_modal(slack, fake_slack, "U0ORGA")


def open_tour(slack: SlackSender, fake_slack: FakeSlack, db: Any) -> dict[str, Any]:
    schedule(slack)
    return open_tour_modal(slack, fake_slack, db, "U0ORGA")


MODALS: dict[str, Opener] = {
    CallbackId.CONFIG_MODAL.value: open_config_modal,
    CallbackId.CONTRIBUTION_MODAL.value: open_contribution_modal,
    CallbackId.TOUR_MODAL.value: open_tour,
}


def problems(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize("callback_id", list(MODALS))
def test_malformed_submission_of_each_modal_gets_errors_on_the_form(
    slack: SlackSender, fake_slack: FakeSlack, db, caplog, *, callback_id: str
):
    caplog.set_level(logging.INFO)
    view = MODALS[callback_id](slack, fake_slack, db)
    assert view["callback_id"] == callback_id
    sent = 0

    for what, block_id, values in malformations(view):
        reply = slack.view_submission(view, values, user="U0ORGA")

        assert (what, reply.status) == (what, 200)
        assert (what, reply.json()) == (
            what,
            {"response_action": "errors", "errors": {block_id: MALFORMED_FR}},
        )
        sent += 1

    assert sent >= 3 * len(inputs(view))
    assert problems(caplog) == []


@pytest.mark.parametrize("callback_id", list(MODALS))
@pytest.mark.parametrize("values", ["x", [], 7, None])
def test_submission_whose_values_are_not_an_object_gets_errors_on_the_first_input(
    slack: SlackSender, fake_slack: FakeSlack, db, caplog, *, callback_id: str, values: Any
):
    caplog.set_level(logging.INFO)
    view = MODALS[callback_id](slack, fake_slack, db)

    reply = slack.view_submission(view, values, user="U0ORGA")

    first = inputs(view)[0]["block_id"]
    assert reply.json() == {"response_action": "errors", "errors": {first: MALFORMED_FR}}
    assert problems(caplog) == []


@pytest.mark.parametrize(
    ("callback_id", "block_id"),
    [
        (CallbackId.CONFIG_MODAL.value, ConfigBlockId.TIMEZONE.value),
        (CallbackId.CONTRIBUTION_MODAL.value, "partage_contribution_title_block"),
        (CallbackId.TOUR_MODAL.value, "partage_tour_feeling_block"),
    ],
)
def test_malformed_submission_of_a_view_without_blocks_names_the_modal_usual_block(
    slack: SlackSender, caplog, callback_id: str, block_id: str
):
    caplog.set_level(logging.INFO)
    view = {"type": "modal", "callback_id": callback_id, "blocks": []}
    values = {
        ConfigBlockId.SWITCHES.value: {"partage_config_input": {"selected_options": "on"}},
        "partage_contribution_kind_block": {"x": {"selected_option": "talk"}},
    }

    reply = slack.view_submission(view, values, user="U0ORGA")

    assert reply.json() == {"response_action": "errors", "errors": {block_id: MALFORMED_FR}}
    assert problems(caplog) == []


def test_malformed_submission_is_answered_in_the_member_language(
    slack: SlackSender, fake_slack: FakeSlack, db, caplog
):
    view = open_config_modal(slack, fake_slack, db)
    english = submitted_state(view, **{ConfigBlockId.LANGUAGE.value: "en"})
    assert slack.view_submission(view, english, user="U0ORGA").body == ""
    view = open_config(slack, fake_slack, "U0ORGA")
    values = submitted_state(view)
    values[ConfigBlockId.SWITCHES.value] = "x"

    reply = slack.view_submission(view, values, user="U0ORGA")

    assert reply.json() == {
        "response_action": "errors",
        "errors": {ConfigBlockId.SWITCHES.value: MALFORMED_EN},
    }


def test_config_number_given_as_text_gets_the_field_error(
    slack: SlackSender, fake_slack: FakeSlack, db, caplog
):
    caplog.set_level(logging.INFO)
    view = open_config_modal(slack, fake_slack, db)
    numbers = [b for b in inputs(view) if b["element"]["type"] == "number_input"]
    assert numbers != []

    for block in numbers:
        values = submitted_state(view, **{block["block_id"]: "douze"})
        reply = slack.view_submission(view, values, user="U0ORGA")

        body = reply.json()
        assert (body["response_action"], list(body["errors"])) == ("errors", [block["block_id"]])
        assert body["errors"][block["block_id"]] != MALFORMED_FR
    assert problems(caplog) == []


def test_contribution_duration_given_as_text_gets_the_field_error(
    slack: SlackSender, fake_slack: FakeSlack, db, caplog
):
    caplog.set_level(logging.INFO)
    view = open_contribution_modal(slack, fake_slack, db)
    values = submitted_state(
        view,
        partage_contribution_kind_block="talk",
        partage_contribution_title_block="Le design des politiques publiques",
        partage_contribution_duration_block="dix minutes",
    )

    reply = slack.view_submission(view, values, user="U0ORGA")

    body = reply.json()
    assert (body["response_action"], list(body["errors"])) == (
        "errors",
        ["partage_contribution_duration_block"],
    )
    assert problems(caplog) == []


def test_well_formed_submission_still_goes_through(slack: SlackSender, fake_slack: FakeSlack, db):
    view = open_config_modal(slack, fake_slack, db)

    reply = slack.view_submission(view, copy.deepcopy(submitted_state(view)), user="U0ORGA")

    assert (reply.status, reply.body) == (200, "")


@pytest.mark.parametrize("user", ["U1|<!channel>", "", "u0lower"])
def test_submission_with_a_crafted_user_id_gets_errors_on_the_form(
    slack: SlackSender, fake_slack: FakeSlack, db, caplog, user: str
):
    caplog.set_level(logging.INFO)
    view = open_config_modal(slack, fake_slack, db)

    reply = slack.view_submission(view, submitted_state(view), user=user)

    first = inputs(view)[0]["block_id"]
    assert reply.json() == {"response_action": "errors", "errors": {first: MALFORMED_FR}}
    assert problems(caplog) == []
