"""The recap of a held session: stored when the session ends, posted in the channel at
the top of the session's end message (names, never mentions: nobody is pinged),
completed with the poll's winner when the poll closes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.bootstrap import build_dispatcher
from bot.db.models import Delivery, Meeting, SessionRecap
from bot.enums import DeliveryKind, MeetingStatus
from bot.slack.ids import ActionId
from tests.support.blocks import assert_valid_message
from tests.support.contributions import contribute, schedule
from tests.support.fake_slack import BOT_USER_ID, FakeSlack
from tests.support.living import announce, refresh, thread_replies, top_level_posts, updates
from tests.support.slack_client import SlackSender, message_text
from tests.support.tour import answer

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


NAMES = {
    "U0BOB": "Bob",
    "U0ALICE": "Alice",
    "U0DAN": "Dan",
    "U0CHLOE": "Chloé",
    "U0EVE": "Ève",
}


def _end_post(fake_slack: FakeSlack) -> dict:
    [post] = [p for p in top_level_posts(fake_slack) if "Merci pour cette session" in p["text"]]
    return post


def test_recap_is_stored_and_opens_the_end_message_in_the_channel_without_pings(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _prepare(slack, fake_slack, bot_server=bot_server, clock=clock)
    slack.command("proposer Données ouvertes", user="U0ANNA")
    clock.set(datetime(2027, 1, 12, 9, 0, tzinfo=UTC))  # the tour de table is open
    answer(slack, fake_slack, db, "U0CHLOE", feeling="En forme", needs="Un regard sur mes tests")
    answer(slack, fake_slack, db, "U0EVE", doing="Une migration", needs="Secret", share=False)
    fake_slack.reset()
    fake_slack.names.update(NAMES)  # (a reset forgets them)

    clock.set(SESSION_END)
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())

    row = _recap_row(db)
    assert (row.theme, row.guide_user_id, row.participants) == (
        "Accessibilité & <numérique>",
        "U0BOB",
        4,
    )
    post = _end_post(fake_slack)
    assert post["channel"] == "C0GROUP" and not post.get("thread_ts")
    assert_valid_message({k: post[k] for k in ("text", "blocks")})
    text = message_text(post)
    assert "<@" not in text  # a recap pings nobody
    assert "La session du *jeudi 14 janvier 2027 à 14\u00a0h* est terminée." in text
    assert "*Thème\u202f:* Accessibilité &amp; &lt;numérique&gt;" in text
    assert "*Guide\u202f:* Bob" in text
    # The guide, both contributors and Chloé's RSVP: the one definition of participants.
    assert "*Participant·es (4)\u202f:* Bob, Alice, Dan, Chloé" in text
    assert "• <https://example.org/f|Les &lt;b&gt;formulaires&lt;/b&gt;> — Alice" in text
    assert "• Invitée — Ana Lima, invité·e de Dan" in text
    # Shared answers and needs only: Ève kept hers to the guide.
    assert "*Tour de table, les réponses partagées (1)\u202f:*\n• *Chloé*\u202f: En forme" in text
    assert "🆘 *Chloé*\u202f: Un regard sur mes tests" in text
    assert "Secret" not in text and "Une migration" not in text
    help_buttons = [b["accessory"]["action_id"] for b in post["blocks"] if b.get("accessory")]
    assert help_buttons == [ActionId.TOUR_HELP]
    # The recap, then the line pointing to the poll, then the next session's roles; the
    # poll is the channel's next post, its own message.
    blocks = [str(b) for b in post["blocks"]]
    where = {
        word: next(i for i, b in enumerate(blocks) if word in b)
        for word in ("Ce qu’on y a partagé", "sondage juste en dessous", "Je serai guide")
    }
    assert list(where.values()) == sorted(where.values())
    assert "Données ouvertes" not in text
    posts = top_level_posts(fake_slack)
    poll = posts[posts.index(post) + 1]
    assert "Données ouvertes" in message_text(poll)
    # Nothing in the announcement's week-old thread.
    assert [p for p in thread_replies(fake_slack) if "Guide" in p["text"]] == []


def test_recap_names_a_member_slack_cannot_name_as_a_member(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _prepare(slack, fake_slack, bot_server=bot_server, clock=clock)
    fake_slack.reset()

    clock.set(SESSION_END)
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())

    text = message_text(_end_post(fake_slack))
    assert "<@" not in text
    assert "*Guide\u202f:* un·e membre" in text
    assert "• Invitée — Ana Lima, invité·e de un·e membre" in text


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

    assert fake_slack.posts() == []
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
    assert top_level_posts(fake_slack) == []


def test_recap_without_an_announcement_is_still_posted_in_the_channel(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    slack.command("guide", user="U0BOB")
    fake_slack.reset()
    fake_slack.names.update(NAMES)

    clock.set(SESSION_END)
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())

    assert (_recap_row(db).guide_user_id, _recap_row(db).participants) == ("U0BOB", 1)
    assert thread_replies(fake_slack) == []
    text = message_text(_end_post(fake_slack))
    assert "*Participant·es (1)\u202f:* Bob" in text


def test_recap_keeps_its_names_when_the_end_message_is_rewritten(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _prepare(slack, fake_slack, bot_server=bot_server, clock=clock)
    fake_slack.names.update(NAMES)
    clock.set(SESSION_END)
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())
    fake_slack.reset()  # (the names stay in the bot's cache)

    slack.command("guide", user="U0EVE")  # the next session's guide: the role call changes
    refresh(bot_server, clock)

    [update] = [u for u in updates(fake_slack) if "Merci pour cette session" in u["text"]]
    text = message_text(update)
    assert "*Guide\u202f:* Bob" in text
    assert "*Participant·es (4)\u202f:* Bob, Alice, Dan, Chloé" in text
    assert "Guide\u202f: <@U0EVE> ✅" in text  # the role call's own line, as before
