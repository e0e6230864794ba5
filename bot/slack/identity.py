"""The bot's own Slack user id, asked once with `auth.test` and kept.

The poll tally must not count the bot's own reactions (it adds one per option so members
only have to click); jobs get the id from here. Listeners read it from Bolt's context.
"""

from __future__ import annotations

import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.notifier import TRANSIENT_ERRORS, PermanentFailure, TransientFailure


class BotIdentity:
    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._user_id: str | None = None
        self._lock = threading.Lock()

    def user_id(self) -> str:
        """Raises TransientFailure when Slack cannot be asked now (the job is retried
        later) and PermanentFailure when the token is refused."""
        with self._lock:
            if self._user_id is not None:
                return self._user_id
        try:
            response = self._client.auth_test()
        except SlackApiError as error:
            code = str(error.response.get("error") or "auth_test_failed")
            if error.response.status_code >= 500 or code in TRANSIENT_ERRORS:
                raise TransientFailure(code) from error
            raise PermanentFailure(code) from error
        except OSError as error:
            raise TransientFailure(f"connection: {error}") from error
        user_id = str(response.get("user_id") or "")
        if not user_id:
            raise PermanentFailure("auth_test_without_user_id")
        with self._lock:
            self._user_id = user_id
        return user_id
