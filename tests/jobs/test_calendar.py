"""The CALENDAR_INVITE job against the fake Slack: an upload interrupted after Slack
shared the file is never made again; one that surely failed before sharing is retried
and shared once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.bootstrap import build_client
from bot.db.models import CalendarInvite, DeliveryMessage, Group, Meeting
from bot.domain import calendar as calendar_domain
from bot.domain import meetings
from bot.enums import MessageStatus
from bot.jobs.claims import backoff
from bot.slack.notifier import Notifier, Posted
from tests.support import server
from tests.support.factories import cancel_session
from tests.support.fake_slack import FakeSlack
from tests.support.jobs import make_dispatcher

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class Crash(BaseException):
    """The worker dies: nothing in the dispatcher catches it."""


class CrashAfterUpload(Notifier):
    """Slack shared the file and answered; the process dies before recording it."""

    def upload_file(self, user: str, **kwargs: object) -> Posted:  # type: ignore[override]
        super().upload_file(user, **kwargs)  # type: ignore[arg-type]
        raise Crash()


@pytest.fixture
def settings(database_url, fake_slack):
    return server.bot_settings(database_url, fake_slack.api_url, SLACK_TIMEOUT_SECONDS="5")


def seed_invite(db) -> int:
    with db.begin() as session:
        group = Group(team_id="T0001", channel_id="C0GROUP", created_at=NOW)
        session.add(group)
        session.flush()
        result = meetings.schedule_meeting(
            session,
            group=group,
            user_id="U0ORGA",
            starts_at=datetime(2027, 1, 14, 13, 0, tzinfo=UTC),
            now=NOW,
            is_admin=lambda: False,
        )
        request = calendar_domain.request_invite(
            session, meeting=result.meeting, user_id="U0ALICE", now=NOW
        )
        return request.delivery_id


def step_status(db, delivery_id: int) -> MessageStatus:
    with db() as session:
        return session.scalars(
            select(DeliveryMessage.status).where(DeliveryMessage.delivery_id == delivery_id)
        ).one()


def received(db) -> list[tuple[str, int]]:
    with db() as session:
        return [(i.user_id, i.sequence) for i in session.scalars(select(CalendarInvite))]


def test_crash_after_the_upload_never_shares_the_file_twice(db, settings, fake_slack: FakeSlack):
    fake_slack.reset()
    delivery_id = seed_invite(db)
    crashing = make_dispatcher(db, CrashAfterUpload(build_client(settings)), settings)

    with pytest.raises(Crash):
        crashing.run_now(delivery_id, NOW)
    after_crash = len(fake_slack.shared_files())
    later = make_dispatcher(
        db, Notifier(build_client(settings)), settings, process_id="test-host:2:bbbbbb"
    )
    later.dispatch_due(NOW + timedelta(minutes=5))

    assert (after_crash, len(fake_slack.shared_files())) == (1, 1)
    assert step_status(db, delivery_id) == MessageStatus.SENDING
    assert received(db) == []


def test_upload_url_unreachable_is_retried_and_shared_once(db, settings, fake_slack: FakeSlack):
    fake_slack.reset()
    delivery_id = seed_invite(db)
    refused = {"n": 1}

    def unreachable(_args):
        if refused["n"] <= 0:
            return None
        refused["n"] -= 1
        return {"ok": True, "file_id": "F0DEAD", "upload_url": "http://127.0.0.1:9/upload"}

    fake_slack.on("files.getUploadURLExternal", unreachable)
    dispatcher = make_dispatcher(db, Notifier(build_client(settings)), settings)

    dispatcher.run_now(delivery_id, NOW)
    first = (step_status(db, delivery_id), len(fake_slack.shared_files()))
    dispatcher.dispatch_due(NOW + backoff(1) + timedelta(seconds=1))

    assert first == (MessageStatus.RETRY, 0)
    assert (step_status(db, delivery_id), len(fake_slack.shared_files())) == (
        MessageStatus.SENT,
        1,
    )
    assert received(db) == [("U0ALICE", 0)]


def test_cancelled_session_sends_nothing_to_a_member_who_never_took_the_invite(
    db, settings, fake_slack: FakeSlack
):
    fake_slack.reset()
    delivery_id = seed_invite(db)
    with db.begin() as session:
        meeting = session.scalars(select(Meeting)).one()
        cancel_session(session, meeting, now=NOW)
    dispatcher = make_dispatcher(db, Notifier(build_client(settings)), settings)

    dispatcher.run_now(delivery_id, NOW)

    assert fake_slack.shared_files() == []
