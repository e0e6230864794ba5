"""Calendars end to end: the "Ajouter à mon agenda" button sends the .ics by DM through
files.uploadV2 (three calls on the fake Slack), once per member and session version;
moves and cancellations reach those who took it; `/partage calendrier` and the feed."""

from __future__ import annotations

import http.client
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from bot.db.models import CalendarInvite, Delivery, Group, Meeting
from bot.enums import DeliveryKind, DeliveryStatus
from bot.slack.ids import ActionId, ConfigBlockId
from tests.support.contributions import schedule
from tests.support.factories import cancel_session
from tests.support.fake_slack import FakeSlack
from tests.support.server import BotServer
from tests.support.slack_client import SlackSender
from tests.support.views import submitted_state, view_submission

FEED_BASE = "https://partage.test/calendar/"


def meeting_id(db) -> int:
    with db() as session:
        return int(session.scalars(select(Meeting.id)).one())


def click(slack: SlackSender, db, user: str = "U0ALICE"):
    return slack.block_action(
        ActionId.CALENDAR_ICS, str(meeting_id(db)), user=user, block_id="partage_calendar"
    )


def shared_events(fake_slack: FakeSlack) -> list[tuple[str, str, int, datetime, str]]:
    """(channel, METHOD, SEQUENCE, DTSTART, STATUS) of every file shared, parsed back."""
    shared = []
    for args, data in fake_slack.shared_files():
        calendar = Calendar.from_ical(data)
        [vevent] = calendar.walk("VEVENT")
        shared.append(
            (
                args["channel_id"],
                str(calendar["METHOD"]),
                int(vevent["SEQUENCE"]),
                vevent.decoded("DTSTART").astimezone(UTC),
                str(vevent["STATUS"]),
            )
        )
    return shared


def upload_methods(fake_slack: FakeSlack) -> list[str]:
    wanted = (
        "conversations.open",
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    )
    return [c.method for c in fake_slack.calls() if c.method in wanted]


def invites(db) -> list[tuple[str, int]]:
    with db() as session:
        return [(i.user_id, i.sequence) for i in session.scalars(select(CalendarInvite))]


def dispatch(bot_server: BotServer, clock) -> None:
    assert bot_server.runtime.dispatcher is not None
    bot_server.runtime.dispatcher.dispatch_due(clock.now())


JAN_14 = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)
JAN_21 = datetime(2027, 1, 21, 13, 0, tzinfo=UTC)


def test_ics_button_uploads_the_invite_by_dm_in_three_calls(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    fake_slack.reset()

    reply = click(slack, db)

    assert (reply.status, reply.body) == (200, "")
    assert upload_methods(fake_slack) == [
        "conversations.open",
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    assert shared_events(fake_slack) == [("D0ALICE", "PUBLISH", 0, JAN_14, "CONFIRMED")]
    [(args, data)] = fake_slack.shared_files()
    assert "jeudi 14 janvier 2027 à 14\u00a0h" in args["initial_comment"]
    [length] = [c.args["length"] for c in fake_slack.calls("files.getUploadURLExternal")]
    assert int(length) == len(data)
    assert invites(db) == [("U0ALICE", 0)]
    [response] = fake_slack.response_posts()
    assert "message privé" in response["text"]


def test_ics_button_twice_sends_one_file_and_says_so(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack)
    click(slack, db)
    fake_slack.reset()

    click(slack, db)

    assert fake_slack.shared_files() == []
    [response] = fake_slack.response_posts()
    assert "déjà reçu" in response["text"]


def test_ics_button_when_slack_refuses_the_dm_tells_the_member(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    fake_slack.reset()
    fake_slack.fail("files.completeUploadExternal", "missing_scope")

    click(slack, db)

    assert invites(db) == []
    [response] = fake_slack.response_posts()
    assert "pas pu vous envoyer" in response["text"]


def test_ics_button_when_the_upload_url_fails_retries_later_and_sends_once(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server: BotServer, clock
):
    schedule(slack)
    fake_slack.reset()
    fake_slack.fail("files.getUploadURLExternal", "internal_error")

    click(slack, db)
    [response] = fake_slack.response_posts()
    fake_slack.reset()
    clock.advance(timedelta(minutes=10))
    dispatch(bot_server, clock)

    assert "quelques minutes" in response["text"]
    assert shared_events(fake_slack) == [("D0ALICE", "PUBLISH", 0, JAN_14, "CONFIRMED")]
    assert invites(db) == [("U0ALICE", 0)]


def test_moving_the_session_sends_the_newer_ics_to_those_who_took_it(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server: BotServer, clock
):
    schedule(slack)
    click(slack, db, user="U0ALICE")
    fake_slack.reset()

    schedule(slack, when="2027-01-21 14:00")
    dispatch(bot_server, clock)

    assert shared_events(fake_slack) == [("D0ALICE", "PUBLISH", 1, JAN_21, "CONFIRMED")]
    [(args, _data)] = fake_slack.shared_files()
    assert "changé de date" in args["initial_comment"]
    assert invites(db) == [("U0ALICE", 1)]


def test_cancelling_the_session_sends_a_cancel_ics_to_those_who_took_it(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server: BotServer, clock
):
    schedule(slack)
    click(slack, db, user="U0ALICE")
    fake_slack.reset()

    with db.begin() as session:
        meeting = session.get(Meeting, meeting_id(db))
        cancel_session(session, meeting, now=clock.now())
    dispatch(bot_server, clock)

    assert shared_events(fake_slack) == [("D0ALICE", "CANCEL", 1, JAN_14, "CANCELLED")]
    with db() as session:
        pending = session.scalars(
            select(Delivery.kind).where(Delivery.status == DeliveryStatus.PLANNED)
        ).all()
    # Left: the newer invites and the refresh carrying the cancellation's thread notice.
    assert [
        k for k in pending if k not in (DeliveryKind.CALENDAR_INVITE, DeliveryKind.REFRESH)
    ] == []


def test_ics_button_on_a_cancelled_session_is_refused(
    slack: SlackSender, fake_slack: FakeSlack, db, clock
):
    schedule(slack)
    with db.begin() as session:
        cancel_session(session, session.get(Meeting, meeting_id(db)), now=clock.now())
    fake_slack.reset()

    click(slack, db)

    assert fake_slack.shared_files() == []
    [response] = fake_slack.response_posts()
    assert response["text"]


# --- /partage calendrier and the feed --------------------------------------------------


def get(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def feed_path(slack: SlackSender, user: str = "U0ALICE", word: str = "") -> str:
    reply = slack.command(f"calendrier {word}".strip(), user=user)
    text = reply.json()["text"]
    start = text.index(FEED_BASE)
    url = text[start:].split()[0].rstrip(".")
    return "/calendar/" + url.removeprefix(FEED_BASE)


def test_calendar_command_gives_a_stable_feed_url(slack: SlackSender, db):
    first = feed_path(slack)
    second = feed_path(slack, user="U0BOB")

    with db() as session:
        token = session.scalars(select(Group.calendar_token)).one()
    assert first == second == f"/calendar/{token}.ics"
    assert len(token) == 43


def test_feed_serves_the_sessions_with_an_etag_and_304(slack: SlackSender, bot_server: BotServer):
    schedule(slack)
    path = feed_path(slack)

    status, headers, body = get(bot_server.port, path)
    again, again_headers, empty = get(bot_server.port, path, {"If-None-Match": headers["etag"]})

    [vevent] = Calendar.from_ical(body).walk("VEVENT")
    assert (status, headers["content-type"]) == (200, "text/calendar; charset=utf-8")
    assert vevent.decoded("DTSTART").astimezone(UTC) == JAN_14
    assert (again, again_headers["etag"], empty) == (304, headers["etag"], b"")


def test_feed_follows_a_move_with_a_new_etag(slack: SlackSender, bot_server: BotServer):
    schedule(slack)
    path = feed_path(slack)
    _status, before, _body = get(bot_server.port, path)

    schedule(slack, when="2027-01-21 14:00")
    status, after, body = get(bot_server.port, path, {"If-None-Match": before["etag"]})

    [vevent] = Calendar.from_ical(body).walk("VEVENT")
    assert (status, after["etag"] != before["etag"]) == (200, True)
    assert (int(vevent["SEQUENCE"]), vevent.decoded("DTSTART").astimezone(UTC)) == (1, JAN_21)


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
        "/calendar/short.ics",
        "/calendar/..%2F..%2Fetc.ics",
        "/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_feed_with_a_bad_token_is_404(slack: SlackSender, bot_server: BotServer, path):
    feed_path(slack)

    status, _headers, _body = get(bot_server.port, path)

    assert status == 404


def test_calendar_new_by_an_organiser_rotates_and_the_old_url_is_404(
    slack: SlackSender, bot_server: BotServer
):
    schedule(slack, user="U0ORGA")
    old = feed_path(slack)

    new = feed_path(slack, user="U0ORGA", word="nouveau")

    assert new != old
    assert (get(bot_server.port, old)[0], get(bot_server.port, new)[0]) == (404, 200)


def test_calendar_new_by_a_member_is_refused_and_keeps_the_url(
    slack: SlackSender, bot_server: BotServer
):
    schedule(slack, user="U0ORGA")
    old = feed_path(slack)

    reply = slack.command("calendrier nouveau", user="U0BOB")

    assert "organisateur·rices" in reply.json()["text"]
    assert get(bot_server.port, old)[0] == 200


def test_calendar_with_an_unknown_word_explains_usage(slack: SlackSender):
    reply = slack.command("calendrier demain")

    assert "calendrier nouveau" in reply.json()["text"]


# --- the alarm, a group setting in /partage config ---------------------------------------


def open_config(slack: SlackSender, fake_slack: FakeSlack) -> dict:
    fake_slack.reset()
    slack.command("config", user="U0ORGA")
    [opened] = fake_slack.calls("views.open")
    return opened.args["view"]


def alarm_of(db) -> int:
    with db() as session:
        return int(session.scalars(select(Group.calendar_alarm_minutes)).one())


def test_config_sets_the_invite_alarm_and_the_next_ics_follows(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    view = open_config(slack, fake_slack)
    [alarm_input] = [b for b in view["blocks"] if b.get("block_id") == ConfigBlockId.CALENDAR_ALARM]

    values = submitted_state(view, **{ConfigBlockId.CALENDAR_ALARM: "60"})
    slack.interaction(view_submission(view, "U0ORGA", values))
    fake_slack.reset()
    click(slack, db)

    [(_args, data)] = fake_slack.shared_files()
    [alarm] = Calendar.from_ical(data).walk("VALARM")
    assert alarm_input["element"]["initial_value"] == "30"
    assert (alarm_of(db), alarm.decoded("TRIGGER")) == (60, timedelta(minutes=-60))


def test_config_refuses_an_alarm_beyond_a_day_and_keeps_it(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    view = open_config(slack, fake_slack)

    values = submitted_state(view, **{ConfigBlockId.CALENDAR_ALARM: "2000"})
    reply = slack.interaction(view_submission(view, "U0ORGA", values))

    assert reply.json()["errors"] == {
        ConfigBlockId.CALENDAR_ALARM: "Indiquez un nombre entier entre 0 et 1\u202f440."
    }
    assert alarm_of(db) == 30


def test_config_from_a_modal_without_the_alarm_keeps_it(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    with db.begin() as session:
        session.scalars(select(Group)).one().calendar_alarm_minutes = 10
    view = open_config(slack, fake_slack)
    old_view = {
        **view,
        "blocks": [b for b in view["blocks"] if b.get("block_id") != ConfigBlockId.CALENDAR_ALARM],
    }

    reply = slack.interaction(view_submission(old_view, "U0ORGA", submitted_state(old_view)))

    assert (reply.status, alarm_of(db)) == (200, 10)
