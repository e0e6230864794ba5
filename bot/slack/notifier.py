"""The only module that calls the Slack Web API on behalf of jobs.

It turns slack_sdk's many failure shapes into three outcomes the dispatcher can act on
without double posts (chat.postMessage has no idempotency key):

- `PermanentFailure`: Slack answered and refused for this recipient (user_not_found,
  cannot_dm_bot, ...). Retrying will not help; log once, go on with the others.
- `TransientFailure`: the request surely did not reach Slack (connection refused, DNS), or
  Slack answered that it is failing (5xx, `fatal_error`, `service_unavailable`). Safe to
  retry later.
- `AmbiguousFailure`: the request may have been delivered (read timeout, connection reset
  after sending). Not retried automatically: a duplicate is worse than a late manual fix.

A 429 is not an outcome here: the client's RateLimitErrorRetryHandler waits for
Retry-After and retries, which is safe because Slack rejected the first call.
"""

from __future__ import annotations

import logging
import socket
import urllib.error
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

logger = logging.getLogger(__name__)

PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "cannot_dm_bot",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "user_disabled",
        "user_is_bot",
        "restricted_action",
        "msg_too_long",
        "no_text",
        "invalid_blocks",
        "too_many_attachments",
        "message_not_found",
        "already_reacted",
        "not_authed",
        "invalid_auth",
        "missing_scope",
    }
)
TRANSIENT_ERRORS = frozenset(
    {"fatal_error", "internal_error", "service_unavailable", "request_timeout", "ratelimited"}
)


class SendFailure(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class PermanentFailure(SendFailure):
    """Slack refused this call for good (for this recipient)."""


class TransientFailure(SendFailure):
    """Surely not delivered; retry later."""


class AmbiguousFailure(SendFailure):
    """Maybe delivered; do not retry blindly."""


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


def _classify_api_error(error: SlackApiError) -> SendFailure:
    code = str(error.response.get("error") or f"http_{error.response.status_code}")
    if error.response.status_code >= 500 or code in TRANSIENT_ERRORS:
        return TransientFailure(code)
    return PermanentFailure(code)


def _classify_os_error(error: BaseException) -> SendFailure:
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, ConnectionRefusedError | socket.gaierror):
        return TransientFailure(f"connection: {reason}")
    return AmbiguousFailure(f"connection: {reason}")


class Notifier:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def _call(self, method: str, **kwargs: Any) -> SlackResponse:
        try:
            return self._client.api_call(method, json=kwargs)
        except SlackApiError as error:
            raise _classify_api_error(error) from error
        except (urllib.error.URLError, OSError) as error:
            raise _classify_os_error(error) from error

    def post(self, channel: str, message: dict[str, Any]) -> Posted:
        """Post `message` ({"text", "blocks"}) to a channel, or to a user id for a DM."""
        response = self._call("chat.postMessage", channel=channel, **message)
        return Posted(channel=str(response["channel"]), ts=str(response["ts"]))

    def update(self, channel: str, ts: str, message: dict[str, Any]) -> None:
        self._call("chat.update", channel=channel, ts=ts, **message)

    def add_reaction(self, channel: str, ts: str, name: str) -> None:
        try:
            self._call("reactions.add", channel=channel, timestamp=ts, name=name)
        except PermanentFailure as failure:
            if failure.code != "already_reacted":
                raise

    def reactions(self, channel: str, ts: str) -> list[dict[str, Any]]:
        """The message's reactions with every user (`full=True`)."""
        response = self._client_get("reactions.get", channel=channel, timestamp=ts, full="true")
        message = response.get("message") or {}
        return list(message.get("reactions") or [])

    def _client_get(self, method: str, **params: Any) -> SlackResponse:
        try:
            return self._client.api_call(method, http_verb="GET", params=params)
        except SlackApiError as error:
            raise _classify_api_error(error) from error
        except (urllib.error.URLError, OSError) as error:
            raise _classify_os_error(error) from error

    # --- for listeners: answers and views after the acknowledgement ---------------------
    # Same taxonomy as for jobs. Listeners do not retry (the member is there to try
    # again), so callers catch `SendFailure`, log it once and go on with the others.

    def post_ephemeral(self, channel: str, user: str, message: dict[str, Any]) -> None:
        """Show `message` ({"text", "blocks"}) to one member in a channel."""
        self._call("chat.postEphemeral", channel=channel, user=user, **message)

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> str:
        """Open a modal; returns its view id. The trigger id lives 3 s after the click or
        command, so an expired one is a `PermanentFailure` (`expired_trigger_id`)."""
        response = self._call("views.open", trigger_id=trigger_id, view=view)
        return str((response.get("view") or {}).get("id") or "")

    def update_view(self, view_id: str, view: dict[str, Any], view_hash: str | None = None) -> None:
        """Replace an open modal; with `view_hash`, only if nobody changed it meanwhile."""
        extra = {"hash": view_hash} if view_hash else {}
        self._call("views.update", view_id=view_id, view=view, **extra)
