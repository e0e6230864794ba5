"""Modal submissions whose state is not what Slack sends, answered on the form.

Every modal's reader trusts the shape Slack gives `view.state.values` (each input block
of the view, each element with the key of its type). A crafted or corrupted submission
(a checkbox list given as a string, an option that is not an object, an input missing) is
answered here, before any listener, with `response_action: errors` under the input in the
member's language: the modal stays open, never closed as if saved, and nothing is logged
but one line naming the modal and the block.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.deps import Deps
from bot.i18n import t
from bot.slack.middleware import DirectMiddleware
from bot.slack.text import plain
from bot.slack.view_parsing import malformed_input

logger = logging.getLogger(__name__)


def malformed_answer(deps: Deps, body: dict[str, Any]) -> BoltResponse | None:
    """The errors answer to a malformed submission of `body`, or None to let it through."""
    view = body.get("view")
    if body.get("type") != "view_submission" or not isinstance(view, dict):
        return None
    block_id = malformed_input(view)
    if block_id is None:
        return None
    logger.warning(
        "malformed submission of %s answered on its form (block %s)",
        str(view.get("callback_id"))[:64],
        block_id[:64],
    )
    return errors_on_form(deps, body, block_id)


def errors_on_form(deps: Deps, body: dict[str, Any], block_id: str) -> BoltResponse:
    """`response_action: errors` with the malformed-form message under `block_id`, in the
    member's language when known (the bot's otherwise)."""
    user = body.get("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    remembered = deps.languages.recall(user_id) if isinstance(user_id, str) else None
    lang = remembered or deps.settings.bot_language
    errors = {block_id: plain(t(lang, "error.form.malformed"))}
    return BoltResponse(
        status=200,
        body=json.dumps({"response_action": "errors", "errors": errors}),
        headers={"content-type": "application/json;charset=utf-8"},
    )


def register(app: App, deps: Deps) -> None:
    def answer_malformed_forms(
        req: BoltRequest, _response: BoltResponse, next: Callable[[], object]
    ) -> BoltResponse | None:
        body = req.body if isinstance(req.body, dict) else {}
        answer = malformed_answer(deps, body)
        if answer is None:
            next()
        return answer

    app.use(DirectMiddleware("answer_malformed_forms", answer_malformed_forms))
