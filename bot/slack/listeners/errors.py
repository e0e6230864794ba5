"""The one error handler: log with the traceback, answer Slack with a 200 and a message.

Slack must never see a 5xx or a stack trace; the member sees a short apology in their
language and the operator sees the traceback in the log.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.deps import Deps
from bot.i18n import t
from bot.slack.dedup import forget_after_failure


def register(app: App, deps: Deps) -> None:
    def on_error(
        error: Exception,
        body: dict[str, Any],
        context: BoltContext,
        logger: logging.Logger,
        response: Any,
    ) -> BoltResponse | None:
        logger.exception("listener failed: %s", error, exc_info=error)
        forget_after_failure(deps.db, context)
        if response is None:  # already acknowledged: nothing more to say over HTTP
            return None
        if body.get("command"):
            text = t(deps.settings.bot_language, "error.unexpected")
            return BoltResponse(
                status=200,
                body=json.dumps({"response_type": "ephemeral", "text": text}),
                headers={"content-type": "application/json;charset=utf-8"},
            )
        return BoltResponse(status=200, body="")

    app.error(on_error)
