"""A recording fake of the Slack Web API, served over real HTTP on 127.0.0.1.

The bot is pointed at it through SLACK_API_URL, so every call goes through slack_sdk's
real HTTP client (headers, JSON or form bodies, retries on 429). Tests read the recorded
calls and can program failures: an error for one user, a 429 with Retry-After, a 500.
`response_url` posts land on `/response/<id>` and are recorded too, and so do the bytes
of files.uploadV2 (the upload URL that `files.getUploadURLExternal` hands out is on this
same server, `/upload/<file id>`).

Like Slack, it keeps what was posted, per conversation (a post to a user id lands in the
DM `D…`), with its metadata, and answers `conversations.history` from it (oldest, latest,
inclusive, include_all_metadata, cursor pages). Its message ts follow `set_clock` (a fixed
instant by default). `conversations.info` says the bot is a member of every channel but
those in `not_member`, and that none is archived but those in `archived`; with `scopes`
set, every answer carries them in `x-oauth-scopes`, as Slack's do for the token used.
A request can be accepted but never answered (`hold`: the bot's read timeout, "maybe
sent" though it is there) or dropped (`drop`: never processed).
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

BOT_USER_ID = "UBOT"
TEAM_ID = "T0001"

Responder = Callable[[dict[str, Any]], "FakeResponse | dict[str, Any] | None"]


@dataclass
class FakeResponse:
    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    # Bytes sent instead of `body` as JSON (e.g. the HTML page of a proxy in front of
    # Slack), with their content type.
    raw: bytes | None = None
    content_type: str = "application/json; charset=utf-8"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    headers: dict[str, str]


class FakeSlack:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._responses: list[Call] = []
        self._rules: list[tuple[str, Responder]] = []
        self._ts = itertools.count(1)
        self._file_ids = itertools.count(1)
        self.uploads: dict[str, bytes] = {}  # file id -> the bytes posted to its URL
        self.admins: set[str] = set()
        # Display names `users.info` answers with (none: the member has no name to show).
        self.names: dict[str, str] = {}
        self.reactions: dict[str, list[dict[str, Any]]] = {}  # ts -> reactions
        self.history: dict[str, list[dict[str, Any]]] = {}  # conversation -> messages
        # conversations.members: channel -> member ids; users.info answers `is_bot` for
        # `bots`.
        self.members: dict[str, list[str]] = {}
        self.bots: set[str] = set()
        # conversations.info: channels the bot is not in, channels archived.
        self.not_member: set[str] = set()
        self.archived: set[str] = set()
        # The scopes granted to the token (the `x-oauth-scopes` header); None: no header.
        self.scopes: list[str] | None = None
        self._clock: Callable[[], float] | None = None
        self._held: dict[str, threading.Event] = {}
        self._dropped: dict[str, int] = {}
        self._drop_until: threading.Event | None = None
        self._down: int | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle ---------------------------------------------------------------
    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._responses.clear()
            self._rules.clear()
            self.uploads.clear()
            self.admins.clear()
            self.names.clear()
            self.reactions.clear()
            self.history.clear()
            self.members.clear()
            self.bots.clear()
            self.not_member.clear()
            self.archived.clear()
            self.scopes = None
            self._clock = None
            for release in self._held.values():
                release.set()
            self._held.clear()
            self._dropped.clear()
            if self._drop_until is not None:
                self._drop_until.set()
            self._drop_until = None
            self._down = None

    # --- programming ---------------------------------------------------------------
    def on(self, method: str, responder: Responder) -> None:
        """Answer `method` with `responder(args)` when it returns a response (first match
        wins; None falls through to the next rule and then to the default answer)."""
        with self._lock:
            self._rules.append((method, responder))

    def fail(
        self, method: str, error: str, when: Callable[[dict[str, Any]], bool] | None = None
    ) -> None:
        def responder(args: dict[str, Any]) -> dict[str, Any] | None:
            if when is None or when(args):
                return {"ok": False, "error": error}
            return None

        self.on(method, responder)

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        remaining = {"n": times}

        def responder(_args: dict[str, Any]) -> FakeResponse | None:
            if remaining["n"] <= 0:
                return None
            remaining["n"] -= 1
            return FakeResponse(
                {"ok": False, "error": "ratelimited"}, 429, {"Retry-After": str(retry_after)}
            )

        self.on(method, responder)

    def down(self, status: int = 503) -> None:
        """Every Web API call is answered `status` and processed no further (nothing is
        kept or recorded), until `up`: Slack failing as a whole."""
        with self._lock:
            self._down = status

    def up(self) -> None:
        with self._lock:
            self._down = None

    def answer_html(self, method: str, times: int = 1, status: int = 200) -> None:
        """The next `times` calls of `method` get an HTML page instead of Slack's JSON,
        as a proxy or captive portal in front of Slack answers: nothing reached Slack."""
        remaining = {"n": times}

        def responder(_args: dict[str, Any]) -> FakeResponse | None:
            if remaining["n"] <= 0:
                return None
            remaining["n"] -= 1
            page = b"<html><body><h1>Service temporarily unavailable</h1></body></html>"
            return FakeResponse({}, status, raw=page, content_type="text/html; charset=utf-8")

        self.on(method, responder)

    def set_clock(self, now: Callable[[], float] | None) -> None:
        """Where posted messages' ts come from (Unix seconds): the test's clock, or
        `time.time` for real processes. None: a fixed instant (1700000000)."""
        with self._lock:
            self._clock = now

    def hold(self, method: str) -> threading.Event:
        """Process `method` (a post is kept) but never answer it until the returned event
        is set: the caller times out, not knowing it went through."""
        release = threading.Event()
        with self._lock:
            self._held[method] = release
        return release

    def release_holds(self) -> None:
        """Let every held request end (unanswered) and answer the next ones again."""
        with self._lock:
            for release in self._held.values():
                release.set()
            self._held.clear()

    def drop(self, method: str, times: int = 1, until: threading.Event | None = None) -> None:
        """The next `times` calls of `method` are recorded, then the connection is closed
        (once `until` is set, if given) without processing or answering them: nothing is
        kept, as if the request never reached Slack."""
        with self._lock:
            self._dropped[method] = self._dropped.get(method, 0) + times
            self._drop_until = until

    # --- reading -------------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def posts(self) -> list[dict[str, Any]]:
        return [c.args for c in self.calls("chat.postMessage")]

    def shared_files(self) -> list[tuple[dict[str, Any], bytes]]:
        """(completeUploadExternal's args, the uploaded bytes) of every file shared."""
        shared = []
        for call in self.calls("files.completeUploadExternal"):
            files = call.args.get("files") or []
            file_id = files[0]["id"] if files else ""
            with self._lock:
                shared.append((call.args, self.uploads.get(file_id, b"")))
        return shared

    def response_posts(self) -> list[dict[str, Any]]:
        with self._lock:
            return [c.args for c in self._responses]

    # --- default behaviour -----------------------------------------------------------
    def _default(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": BOT_USER_ID,
                "user": "partage",
                "team_id": TEAM_ID,
                "team": "Beta",
                "bot_id": "B0001",
            }
        if method == "chat.postMessage":
            with self._lock:
                seconds = int(self._clock()) if self._clock is not None else 1700000000
            ts = f"{seconds}.{next(self._ts):06d}"
            channel = args.get("channel", "")
            if channel.startswith("U"):
                channel = "D" + channel[1:]
            # Like Slack, the posted message names its author: the bot's user id.
            message = {"ts": ts, "user": BOT_USER_ID, "bot_id": "B0001"}
            kept = {**message, "text": args.get("text", "")}
            if args.get("metadata"):
                kept["metadata"] = args["metadata"]
            if args.get("thread_ts"):
                kept["thread_ts"] = args["thread_ts"]
            with self._lock:
                self.history.setdefault(channel, []).append(kept)
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "conversations.history":
            return self._history(args)
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel", ""), "ts": args.get("ts", "")}
        if method == "conversations.open":
            users = str(args.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users.split(",", maxsplit=1)[0][1:]}}
        if method == "users.info":
            user = str(args.get("user", ""))
            found: dict[str, Any] = {
                "id": user,
                # The legacy handle Slack always sends: never a name to show.
                "name": user.casefold(),
                "is_admin": user in self.admins,
                "is_owner": False,
                "is_bot": user in self.bots or user == BOT_USER_ID,
            }
            if user in self.names:
                found["real_name"] = self.names[user]
                found["profile"] = {"display_name": self.names[user]}
            return {"ok": True, "user": found}
        if method == "conversations.members":
            return self._members(args)
        if method == "conversations.info":
            channel = str(args.get("channel", ""))
            with self._lock:
                member, archived = channel not in self.not_member, channel in self.archived
            return {
                "ok": True,
                "channel": {
                    "id": channel,
                    "name": f"partage-{channel.lower()}",
                    "is_member": member,
                    "is_archived": archived,
                },
            }
        if method == "apps.connections.open":
            # A URL handed out and never opened (see FakeSocketMode for a real one).
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"}
        if method == "users.conversations":
            # The channels whose `members` list the user, as Slack answers for a user.
            user = str(args.get("user", ""))
            with self._lock:
                channels = [c for c, members in self.members.items() if user in members]
            return {
                "ok": True,
                "channels": [{"id": c} for c in channels],
                "response_metadata": {"next_cursor": ""},
            }
        if method in ("views.open", "views.update", "views.push", "views.publish"):
            return {"ok": True, "view": {"id": "V0001", **(args.get("view") or {})}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._file_ids):06d}"
            return {
                "ok": True,
                "file_id": file_id,
                "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
            }
        if method == "files.completeUploadExternal":
            files = args.get("files") or []
            return {
                "ok": True,
                "files": [{"id": f.get("id"), "title": f.get("title")} for f in files],
            }
        if method == "chat.getPermalink":
            channel, ts = str(args.get("channel", "")), str(args.get("message_ts", ""))
            return {
                "ok": True,
                "channel": channel,
                "permalink": f"https://beta.slack.com/archives/{channel}/p{ts.replace('.', '')}",
            }
        if method == "reactions.get":
            ts = str(args.get("timestamp", ""))
            return {
                "ok": True,
                "type": "message",
                "message": {"ts": ts, "reactions": self.reactions.get(ts, [])},
            }
        return {"ok": True}

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages newest first, within oldest/latest, paged by an offset
        cursor; metadata only with include_all_metadata."""
        channel = str(args.get("channel", ""))
        with self._lock:
            kept = list(self.history.get(channel, []))
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or 1e12)
        inclusive = _truthy(args.get("inclusive"))
        with_metadata = _truthy(args.get("include_all_metadata"))

        def within(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        window = [
            m
            for m in sorted(kept, key=lambda m: float(m["ts"]), reverse=True)
            if within(float(m["ts"])) and not m.get("thread_ts")
        ]
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit") or 100)
        page = window[start : start + limit]
        more = start + limit < len(window)
        if not with_metadata:
            page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _members(self, args: dict[str, Any]) -> dict[str, Any]:
        """The channel's members, paged by an offset cursor like Slack's."""
        with self._lock:
            members = list(self.members.get(str(args.get("channel", "")), []))
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit") or 100)
        more = start + limit < len(members)
        return {
            "ok": True,
            "members": members[start : start + limit],
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _answer(self, method: str, args: dict[str, Any]) -> FakeResponse:
        with self._lock:
            rules = [r for m, r in self._rules if m == method]
        for rule in rules:
            result = rule(args)
            if isinstance(result, FakeResponse):
                return result
            if result is not None:
                return FakeResponse(result)
        return FakeResponse(self._default(method, args))

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def _read_args(self) -> dict[str, Any]:
                url = urlparse(self.path)
                args: dict[str, Any] = dict(parse_qsl(url.query))
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                content_type = self.headers.get("Content-Type", "")
                if raw and "json" in content_type:
                    args.update(json.loads(raw))
                elif raw:
                    for key, value in parse_qsl(raw.decode()):
                        try:
                            args[key] = json.loads(value) if value[:1] in "[{" else value
                        except json.JSONDecodeError:
                            args[key] = value
                return args

            def _handle(self) -> None:
                path = urlparse(self.path).path
                if path.startswith("/upload/"):
                    length = int(self.headers.get("Content-Length") or 0)
                    data = self.rfile.read(length) if length else b""
                    with fake._lock:
                        fake.uploads[path.removeprefix("/upload/")] = data
                        fake._calls.append(Call("upload", {"path": path, "size": len(data)}, {}))
                    self._send(FakeResponse({"ok": True}))
                    return
                args = self._read_args()
                headers = {k.lower(): v for k, v in self.headers.items()}
                if path.startswith("/response/"):
                    with fake._lock:
                        fake._responses.append(Call(path, args, headers))
                    self._send(FakeResponse({"ok": True}))
                    return
                method = path.removeprefix("/api/")
                with fake._lock:
                    down = fake._down
                if down is not None:
                    self._send(FakeResponse({"ok": False, "error": "service_unavailable"}, down))
                    return
                with fake._lock:
                    fake._calls.append(Call(method, args, headers))
                    dropped = fake._dropped.get(method, 0) > 0
                    if dropped:
                        fake._dropped[method] -= 1
                    held = fake._held.get(method)
                    drop_until = fake._drop_until
                if dropped:
                    if drop_until is not None:
                        drop_until.wait(30)
                    self.close_connection = True
                    return
                answer = fake._answer(method, args)
                with fake._lock:
                    scopes = fake.scopes
                if scopes is not None:
                    answer.headers = {"x-oauth-scopes": ",".join(scopes), **answer.headers}
                if held is not None:
                    held.wait(30)
                    self.close_connection = True
                    return
                self._send(answer)

            def _send(self, response: FakeResponse) -> None:
                raw = response.raw
                payload = raw if raw is not None else json.dumps(response.body).encode()
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(payload)))
                for key, value in response.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    # The caller is gone (killed, or timed out): Slack does not mind either.
                    self.close_connection = True

            do_GET = _handle
            do_POST = _handle

        return Handler


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1")
