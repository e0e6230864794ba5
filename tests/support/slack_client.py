"""Sends what Slack sends: signed slash commands, interactivity payloads and events."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.support.fake_slack import TEAM_ID


def sign(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class HttpReply:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        """All the text of a message answer: fallback plus every block's text."""
        data = self.json()
        return message_text(data)


def message_text(data: dict[str, Any]) -> str:
    parts = [data.get("text") or ""]
    for block in data.get("blocks") or []:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"].get("text", ""))
        for element in block.get("elements") or []:
            if isinstance(element, dict) and isinstance(element.get("text"), str):
                parts.append(element["text"])
            elif isinstance(element, dict) and isinstance(element.get("text"), dict):
                parts.append(element["text"].get("text", ""))
    return "\n".join(parts)


def submitted_values(view: dict[str, Any], answers: Mapping[str, str | None]) -> dict[str, Any]:
    """The `view.state.values` Slack sends when a member submits `view` (the view the bot
    gave to views.open): one entry per input block, shaped by its element's type.

    `answers` maps a block_id to what the member left in it (None: emptied); blocks not
    answered keep their initial value, as in Slack's client.
    """
    values: dict[str, Any] = {}
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind, block_id, action_id = element["type"], block["block_id"], element["action_id"]
        if kind in ("static_select", "radio_buttons"):
            chosen = (
                answers[block_id]
                if block_id in answers
                else (element.get("initial_option") or {}).get("value")
            )
            option = next((o for o in element["options"] if o["value"] == chosen), None)
            if chosen is not None and option is None:  # a value the client would not offer
                option = {"text": {"type": "plain_text", "text": chosen}, "value": chosen}
            values[block_id] = {action_id: {"type": kind, "selected_option": option}}
        else:
            value = answers[block_id] if block_id in answers else element.get("initial_value")
            values[block_id] = {action_id: {"type": kind, "value": value}}
    return values


@dataclass(frozen=True)
class SentRequest:
    path: str
    body: str
    headers: dict[str, str]


class SlackSender:
    def __init__(
        self,
        port: int,
        signing_secret: str,
        response_url: str,
        settle: Callable[[], None] | None = None,
    ) -> None:
        self.port = port
        self.secret = signing_secret
        self.response_url = response_url
        # Called after each request: waits for the bot's after-ack work (notices, DMs).
        self.settle = settle
        self.last_sent: SentRequest | None = None

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        path: str = "/slack/events",
        settle: bool = True,
        extra_headers: Mapping[str, str] | None = None,
    ) -> HttpReply:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature or sign(self.secret, ts, body),
        }
        self.last_sent = SentRequest(path, body, headers)
        return self.resend(self.last_sent, settle=settle, extra_headers=extra_headers)

    def resend(
        self,
        sent: SentRequest,
        *,
        settle: bool = True,
        extra_headers: Mapping[str, str] | None = None,
    ) -> HttpReply:
        """Send `sent` again byte for byte (same body, timestamp and signature), as a
        replay would; `extra_headers` adds e.g. Slack's X-Slack-Retry-Num."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            headers = {**sent.headers, **(extra_headers or {})}
            conn.request("POST", sent.path, body=sent.body.encode(), headers=headers)
            response = conn.getresponse()
            reply = HttpReply(response.status, response.read().decode())
        finally:
            conn.close()
        if settle and self.settle is not None:
            self.settle()
        return reply

    def get(self, path: str) -> HttpReply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return HttpReply(response.status, response.read().decode())
        finally:
            conn.close()

    def command(
        self,
        text: str,
        *,
        user: str = "U0ALICE",
        channel: str = "C0GROUP",
        command: str = "/partage",
        **kwargs: Any,
    ) -> HttpReply:
        body = self.command_body(text, user=user, channel=channel, command=command)
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def command_body(
        self,
        text: str,
        *,
        user: str = "U0ALICE",
        channel: str = "C0GROUP",
        command: str = "/partage",
    ) -> str:
        """The form body of one invocation (its own trigger_id), to send or replay."""
        return urlencode(
            {
                "token": "legacy-verification-token",
                "team_id": TEAM_ID,
                "team_domain": "beta",
                "channel_id": channel,
                "channel_name": "partage-dev",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A0001",
                "response_url": self.response_url,
                "trigger_id": f"trigger-{user}-{time.monotonic_ns()}",
            }
        )

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> HttpReply:
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def block_action(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U0ALICE",
        channel: str = "C0GROUP",
        block_id: str = "partage_actions",
        message_ts: str = "1700000000.000001",
        **kwargs: Any,
    ) -> HttpReply:
        """A member clicks a button on one of the bot's messages (in a channel, or in the
        bot's DMs with a `D...` channel)."""
        payload = {
            "type": "block_actions",
            "user": {
                "id": user,
                "username": user.lower(),
                "name": user.lower(),
                "team_id": TEAM_ID,
            },
            "api_app_id": "A0001",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": False,
            },
            "trigger_id": f"trigger-{user}-{time.monotonic_ns()}",
            "team": {"id": TEAM_ID, "domain": "beta"},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {
                "id": channel,
                "name": "partage-dev" if channel[0] == "C" else "directmessage",
            },
            "message": {
                "type": "message",
                "user": "UBOT",
                "ts": message_ts,
                "bot_id": "B0001",
                "text": "…",
            },
            "state": {"values": {}},
            "response_url": self.response_url,
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": block_id,
                    "text": {"type": "plain_text", "text": "…", "emoji": True},
                    "value": value,
                    "type": "button",
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        return self.interaction(payload, **kwargs)

    def view_submission(
        self,
        view: dict[str, Any],
        values: dict[str, Any],
        *,
        user: str = "U0ALICE",
        private_metadata: str | None = None,
        **kwargs: Any,
    ) -> HttpReply:
        """A member submits `view` (as the bot opened it) with `values` in view.state."""
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": "beta"},
            "user": {
                "id": user,
                "username": user.lower(),
                "name": user.lower(),
                "team_id": TEAM_ID,
            },
            "api_app_id": "A0001",
            "token": "legacy-verification-token",
            "trigger_id": f"trigger-{user}-{time.monotonic_ns()}",
            "view": {
                **view,
                "id": "V0001",
                "team_id": TEAM_ID,
                "private_metadata": (
                    view.get("private_metadata", "")
                    if private_metadata is None
                    else private_metadata
                ),
                "state": {"values": values},
                "hash": "1700000000.abcdef",
                "previous_view_id": view.get("previous_view_id"),
                "root_view_id": "V0001",
                "app_id": "A0001",
                "external_id": "",
                "app_installed_team_id": TEAM_ID,
                "bot_id": "B0001",
            },
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self.interaction(payload, **kwargs)

    def event(self, event: dict[str, Any], **kwargs: Any) -> HttpReply:
        body = json.dumps(
            {
                "token": "legacy-verification-token",
                "team_id": TEAM_ID,
                "api_app_id": "A0001",
                "type": "event_callback",
                "event_id": f"Ev{time.monotonic_ns()}",
                "event_time": int(time.time()),
                "event": event,
            }
        )
        return self.post(body, "application/json", **kwargs)
