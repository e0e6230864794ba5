"""Real bot processes (`python -m bot`) on one database, sending to the fake Slack.

These are the "exactly once" claims of the product, checked where they can break: two
processes claiming from the same database (PostgreSQL and SQLite), and a process stopped
or killed in the middle of a batch then started again. The processes use the real clock,
so the test seeds deliveries due *now* and polls the database with a deadline; the fake
Slack stamps its messages with the real clock too, so a post a killed process may have
made is looked for in its history (3 s after the attempt) like Slack's would be.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.db.models import Delivery, DeliveryMessage, Meeting, Poll
from bot.domain.planning import plan_meeting
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus, MessageStatus, PollStatus
from tests.support.cycle import schedule
from tests.support.factories import make_group, make_meeting, make_proposals
from tests.support.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_SECONDS = 180
PENDING = (DeliveryStatus.PLANNED, DeliveryStatus.CLAIMED)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class BotProcess:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=10)


class Bots:
    """Starts bot processes with an explicit environment and stops them all at the end."""

    def __init__(self, database_url: str, api_url: str, logs: Path) -> None:
        self.database_url = database_url
        self.api_url = api_url
        self.logs = logs
        self.started: list[BotProcess] = []

    def start(self, name: str) -> BotProcess:
        port = free_port()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "PYTHONUNBUFFERED": "1",
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": "test-signing-secret",
            "SLACK_API_URL": self.api_url,
            "DATABASE_URL": self.database_url,
            "BOT_TIMEZONE": "Europe/Paris",
            "BOT_LANGUAGE": "fr",
            "PORT": str(port),
            "LOG_LEVEL": "INFO",
            "DISPATCH_INTERVAL_SECONDS": "0.1",
            "DISPATCH_LEASE_SECONDS": "3",
            "SLACK_TIMEOUT_SECONDS": "0.5",
            # Above one call's worst case (0.5 s x 3 tries + 2 waits of 0.5 s).
            "OUTBOX_VERIFY_AFTER_SECONDS": "3",
        }
        log = self.logs / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=out, stderr=out
            )
        bot = BotProcess(process, port, log)
        self.started.append(bot)
        deadline = time.monotonic() + 60
        while not bot.healthy():
            assert process.poll() is None, f"{name} exited at start:\n{bot.tail()}"
            assert time.monotonic() < deadline, f"{name} did not start:\n{bot.tail()}"
            time.sleep(0.1)
        return bot

    def stop_all(self) -> None:
        for bot in self.started:
            bot.stop()


@pytest.fixture
def bots(
    database_url: str, db: sessionmaker[Session], fake_slack: FakeSlack, tmp_path: Path
) -> Iterator[Bots]:
    fake_slack.reset()
    fake_slack.set_clock(time.time)
    running = Bots(database_url, fake_slack.api_url, tmp_path)
    yield running
    running.stop_all()


def seed_due_groups(db: sessionmaker[Session], groups: int) -> tuple[datetime, int]:
    """`groups` groups whose session is in three days: each has its guide call and its
    announcement due now (two channel posts), plus two due items that send nothing (no
    contributor, no guide). Returns the seeding instant and the number of posts expected."""
    now = datetime.now(UTC)
    for index in range(groups):
        schedule(
            db,
            starts_at=now + timedelta(days=3),
            now=now,
            channel=f"C{index:05d}",
            theme=f"Thème {index}",
        )
    return now, 2 * groups


def wait_until_settled(
    db: sessionmaker[Session], fake: FakeSlack, seeded_at: datetime, expected: int, bots: Bots
) -> float:
    """Poll until nothing due at `seeded_at` is pending (requeued ones included: a post
    maybe sent waits there to be verified). A delivery is settled only after its posts
    returned, so by then every post has reached the fake."""
    started = time.monotonic()
    while True:
        with db() as session:
            pending = session.scalar(
                select(func.count(Delivery.id)).where(
                    Delivery.status.in_(PENDING), Delivery.due_at <= seeded_at
                )
            )
        if pending == 0:
            return time.monotonic() - started
        if time.monotonic() - started > DEADLINE_SECONDS:
            tails = "\n\n".join(f"{b.log.name}:\n{b.tail()}" for b in bots.started)
            pytest.fail(f"{pending} pending, {len(fake.posts())}/{expected} posts\n{tails}")
        time.sleep(0.2)


def verifications(bots: Bots) -> tuple[int, int]:
    """How many maybe-sent posts the processes found on Slack, and found absent (from
    their logs)."""
    logs = "\n".join(b.log.read_text(errors="replace") for b in bots.started)
    return logs.count("found on Slack ("), logs.count("not found on Slack; sending")


def post_counts(fake: FakeSlack) -> Counter[tuple[str, str]]:
    return Counter((p["channel"], p["text"]) for p in fake.posts())


def test_two_processes_on_one_database_deliver_each_item_exactly_once(
    database_url, db, fake_slack, bots
):
    # PostgreSQL is the multi-process deployment (SKIP LOCKED); on SQLite the claims
    # queue on BEGIN IMMEDIATE, which must hold too.
    first, second = bots.start("first"), bots.start("second")
    seeded_at, expected = seed_due_groups(db, 150)

    elapsed = wait_until_settled(db, fake_slack, seeded_at, expected, bots)

    counts = post_counts(fake_slack)
    assert sum(counts.values()) == expected
    assert set(counts.values()) == {1}
    assert len({channel for channel, _ in counts}) == 150
    with db() as session:
        sent = session.scalar(
            select(func.count(DeliveryMessage.id)).where(
                DeliveryMessage.status == MessageStatus.SENT
            )
        )
        done_by = session.execute(
            select(Delivery.claimed_by, func.count(Delivery.id))
            .where(Delivery.status.in_([DeliveryStatus.DONE, DeliveryStatus.CANCELLED]))
            .group_by(Delivery.claimed_by)
        ).all()
    assert sent == expected
    assert len(done_by) == 2, f"both processes should have taken a share: {done_by}"
    backend = database_url.split(":")[0]
    shares = sorted(n for _, n in done_by)
    print(
        f"\ntwo processes ({backend}): {expected} posts from {sum(shares)} deliveries "
        f"in {elapsed:.1f}s, split {shares}"
    )
    assert first.stop() == 0
    assert second.stop() == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_process_restarted_mid_batch_loses_and_repeats_nothing(
    database_url, db, fake_slack, bots, sig
):
    # Slack answers slowly so that the stop lands in the middle of the batch.
    fake_slack.on("chat.postMessage", lambda _args: time.sleep(0.03))
    groups = 60
    bot = bots.start("before")
    seeded_at, expected = seed_due_groups(db, groups)
    deadline = time.monotonic() + 60
    while len(fake_slack.posts()) < expected // 4:
        assert time.monotonic() < deadline, bot.tail()
        time.sleep(0.01)

    code = bot.stop(sig)
    at_stop = len(fake_slack.posts())
    bots.start("after")
    elapsed = wait_until_settled(db, fake_slack, seeded_at, expected, bots)

    counts = post_counts(fake_slack)
    with db() as session:
        rows = session.execute(select(DeliveryMessage.recipient, DeliveryMessage.status)).all()
    maybe_sent = {recipient for recipient, status in rows if status == MessageStatus.SENDING}
    assert 0 < at_stop < expected, "the stop did not land mid-batch"
    assert max(counts.values()) == 1, "a message went out twice"
    if sig == signal.SIGTERM:
        # A clean stop finishes the message in flight and hands the rest back.
        assert code == 0
    # Killed mid-call, the message in flight was maybe sent: looked for in Slack's
    # history, it was recorded (it had arrived) or sent (it had not), never both.
    assert maybe_sent == set()
    assert sum(counts.values()) == expected
    found, absent = verifications(bots)
    print(
        f"\nrestart ({signal.Signals(sig).name}, {database_url.split(':')[0]}): "
        f"{at_stop} posts before the stop, {sum(counts.values())}/{expected} in the end, "
        f"{found} maybe-sent found on Slack, {absent} found absent and sent, "
        f"{len(maybe_sent)} left maybe-sent, settled {elapsed:.1f}s after restart"
    )


def test_process_killed_before_slack_processed_its_post_sends_it_once_after(
    database_url, db, fake_slack, bots
):
    # The request reaches the fake but is never processed: from Slack's side, the kill
    # came before the post left. The next process finds it absent and sends it once.
    released = threading.Event()
    fake_slack.drop("chat.postMessage", times=1, until=released)
    bot = bots.start("before")
    seeded_at, expected = seed_due_groups(db, 3)
    deadline = time.monotonic() + 60
    while not fake_slack.posts():
        assert time.monotonic() < deadline, bot.tail()
        time.sleep(0.005)
    bot.stop(signal.SIGKILL)
    released.set()
    [dropped] = fake_slack.posts()
    bots.start("after")
    wait_until_settled(db, fake_slack, seeded_at, expected, bots)

    kept = Counter((channel, m["text"]) for channel, ms in fake_slack.history.items() for m in ms)
    with db() as session:
        statuses = session.scalars(select(DeliveryMessage.status)).all()
    found, absent = verifications(bots)
    assert sum(kept.values()) == expected
    assert set(kept.values()) == {1}
    assert kept[(dropped["channel"], dropped["text"])] == 1
    assert (found, absent) == (0, 1)
    assert set(statuses) == {MessageStatus.SENT}
    print(
        f"\nkilled before Slack processed a post ({database_url.split(':')[0]}): "
        f"{sum(kept.values())}/{expected} kept once each, {absent} found absent and sent"
    )


def seed_ended_sessions(db: sessionmaker[Session], groups: int) -> datetime:
    """`groups` groups whose session ended half an hour ago, with three proposals each:
    their SESSION_END (held, next session, the poll) is due now."""
    now = datetime.now(UTC)
    with transaction(db) as session:
        for index in range(groups):
            group = make_group(session, channel=f"C{index:05d}", now=now - timedelta(days=30))
            meeting = make_meeting(session, group, starts_at=now - timedelta(hours=2), now=now)
            make_proposals(session, group, ["Alpha", "Bêta", "Gamma"], now=now - timedelta(days=1))
            plan_meeting(session, group=group, meeting=meeting, now=now, timezone="Europe/Paris")
    return now


def close_polls_now(db: sessionmaker[Session]) -> datetime:
    """Bring every open poll's close to now (a real clock cannot wait three days)."""
    now = datetime.now(UTC)
    with transaction(db) as session:
        for poll in session.scalars(select(Poll).where(Poll.status == PollStatus.OPEN)):
            poll.closes_at = now
        for delivery in session.scalars(
            select(Delivery).where(Delivery.kind == DeliveryKind.POLL_CLOSE)
        ):
            delivery.due_at = delivery.available_at = now
    return now


def channel_counts(fake: FakeSlack, marker: str, method: str = "chat.postMessage") -> Counter[str]:
    return Counter(c.args["channel"] for c in fake.calls(method) if marker in c.args["text"])


def kill_when(
    fake: FakeSlack, marker: str, count: int, bot: BotProcess, method: str = "chat.postMessage"
) -> int:
    deadline = time.monotonic() + 60
    while sum(channel_counts(fake, marker, method).values()) < count:
        assert time.monotonic() < deadline, bot.tail()
        time.sleep(0.01)
    bot.stop(signal.SIGKILL)
    return sum(channel_counts(fake, marker, method).values())


def test_two_processes_killed_mid_session_end_and_mid_close_post_each_once(
    database_url, db, fake_slack, bots
):
    # Slack answers slowly so that each kill lands in the middle of the work.
    fake_slack.on("chat.postMessage", lambda _args: time.sleep(0.02))
    fake_slack.on("chat.update", lambda _args: time.sleep(0.02))
    groups = 40
    first, second = bots.start("first"), bots.start("second")
    ended_at = seed_ended_sessions(db, groups)

    at_first_kill = kill_when(fake_slack, "Merci pour cette session", groups // 4, first)
    bots.start("first-again")
    wait_until_settled(db, fake_slack, ended_at, groups, bots)
    closing_at = close_polls_now(db)
    # The result is written in place of the poll's message (chat.update).
    at_second_kill = kill_when(
        fake_slack, "Résultat du sondage", groups // 4, second, method="chat.update"
    )
    bots.start("second-again")
    wait_until_settled(db, fake_slack, closing_at, groups, bots)

    ends = channel_counts(fake_slack, "Merci pour cette session")
    polls = channel_counts(fake_slack, "Sondage")
    # An update made again after a kill shows the same message: not a duplicate.
    results = channel_counts(fake_slack, "Résultat du sondage", "chat.update")
    with db() as session:
        maybe_sent = session.scalar(
            select(func.count(DeliveryMessage.id)).where(
                DeliveryMessage.status == MessageStatus.SENDING
            )
        )
        held = session.scalar(
            select(func.count(Meeting.id)).where(Meeting.status == MeetingStatus.HELD)
        )
        scheduled = session.scalar(
            select(func.count(Meeting.id)).where(Meeting.status == MeetingStatus.SCHEDULED)
        )
        still_open = session.scalar(
            select(func.count(Poll.id)).where(Poll.status == PollStatus.OPEN)
        )
    duplicates = sum(n - 1 for n in [*ends.values(), *polls.values()] if n > 1)
    losses = (groups - len(ends)) + (groups - len(polls)) + (groups - len(results))
    assert 0 < at_first_kill < groups and 0 < at_second_kill < groups
    # A post a kill left maybe sent is verified in Slack's history: recorded if it had
    # arrived, sent once if not.
    assert (duplicates, losses, maybe_sent) == (0, 0, 0)
    assert (held, scheduled, still_open) == (groups, groups, 0)
    found, absent = verifications(bots)
    print(
        f"\nsession end and poll close, two processes, two SIGKILLs "
        f"({database_url.split(':')[0]}): {sum(ends.values())}/{groups} session-end posts, "
        f"{sum(polls.values())}/{groups} polls, {sum(results.values())}/{groups} results "
        f"written in place, {duplicates} duplicates, {losses} losses, "
        f"{maybe_sent} left maybe-sent ({found} found on Slack, {absent} found absent and "
        f"sent), kills after {at_first_kill} and "
        f"{at_second_kill} posts"
    )
