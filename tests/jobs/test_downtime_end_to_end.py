"""A bot that was down for days comes back: the state changes of the cycle happen anyway
(session held, next session planned, poll closed), only messages past their usefulness
are skipped, and `programme` shows the right next session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.db.models import Delivery, Meeting, Poll, ThemeProposal
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus, PollStatus, ProposalStatus
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)  # Thursday 14 January, 14:00 in Paris
END = START + timedelta(minutes=90)


def meetings(db) -> list[tuple[datetime, MeetingStatus]]:
    with db() as session:
        return list(
            session.execute(
                select(Meeting.starts_at, Meeting.status).order_by(Meeting.starts_at)
            ).tuples()
        )


def test_bot_down_from_j_minus_8_to_j_plus_4_still_rolls_over(
    slack: SlackSender, fake_slack: FakeSlack, *, clock, bot_server, db
):
    dispatcher = bot_server.runtime.dispatcher
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("proposer Accessibilité numérique", user="U0ANNA")
    notices = len(fake_slack.posts())
    clock.set(datetime(2026, 12, 31, 9, 0, tzinfo=UTC))  # J-14: the guide call goes out
    dispatcher.dispatch_due(clock.now())
    posts_while_up = len(fake_slack.posts())

    clock.set(START + timedelta(days=4))  # J+4: the bot is back after J-8
    report = dispatcher.dispatch_due(clock.now())
    programme = slack.command("programme", user="U0ANNA")

    assert posts_while_up == notices + 1
    assert fake_slack.posts()[posts_while_up:] == []  # nothing useful is left to send
    assert report.skipped >= 1
    assert [(starts.astimezone(UTC), status) for starts, status in meetings(db)] == [
        (START, MeetingStatus.HELD),
        (datetime(2027, 2, 11, 13, 0, tzinfo=UTC), MeetingStatus.SCHEDULED),
    ]
    assert "Prochaine session\u202f: jeudi 11 février 2027 à 14\u00a0h" in programme.text
    with db() as session:
        end = session.scalars(
            select(Delivery).where(Delivery.kind == DeliveryKind.SESSION_END).order_by(Delivery.id)
        ).first()
        assert end.status == DeliveryStatus.SKIPPED
        assert "state changes made" in end.last_error
        assert session.scalars(select(Poll)).all() == []  # its voting window had passed
        assert session.scalars(select(ThemeProposal.status)).all() == [ProposalStatus.OPEN]
        planned = set(
            session.scalars(
                select(Delivery.kind).where(Delivery.status == DeliveryStatus.PLANNED)
            ).all()
        )
    assert {DeliveryKind.GUIDE_CALL, DeliveryKind.SESSION_END} <= planned


def test_bot_down_past_the_poll_close_still_closes_it_and_sets_the_theme(
    slack: SlackSender, fake_slack: FakeSlack, *, clock, bot_server, db
):
    dispatcher = bot_server.runtime.dispatcher
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("proposer Accessibilité numérique", user="U0ANNA")
    slack.command("proposer Données ouvertes", user="U0BOB")
    clock.set(END + timedelta(minutes=1))
    dispatcher.dispatch_due(clock.now())  # the session-end poll is posted
    with db() as session:
        poll = session.scalars(select(Poll)).one()
    slack.event(
        {
            "type": "reaction_added",
            "user": "U0CARL",
            "reaction": "two",
            "item": {"type": "message", "channel": "C0GROUP", "ts": poll.message_ts},
            "event_ts": "1700000300.000001",
        }
    )
    posts_before = len(fake_slack.posts())

    clock.set(END + timedelta(days=12))  # down from J+1 to past the close's usefulness
    dispatcher.dispatch_due(clock.now())
    programme = slack.command("programme", user="U0ANNA")

    assert fake_slack.posts()[posts_before:] == []  # the result is recorded, not posted
    with db() as session:
        assert session.get(Poll, poll.id).status == PollStatus.CLOSED
    assert "*Thème\u202f:* Données ouvertes" in programme.text
