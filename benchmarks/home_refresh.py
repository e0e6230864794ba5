"""App Home refresh: how soon a member's Home is republished after a change that concerns
them, and how many times for a burst of changes.

200 members in 5 groups (40 each, 40 of them in two groups), each group with its
organiser, a session, 10 contributions and 30 participants. The bot runs in process
(uvicorn, the real after-ack pool and HOME_REFRESH_DELAY_SECONDS at its default) against
the recording fake Slack, which stamps each views.publish as it arrives.

- latency: an organiser types `/partage guide @member`; seconds from sending the command
  to the member's views.publish arriving (the refresh delay included);
- burst: an organiser hands the guide role back and forth 10 times in a row between two
  members (each change concerns both); publishes per member, and whether the Home
  published shows the last change.

    .venv/bin/python -m benchmarks.home_refresh [--trials 20] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import Database, percentile, table
from bot.db.engine import make_engine, migrate_to_head
from bot.db.models import Contribution, Group, Meeting, MeetingRole, Organiser
from bot.enums import ContributionKind, ContributionStatus, MeetingStatus, RoleKind
from bot.followups import session_factory
from tests.support.clock import ManualClock
from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.server import SIGNING_SECRET, BotServer, bot_settings
from tests.support.slack_client import SlackSender

GROUPS = 5
PER_GROUP = 40
NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


def member(i: int) -> str:
    return f"U0M{i:04d}"


def channel(g: int) -> str:
    return f"C0BENCH{g}"


def seed(url: str) -> None:
    """Members 0-199, 40 per group; members 0-39 also in the next group."""
    migrate_to_head(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        for g in range(GROUPS):
            group = Group(team_id=TEAM_ID, channel_id=channel(g), created_at=NOW)
            session.add(group)
            session.flush()
            session.add(Organiser(group_id=group.id, user_id=f"U0ORGA{g}", created_at=NOW))
            meeting = Meeting(
                group_id=group.id,
                starts_at=datetime(2027, 1, 14, 13, tzinfo=UTC),
                status=MeetingStatus.SCHEDULED,
                created_by=f"U0ORGA{g}",
                created_at=NOW,
                updated_at=NOW,
            )
            session.add(meeting)
            session.flush()
            members = [member(g * PER_GROUP + i) for i in range(PER_GROUP)]
            if g + 1 < GROUPS:
                members += [member(i) for i in range(g * 8, g * 8 + 8)]
            for k, user in enumerate(members):
                if k < 10:
                    session.add(
                        Contribution(
                            meeting_id=meeting.id,
                            author_user_id=user,
                            kind=ContributionKind.TALK,
                            title=f"Sujet {g}-{k}",
                            description="",
                            duration_minutes=3,
                            status=ContributionStatus.READY
                            if k % 2
                            else ContributionStatus.PROPOSED,
                            created_at=NOW,
                            updated_at=NOW,
                        )
                    )
                else:
                    session.add(
                        MeetingRole(
                            meeting_id=meeting.id,
                            user_id=user,
                            role=RoleKind.PARTICIPANT,
                            created_at=NOW,
                        )
                    )
    engine.dispose()


class Stamps:
    """views.publish arrival times per member, recorded by the fake Slack."""

    def __init__(self, fake: FakeSlack) -> None:
        self._lock = threading.Lock()
        self.by_user: dict[str, list[tuple[float, dict[str, Any]]]] = {}
        fake.on("views.publish", self._record)

    def _record(self, args: dict[str, Any]) -> None:
        with self._lock:
            self.by_user.setdefault(str(args.get("user_id")), []).append(
                (time.monotonic(), args.get("view") or {})
            )

    def after(self, user: str, since: float) -> list[tuple[float, dict[str, Any]]]:
        with self._lock:
            return [p for p in self.by_user.get(user, []) if p[0] >= since]


def wait_for(user: str, stamps: Stamps, since: float, timeout: float = 10.0) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = stamps.after(user, since)
        if found:
            return found[0][0] - since
        time.sleep(0.005)
    return None


def run(backend: str, trials: int, workdir: Path) -> list[list[object]]:
    database = Database(backend, workdir)
    fake = FakeSlack().start()
    try:
        seed(database.url)
        settings = bot_settings(database.url, fake.api_url, HOME_REFRESH_DELAY_SECONDS="0.5")
        server = BotServer(settings, ManualClock(NOW)).start()
        stamps = Stamps(fake)
        slack = SlackSender(server.port, SIGNING_SECRET, fake.response_url())
        delay = settings.home_refresh_delay_seconds
        latencies: list[float] = []
        missed = 0
        for n in range(trials):
            g = n % GROUPS
            target = member(g * PER_GROUP + 10 + n % 30)
            since = time.monotonic()
            slack.command(f"guide <@{target}>", user=f"U0ORGA{g}", channel=channel(g))
            took = wait_for(target, stamps, since)
            if took is None:
                missed += 1
            else:
                latencies.append(took)
            time.sleep(delay * 2)  # let every refresh of this change finish
        bursts, publishes_a, publishes_b, fresh = 0, [], [], 0
        for n in range(max(3, trials // 4)):
            g = n % GROUPS
            a, b = member(g * PER_GROUP + 11), member(g * PER_GROUP + 12)
            since = time.monotonic()
            for k in range(10):
                slack.command(
                    f"guide <@{a if k % 2 else b}>", user=f"U0ORGA{g}", channel=channel(g)
                )
            time.sleep(delay * 2 + 1.0)
            bursts += 1
            got_a, got_b = stamps.after(a, since), stamps.after(b, since)
            publishes_a.append(len(got_a))
            publishes_b.append(len(got_b))
            # The last change made `a` the guide: their last Home must say so.
            if got_a and f"Guide\u202f: <@{a}>" in json.dumps(got_a[-1][1], ensure_ascii=False):
                fresh += 1
        build = server.runtime.deps.home
        assert build is not None
        started = time.monotonic()
        for _ in range(20):
            build.build(member(0))  # a member of two groups
        build_ms = (time.monotonic() - started) / 20 * 1000
        server.stop()
        return [
            [
                backend,
                f"{len(latencies)}/{trials}",
                f"{percentile(latencies, 0.5):.3f}",
                f"{percentile(latencies, 0.9):.3f}",
                f"{max(latencies):.3f}" if latencies else "-",
                missed,
                f"{min(publishes_a + publishes_b)}-{max(publishes_a + publishes_b)}"
                f" ({bursts} bursts)",
                f"{fresh}/{bursts}",
                f"{build_ms:.1f}",
            ]
        ]
    finally:
        fake.stop()
        database.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory() as workdir:
        for backend in args.backends.split(","):
            rows += run(backend.strip(), args.trials, Path(workdir))
    print(
        table(
            [
                "database",
                "published",
                "p50 s",
                "p90 s",
                "max s",
                "missed",
                "publishes per member per burst of 10",
                "last state shown",
                "Home build ms",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
