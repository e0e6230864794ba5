"""Refuse payloads whose acting user id is not a Slack user id, before any listener.

Listeners write the acting member as `<@{user}>` in replies and notices and store the id
as author, guide or proposer; a crafted id such as `U1|<!channel>` must not get that far.
Slack's ids are `U…` (or `W…` on Enterprise Grid) in capitals and digits.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.deps import Deps
from bot.i18n import t
from bot.slack.listeners.forms import errors_on_form
from bot.slack.middleware import DirectMiddleware
from bot.slack.text import is_user_id
from bot.slack.view_parsing import form_error_block

logger = logging.getLogger(__name__)


def acting_user_id(body: dict[str, Any]) -> object:
    """The member behind a slash command, a button or a modal submission; None for the
    other payloads (events carry theirs in `event`, and reactions only count votes)."""
    if body.get("command"):
        return body.get("user_id")
    if body.get("type") in ("block_actions", "view_submission", "view_closed"):
        user = body.get("user")
        return user.get("id") if isinstance(user, dict) else user
    return None


def register(app: App, deps: Deps) -> None:
    def refuse_malformed_user_id(
        req: BoltRequest, response: BoltResponse, next: Callable[[], object]
    ) -> BoltResponse | None:
        body = req.body if isinstance(req.body, dict) else {}
        user_id = acting_user_id(body)
        if user_id is None or is_user_id(user_id):
            next()
            return None
        logger.warning("refused a payload whose user id is not a Slack user id")
        view = body.get("view")
        block_id = form_error_block(view) if isinstance(view, dict) else None
        if body.get("type") == "view_submission" and block_id is not None:
            # An empty answer would close the modal as if it had been saved.
            return errors_on_form(deps, body, block_id)
        if body.get("command"):
            text = t(deps.settings.bot_language, "error.bad_user_id")
            return BoltResponse(
                status=200,
                body=json.dumps({"response_type": "ephemeral", "text": text}),
                headers={"content-type": "application/json;charset=utf-8"},
            )
        return BoltResponse(status=200, body="")

    app.use(DirectMiddleware("refuse_malformed_user_id", refuse_malformed_user_id))
