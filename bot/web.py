"""HTTP transport: one ASGI app with `POST /slack/events`, `GET /healthz`, `GET /metrics`
and, when a calendar feed is configured, `GET /calendar/<token>.ics`.

`/slack/events` is the bot's only public door, so it checks in this order, each step
cheaper than the next and none trusting what it has not checked yet:

1. the declared size (`Content-Length` above `MAX_BODY_BYTES`: 413 before reading);
2. the media type (a form or JSON, else 415);
3. the body, read in chunks within `BODY_READ_TIMEOUT_SECONDS` and cut at
   `MAX_BODY_BYTES` (413, or 408 for a body that trickles in); Slack's bare `ssl_check=1`
   gets its empty 200 here;
4. Slack's signature over the raw bytes, with the timestamp within five minutes (401;
   400 for bytes that are not UTF-8, which Slack never sends and the verifier cannot read);
5. the form or JSON, and the shape Bolt expects (400).

A rejected body is never logged: `RejectionLog` writes its reason and size, at most one
line per reason per interval. Only then does Bolt see the request: its sync
`App.dispatch` runs in a small thread pool so a slow request never blocks the event loop,
and a response Bolt would send as a 5xx is turned into a 200: Slack shows members an opaque
error and retries events on 5xx, and the error handler has already logged the cause.

`/calendar/<token>.ics` is read by calendar apps, not by Slack: it is not signed, the
unguessable token is its only key (404 for any other), and it answers `If-None-Match`
with a 304, since subscribed calendars poll it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from urllib.parse import parse_qsl

import anyio
import anyio.to_thread
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.health import DatabaseHealth, DatabaseState
from bot.metrics import Metrics, metrics_route
from bot.outages import outages
from bot.slack.payload_shape import shape_problem
from bot.timeouts import HEALTH_CHECK_TIMEOUT_SECONDS

logger = logging.getLogger(__name__)

# Bolt dispatch runs on this many threads. The work is CPU-bound under the GIL, so more
# threads only add switching (measured: p99 of `programme` under 16 clients went from 52
# to 111 ms with Starlette's default 40); waiting requests queue in the event loop.
DISPATCH_THREADS = 2
# Health checks stuck on a silent database hold at most this many threads.
HEALTH_CHECK_THREADS = 4

# Slack's payloads are a few KiB; a view submission with every field full stays far below.
MAX_BODY_BYTES = 256 * 1024
# Slack sends its whole request at once and waits 3 s for the answer.
BODY_READ_TIMEOUT_SECONDS = 10.0
# One log line per rejection reason per this many seconds, however many arrive.
REJECTION_LOG_INTERVAL_SECONDS = 10.0

ACCEPTED_MEDIA_TYPES = frozenset({"application/x-www-form-urlencoded", "application/json"})
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_CONTENT_LENGTH = re.compile(r"[0-9]{1,15}")


class Rejected(Exception):
    """A request refused at the edge: its status and a reason fit for the log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class RejectionLog:
    """Rate-limited warnings about rejected requests: the reason, how many since the last
    line, the last size; never a byte of the body (22 rejected bodies once grew the log
    by 211 MiB). Runs on the event loop only, so it needs no lock."""

    def __init__(
        self,
        interval: float = REJECTION_LOG_INTERVAL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.monotonic = monotonic
        self._last_line: dict[str, float] = {}
        self._unreported: dict[str, int] = {}

    def note(self, status: int, reason: str, size: int | None) -> None:
        now = self.monotonic()
        count = self._unreported.get(reason, 0) + 1
        last = self._last_line.get(reason)
        if last is not None and now - last < self.interval:
            self._unreported[reason] = count
            return
        self._last_line[reason] = now
        self._unreported[reason] = 0
        logger.warning(
            "rejected %d request(s) to /slack/events with %d: %s (last body: %s bytes)",
            count,
            status,
            reason,
            "unknown" if size is None else size,
        )


class _DropBoltSignatureLine(logging.Filter):
    """Bolt logs the whole body of a request whose signature fails; the edge has
    already refused those and logged them without their body."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Invalid request signature")


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


async def read_bounded_body(request: Request, limit: int, timeout: float) -> bytes:
    """The whole body, or `Rejected` as soon as it is known to be too large or too slow;
    at most `limit` bytes (plus one chunk) are ever held."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not _CONTENT_LENGTH.fullmatch(declared):
            raise Rejected(400, "invalid Content-Length")
        if int(declared) > limit:
            raise Rejected(413, "declared body too large")
    body = bytearray()
    try:
        with anyio.fail_after(timeout):
            async for chunk in request.stream():
                if len(body) + len(chunk) > limit:
                    raise Rejected(413, "body too large")
                body += chunk
    except TimeoutError:
        raise Rejected(408, "body not received in time") from None
    except ClientDisconnect:
        raise Rejected(400, "client disconnected mid-body") from None
    return bytes(body)


def is_ssl_check(media_type: str, body: bytes) -> bool:
    """Slack's check of the TLS certificate behind a command URL (`ssl_check=1`), which
    may come unsigned: it gets an empty 200 and reaches nothing. Only a tiny form with no
    other field than Slack's `token` counts, so nothing can hide behind it."""
    if media_type != "application/x-www-form-urlencoded" or len(body) > 512:
        return False
    fields = parse_qsl(body.decode("ascii", "replace"), keep_blank_values=True)
    names = {name for name, _ in fields}
    return dict(fields).get("ssl_check") == "1" and names <= {"ssl_check", "token"}


def verify_signature(verifier: SignatureVerifier, request: Request, body: bytes) -> str:
    """Slack's HMAC over the raw bytes, then the body as text. Malformed headers are
    refused before the verifier sees them (it raises on a non-numeric timestamp), and so
    is a body that is not UTF-8: Slack's bodies always are, and the verifier would raise
    decoding it."""
    timestamp = request.headers.get("x-slack-request-timestamp", "")
    signature = request.headers.get("x-slack-signature", "")
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        raise Rejected(401, "missing or malformed signature headers")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(400, "body is not UTF-8") from None
    if not verifier.is_valid(text, timestamp, signature):
        raise Rejected(401, "bad or stale signature")
    return text


def parse_bolt_request(request: Request, text: str) -> BoltRequest:
    """A BoltRequest whose body Bolt and the listeners can read without raising."""
    try:
        bolt_request = BoltRequest(
            body=text, query=request.url.query, headers=dict(request.headers)
        )
    except Exception:  # whatever Bolt's parser trips on (bad JSON, odd shapes) is a 400
        raise Rejected(400, "body is not a valid form or JSON payload") from None
    problem = shape_problem(bolt_request.body)
    if problem is not None:
        raise Rejected(400, problem)
    return bolt_request


def _declared_size(request: Request) -> int | None:
    declared = request.headers.get("content-length", "")
    return int(declared) if _CONTENT_LENGTH.fullmatch(declared) else None


def _refusal(status: int) -> Response:
    # After a refusal the rest of a body may still be on its way: do not keep reading it.
    headers = {"connection": "close"} if status in (408, 413) else None
    return JSONResponse({"error": "invalid request"}, status_code=status, headers=headers)


def build_asgi_app(
    bolt_app: App,
    engine: Engine,
    *,
    signing_secret: str,
    workers: int = DISPATCH_THREADS,
    max_body_bytes: int = MAX_BODY_BYTES,
    body_timeout: float = BODY_READ_TIMEOUT_SECONDS,
    feed: Feed | None = None,
    metrics: Metrics | None = None,
) -> Starlette:
    limiter = anyio.CapacityLimiter(workers)
    verifier = SignatureVerifier(signing_secret)
    rejections = RejectionLog()
    bolt_verification_log = logging.getLogger("slack_bolt.RequestVerification")
    if not any(isinstance(f, _DropBoltSignatureLine) for f in bolt_verification_log.filters):
        bolt_verification_log.addFilter(_DropBoltSignatureLine())

    async def slack_events(request: Request) -> Response:
        size: int | None = None
        try:
            if _media_type(request) not in ACCEPTED_MEDIA_TYPES:
                raise Rejected(415, "unsupported content type")
            body = await read_bounded_body(request, max_body_bytes, body_timeout)
            size = len(body)
            if is_ssl_check(_media_type(request), body):
                return Response(status_code=200)
            text = verify_signature(verifier, request, body)
            bolt_request = parse_bolt_request(request, text)
        except Rejected as rejected:
            if size is None:
                size = _declared_size(request)
            rejections.note(rejected.status, rejected.reason, size)
            return _refusal(rejected.status)
        bolt_response = await anyio.to_thread.run_sync(
            bolt_app.dispatch, bolt_request, limiter=limiter
        )
        if bolt_response.status >= 500:
            logger.error("request answered %s by Bolt; sending 200", bolt_response.status)
            return Response(status_code=200)
        if bolt_response.status == 404:
            # An event or action nobody listens to: acknowledge so Slack stops retrying.
            return Response(status_code=200)
        return to_starlette_response(bolt_response)

    routes = [Route("/slack/events", slack_events, methods=["POST"]), health_route(engine)]
    if feed is not None:
        routes.append(calendar_route(feed))
    if metrics is not None:
        routes.append(metrics_route(metrics))
    return Starlette(routes=routes)


# A feed token as `secrets.token_urlsafe` draws it; anything else is a 404 unread.
_FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
FEED_THREADS = 2
# Calendar apps poll a subscription every few hours at most; five minutes of caching
# spares the database a burst from one client and delays no change by much.
FEED_CACHE_SECONDS = 300

Feed = Callable[[str], "bytes | None"]


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(header: str | None, etag: str) -> bool:
    """`If-None-Match`: a list of (possibly weak) tags, or `*`."""
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def calendar_route(feed: Feed) -> Route:
    """`GET /calendar/<token>.ics`: the group's feed, 404 for an unknown token, 304 when
    the calendar already holds this version (its ETag, a hash of the bytes)."""
    limiter = anyio.CapacityLimiter(FEED_THREADS)

    async def calendar(request: Request) -> Response:
        name = str(request.path_params.get("name", ""))
        token = name.removesuffix(".ics")
        if not name.endswith(".ics") or not _FEED_TOKEN.fullmatch(token):
            return Response("not found", status_code=404, media_type="text/plain")
        try:
            body = await anyio.to_thread.run_sync(feed, token, limiter=limiter)
        except Exception as error:
            outages().report(
                logger, error, "calendar feed failed", effect="calendar feeds answered 503"
            )
            return Response("unavailable", status_code=503, media_type="text/plain")
        if body is None:
            return Response("not found", status_code=404, media_type="text/plain")
        etag = etag_of(body)
        headers = {"ETag": etag, "Cache-Control": f"private, max-age={FEED_CACHE_SECONDS}"}
        if etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)

    return Route("/calendar/{name}", calendar, methods=["GET", "HEAD"])


def health_route(engine: Engine, is_connected: Callable[[], bool] | None = None) -> Route:
    """`GET /healthz`: 200 when the database answers and takes writes (`DatabaseHealth`),
    503 when it does not, or not within `HEALTH_CHECK_TIMEOUT_SECONDS`: health checkers
    time out too, and must get an answer.

    `is_connected` (Socket Mode) is asked first: a bot whose socket has been down for a
    while answers 503 too, since it no longer hears Slack even if its database is fine.

    The check runs on its own few threads: a check stuck on a silent database is
    abandoned (it ends with the connect or statement deadline) and cannot take threads
    from anything else; when all of them are stuck, the answer is a 503 within the same bound.
    """
    limiter = anyio.CapacityLimiter(HEALTH_CHECK_THREADS)
    database = DatabaseHealth(engine)

    async def healthz(_request: Request) -> Response:
        if is_connected is not None and not is_connected():
            return JSONResponse({"status": "slack socket down"}, status_code=503)
        state = DatabaseState.UNREACHABLE
        with anyio.move_on_after(HEALTH_CHECK_TIMEOUT_SECONDS):
            state = await anyio.to_thread.run_sync(
                database.check, limiter=limiter, abandon_on_cancel=True
            )
        if state == DatabaseState.OK:
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": state.value}, status_code=503)

    return Route("/healthz", healthz, methods=["GET"])


def build_health_app(
    engine: Engine,
    is_connected: Callable[[], bool] | None = None,
    feed: Feed | None = None,
    metrics: Metrics | None = None,
) -> Starlette:
    """Socket Mode needs no public endpoint, but container health checks and load
    balancers still ask `/healthz` on PORT; `is_connected` says whether the socket is up
    (or down for only a few seconds). The calendar feed and `/metrics` are served here too."""
    routes = [health_route(engine, is_connected)]
    if feed is not None:
        routes.append(calendar_route(feed))
    if metrics is not None:
        routes.append(metrics_route(metrics))
    return Starlette(routes=routes)
