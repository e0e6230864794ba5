"""The J-1 DM to members who said they would come, sent by the dispatcher to the fake
Slack over HTTP: date, place (a video link as a "Rejoindre" button) and theme."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.db.models import Delivery, Group, Meeting
from bot.domain.roles import join_meeting, withdraw
from bot.enums import DeliveryKind, DeliveryStatus, Language
from bot.jobs.cycle import SENDERS
from bot.jobs.dispatcher import Dispatcher
from bot.slack.notifier import Notifier
from tests.support.cycle import schedule
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import message_text

K = DeliveryKind
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)  # Thursday 14 January, 14:00 in Paris
J1 = datetime(2027, 1, 13, 9, 0, tzinfo=UTC)  # Wednesday 13, 10:00 in Paris
CALL = "https://meet.example.org/partage-janvier"


@pytest.fixture
def slack_api(fake_slack: FakeSlack) -> FakeSlack:
    fake_slack.reset()
    return fake_slack


@pytest.fixture
def dispatcher(db: sessionmaker[Session], slack_api: FakeSlack) -> Dispatcher:
    return Dispatcher(
        db=db,
        notifier=Notifier(WebClient(token="xoxb-test", base_url=slack_api.api_url, timeout=10)),
        senders=SENDERS,
        default_language=Language.FR,
        default_timezone="Europe/Paris",
        command="/partage",
        process_id="test-host:1:aaaaaa",
        batch=25,
    )


def session_with_rsvps(
    db: sessionmaker[Session], users: list[str], *, place: str | None = CALL
) -> tuple[int, int]:
    group_id, meeting_id = schedule(db, starts_at=START, now=NOW, theme="Accessibilité")
    with transaction(db) as session:
        meeting = session.get(Meeting, meeting_id)
        meeting.place = place
        for minute, user in enumerate(users):
            join_meeting(
                session, meeting=meeting, user_id=user, now=NOW + timedelta(minutes=minute)
            )
    return group_id, meeting_id


def only_participant_reminder_due(db: sessionmaker[Session]) -> None:
    """Mark the session's other deliveries done: this file is about one kind."""
    with transaction(db) as session:
        for delivery in session.scalars(select(Delivery)):
            if delivery.kind != K.PARTICIPANT_REMINDER:
                delivery.status = DeliveryStatus.DONE


def reminder_status(db: sessionmaker[Session]) -> list[DeliveryStatus]:
    with db() as session:
        return list(
            session.scalars(
                select(Delivery.status)
                .where(Delivery.kind == K.PARTICIPANT_REMINDER)
                .order_by(Delivery.id)
            )
        )


def test_participant_reminder_dms_each_rsvp_with_date_place_theme_and_join_button(
    db, dispatcher, slack_api
):
    session_with_rsvps(db, ["U0ANNA", "U0BOB"])
    only_participant_reminder_due(db)

    report = dispatcher.dispatch_due(J1)

    posts = slack_api.posts()
    assert [p["channel"] for p in posts] == ["U0ANNA", "U0BOB"]
    text = message_text(posts[0])
    assert "Rappel\u202f: session du jeudi 14 janvier" in text
    assert "jeudi 14 janvier 2027 à 14\u00a0h" in text
    assert "Accessibilité" in text
    assert CALL in text
    buttons = [e for b in posts[0]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    join = [b for b in buttons if b.get("url") == CALL]
    assert [b["text"]["text"] for b in join] == ["Rejoindre"]
    assert (report.sent, reminder_status(db)) == (2, [DeliveryStatus.DONE])


def test_participant_reminder_skips_a_withdrawn_rsvp(db, dispatcher, slack_api):
    _, meeting_id = session_with_rsvps(db, ["U0ANNA", "U0BOB"])
    with transaction(db) as session:
        withdraw(session, meeting=session.get(Meeting, meeting_id), user_id="U0ANNA", now=NOW)
    only_participant_reminder_due(db)

    dispatcher.dispatch_due(J1)

    assert [p["channel"] for p in slack_api.posts()] == ["U0BOB"]


def test_participant_reminder_in_english_for_an_english_group(db, dispatcher, slack_api):
    group_id, _ = session_with_rsvps(db, ["U0ANNA"], place="Salle 4, 12 rue des Lilas")
    with transaction(db) as session:
        session.get(Group, group_id).language = Language.EN
    only_participant_reminder_due(db)

    dispatcher.dispatch_due(J1)

    text = message_text(slack_api.posts()[0])
    assert "Reminder: session on" in text
    assert "Salle 4, 12 rue des Lilas" in text


def test_participant_reminder_not_sent_for_the_old_date_of_a_moved_session(
    db, dispatcher, slack_api
):
    session_with_rsvps(db, ["U0ANNA"])
    schedule(db, starts_at=START + timedelta(days=7), now=NOW)  # moved a week later
    only_participant_reminder_due(db)

    dispatcher.dispatch_due(J1)

    assert slack_api.posts() == []
    assert reminder_status(db) == [DeliveryStatus.CANCELLED, DeliveryStatus.PLANNED]


def test_participant_reminder_switched_off_after_planning_is_not_sent(db, dispatcher, slack_api):
    group_id, _ = session_with_rsvps(db, ["U0ANNA"])
    with transaction(db) as session:
        session.get(Group, group_id).participant_reminder_enabled = False
    only_participant_reminder_due(db)

    dispatcher.dispatch_due(J1)

    assert (slack_api.posts(), reminder_status(db)) == ([], [DeliveryStatus.CANCELLED])
