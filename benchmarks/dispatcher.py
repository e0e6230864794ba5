"""Dispatcher throughput as the work grows, the bot's memory, and its start time.

For 100, 1,000 and 10,000 groups, each with one due reminder (the J-14 call for a guide),
a real `python -m bot` process delivers them to a fake Slack that answers at once. The
rows are seeded not yet due, the process is started and measured idle, then every row is
made due at once; the clock stops when the last delivery is DONE. Each channel must have
received exactly one message.

Wall time depends on what else the machine runs, so two figures that do not are printed
beside it: the CPU time the bot process spent per delivery, and the SQL statements one
delivery costs, counted in-process (`--sample` deliveries, a SQLAlchemy event listener)
on a database of the same size. Flat means both stay the same as the groups grow.

    .venv/bin/python -m benchmarks.dispatcher [--sizes 100,1000,10000]
                                              [--backends sqlite,postgresql]
                                              [--sample 300]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, func, insert, select, update

from benchmarks.common import SIGNING_SECRET, Database, Process, free_port, table
from bot.bootstrap import build_runtime
from bot.config import load_settings
from bot.db.engine import make_engine, migrate_to_head
from bot.db.models import Delivery, Group, Meeting
from bot.domain.planning import dedup_key
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus
from tests.support.fake_slack import TEAM_ID, FakeSlack

FAR = datetime(2100, 1, 1, tzinfo=UTC)


def seed(url: str, size: int) -> None:
    """`size` groups, each with a session in 10 days and its guide call, not yet due."""
    migrate_to_head(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    starts = now + timedelta(days=10)
    with engine.begin() as conn:
        conn.execute(
            insert(Group),
            [
                {"team_id": TEAM_ID, "channel_id": f"C{i:07d}", "created_at": now}
                for i in range(size)
            ],
        )
        group_ids = conn.execute(select(Group.id).order_by(Group.id)).scalars().all()
        conn.execute(
            insert(Meeting),
            [
                {
                    "group_id": gid,
                    "starts_at": starts,
                    "duration_minutes": 90,
                    "status": MeetingStatus.SCHEDULED,
                    "created_by": "U0ORGA",
                    "created_at": now,
                    "updated_at": now,
                }
                for gid in group_ids
            ],
        )
        meetings = conn.execute(select(Meeting.id, Meeting.group_id)).all()
        conn.execute(
            insert(Delivery),
            [
                {
                    "group_id": gid,
                    "meeting_id": mid,
                    "kind": DeliveryKind.GUIDE_CALL,
                    "dedup_key": dedup_key(mid, DeliveryKind.GUIDE_CALL, starts),
                    "due_at": FAR,
                    "expires_at": starts,
                    "available_at": FAR,
                    "status": DeliveryStatus.PLANNED,
                    "attempts": 0,
                    "created_at": now,
                    "updated_at": now,
                }
                for mid, gid in meetings
            ],
        )
    engine.dispose()


def make_due(url: str) -> None:
    engine = make_engine(url)
    now = datetime.now(UTC) - timedelta(seconds=1)
    with engine.begin() as conn:
        conn.execute(update(Delivery).values(due_at=now, available_at=now))
    engine.dispose()


def counts(url: str) -> Counter[DeliveryStatus]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Delivery.status, func.count(Delivery.id)).group_by(Delivery.status)
        ).all()
    engine.dispose()
    return Counter(dict(rows))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bot_settings(url: str, fake: FakeSlack, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def statements_per_delivery(
    backend: str, size: int, fake: FakeSlack, workdir: Path, sample: int
) -> float:
    """SQL statements per delivery for the first `sample` deliveries among `size` due
    ones, run in this process by the bot's own dispatcher and counted on its engine."""
    database = Database(backend, workdir)
    try:
        seed(database.url, size)
        runtime = build_runtime(load_settings(bot_settings(database.url, fake), dotenv=False))
        statements = 0

        def count(*_args: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(runtime.engine, "before_cursor_execute", count)
        make_due(database.url)
        assert runtime.dispatcher is not None
        done = 0
        while done < sample:
            report = runtime.dispatcher.dispatch_due(datetime.now(UTC))
            if not report.claimed:
                break
            done += report.done
        runtime.close()
        return statements / done
    finally:
        database.drop()


def run(backend: str, size: int, fake: FakeSlack, workdir: Path) -> list[object]:
    database = Database(backend, workdir)
    fake.reset()
    try:
        seed(database.url, size)
        port = free_port()
        bot = Process(
            ["-m", "bot"],
            bot_settings(database.url, fake, PORT=str(port), DISPATCH_INTERVAL_SECONDS="0.2"),
            workdir,
        )
        try:
            start_seconds = bot.wait_http(port)
            time.sleep(1)  # let start-up settle before reading the idle footprint
            idle = bot.rss_mib()
            make_due(database.url)
            began = time.monotonic()
            cpu_began = cpu_seconds(bot.pid)
            deadline = began + 1800
            while True:
                by_status = counts(database.url)
                if not by_status[DeliveryStatus.PLANNED] and not by_status[DeliveryStatus.CLAIMED]:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("deliveries did not finish in 30 minutes")
                time.sleep(0.1)
            elapsed = time.monotonic() - began
            cpu = cpu_seconds(bot.pid) - cpu_began
            if by_status[DeliveryStatus.DONE] != size:
                raise RuntimeError(f"not every delivery was sent: {dict(by_status)}")
            after = bot.rss_mib()
        finally:
            bot.stop()
        per_channel = Counter(p["channel"] for p in fake.posts())
        exactly_once = len(per_channel) == size and set(per_channel.values()) == {1}
        return [
            backend,
            size,
            f"{elapsed:.1f}",
            f"{elapsed / size * 1000:.2f}",
            f"{cpu / size * 1000:.2f}",
            "yes" if exactly_once else f"NO ({sum(per_channel.values())} posts)",
            f"{start_seconds:.2f}",
            f"{idle:.0f}",
            f"{after:.0f}",
        ]
    finally:
        database.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    fake = FakeSlack().start()
    workdir = Path(tempfile.mkdtemp(prefix="partage-bench-"))
    rows = []
    try:
        for backend in args.backends.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                row = run(backend, size, fake, workdir)
                fake.reset()
                counted = statements_per_delivery(backend, size, fake, workdir, args.sample)
                rows.append([*row[:5], f"{counted:.1f}", *row[5:]])
                print(f"  {backend} {size}: done", flush=True)
    finally:
        fake.stop()
    print("Dispatcher: one due reminder per group, fake Slack answering at once")
    print(
        table(
            [
                "database",
                "groups",
                "total s",
                "ms per delivery",
                "bot CPU ms per delivery",
                "SQL statements per delivery",
                "each once",
                "start to /healthz s",
                "RSS idle MiB",
                "RSS after MiB",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
