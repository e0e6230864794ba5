"""Acknowledgement latency of `/partage programme` against a bare Bolt app.

600 signed requests from 16 concurrent keep-alive clients, for a session with a guide and
three contributions, on SQLite and PostgreSQL; the bare Bolt app (same uvicorn, Starlette
and thread-pool dispatch, a listener that only acks) gets the same load, in alternating
rounds so that machine drift hits both alike.

    .venv/bin/python -m benchmarks.ack_latency [--requests 600] [--clients 16] [--rounds 6]
"""

from __future__ import annotations

import argparse
import http.client
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.common import (
    SIGNING_SECRET,
    Database,
    Process,
    free_port,
    percentile,
    table,
)
from bot.db.engine import make_engine, migrate_to_head
from bot.db.models import Contribution, Group, Meeting, MeetingRole, Organiser
from bot.enums import ContributionKind, ContributionStatus, MeetingStatus, RoleKind
from bot.followups import session_factory
from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.slack_client import sign

CHANNEL = "C0BENCH"


def seed(url: str) -> None:
    migrate_to_head(url)
    engine = make_engine(url)
    now = datetime(2026, 11, 30, 9, tzinfo=UTC)
    with session_factory(engine).begin() as session:
        group = Group(team_id=TEAM_ID, channel_id=CHANNEL, created_at=now)
        session.add(group)
        session.flush()
        session.add(Organiser(group_id=group.id, user_id="U0ORGA", created_at=now))
        meeting = Meeting(
            group_id=group.id,
            starts_at=datetime(2027, 1, 14, 13, tzinfo=UTC),
            status=MeetingStatus.SCHEDULED,
            theme="Le design des politiques publiques",
            created_by="U0ORGA",
            created_at=now,
            updated_at=now,
        )
        session.add(meeting)
        session.flush()
        session.add(
            MeetingRole(
                meeting_id=meeting.id, user_id="U0GUIDE", role=RoleKind.GUIDE, created_at=now
            )
        )
        for i, kind in enumerate(
            (ContributionKind.TALK, ContributionKind.DEMO, ContributionKind.EXPERIENCE)
        ):
            session.add(
                Contribution(
                    meeting_id=meeting.id,
                    author_user_id=f"U0C{i}",
                    kind=kind,
                    title=f"Contribution {i}",
                    description="",
                    duration_minutes=8,
                    status=ContributionStatus.READY if i else ContributionStatus.PROPOSED,
                    created_at=now,
                    updated_at=now,
                )
            )
    engine.dispose()


def command_body(user: str, trigger: str) -> str:
    """A command as Slack sends it: every invocation has its own trigger id, so no two
    requests are replays of each other."""
    return urlencode(
        {
            "team_id": TEAM_ID,
            "channel_id": CHANNEL,
            "user_id": user,
            "command": "/partage",
            "text": "programme",
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": trigger,
        }
    )


def load(port: int, requests: int, clients: int, expect: str | None) -> tuple[list[float], int]:
    """Send `requests` commands over `clients` keep-alive connections; latencies in ms."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))

    def client(n: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            body = command_body(f"U0USER{n}", f"{n}.{index}.{time.time_ns()}")
            ts = str(int(time.time()))
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sign(SIGNING_SECRET, ts, body),
            }
            start = time.perf_counter()
            try:
                conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
                response = conn.getresponse()
                payload = response.read().decode()
                ok = response.status == 200 and (expect is None or expect in payload)
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                errors += not ok
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()

    fake = FakeSlack().start()
    workdir = Path(tempfile.mkdtemp(prefix="partage-bench-"))
    rows = []
    try:
        for backend in args.backends.split(","):
            database = Database(backend, workdir)
            seed(database.url)
            bot_port, bare_port = free_port(), free_port()
            common = {"SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake.api_url}
            bot = Process(
                ["-m", "bot"],
                {
                    **common,
                    "SLACK_BOT_TOKEN": "xoxb-bench",
                    "DATABASE_URL": database.url,
                    "PORT": str(bot_port),
                    "LOG_LEVEL": "WARNING",
                },
                workdir,
            )
            bare = Process(
                ["-m", "benchmarks.bare_bolt"], {**common, "PORT": str(bare_port)}, workdir
            )
            try:
                bot.wait_http(bot_port)
                bare.wait_http(bare_port)
                targets = {
                    "bot": (bot_port, "jeudi 14 janvier 2027"),
                    "bare Bolt": (bare_port, None),
                }
                for (
                    port,
                    expect,
                ) in targets.values():  # warm-up: connections, caches, JIT-free paths
                    load(port, 50, args.clients, expect)
                results: dict[str, tuple[list[float], int]] = {name: ([], 0) for name in targets}
                per_round = max(1, args.requests // args.rounds)
                for round_index in range(args.rounds):
                    order = list(targets) if round_index % 2 == 0 else list(reversed(targets))
                    for name in order:
                        port, expect = targets[name]
                        latencies, errors = load(port, per_round, args.clients, expect)
                        results[name][0].extend(latencies)
                        results[name] = (results[name][0], results[name][1] + errors)
                for name, (latencies, errors) in results.items():
                    rows.append(
                        [
                            name,
                            backend,
                            len(latencies),
                            f"{percentile(latencies, 50):.1f}",
                            f"{percentile(latencies, 90):.1f}",
                            f"{percentile(latencies, 99):.1f}",
                            f"{max(latencies):.1f}",
                            errors,
                        ]
                    )
            finally:
                bot.stop()
                bare.stop()
                database.drop()
    finally:
        fake.stop()
    print(f"Ack latency, `/partage programme`, {args.clients} keep-alive clients, ms")
    print(table(["target", "database", "requests", "p50", "p90", "p99", "max", "errors"], rows))


if __name__ == "__main__":
    main()
