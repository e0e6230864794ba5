"""`/partage historique`: past sessions, newest first, a page at a time, ephemeral and
read-only; "Plus anciennes" replaces the page with the older one."""

from __future__ import annotations

from sqlalchemy import func, select, update

from bot.db.models import Group, SeenRequest, SessionRecap
from bot.enums import Language
from bot.slack.ids import ActionId, BlockId
from tests.support.blocks import assert_valid_message, assert_valid_view
from tests.support.board import published, view_text
from tests.support.fake_slack import FakeSlack
from tests.support.history import hold_sessions
from tests.support.slack_client import SlackSender, message_text


def test_history_lists_past_sessions_newest_first_with_contributions(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    hold_sessions(slack, fake_slack, db, bot_server=bot_server, clock=clock, count=2)

    reply = slack.command("historique", user="U0ZOE")

    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert_valid_message({"text": body["text"], "blocks": body["blocks"]})
    text = message_text(body)
    assert text.index("Thème 2") < text.index("Thème 1")
    assert "*jeudi 11 février 2027 à 14\u00a0h* — Thème 2" in text
    assert "• <https://example.org/f|Les formulaires> — <@U0ALICE>" in text
    assert "Plus anciennes" not in text


def test_history_pages_through_older_sessions_by_button_and_by_number(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    hold_sessions(slack, fake_slack, db, bot_server=bot_server, clock=clock, count=6)

    first = slack.command("historique").json()
    [older] = [
        e
        for b in first["blocks"]
        if b["type"] == "actions" and b["block_id"] == BlockId.HISTORY.value
        for e in b["elements"]
    ]
    clicked = slack.block_action(ActionId.HISTORY_OLDER, older["value"], block_id=BlockId.HISTORY)
    typed = slack.command("historique 2").json()

    assert "Thème 6" in message_text(first) and "Thème 2" in message_text(first)
    assert "Thème 1" not in message_text(first)
    assert clicked.status == 200
    [page2] = fake_slack.response_posts()
    assert page2["replace_original"] is True
    assert "Thème 1" in message_text(page2) and "Thème 2" not in message_text(page2)
    assert message_text(typed) == message_text(page2)


def test_history_is_read_only_and_refuses_a_bad_page_clearly(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    with db() as session:
        seen_before = session.scalar(select(func.count()).select_from(SeenRequest))

    empty = slack.command("history", user="U0ZOE")
    bad = slack.command("historique deux")

    with db() as session:
        seen_after = session.scalar(select(func.count()).select_from(SeenRequest))
        recaps = session.scalar(select(func.count()).select_from(SessionRecap))
    assert "Aucune session passée pour l’instant." in message_text(empty.json())
    assert "Page invalide\u202f: `/partage historique 2`, par exemple." in message_text(bad.json())
    assert (seen_after, recaps) == (seen_before, 0)


def test_home_shows_the_last_three_sessions_held(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    hold_sessions(slack, fake_slack, db, bot_server=bot_server, clock=clock, count=4)
    bot_server.drain()  # the Homes that followed the changes are out
    before = len(published(fake_slack, "U0ORGA"))

    reply = slack.event(
        {"type": "app_home_opened", "user": "U0ORGA", "channel": "D0", "tab": "home"}
    )

    assert reply.status == 200
    *_, home = published(fake_slack, "U0ORGA")
    assert len(published(fake_slack, "U0ORGA")) == before + 1
    assert_valid_view(home)
    text = view_text(home)
    assert "*Dernières sessions*" in text
    assert text.index("Thème 4") < text.index("Thème 3") < text.index("Thème 2")
    assert "Thème 1" not in text


def test_history_speaks_the_group_language(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    hold_sessions(slack, fake_slack, db, bot_server=bot_server, clock=clock, count=1)
    with db.begin() as session:
        session.execute(update(Group).values(language=Language.EN))

    text = message_text(slack.command("history").json())

    assert "📚 Past sessions" in text
    assert "*Thursday 14 January 2027 at 14:00* — Thème 1" in text
    assert "• <https://example.org/f|Les formulaires> — <@U0ALICE>" in text
