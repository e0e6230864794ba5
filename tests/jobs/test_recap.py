"""The recap of a held session: stored when the session ends, posted in its thread,
completed with the poll's winner when the poll closes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.bootstrap import build_dispatcher
from bot.db.models import Delivery, Meeting, SessionRecap
from bot.enums import DeliveryKind, MeetingStatus
from tests.support.blocks import assert_valid_message
from tests.support.contributions import contribute, schedule
from tests.support.fake_slack import BOT_USER_ID, FakeSlack
from tests.support.living import announce, thread_replies
from tests.support.slack_client import SlackSender, message_text

SESSION_END = datetime(2027, 1, 14, 14, 30, tzinfo=UTC)
# The 72 h poll opened on Thursday would close on a Sunday: the working-day rule moves
# it to Monday, 96 h after the session's end.
POLL_CLOSED = SESSION_END + timedelta(hours=96, minutes=1)


def _recap_row(db) -> SessionRecap:
    with db() as session:
        return session.scalars(select(SessionRecap)).one()


def _prepare(slack: SlackSender, fake_slack: FakeSlack, *, bot_server, clock) -> str:
    schedule(slack)
    slack.command("theme Accessibilité & <numérique>", user="U0ORGA")
    slack.command("guide", user="U0BOB")
    slack.command("participer", user="U0CHLOE")
    contribute(slack, fake_slack, title="Les <b>formulaires</b>", link="https://example.org/f")
    contribute(slack, fake_slack, user="U0DAN", kind="guest", title="Invitée", guest="Ana Lima")
    return announce(bot_server, clock)


def test_recap_is_stored_and_posted_in_the_session_thread_when_it_ends(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    thread_ts = _prepare(slack, fake_slack, bot_server=bot_server, clock=clock)
    fake_slack.reset()

    clock.set(SESSION_END)
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())

    row = _recap_row(db)
    assert (row.theme, row.guide_user_id, row.participants) == (
        "Accessibilité & <numérique>",
        "U0BOB",
        4,
    )
    [recap] = [p for p in thread_replies(fake_slack) if "Récapitulatif" in p["text"]]
    assert (recap["channel"], recap["thread_ts"]) == ("C0GROUP", thread_ts)
    assert_valid_message({k: recap[k] for k in ("text", "blocks")})
    text = message_text(recap)
    assert "*Thème\u202f:* Accessibilité &amp; &lt;numérique&gt;" in text
    assert "*Guide\u202f:* <@U0BOB>" in text
    assert "*Participant·es\u202f:* 4" in text
    assert "• <https://example.org/f|Les &lt;b&gt;formulaires&lt;/b&gt;> — <@U0ALICE>" in text
    assert "• Invitée — Ana Lima, invité·e de <@U0DAN>" in text


def test_recap_is_posted_once_when_the_session_end_runs_again(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _prepare(slack, fake_slack, bot_server=bot_server, clock=clock)
    clock.set(SESSION_END)
    dispatcher = build_dispatcher(bot_server.runtime)
    dispatcher.dispatch_due(clock.now())
    with db() as session:
        held = session.scalars(select(Meeting).where(Meeting.status == MeetingStatus.HELD)).one()
    fake_slack.reset()

    with db() as session:
        delivery_id = session.scalars(
            select(Delivery.id).where(
                Delivery.meeting_id == held.id, Delivery.kind == DeliveryKind.SESSION_END
            )
        ).one()
    dispatcher.run_now(delivery_id, clock.now())  # run again, as a retry would

    assert [p for p in thread_replies(fake_slack) if "Récapitulatif" in p["text"]] == []
    assert _recap_row(db).meeting_id == held.id


def test_recap_keeps_the_poll_winner_when_the_poll_closes(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _prepare(slack, fake_slack, bot_server=bot_server, clock=clock)
    slack.command("proposer Données ouvertes", user="U0ANNA")
    slack.command("proposer Sobriété numérique", user="U0ANNA")
    dispatcher = build_dispatcher(bot_server.runtime)
    clock.set(SESSION_END)
    dispatcher.dispatch_due(clock.now())
    [ts] = {c.args["timestamp"] for c in fake_slack.calls("reactions.add")}
    fake_slack.reactions[ts] = [
        {"name": "one", "users": [BOT_USER_ID], "count": 1},
        {"name": "two", "users": [BOT_USER_ID, "U1", "U2"], "count": 3},
    ]

    clock.set(POLL_CLOSED)
    dispatcher.dispatch_due(clock.now())

    assert _recap_row(db).poll_winner == "Sobriété numérique"


def test_recap_is_stored_but_not_posted_when_the_session_end_runs_too_late(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _prepare(slack, fake_slack, bot_server=bot_server, clock=clock)
    fake_slack.reset()

    clock.set(POLL_CLOSED + timedelta(days=1))  # the bot was down past the end's usefulness
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())

    assert _recap_row(db).theme == "Accessibilité & <numérique>"
    assert [p for p in thread_replies(fake_slack) if "Récapitulatif" in p["text"]] == []


def test_recap_without_an_announcement_has_no_thread_to_go_to(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    slack.command("guide", user="U0BOB")
    fake_slack.reset()

    clock.set(SESSION_END)
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())

    assert (_recap_row(db).guide_user_id, _recap_row(db).participants) == ("U0BOB", 1)
    assert thread_replies(fake_slack) == []
