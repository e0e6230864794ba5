"""A session driven to its end and its poll to a result, with an injected clock.

Everything a member does goes to the running bot as a signed request; the clock moves and
the dispatcher built by `bootstrap` (the one each bot process ticks) runs what is due,
through the fake Slack, whose recorded calls are read back like a member reads the
channel.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.bootstrap import build_dispatcher
from bot.db.models import Delivery, Meeting, PollVote
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus
from tests.support.fake_slack import BOT_USER_ID, FakeSlack
from tests.support.slack_client import SlackSender, message_text
from tests.support.wait import wait_for

SESSION_END = datetime(2027, 1, 14, 14, 30, tzinfo=UTC)  # 15h30 in Paris


def poll_message(fake_slack: FakeSlack) -> tuple[dict, dict, str]:
    """The session-end post, the poll's own message and its ts (read from the reactions
    the bot added to it)."""
    [thanks] = [p for p in fake_slack.posts() if "Merci pour cette session" in p["text"]]
    [poll] = [p for p in fake_slack.posts() if p["text"].startswith("Sondage")]
    timestamps = {c.args["timestamp"] for c in fake_slack.calls("reactions.add")}
    [ts] = timestamps
    return thanks, poll, ts


def votes_recorded(db) -> list[tuple[str, str]]:
    with db() as session:
        return list(session.execute(select(PollVote.user_id, PollVote.emoji)).tuples())


def next_session_plan(db) -> tuple[int, set[DeliveryKind]]:
    """The scheduled session created by the rollover and what is planned for it."""
    with db() as session:
        meeting = session.scalars(
            select(Meeting).where(Meeting.status == MeetingStatus.SCHEDULED)
        ).one()
        planned = session.scalars(
            select(Delivery.kind).where(
                Delivery.meeting_id == meeting.id, Delivery.status == DeliveryStatus.PLANNED
            )
        ).all()
    return meeting.id, set(planned)


def reaction_added(slack: SlackSender, user: str, reaction: str, ts: str, event_ts: str) -> None:
    reply = slack.event(
        {
            "type": "reaction_added",
            "user": user,
            "reaction": reaction,
            "item": {"type": "message", "channel": "C0GROUP", "ts": ts},
            "event_ts": event_ts,
        }
    )
    assert reply.status == 200


def assert_live_counts(text: str) -> None:
    """The poll's message once U3's vote came in: the bot's reactions are not counted."""
    assert ":one: Accessibilité numérique · *1 vote*" in text
    assert ":two: Design des services publics · *0 vote*" in text
    assert "Fin du vote le *lundi 18 janvier 2027 à 15\u00a0h\u00a030*" in text


def assert_result(result_text: str, *, tie: bool) -> str:
    """Every option's count and the winner (the tie rule when it decided); the winner."""
    assert ":one: Accessibilité numérique\u202f: 1 vote" in result_text
    assert ":three: Données ouvertes\u202f: 0 vote" in result_text
    if tie:
        assert ":two: Design des services publics\u202f: 1 vote" in result_text
        assert "Égalité entre :one:, :two:" in result_text
        winner = "Accessibilité numérique"
    else:
        assert ":two: Design des services publics\u202f: 2 votes" in result_text
        assert "galité" not in result_text
        winner = "Design des services publics"
    assert f"Thème retenu\u202f: *{winner}*" in result_text
    assert "le jeudi 11 février 2027 à 14\u00a0h" in result_text
    return winner


@pytest.mark.parametrize("tie", [False, True], ids=["winner", "tie"])
def test_session_end_poll_and_result_roll_over_to_next_month(
    slack: SlackSender, fake_slack: FakeSlack, *, clock, bot_server, db, tie
):
    dispatcher = build_dispatcher(bot_server.runtime)
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    for user, theme in [
        ("U0ANNA", "Accessibilité numérique"),
        ("U0BOB", "Design des services publics"),
        ("U0CHLOE", "Données ouvertes"),
    ]:
        reply = slack.command(f"proposer {theme}", user=user)
        assert "sera soumis au prochain sondage" in reply.text
    with db() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()

    # The session ends: its SESSION_END delivery is due.
    clock.set(SESSION_END)
    report = dispatcher.dispatch_due(clock.now())

    post, poll, ts = poll_message(fake_slack)
    assert [p["text"] for p in fake_slack.posts()] == [post["text"], poll["text"]]
    assert "sondage juste en dessous" in message_text(post)
    text = message_text(poll)
    assert ":one: Accessibilité numérique" in text
    assert ":two: Design des services publics" in text
    assert ":three: Données ouvertes" in text
    # 72 hours would end it on Sunday; on working days it runs until Monday (see workdays).
    assert "Fin du vote le *lundi 18 janvier 2027 à 15\u00a0h\u00a030*" in text
    assert "*Prochaine session\u202f: jeudi 11 février 2027 à 14\u00a0h.*" in message_text(post)
    assert [c.args["name"] for c in fake_slack.calls("reactions.add")] == ["one", "two", "three"]
    assert report.done == 1  # the earlier reminders were no longer useful: skipped
    next_id, planned = next_session_plan(db)
    assert next_id != meeting_id
    assert planned >= {DeliveryKind.GUIDE_CALL, DeliveryKind.RUN_OF_SHOW}
    assert {e.get("action_id") for b in post["blocks"] for e in b.get("elements", [])} >= {
        "partage_claim_guide",
        "partage_open_contribution",
    }

    # Members vote: with the reactions the bot added, skin tones and a stray emoji.
    skin_toned = ["U1", "U2"] if not tie else ["U1"]
    fake_slack.reactions[ts] = [
        {"name": "one", "users": [BOT_USER_ID, "U3"], "count": 2},
        {"name": "two", "users": [BOT_USER_ID, "U1"], "count": 2},
        {"name": "two::skin-tone-3", "users": skin_toned, "count": len(skin_toned)},
        {"name": "three", "users": [BOT_USER_ID], "count": 1},
        {"name": "heart", "users": ["U4", "U5", "U6"], "count": 3},
    ]
    # ...and one vote also arrives as an event, as it would from Slack; so does the bot's
    # own reaction, which is not a vote.
    reaction_added(slack, "U3", "one", ts, "1700000200.000001")
    reaction_added(slack, BOT_USER_ID, "two", ts, "1700000200.000002")
    wait_for(lambda: votes_recorded(db) == [("U3", "one")])
    # The poll's message shows the vote: one refresh, however many votes came in.
    clock.advance(timedelta(seconds=6))
    dispatcher.dispatch_due(clock.now())
    [live] = [c.args for c in fake_slack.calls("chat.update") if c.args["ts"] == ts]
    assert_live_counts(message_text(live))

    # The poll closes: its POLL_CLOSE delivery is due.
    clock.set(SESSION_END + timedelta(hours=96, minutes=2))
    posts_before = len(fake_slack.posts())
    dispatcher.dispatch_due(clock.now())
    dispatcher.dispatch_due(clock.now())  # a second tick finds nothing more to do

    # The result is written in place of the poll: no post of its own.
    assert fake_slack.posts()[posts_before:] == []
    [result] = [
        c.args
        for c in fake_slack.calls("chat.update")
        if c.args["ts"] == ts and message_text(c.args).startswith("Résultat du sondage")
    ]
    winner = assert_result(message_text(result), tie=tie)

    programme = slack.command("programme", user="U0ANNA")
    assert "Prochaine session\u202f: jeudi 11 février 2027 à 14\u00a0h" in programme.text
    assert f"*Thème\u202f:* {winner}" in programme.text
    with db() as session:
        statuses = session.scalars(select(Meeting.status).order_by(Meeting.starts_at)).all()
    assert statuses == [MeetingStatus.HELD, MeetingStatus.SCHEDULED]
