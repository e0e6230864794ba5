"""The HTTP edge under hostile traffic, against a real bot process (`python -m bot`).

- memory: the bot's RSS before and after 20 concurrent 10 MB bodies, declared
  (Content-Length) and chunked;
- log: bytes the bot's log grows by for 22 rejected unsigned 10 MB bodies;
- 5xx: answers to unsigned and signed malformed bodies;
- slow-loris: how long 200 sockets trickling header bytes stay open, and whether a
  real command is still answered meanwhile.

    .venv/bin/python -m benchmarks.edge_limits [--backend sqlite]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.common import ROOT, SIGNING_SECRET, Database, free_port, table
from bot.db.engine import migrate_to_head
from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.slack_client import sign

MIB = 1024 * 1024
CHUNK = b"a" * (64 * 1024)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def status_of(sock: socket.socket) -> int:
    sock.settimeout(30)
    data = b""
    try:
        while b"\r\n" not in data:
            part = sock.recv(4096)
            if not part:
                break
            data += part
    except OSError:
        pass
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0


def big_body(port: int, size: int, chunked: bool, statuses: list[int]) -> None:
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    head = (
        "POST /slack/events HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"{framing}\r\n\r\n"
    ).encode()
    frame = f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n" if chunked else CHUNK
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for _ in range(size // len(CHUNK)):
                sock.sendall(frame)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass
        statuses.append(status_of(sock))


def concurrent_bodies(port: int, pid: int, chunked: bool) -> list[object]:
    statuses: list[int] = []
    before = rss_mib(pid)
    peak = before
    threads = [
        threading.Thread(target=big_body, args=(port, 10 * MIB, chunked, statuses))
        for _ in range(20)
    ]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss_mib(pid))
        time.sleep(0.01)
    after = rss_mib(pid)
    framing = "chunked" if chunked else "Content-Length"
    answers = ", ".join(f"{s}×{statuses.count(s)}" for s in sorted(set(statuses)))
    return [f"20 × 10 MB, {framing}", f"{before:.0f}", f"{peak:.0f}", f"{after:.0f}", answers]


def post(port: int, body: bytes, content_type: str, signed: bool) -> int:
    ts = str(int(time.time()))
    headers = f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
    if signed:
        signature = sign(SIGNING_SECRET, ts, body.decode("utf-8", "replace"))
        headers += f"X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: {signature}\r\n"
    request = f"POST /slack/events HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode() + body
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        with contextlib.suppress(OSError):  # the server may answer and close mid-body
            sock.sendall(request)
        return status_of(sock)


MALFORMED = [
    (b"{", "application/json"),
    (b"[1, 2]", "application/json"),
    (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
    (b'{"type": "event_callback", "event": 3}', "application/json"),
    (b'{"type": "block_actions", "actions": []}', "application/json"),
    (b'{"type": "event_callback", "event_id": ' + b"9" * 5000 + b"}", "application/json"),
    (b"\xff\xfe", "application/json"),
    (b"hello", "text/plain"),
]


def slow_loris(port: int, sockets: int = 200, limit: float = 30.0) -> tuple[float, int, int]:
    """Seconds until every socket is closed (bounded by `limit`), how many were still
    open at the end, and the status of a real command sent meanwhile."""
    conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(sockets)]
    started = time.monotonic()
    for sock in conns:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
    body = urlencode(
        {
            "team_id": TEAM_ID,
            "channel_id": "C0EDGE",
            "user_id": "U0A",
            "command": "/partage",
            "text": "aide",
            "trigger_id": "t",
        }
    ).encode()
    legit = post(port, body, "application/x-www-form-urlencoded", signed=True)
    alive = list(conns)
    while alive and time.monotonic() - started < limit:
        still = []
        for sock in alive:
            try:
                sock.sendall(b"X")
            except OSError:
                continue
            sock.setblocking(False)
            try:
                if sock.recv(16) == b"":
                    continue
            except BlockingIOError:
                pass
            except OSError:
                continue
            still.append(sock)
        alive = still
        time.sleep(0.25)
    elapsed = time.monotonic() - started
    for sock in conns:
        sock.close()
    return elapsed, len(alive), legit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="sqlite")
    args = parser.parse_args()

    fake = FakeSlack().start()
    workdir = Path(tempfile.mkdtemp(prefix="partage-edge-"))
    database = Database(args.backend, workdir)
    migrate_to_head(database.url)
    port = free_port()
    log_path = workdir / "bot.log"
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(ROOT),
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "DATABASE_URL": database.url,
        "PORT": str(port),
        "LOG_LEVEL": "INFO",
    }
    with log_path.open("w") as log:
        bot = subprocess.Popen([sys.executable, "-m", "bot"], env=env, cwd=workdir, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

        memory = [concurrent_bodies(port, bot.pid, chunked) for chunked in (False, True)]
        print(table(["load", "RSS before MiB", "peak MiB", "after MiB", "answers"], memory))

        before = log_path.stat().st_size
        rejected = [
            post(port, b"a" * (10 * MIB), "application/x-www-form-urlencoded", signed=False)
            for _ in range(22)
        ]
        small = [
            post(port, b"text=" + b"a" * 100_000, "application/x-www-form-urlencoded", False)
            for _ in range(22)
        ]
        grown = log_path.stat().st_size - before
        print()
        print(
            table(
                ["rejected bodies", "answers", "log growth bytes"],
                [["22 × 10 MB + 22 × 100 KB unsigned", f"{set(rejected)} {set(small)}", grown]],
            )
        )

        answers = [
            post(port, body, kind, signed) for signed in (False, True) for body, kind in MALFORMED
        ]
        print()
        print(
            table(
                ["malformed bodies", "answers", "5xx"],
                [
                    [
                        f"{len(answers)} (unsigned and signed)",
                        sorted(set(answers)),
                        sum(a >= 500 for a in answers),
                    ]
                ],
            )
        )

        elapsed, left, legit = slow_loris(port)
        print()
        print(
            table(
                ["slow-loris sockets", "all closed after s", "still open", "real command"],
                [[200, f"{elapsed:.1f}", left, legit]],
            )
        )
        tracebacks = log_path.read_text(errors="replace").count("Traceback")
        print(f"\ntracebacks in the bot's log: {tracebacks}")
    finally:
        bot.terminate()
        bot.wait(timeout=15)
        fake.stop()
        database.drop()


if __name__ == "__main__":
    main()
