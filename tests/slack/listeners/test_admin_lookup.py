"""The workspace-admin check asks Slack (`users.info`) outside any database transaction
and for at most ADMIN_LOOKUP_TIMEOUT_SECONDS: a slow Slack delays only the member who
needs the check, never another member's command, and never past Slack's 3 seconds."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

from sqlalchemy import select

from bot import timeouts
from bot.db.models import Meeting, MeetingRole
from bot.enums import RoleKind
from tests.support.contributions import schedule
from tests.support.fake_slack import FakeSlack
from tests.support.living import announce, refresh, thread_replies
from tests.support.slack_client import HttpReply, SlackSender

SLACK_BUDGET_SECONDS = 3.0


def fresh_user(prefix: str) -> str:
    """A user id the bot has never looked up: its users.info cache outlives one test."""
    return f"U{prefix}{uuid.uuid4().hex[:8].upper()}"


class SlowUsersInfo:
    """users.info that answers "admin" only once released (or never, past `hold`)."""

    def __init__(self, hold: float = 10.0) -> None:
        self.asked = threading.Event()
        self.release = threading.Event()
        self.hold = hold

    def __call__(self, args: dict[str, Any]) -> dict[str, Any]:
        self.asked.set()
        self.release.wait(self.hold)
        return {"ok": True, "user": {"id": args.get("user"), "is_admin": True}}


def in_background(send) -> tuple[threading.Thread, list[HttpReply]]:
    replies: list[HttpReply] = []
    thread = threading.Thread(target=lambda: replies.append(send()), daemon=True)
    thread.start()
    return thread, replies


def test_slow_users_info_does_not_delay_another_members_join(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    admin = fresh_user("ADMIN")
    slow = SlowUsersInfo()
    fake_slack.on("users.info", slow)
    mover, moved = in_background(lambda: slack.command("session 2027-01-21 14:00", user=admin))
    assert slow.asked.wait(5), "users.info was not called"

    started = time.monotonic()
    joined = slack.command("participer", user="U0BOB", settle=False)
    join_seconds = time.monotonic() - started
    slow.release.set()
    mover.join(10)

    assert "vous participez à la session du *jeudi 14 janvier 2027 à 14\u00a0h*" in joined.text
    assert join_seconds < 0.5
    assert "Session déplacée" in moved[0].text
    with db() as session:
        participants = session.scalars(
            select(MeetingRole.user_id).where(MeetingRole.role == RoleKind.PARTICIPANT)
        ).all()
        starts_at = session.scalars(select(Meeting.starts_at)).one()
    assert participants == ["U0BOB"]
    assert (starts_at.day, starts_at.month) == (21, 1)


def test_users_info_that_never_answers_costs_at_most_its_timeout(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    member = fresh_user("MEMBER")
    slow = SlowUsersInfo(hold=5.0)
    fake_slack.on("users.info", slow)

    started = time.monotonic()
    reply = slack.command("session 2027-01-21 14:00", user=member, settle=False)
    seconds = time.monotonic() - started
    slow.release.set()

    assert "Seul·es les organisateur·rices du groupe (<@U0ORGA>)" in reply.text
    assert timeouts.ADMIN_LOOKUP_TIMEOUT_SECONDS - 0.1 <= seconds < SLACK_BUDGET_SECONDS
    with db() as session:
        assert session.scalars(select(Meeting.starts_at)).one().day == 14


def test_rate_limited_users_info_is_not_waited_for(slack: SlackSender, fake_slack: FakeSlack):
    schedule(slack, user="U0ORGA")
    member = fresh_user("MEMBER")
    fake_slack.rate_limit("users.info", times=5, retry_after=30)

    started = time.monotonic()
    reply = slack.command("theme L'accessibilité", user=member)
    seconds = time.monotonic() - started

    assert "Seul·es les organisateur·rices du groupe (<@U0ORGA>)" in reply.text
    assert seconds < 1.0


def test_admin_answer_is_asked_once_and_the_work_runs_once(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack, user="U0ORGA")
    announce(bot_server, clock)
    admin = fresh_user("ADMIN")
    fake_slack.admins.add(admin)

    reply = slack.command("theme L'accessibilité", user=admin)
    refresh(bot_server, clock)

    assert "L'accessibilité" in reply.text
    assert [c.args["user"] for c in fake_slack.calls("users.info")] == [admin]
    assert len([p for p in thread_replies(fake_slack) if "L'accessibilité" in p["text"]]) == 1
