"""Sends what Slack sends: signed slash commands, interactivity payloads and events."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
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


class SlackSender:
    def __init__(self, port: int, signing_secret: str, response_url: str) -> None:
        self.port = port
        self.secret = signing_secret
        self.response_url = response_url

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        path: str = "/slack/events",
    ) -> HttpReply:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature or sign(self.secret, ts, body),
        }
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("POST", path, body=body.encode(), headers=headers)
            response = conn.getresponse()
            return HttpReply(response.status, response.read().decode())
        finally:
            conn.close()

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
        body = urlencode(
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
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> HttpReply:
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

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
