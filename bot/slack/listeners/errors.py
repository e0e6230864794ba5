"""The one error handler: log, answer Slack with a 200 and a message fit for the payload.

Slack must never see a 5xx or a stack trace, and input must never be lost silently: the
failed unit of work has rolled back, so the member is told, in their language, that
nothing was saved and to try again.

- A slash command gets an ephemeral apology in the HTTP answer itself.
- A modal submission stays open, with the apology under its first input
  (`response_action: errors`): an empty answer would close it as if saved.
- A button gets an ephemeral apology over its `response_url`, after the answer; a button
  in the roles modal or the App Home, which has none, gets it in the modal.
- An event gets an empty 200 (nobody to tell; the log says what failed).

A database that is slow or down (a timeout, a lost connection, a full disk) is expected
from time to time: it is counted in the outage's summary line (`bot.outages`), without
the traceback. Anything else is a bug and is logged with it, once per place.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import partial
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse, Respond
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.deps import Deps
from bot.enums import Language
from bot.i18n import t
from bot.outages import outages
from bot.slack.blocks.board import build_notice_modal
from bot.slack.dedup import forget_after_failure
from bot.slack.notifier import SendFailure
from bot.slack.text import plain
from bot.slack.view_parsing import form_error_block

JSON_HEADERS: dict[str, str | Sequence[str]] = {"content-type": "application/json;charset=utf-8"}


def is_database_failure(error: BaseException) -> bool:
    """The database did not do the work: unreachable, too slow, locked, disk full."""
    return isinstance(error, DBAPIError | PoolTimeout)


def apology(lang: Language, *, database: bool, form: bool) -> str:
    """On a form, the member's answers are still there: say so, they only need to resend."""
    if database:
        return t(lang, "error.database.form" if form else "error.database")
    return t(lang, "error.unexpected.form" if form else "error.unexpected")


def failure_response(
    deps: Deps, error: Exception, body: dict[str, Any], respond: Respond | None
) -> BoltResponse:
    """What Slack gets when a listener raised `error` on `body`: always a 200."""
    database = is_database_failure(error)
    user_id = str(body.get("user_id") or (body.get("user") or {}).get("id") or "")
    lang = deps.languages.recall(user_id) or deps.settings.bot_language
    kind = body.get("type")
    if body.get("command"):
        text = apology(lang, database=database, form=False)
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": text}),
            headers=JSON_HEADERS,
        )
    if kind == "view_submission":
        block_id = form_error_block(body.get("view") or {})
        if block_id is not None:
            # Modal errors are plain text: no mrkdwn entities.
            text = plain(apology(lang, database=database, form=True))
            return BoltResponse(
                status=200,
                body=json.dumps({"response_action": "errors", "errors": {block_id: text}}),
                headers=JSON_HEADERS,
            )
    if kind == "block_actions" and respond is not None and body.get("response_url"):
        text = apology(lang, database=database, form=False)

        def apologise() -> None:
            respond(response_type="ephemeral", replace_original=False, text=text)

        deps.after_ack(apologise)
    elif kind == "block_actions" and isinstance(body.get("view"), dict):
        deps.after_ack(partial(apologise_in_view, deps, body["view"], body, lang, database))
    return BoltResponse(status=200, body="")


def apologise_in_view(
    deps: Deps, view: dict[str, Any], body: dict[str, Any], lang: Language, database: bool
) -> None:
    """A click in the roles modal or the App Home has no response_url: the modal itself
    says what happened (the Home opens a small modal for it)."""
    notice = build_notice_modal(lang, apology(lang, database=database, form=False))
    try:
        if view.get("type") == "modal" and view.get("id"):
            deps.notifier.update_view(str(view["id"]), notice)
        elif body.get("trigger_id"):
            deps.notifier.open_view(str(body["trigger_id"]), notice)
    except SendFailure as failure:
        logging.getLogger(__name__).warning("could not apologise in the view: %s", failure.code)


def register(app: App, deps: Deps) -> None:
    def on_error(  # noqa: PLR0917 (Bolt injects arguments by name, listed positionally)
        error: Exception,
        body: dict[str, Any],
        context: BoltContext,
        logger: logging.Logger,
        response: BoltResponse | None,
        respond: Respond | None,
    ) -> BoltResponse | None:
        outages().report(
            logger,
            error,
            "listener failed (%s): %s",
            body.get("type") or ("slash_command" if body.get("command") else "event"),
            type(error).__name__,
            effect="requests answered with an apology",
        )
        # Slack's retry of a failed request must apply: forget its key, after the answer
        # (a database that just failed may take its timeout to fail again).
        deps.after_ack(partial(forget_after_failure, deps.db, context))
        if response is None:  # no answer left to shape
            return None
        return failure_response(deps, error, body, respond)

    app.error(on_error)
