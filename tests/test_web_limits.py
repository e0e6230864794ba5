"""The HTTP edge under hostile traffic: size bounds, the signature before any parsing,
malformed bodies answered 4xx without a traceback, rejected bodies kept out of the log,
and slow or idle connections closed."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode

import pytest
import uvicorn
from slack_bolt import BoltRequest

from bot.http_server import header_deadline_protocol
from bot.slack.ids import ActionId, BlockId, CallbackId
from bot.web import MAX_BODY_BYTES, RejectionLog
from tests.support.clock import ManualClock
from tests.support.contributions import answers, open_modal
from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.server import SIGNING_SECRET, BotServer, bot_settings
from tests.support.slack_client import SlackSender, submitted_values
from tests.support.wait import wait_for

FORM = "application/x-www-form-urlencoded"
MIB = 1024 * 1024


def signed_headers(body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def head(headers: dict[str, str], path: str = "/slack/events") -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_status(sock: socket.socket, timeout: float = 10.0) -> int:
    """The status code of the answer on `sock` (0 if the server closed without one)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0


def send_raw(port: int, headers: dict[str, str], body: bytes) -> int:
    headers = {"Content-Length": str(len(body)), **headers}
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head(headers) + body)
        return read_status(sock)


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def send_chunked(port: int, total: int, statuses: list[int]) -> None:
    """Stream `total` bytes as a chunked body from one 64 KiB buffer, stopping when the
    server answers or closes; record the status."""
    chunk = b"a" * (64 * 1024)
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    headers = {"Content-Type": FORM, "Transfer-Encoding": "chunked", **signed_headers(b"")}
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head(headers))
        sent = 0
        try:
            while sent < total:
                sock.sendall(frame)
                sent += len(chunk)
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        statuses.append(read_status(sock))


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


# --- size ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [MAX_BODY_BYTES + 1, MIB, 10 * MIB])
def test_declared_body_above_the_bound_gets_413_before_it_is_sent(slack: SlackSender, size):
    headers = {"Content-Type": FORM, "Content-Length": str(size), **signed_headers(b"")}

    with socket.create_connection(("127.0.0.1", slack.port), timeout=10) as sock:
        sock.sendall(head(headers))  # the body never follows
        status = read_status(sock, timeout=5)

    assert status == 413


@pytest.mark.parametrize("size", [MIB, 10 * MIB])
def test_chunked_body_above_the_bound_is_cut_with_413(slack: SlackSender, size):
    statuses: list[int] = []

    send_chunked(slack.port, size, statuses)

    assert statuses == [413]


def test_memory_stays_bounded_under_20_concurrent_10_mb_bodies(slack: SlackSender):
    statuses: list[int] = []
    threads = [
        threading.Thread(target=send_chunked, args=(slack.port, 10 * MIB, statuses))
        for _ in range(20)
    ]
    before = rss_mib()

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    grown = rss_mib() - before

    assert statuses == [413] * 20
    assert grown < 40, f"RSS grew by {grown:.0f} MiB"


def test_body_at_the_bound_is_read_and_verified(slack: SlackSender):
    body = urlencode({"text": "x" * (MAX_BODY_BYTES - 100)}).encode()[:MAX_BODY_BYTES]

    status = send_raw(slack.port, {"Content-Type": FORM, **signed_headers(b"other")}, body)

    assert status == 401  # read whole, then refused on its signature, not its size


# --- signature ----------------------------------------------------------------------


def command_body(text: str = "theme Piraté") -> bytes:
    return urlencode(
        {
            "team_id": TEAM_ID,
            "channel_id": "C0GROUP",
            "user_id": "U0ORGA",
            "command": "/partage",
            "text": text,
            "trigger_id": f"t-{time.monotonic_ns()}",
        }
    ).encode()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=" + "0" * 64},
        {"X-Slack-Request-Timestamp": "9" * 400, "X-Slack-Signature": "v0=" + "0" * 64},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=é"},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64},
    ],
    ids=["missing", "text-timestamp", "huge-timestamp", "non-ascii-signature", "wrong"],
)
def test_unsigned_or_badly_signed_request_gets_401(slack: SlackSender, headers, logged):
    status = send_raw(slack.port, {"Content-Type": FORM, **headers}, command_body())

    assert status == 401
    assert tracebacks(logged) == []


def test_unsigned_ssl_check_gets_an_empty_200_and_reaches_nothing(slack: SlackSender):
    plain = send_raw(slack.port, {"Content-Type": FORM}, b"ssl_check=1&token=legacy")
    smuggled = send_raw(
        slack.port, {"Content-Type": FORM}, b"ssl_check=1&command=%2Fpartage&text=theme+X"
    )

    assert (plain, smuggled) == (200, 401)


def test_stale_signature_gets_401(slack: SlackSender):
    body = command_body()

    status = send_raw(
        slack.port,
        {"Content-Type": FORM, **signed_headers(body, timestamp=int(time.time()) - 301)},
        body,
    )

    assert status == 401


def test_unsigned_malformed_json_gets_401_not_500(slack: SlackSender, logged):
    statuses = [
        send_raw(slack.port, {"Content-Type": content_type}, body)
        for content_type, body in [
            ("application/json", b"{"),
            ("application/json", b"[1, 2]"),
            (FORM, b"payload=%7Bnot-json"),
            (FORM, b"payload=[]"),
            ("application/json", b'{"type": "event_callback", "event": 3}'),
        ]
    ]

    assert statuses == [401] * 5
    assert tracebacks(logged) == []


# --- malformed signed bodies -----------------------------------------------------------


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


MALFORMED = [
    ("text/plain", b"hello", 415),
    ("multipart/form-data; boundary=x", b"--x--", 415),
    (FORM, b"payload=%7Bnot-json", 400),
    (FORM, b"payload=%5B1%2C2%5D", 400),
    (FORM, b"payload=" + urlencode({"p": deep(5000)})[2:].encode(), 400),
    ("application/json", b"{", 400),
    ("application/json", b"[1, 2]", 400),
    ("application/json", b'"text"', 400),
    ("application/json", deep(20000).encode(), 400),
    ("application/json", b'{"type": "event_callback", "event_id": ' + b"9" * 5000 + b"}", 400),
    ("application/json", b"\xff\xfe{}", 400),
    (FORM, b"command=%2Fpartage&text=\xff\xfe", 400),
    ("application/json", b'{"type": "event_callback", "event": "reaction_added"}', 400),
    ("application/json", b'{"type": "event_callback", "authorizations": "x", "event": {}}', 400),
    ("application/json", b'{"type": "block_actions", "actions": [1]}', 400),
    ("application/json", b'{"type": "view_submission", "view": "V1"}', 400),
    ("application/json", b'{"type": 7}', 400),
    (FORM, b"command=%2Fpartage&text=theme+a%00b", 400),
    ("application/json", b'{"type": "event_callback", "event": {"type": "x\\u0000"}}', 400),
    ("application/json", b'{"type": "view_submission", "team": {"id": 5}}', 400),
]


@pytest.mark.parametrize(("content_type", "body", "expected"), MALFORMED)
def test_malformed_signed_body_gets_4xx_without_traceback(
    slack: SlackSender, logged, content_type: str, body: bytes, expected: int
):
    status = send_raw(slack.port, {"Content-Type": content_type, **signed_headers(body)}, body)

    assert status == expected
    assert tracebacks(logged) == []


def test_invalid_content_length_gets_400(slack: SlackSender):
    status = send_raw(slack.port, {"Content-Type": FORM, "Content-Length": "12abc"}, b"")

    assert status == 400


# --- crafted ids and shapes in signed payloads ------------------------------------------


def test_button_with_an_id_above_32_bits_answers_without_traceback(
    slack: SlackSender, logged, fake_slack: FakeSlack
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    replies = [
        slack.block_action(ActionId.CLAIM_GUIDE.value, value, user="U0BOB")
        for value in ["9" * 30, str(2**63), str(2**31), "-1", "0", "1e9", " ²"]
    ]

    assert [r.status for r in replies] == [200] * 7
    assert tracebacks(logged) == []


@pytest.mark.parametrize(
    "metadata",
    [
        json.dumps({"meeting_id": 2**70, "channel_id": "C0GROUP"}),
        json.dumps({"meeting_id": 2**31, "channel_id": "C0GROUP"}),
        json.dumps({"meeting_id": "1", "channel_id": 5}),
        "9" * 5000,
        deep(3000),
        "",
    ],
)
def test_contribution_submission_with_crafted_metadata_answers_politely(
    slack: SlackSender, fake_slack: FakeSlack, logged, metadata: str
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    view = open_modal(slack, fake_slack, "U0ALICE")

    reply = slack.view_submission(
        view, submitted_values(view, answers()), user="U0ALICE", private_metadata=metadata
    )

    assert reply.status == 200
    assert tracebacks(logged) == []


def test_contribution_with_a_5000_digit_duration_gets_a_field_error(
    slack: SlackSender, fake_slack: FakeSlack, logged
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    view = open_modal(slack, fake_slack, "U0ALICE")

    reply = slack.view_submission(
        view, submitted_values(view, answers(duration="9" * 5000)), user="U0ALICE"
    )

    assert reply.status == 200
    assert reply.json()["response_action"] == "errors"
    assert list(reply.json()["errors"]) == [BlockId.CONTRIBUTION_DURATION.value]
    assert tracebacks(logged) == []


@pytest.mark.parametrize(
    "metadata",
    [json.dumps({"group_id": 2**70}), json.dumps({"group_id": 2**31}), "9" * 5000, deep(3000)],
)
def test_config_submission_with_crafted_metadata_answers_politely(
    slack: SlackSender, logged, metadata: str
):
    view = {"type": "modal", "callback_id": CallbackId.CONFIG_MODAL.value, "blocks": []}

    reply = slack.view_submission(view, {}, user="U0ORGA", private_metadata=metadata)

    assert reply.status == 200
    assert "errors" in reply.json()["response_action"]
    assert tracebacks(logged) == []


HOSTILE_VALUES = [None, 0, -1, 2**70, True, "", "x" * 3000, [], {}, [1], {"id": 2**70}]


def realistic_payloads(slack: SlackSender) -> Iterator[tuple[str, dict]]:
    """What SlackSender would send, captured instead of sent."""
    captured: list[tuple[str, str]] = []

    def capture(body: str, content_type: str, **_kwargs: object) -> None:
        captured.append((body, content_type))

    recorder = SlackSender(slack.port, SIGNING_SECRET, slack.response_url)
    recorder.post = capture  # type: ignore[method-assign]
    recorder.block_action(ActionId.JOIN.value, "1", user="U0BOB")
    recorder.view_submission(
        {"type": "modal", "callback_id": CallbackId.CONTRIBUTION_MODAL.value, "blocks": []},
        {"b": {"a": {"type": "plain_text_input", "value": "v"}}},
        private_metadata=json.dumps({"meeting_id": 1, "channel_id": "C0GROUP"}),
    )
    recorder.event(
        {
            "type": "reaction_added",
            "user": "U0BOB",
            "reaction": "one",
            "item": {"type": "message", "channel": "C0GROUP", "ts": "1.2"},
        }
    )
    for body, content_type in captured:
        if content_type == FORM:
            yield "payload", json.loads(dict(_form(body))["payload"])
        else:
            yield "json", json.loads(body)


def _form(body: str) -> list[tuple[str, str]]:
    return parse_qsl(body, keep_blank_values=True)


def mutations(payload: dict) -> Iterator[dict]:
    """The payload with one field (top level or one level down) replaced by each hostile
    value in turn."""
    for key, value in payload.items():
        for hostile in HOSTILE_VALUES:
            yield {**payload, key: hostile}
        if isinstance(value, dict):
            for inner in value:
                for hostile in HOSTILE_VALUES:
                    yield {**payload, key: {**value, inner: hostile}}
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for inner in value[0]:
                for hostile in HOSTILE_VALUES:
                    yield {**payload, key: [{**value[0], inner: hostile}]}


def test_payloads_with_any_field_of_the_wrong_type_never_get_5xx_or_a_traceback(
    slack: SlackSender, logged
):
    statuses: set[int] = set()
    sent = 0

    for kind, payload in realistic_payloads(slack):
        for number, mutated in enumerate(mutations(payload)):
            # Each its own request, not a replay of the previous one.
            for key in ("event_id", "trigger_id"):
                if mutated.get(key) == payload.get(key) and key in payload:
                    mutated[key] = f"{payload[key]}-{number}"
            if kind == "payload":
                body = urlencode({"payload": json.dumps(mutated)})
                reply = slack.post(body, FORM)
            else:
                reply = slack.post(json.dumps(mutated), "application/json")
            statuses.add(reply.status)
            sent += 1

    assert sent > 500
    assert statuses <= {200, 400}
    assert tracebacks(logged) == []


# --- the log --------------------------------------------------------------------------


def test_rejected_bodies_stay_out_of_the_log_one_line_per_reason(slack: SlackSender, logged):
    marker = "SECRET-BODY-MARKER"
    body = urlencode({"text": marker * 1000}).encode()

    statuses = [send_raw(slack.port, {"Content-Type": FORM}, body) for _ in range(22)]

    lines = [r.getMessage() for r in logged.records if "rejected" in r.getMessage()]
    assert statuses == [401] * 22
    assert all(marker not in r.getMessage() for r in logged.records)
    assert all(not r.args or marker not in str(r.args) for r in logged.records)
    assert len(lines) <= 1


def test_rejection_log_writes_one_line_per_reason_per_interval_with_a_count(
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.WARNING, logger="bot.web")
    now = [100.0]
    log = RejectionLog(interval=10.0, monotonic=lambda: now[0])

    for _ in range(5):
        log.note(401, "bad or stale signature", 1234)
    log.note(413, "declared body too large", 10 * MIB)
    now[0] = 111.0
    log.note(401, "bad or stale signature", 99)

    assert [r.getMessage() for r in caplog.records] == [
        "rejected 1 request(s) to /slack/events with 401: bad or stale signature "
        "(last body: 1234 bytes)",
        "rejected 1 request(s) to /slack/events with 413: declared body too large "
        f"(last body: {10 * MIB} bytes)",
        "rejected 5 request(s) to /slack/events with 401: bad or stale signature "
        "(last body: 99 bytes)",
    ]


# --- slow and idle connections --------------------------------------------------------


@pytest.fixture
def strict_server(database_url, db, fake_slack: FakeSlack, clock: ManualClock) -> Iterator[int]:
    """A bot whose header and body deadlines are one second, to test them quickly."""
    server = BotServer(
        bot_settings(database_url, fake_slack.api_url), clock, header_timeout=1.0, body_timeout=1.0
    ).start()
    try:
        yield server.port
    finally:
        server.stop()


def closed_by_server(sock: socket.socket) -> bool:
    """True when the server has closed `sock` (a read sees EOF or a reset)."""
    sock.setblocking(False)
    try:
        return sock.recv(1024) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True


def test_200_slow_loris_sockets_are_closed_within_the_header_deadline(
    strict_server: int, fake_slack: FakeSlack
):
    sockets = [socket.create_connection(("127.0.0.1", strict_server)) for _ in range(200)]
    started = time.monotonic()
    for sock in sockets:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    open_ = list(sockets)
    deadline = started + 5.0  # the bound of this loop: 1 s deadline plus ample margin
    try:
        while open_ and time.monotonic() < deadline:
            still = []
            for sock in open_:
                try:
                    sock.sendall(b"X")  # one more header byte, forever unfinished
                except (BrokenPipeError, ConnectionResetError):
                    continue
                if not closed_by_server(sock):
                    still.append(sock)
            open_ = still
            time.sleep(0.1)  # the attacker's trickle rate, not a wait for a schedule
        elapsed = time.monotonic() - started
        legit = SlackSender(strict_server, SIGNING_SECRET, fake_slack.response_url())
        answer = legit.command("aide")
    finally:
        for sock in sockets:
            sock.close()

    assert open_ == []
    assert elapsed < 3.0
    assert answer.status == 200


@pytest.fixture
def bounded_server(database_url, db, fake_slack: FakeSlack, clock: ManualClock) -> Iterator[int]:
    """A bot whose deadlines (one second) and bound on connections (40) come from its
    settings, as an operator would set them."""
    settings = bot_settings(
        database_url,
        fake_slack.api_url,
        HTTP_HEADER_TIMEOUT_SECONDS="1",
        HTTP_BODY_TIMEOUT_SECONDS="1",
        HTTP_MAX_CONNECTIONS="40",
    )
    server = BotServer(settings, clock).start()
    try:
        yield server.port
    finally:
        server.stop()


def dribbling_sockets(port: int, count: int) -> list[socket.socket]:
    """`count` connections that each sent half a request line and a header."""
    sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    for sock in sockets:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    return sockets


def seconds_until_closed(sockets: list[socket.socket], bound: float) -> tuple[float, int]:
    """Keep dribbling a header byte on each socket every 0.1 s until the server has closed
    them all (or `bound` seconds passed): (seconds taken, how many were still open)."""
    started = time.monotonic()
    open_ = list(sockets)
    while open_ and time.monotonic() - started < bound:
        still = []
        for sock in open_:
            try:
                sock.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                continue
            if not closed_by_server(sock):
                still.append(sock)
        open_ = still
        time.sleep(0.1)  # the attacker's trickle rate, not a wait for a schedule
    return time.monotonic() - started, len(open_)


def test_connections_beyond_the_bound_get_503_at_once_the_others_close_at_the_deadline(
    bounded_server: int, fake_slack: FakeSlack
):
    held = dribbling_sockets(bounded_server, 40)
    try:
        extra = [socket.create_connection(("127.0.0.1", bounded_server)) for _ in range(20)]
        started = time.monotonic()
        refused = [read_status(sock, timeout=2) for sock in extra]
        refused_within = time.monotonic() - started
        elapsed, left = seconds_until_closed(held, bound=5.0)
        legit = SlackSender(bounded_server, SIGNING_SECRET, fake_slack.response_url())
        answer = legit.command("aide")
    finally:
        for sock in [*held, *extra]:
            sock.close()

    assert refused == [503] * 20
    assert refused_within < 1.0  # before the header deadline: not held at all
    assert left == 0
    assert elapsed < 3.0
    assert answer.status == 200


def test_request_under_the_bound_gets_through_while_slow_sockets_wait(
    bounded_server: int, fake_slack: FakeSlack
):
    slow = dribbling_sockets(bounded_server, 30)
    try:
        legit = SlackSender(bounded_server, SIGNING_SECRET, fake_slack.response_url())
        answer = legit.command("aide")  # while the 30 are still open
        elapsed, left = seconds_until_closed(slow, bound=5.0)
    finally:
        for sock in slow:
            sock.close()

    assert answer.status == 200
    assert "/partage" in answer.text
    assert left == 0
    assert elapsed < 3.0


def test_body_dribbled_byte_by_byte_is_cut_at_the_body_deadline(bounded_server: int):
    headers = {"Content-Type": FORM, "Content-Length": "100000", **signed_headers(b"")}
    with socket.create_connection(("127.0.0.1", bounded_server), timeout=5) as sock:
        sock.sendall(head(headers))
        started = time.monotonic()
        status = 0
        while time.monotonic() - started < 5.0 and not status:
            try:
                sock.sendall(b"a")
            except (BrokenPipeError, ConnectionResetError):
                break
            sock.settimeout(0.1)
            try:
                data = sock.recv(4096)
            except TimeoutError:
                continue
            status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else -1
        elapsed = time.monotonic() - started

    assert status == 408
    assert elapsed < 3.0


def test_idle_connection_that_sends_nothing_is_closed(strict_server: int):
    with socket.create_connection(("127.0.0.1", strict_server), timeout=5) as sock:
        started = time.monotonic()
        data = sock.recv(1024)  # blocks until the server closes
        elapsed = time.monotonic() - started

    assert data == b""
    assert elapsed < 3.0


def test_body_that_trickles_in_gets_408(strict_server: int):
    headers = {"Content-Type": FORM, "Content-Length": "1000", **signed_headers(b"")}
    with socket.create_connection(("127.0.0.1", strict_server), timeout=5) as sock:
        sock.sendall(head(headers) + b"text=")

        status = read_status(sock, timeout=5)

    assert status == 408


def test_keep_alive_connection_serves_requests_spread_over_the_header_deadline(
    strict_server: int, fake_slack: FakeSlack
):
    conn = http.client.HTTPConnection("127.0.0.1", strict_server, timeout=5)
    statuses = []
    try:
        for _ in range(3):
            body = urlencode({"command": "/partage", "text": "aide", "team_id": TEAM_ID})
            headers = {"Content-Type": FORM, **signed_headers(body.encode())}
            conn.request("POST", "/slack/events", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
            time.sleep(0.6)  # twice over the run, longer than the 1 s header deadline
    finally:
        conn.close()

    assert statuses == [200, 200, 200]


async def hello(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.mark.parametrize("parser", ["httptools", "h11"])
def test_header_deadline_works_with_either_uvicorn_parser(parser: str):
    from uvicorn.protocols.http.h11_impl import H11Protocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    base = {"httptools": HttpToolsProtocol, "h11": H11Protocol}[parser]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        hello,
        host="127.0.0.1",
        port=port,
        http=header_deadline_protocol(base, timeout=0.5),
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            answered = read_status(sock)
            sock.sendall(b"GET / HTTP/1.1\r\nHo")  # a second request, never finished
            started = time.monotonic()
            rest = b""
            while chunk := sock.recv(1024):
                rest += chunk
            elapsed = time.monotonic() - started
    finally:
        server.should_exit = True
        thread.join(timeout=10)

    assert answered == 200
    assert elapsed < 3.0


def get_status(port: int) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        return read_status(sock)


@pytest.mark.parametrize("parser", ["httptools", "h11"])
def test_connection_bound_works_with_either_uvicorn_parser(parser: str):
    from uvicorn.protocols.http.h11_impl import H11Protocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    base = {"httptools": HttpToolsProtocol, "h11": H11Protocol}[parser]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        hello,
        host="127.0.0.1",
        port=port,
        http=header_deadline_protocol(base, timeout=5.0, max_connections=2),
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    held: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(2)]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as third:
            refused = read_status(third)
        for sock in held:
            sock.close()
        held = []
        answered = wait_for(lambda: get_status(port) == 200 and 200)  # once it saw the closes
    finally:
        for sock in held:
            sock.close()
        server.should_exit = True
        thread.join(timeout=10)

    assert (refused, answered) == (503, 200)


COMMAND_WORDS = [
    "",
    "aide",
    "programme",
    "session",
    "theme",
    "guide",
    "rejoindre",
    "contribuer",
    "pret",
    "retirer",
    "proposer",
    "sondage",
    "planning",
    "config",
]
HOSTILE_ARGUMENTS = [
    "9999-99-99 99:99",
    "9999-12-31 23:00",
    "0001-01-01 00:00",
    "x" * 5000,
    "<!channel>",
    "\u202e\u200b",
    "😀" * 500,
    "9" * 5000,
    "14/01/2027 14h",
    "٢٠٢٧-٠١-١٤ ١٤:٠٠",
]


def test_commands_with_hostile_arguments_answer_without_traceback(slack: SlackSender, logged):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    statuses = set()

    for word in COMMAND_WORDS:
        for argument in HOSTILE_ARGUMENTS:
            statuses.add(slack.command(f"{word} {argument}", user="U0ORGA").status)

    assert statuses == {200}
    assert tracebacks(logged) == []


def test_session_decades_ahead_is_refused_politely(slack: SlackSender):
    reply = slack.command("session 9999-12-31 23:00", user="U0ORGA")

    assert reply.status == 200
    assert "La date «\u202f9999-12-31 23:00\u202f» est trop lointaine\u202f:" in reply.text


HOSTILE_INPUTS = [
    "9" * 5000,
    "-99999999999999999999",
    "1e309",
    "NaN",
    "x" * 5000,
    "Europe/../../etc/passwd",
    "\u202e\u200b",
    "😀" * 300,
    " ",
]


@pytest.mark.parametrize("command", ["contribuer", "config"])
def test_modal_inputs_with_hostile_values_answer_without_traceback(
    slack: SlackSender, fake_slack: FakeSlack, logged, command: str
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command(command, user="U0ORGA")
    view = fake_slack.calls("views.open")[-1].args["view"]
    blocks = [b["block_id"] for b in view["blocks"] if b.get("type") == "input"]
    statuses = set()

    for block_id in blocks:
        for value in HOSTILE_INPUTS:
            values = submitted_values(view, {block_id: value})
            statuses.add(slack.view_submission(view, values, user="U0ORGA").status)

    assert len(blocks) >= 3
    assert statuses == {200}
    assert tracebacks(logged) == []


def test_bolt_own_signature_check_logs_no_body(bot_server: BotServer, logged):
    marker = "BODY-MARKER-FOR-BOLT"
    body = urlencode({"command": "/partage", "text": marker})
    request = BoltRequest(
        body=body,
        headers={
            "content-type": FORM,
            "x-slack-request-timestamp": str(int(time.time())),
            "x-slack-signature": "v0=" + "0" * 64,
        },
    )

    response = bot_server.runtime.app.dispatch(request)

    assert response.status == 401
    assert [r for r in logged.records if marker in r.getMessage()] == []
