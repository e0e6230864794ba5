"""`/partage stats` and the App Home's statistics button: sessions held, contributions
per member, who guided when, RSVPs; the CSV by DM through the outbox; organisers only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import func, select, update

from bot.bootstrap import build_dispatcher
from bot.db.models import Delivery, Group
from bot.enums import DeliveryKind, Language
from bot.slack.ids import ActionId
from tests.support.blocks import assert_valid_message, assert_valid_view
from tests.support.board import click, has, published, view_text
from tests.support.fake_slack import FakeSlack
from tests.support.history import hold_sessions
from tests.support.slack_client import SlackSender, message_text


def _two_sessions(slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock) -> None:
    """January guided by Bob with Chloé and Dan coming; February guided by Eve, with
    Alice's contribution and Chloé coming."""
    people = {1: ("U0BOB", ["U0CHLOE", "U0DAN"]), 2: ("U0EVE", ["U0CHLOE"])}

    def roles(number: int) -> None:
        guide, participants = people[number]
        slack.command("guide", user=guide)
        for user in participants:
            slack.command("participer", user=user)

    hold_sessions(
        slack, fake_slack, db, bot_server=bot_server, clock=clock, count=2, before_end=roles
    )


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _exports(db) -> int:
    with db() as session:
        return session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.kind == DeliveryKind.STATS_EXPORT)
        )


def test_stats_show_sessions_contributions_guides_and_rsvps_and_send_the_csv(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _two_sessions(slack, fake_slack, db, bot_server=bot_server, clock=clock)

    reply = slack.command("stats", user="U0ORGA")

    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert_valid_message({"text": body["text"], "blocks": body["blocks"]})
    text = message_text(body)
    assert "*Sessions tenues\u202f:* 2" in text
    # Bob, Chloé and Dan; then Eve, Alice and Chloé: one definition of participants.
    assert "*Participations (guide, contributions, inscriptions)\u202f:* 6" in text
    assert "• <@U0ALICE>\u202f: 1" in text
    assert "• jeu. 11 févr. à 14\u00a0h\u202f: <@U0EVE>" in text
    assert "• jeu. 14 janv. à 14\u00a0h\u202f: <@U0BOB>" in text
    [(args, data)] = fake_slack.shared_files()
    assert args["channel_id"] == "D0ORGA"
    assert _csv_rows(data) == [
        ["date", "theme", "guide", "participants", "contributions", "contributors"],
        ["2027-01-14T13:00:00+00:00", "Thème 1", "U0BOB", "3", "", ""],
        ["2027-02-11T13:00:00+00:00", "Thème 2", "U0EVE", "3", "Les formulaires", "U0ALICE"],
    ]


def test_stats_are_refused_to_a_member_who_does_not_organise(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _two_sessions(slack, fake_slack, db, bot_server=bot_server, clock=clock)

    reply = slack.command("stats", user="U0CHLOE")

    text = message_text(reply.json())
    assert "Seul·es les organisateur·rices du groupe peuvent faire cela" in text
    assert "<@U0ORGA>" in text
    assert (_exports(db), fake_slack.shared_files()) == (0, [])


def test_stats_button_of_the_home_sends_the_summary_and_the_csv_by_dm(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _two_sessions(slack, fake_slack, db, bot_server=bot_server, clock=clock)
    slack.event({"type": "app_home_opened", "user": "U0ORGA", "channel": "D0", "tab": "home"})
    home = published(fake_slack, "U0ORGA")[-1]  # the one the opened tab published
    assert_valid_view(home)
    assert has(home, ActionId.STATS_OPEN)

    reply = click(slack, home, ActionId.STATS_OPEN, user="U0ORGA", surface="home")

    assert reply.status == 200
    [summary] = [p for p in fake_slack.posts() if p["channel"] == "U0ORGA"]
    assert "*Sessions tenues\u202f:* 2" in message_text(summary)
    [(_args, data)] = fake_slack.shared_files()
    assert len(_csv_rows(data)) == 3
    [notice] = [c.args["view"] for c in fake_slack.calls("views.open")]
    assert "L’export CSV part en message privé." in view_text(notice)


def test_stats_button_is_refused_to_a_member_who_does_not_organise(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _two_sessions(slack, fake_slack, db, bot_server=bot_server, clock=clock)
    with db() as session:
        group_id = session.scalars(select(Group.id)).one()

    reply = click(
        slack,
        {"blocks": []},
        ActionId.STATS_OPEN,
        user="U0CHLOE",
        value=str(group_id),
        block_id="partage_home_stats",
        surface="home",
    )

    assert reply.status == 200
    [notice] = [c.args["view"] for c in fake_slack.calls("views.open")]
    assert "Seul·es les organisateur·rices" in view_text(notice)
    assert (_exports(db), fake_slack.shared_files(), fake_slack.posts()) == (0, [], [])


def test_stats_export_delayed_by_slack_is_said_and_sent_at_a_later_tick(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _two_sessions(slack, fake_slack, db, bot_server=bot_server, clock=clock)
    failures = [{"ok": False, "error": "service_unavailable"}]
    fake_slack.on("files.getUploadURLExternal", lambda _args: failures.pop() if failures else None)

    slack.command("stats", user="U0ORGA")
    delayed = [r["text"] for r in fake_slack.response_posts()]
    clock.advance(timedelta(minutes=5))
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())

    assert delayed == ["📎 L’export CSV partira en message privé dès que Slack répondra."]
    assert len(fake_slack.shared_files()) == 1


def test_stats_speak_the_group_language(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _two_sessions(slack, fake_slack, db, bot_server=bot_server, clock=clock)
    with db.begin() as session:
        session.execute(update(Group).values(language=Language.EN))

    text = message_text(slack.command("statistics", user="U0ORGA").json())

    assert "*Sessions held:* 2" in text
    assert "*Attendance (guide, contributors, RSVPs):* 6" in text
    assert "• Thu 11 Feb at 14:00: <@U0EVE>" in text
