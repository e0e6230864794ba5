"""The only module that calls the Slack Web API on behalf of jobs.

It turns slack_sdk's many failure shapes into three outcomes the dispatcher can act on
without double posts (chat.postMessage has no idempotency key):

- `PermanentFailure`: Slack answered and refused for this recipient (user_not_found,
  cannot_dm_bot, ...). Retrying will not help; log once, go on with the others.
- `TransientFailure`: the request surely did not reach Slack (connection refused, DNS), or
  Slack answered that it is failing (5xx, `fatal_error`, `service_unavailable`). Safe to
  retry later. An answer that is not JSON (the HTML page of a proxy or captive portal in
  front of Slack, even with a 200) is one too: Slack's Web API only ever answers JSON, so
  the request did not reach it.
- `AmbiguousFailure`: the request may have been delivered (read timeout, connection reset
  after sending). Not retried blindly: a duplicate is worse than a loss. The outbox looks
  for such a post in the conversation's history instead (`find_marked`).

A 429 is safe to retry (Slack refused the call). A short Retry-After is waited in place
by the client (`BoundedRateLimitRetryHandler`); a longer one comes back as `RateLimited`,
a transient failure carrying the wait, so the delivery goes back to the queue instead of
holding the worker. `SlackBudget` bounds what one call may take at worst, which the
dispatcher's lease must outlast.
"""

from __future__ import annotations

import json
import logging
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from bot.outages import SLACK, outages

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
# slack_sdk turns a body that is not JSON into `{"ok": false, "error": <this prefix> + the
# body's start}` (`slack_sdk.web.internal_utils._build_unexpected_body_error_message`).
NON_JSON_PREFIX = "Received a response in a non-JSON format"
NON_JSON = "non_json_response"


class SendFailure(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class PermanentFailure(SendFailure):
    """Slack refused this call for good (for this recipient)."""


class TransientFailure(SendFailure):
    """Surely not delivered; retry later."""

    outage_system = SLACK  # a symptom of Slack being down, for `bot.outages`


class RateLimited(TransientFailure):
    """Slack answered 429 with a Retry-After longer than what is waited in place."""

    def __init__(self, code: str, retry_after: float) -> None:
        super().__init__(code)
        self.retry_after = retry_after


class AmbiguousFailure(SendFailure):
    """Maybe delivered; do not retry blindly."""

    outage_system = SLACK


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str
    # The poster's user id as Slack echoes it (`message.user`): the bot's own id.
    user: str | None = None


@dataclass(frozen=True)
class HistorySearch:
    """What a look for one marked message in a conversation's history found: the message
    (`found`), or nothing; `complete` says whether every message of the window was read
    (False when the page bound was reached first: absence is then not proven)."""

    found: Posted | None
    complete: bool


@dataclass(frozen=True)
class SlackBudget:
    """The worst case of one Web API call: each try may take `timeout_seconds`, and up
    to `rate_limit_retries` 429s are waited in place for at most `max_wait_seconds` each.
    A longer Retry-After is not waited: the call fails with `RateLimited`."""

    timeout_seconds: float = 10.0
    rate_limit_retries: int = 2
    max_wait_seconds: float = 10.0

    @property
    def worst_case_seconds(self) -> float:
        tries = self.rate_limit_retries + 1
        return self.timeout_seconds * tries + self.max_wait_seconds * self.rate_limit_retries


def retry_after_seconds(headers: Any) -> float | None:
    """The Retry-After header of a response, whatever its casing and shape."""
    for key, value in dict(headers or {}).items():
        if str(key).lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return None
    return None


class BoundedRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Waits in place for a 429 only when Retry-After is at most `max_wait_seconds`;
    otherwise the 429 reaches the Notifier, which reports it as `RateLimited`."""

    def __init__(self, *, max_retry_count: int, max_wait_seconds: float) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait_seconds = max_wait_seconds

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after_seconds(response.headers)
        return wait is None or wait <= self.max_wait_seconds


def _classify_api_error(error: SlackApiError) -> SendFailure:
    if isinstance(error.response.data, bytes):  # a binary body: not Slack's JSON either
        return TransientFailure(NON_JSON)
    code = str(error.response.get("error") or f"http_{error.response.status_code}")
    if code.startswith(NON_JSON_PREFIX):
        return TransientFailure(NON_JSON)
    if error.response.status_code == 429:
        wait = retry_after_seconds(error.response.headers)
        return RateLimited(code, wait if wait is not None else 60.0)
    if error.response.status_code >= 500 or code in TRANSIENT_ERRORS:
        return TransientFailure(code)
    return PermanentFailure(code)


def _answered(failure: SendFailure) -> SendFailure:
    """A refusal is an answer: Slack is up (ends a Slack outage in the log)."""
    if isinstance(failure, PermanentFailure):
        outages().recovered(SLACK)
    return failure


def _classify_os_error(error: BaseException) -> SendFailure:
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, ConnectionRefusedError | socket.gaierror):
        return TransientFailure(f"connection: {reason}")
    return AmbiguousFailure(f"connection: {reason}")


class Notifier:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def _call(self, method: str, *, form: bool = False, **kwargs: Any) -> SlackResponse:
        """`form`: sent form-encoded, for the methods that take no JSON body (files.*)."""
        try:
            if form:
                response = self._client.api_call(method, params=kwargs)
            else:
                response = self._client.api_call(method, json=kwargs)
        except SlackApiError as error:
            raise _answered(_classify_api_error(error)) from error
        except json.JSONDecodeError as error:
            # A body starting with "{" that is not JSON: slack_sdk's retry handling parses
            # it and raises instead of reporting it.
            raise TransientFailure(NON_JSON) from error
        except (urllib.error.URLError, OSError) as error:
            raise _classify_os_error(error) from error
        outages().recovered(SLACK)
        return response

    def post(self, channel: str, message: dict[str, Any]) -> Posted:
        """Post `message` ({"text", "blocks"}) to a channel, or to a user id for a DM."""
        response = self._call("chat.postMessage", channel=channel, **message)
        echoed = response.get("message") or {}
        user = echoed.get("user") if isinstance(echoed, dict) else None
        return Posted(
            channel=str(response["channel"]),
            ts=str(response["ts"]),
            user=str(user) if user else None,
        )

    def update(self, channel: str, ts: str, message: dict[str, Any]) -> Posted:
        response = self._call("chat.update", channel=channel, ts=ts, **message)
        return Posted(channel=str(response.get("channel") or channel), ts=str(response["ts"]))

    def perform(self, method: str, args: dict[str, Any]) -> Posted | None:
        """A queued outbox call: `chat.postMessage` and `chat.update` answer where the
        message is; other methods answer nothing worth keeping."""
        args = dict(args)
        if method == "chat.postMessage":
            return self.post(str(args.pop("channel")), args)
        if method == "chat.update":
            return self.update(str(args.pop("channel")), str(args.pop("ts")), args)
        if method == "reactions.add":
            self.add_reaction(str(args["channel"]), str(args["timestamp"]), str(args["name"]))
            return None
        self._call(method, **args)
        return None

    def upload_file(
        self, user: str, *, filename: str, content: bytes, title: str, comment: str
    ) -> Posted:
        """A file by DM with files.uploadV2's three calls: getUploadURLExternal, the bytes
        to the URL it returns, completeUploadExternal, which shares it. Nothing is shown
        before the last call, so a failure of the first ones is surely not delivered
        (transient unless Slack refused for good); only the last can be ambiguous.
        Answers where the file is: the DM's channel and the file's id."""
        try:
            channel = self.open_dm(user)
            url_response = self._call(
                "files.getUploadURLExternal", form=True, filename=filename, length=len(content)
            )
            upload_url = str(url_response["upload_url"])
            file_id = str(url_response["file_id"])
            self._send_bytes(upload_url, content)
        except AmbiguousFailure as failure:
            raise TransientFailure(failure.code) from failure
        self._call(
            "files.completeUploadExternal",
            form=True,
            files=json.dumps([{"id": file_id, "title": title}]),
            channel_id=channel,
            initial_comment=comment,
        )
        return Posted(channel=channel, ts=file_id)

    def _send_bytes(self, url: str, content: bytes) -> None:
        request = urllib.request.Request(url, data=content, method="POST")
        request.add_header("Content-Type", "application/octet-stream")
        timeout = self._client.timeout
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            raise TransientFailure(f"upload: HTTP {error.code}") from error
        except (urllib.error.URLError, OSError) as error:
            raise TransientFailure(f"upload: {error}") from error

    def open_dm(self, user: str) -> str:
        """The id of the bot's direct-message conversation with `user` (`conversations.open`,
        which answers the existing one): where a post addressed to a user id lands."""
        response = self._call("conversations.open", users=user)
        return str((response.get("channel") or {}).get("id") or "")

    def find_marked(
        self,
        channel: str,
        *,
        event_type: str,
        key: str,
        oldest: float,
        latest: float,
        page_size: int,
        max_pages: int,
    ) -> HistorySearch:
        """The message of `channel` posted between `oldest` and `latest` (Unix seconds)
        whose metadata is `event_type` with `event_payload.key == key`, read newest first
        with `conversations.history` (`include_all_metadata`), at most `max_pages` pages.
        Only top-level messages are read: a thread reply does not appear there."""
        cursor = ""
        for _page in range(max_pages):
            args: dict[str, Any] = {
                "channel": channel,
                "oldest": f"{oldest:.6f}",
                "latest": f"{latest:.6f}",
                "inclusive": True,
                "include_all_metadata": True,
                "limit": page_size,
            }
            if cursor:
                args["cursor"] = cursor
            response = self._call("conversations.history", **args)
            for message in response.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == event_type and payload.get("key") == key:
                    user = message.get("user")
                    where = Posted(channel, str(message["ts"]), str(user) if user else None)
                    return HistorySearch(found=where, complete=True)
            cursor = str((response.get("response_metadata") or {}).get("next_cursor") or "")
            if not response.get("has_more") or not cursor:
                return HistorySearch(found=None, complete=True)
        return HistorySearch(found=None, complete=False)

    def channel_members(self, channel: str, *, page_size: int = 200) -> list[str]:
        """Every member of `channel` (`conversations.members`, all cursor pages), in
        Slack's order. Reads: safe to make again after any failure."""
        members: list[str] = []
        cursor = ""
        while True:
            params: dict[str, Any] = {"channel": channel, "limit": page_size}
            if cursor:
                params["cursor"] = cursor
            response = self._client_get("conversations.members", **params)
            members.extend(str(m) for m in response.get("members") or [])
            cursor = str((response.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                return members

    def member_channels(self, user: str, *, page_size: int = 200, pages: int = 5) -> list[str]:
        """The channels `user` is in that the bot can see (`users.conversations`), at most
        `pages` pages: the groups a member's Home shows. Reads: safe to make again."""
        channels: list[str] = []
        cursor = ""
        for _ in range(pages):
            params: dict[str, Any] = {
                "user": user,
                "types": "public_channel,private_channel",
                "exclude_archived": "true",
                "limit": page_size,
            }
            if cursor:
                params["cursor"] = cursor
            response = self._client_get("users.conversations", **params)
            channels.extend(str(c.get("id")) for c in response.get("channels") or [] if c.get("id"))
            cursor = str((response.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                break
        return channels

    def user_info(self, user: str) -> dict[str, Any]:
        """The member's `users.info` record (`is_bot`, `profile.display_name`...)."""
        response = self._client_get("users.info", user=user)
        return dict(response.get("user") or {})

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

    def permalink(self, channel: str, ts: str) -> str:
        """A link to a message (`chat.getPermalink`), for another message to point at."""
        response = self._client_get("chat.getPermalink", channel=channel, message_ts=ts)
        return str(response["permalink"])

    def _client_get(self, method: str, **params: Any) -> SlackResponse:
        try:
            response = self._client.api_call(method, http_verb="GET", params=params)
        except SlackApiError as error:
            raise _answered(_classify_api_error(error)) from error
        except json.JSONDecodeError as error:
            # A body starting with "{" that is not JSON: slack_sdk's retry handling parses
            # it and raises instead of reporting it.
            raise TransientFailure(NON_JSON) from error
        except (urllib.error.URLError, OSError) as error:
            raise _classify_os_error(error) from error
        outages().recovered(SLACK)
        return response

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
        extra: dict[str, Any] = {"hash": view_hash} if view_hash else {}
        self._call("views.update", view_id=view_id, view=view, **extra)

    def push_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        """Push a modal on top of the one the member has open (a form from the roles
        modal); closing it goes back to the roles modal."""
        self._call("views.push", trigger_id=trigger_id, view=view)

    def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        """Replace the member's App Home."""
        self._call("views.publish", user_id=user_id, view=view)
