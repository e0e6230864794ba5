"""`proposer`, `sondage` and reaction events end to end: signed requests to the running bot."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.models import Delivery, Meeting, Poll, PollVote, ThemeProposal
from bot.enums import DeliveryKind, DeliveryStatus, PollStatus, ProposalStatus
from tests.support.fake_slack import BOT_USER_ID, FakeSlack
from tests.support.living import announce, refresh
from tests.support.slack_client import SlackSender, message_text
from tests.support.wait import wait_for


def test_command_propose_thanks_member_and_lists_it_in_the_sessions_thread(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    thread = announce(bot_server, clock)
    fake_slack.reset()

    reply = slack.command("proposer  L'accessibilité   numérique", user="U0ANNA")
    refresh(bot_server, clock)

    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral"
    assert "«\u202fL'accessibilité numérique\u202f» sera soumis au prochain sondage" in reply.text
    [notice] = fake_slack.posts()
    assert (notice["channel"], notice["thread_ts"]) == ("C0GROUP", thread)
    assert "<@U0ANNA> propose un thème" in notice["text"]
    with db() as session:
        assert session.scalars(select(ThemeProposal.text)).all() == ["L'accessibilité numérique"]


def test_command_propose_duplicate_is_refused_politely(slack: SlackSender, db):
    slack.command("proposer Design <public>", user="U0ANNA")

    reply = slack.command("proposer design   <PUBLIC>", user="U0BOB")

    assert "«\u202fDesign &lt;public&gt;\u202f» est déjà proposé (par <@U0ANNA>)" in reply.text
    with db() as session:
        assert len(session.scalars(select(ThemeProposal)).all()) == 1


def test_command_propose_empty_or_too_long_is_refused_with_example(slack: SlackSender, db):
    empty = slack.command("proposer")
    long = slack.command("proposer " + "x" * 201)

    assert "entre 1 et 200\u00a0caractères (vous en avez écrit 0)" in empty.text
    assert "`/partage proposer L'accessibilité numérique`" in empty.text
    assert "(vous en avez écrit 201)" in long.text
    with db() as session:
        assert session.scalars(select(ThemeProposal)).all() == []


def test_command_poll_by_member_is_refused_naming_organisers(slack: SlackSender, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("proposer Design", user="U0ANNA")

    reply = slack.command("sondage", user="U0ANNA")

    assert "organisateur·rices du groupe (<@U0ORGA>)" in reply.text
    with db() as session:
        assert session.scalars(select(Poll)).all() == []


def test_command_poll_by_organiser_posts_poll_and_reactions(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("proposer Design", user="U0ANNA")
    slack.command("proposer Données", user="U0BOB")

    reply = slack.command("sondage", user="U0ORGA")

    assert "on vote jusqu’au jeudi 3 décembre 2026 à 10\u00a0h" in reply.text
    reactions = wait_for(lambda: len(fake_slack.calls("reactions.add")) == 2)
    assert reactions
    poll_post = next(p for p in fake_slack.posts() if "Sondage" in p["text"])
    assert ":one: Design" in message_text(poll_post)
    assert "Sondage ouvert par <@U0ORGA>." in message_text(poll_post)
    with db() as session:
        poll = session.scalars(select(Poll)).one()
        delivery = session.scalars(
            select(Delivery).where(Delivery.kind == DeliveryKind.POLL_CLOSE)
        ).one()
    assert poll.message_ts is not None
    assert poll.opened_by == "U0ORGA"
    assert delivery.poll_id == poll.id


def test_command_poll_while_one_is_open_is_refused_with_its_end(slack: SlackSender, fake_slack):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("proposer Design", user="U0ANNA")
    slack.command("sondage", user="U0ORGA")
    slack.command("proposer Données", user="U0BOB")

    reply = slack.command("sondage", user="U0ORGA")

    assert "déjà en cours dans ce canal, jusqu’au jeudi 3 décembre 2026 à 10\u00a0h" in reply.text


def test_command_poll_without_proposal_is_refused(slack: SlackSender):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    reply = slack.command("sondage", user="U0ORGA")

    assert "Aucun thème n’est proposé" in reply.text
    assert "`/partage proposer &lt;thème&gt;`" in reply.text


def test_command_poll_not_in_channel_cancels_it_and_tells_the_member(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("proposer Design", user="U0ANNA")
    fake_slack.fail("chat.postMessage", "not_in_channel")

    slack.command("sondage", user="U0ORGA")

    answers = wait_for(
        lambda: [r for r in fake_slack.response_posts() if "annulé" in r.get("text", "")]
    )
    assert "/invite @partage" in answers[0]["text"]
    with db() as session:
        assert session.scalars(select(Poll)).all() == []
        assert (
            session.scalars(select(Delivery).where(Delivery.kind == DeliveryKind.POLL_CLOSE)).all()
            == []
        )


def reaction_event(kind: str, user: str, reaction: str, ts: str) -> dict:
    return {
        "type": kind,
        "user": user,
        "reaction": reaction,
        "item": {"type": "message", "channel": "C0GROUP", "ts": ts},
        "item_user": BOT_USER_ID,
        "event_ts": "1700000100.000100",
    }


def opened_poll(slack: SlackSender, fake_slack: FakeSlack, db) -> Poll:
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("proposer Design", user="U0ANNA")
    slack.command("sondage", user="U0ORGA")
    wait_for(lambda: len(fake_slack.calls("reactions.add")) == 1)
    with db() as session:
        return session.scalars(select(Poll)).one()


def votes(db) -> list[tuple[str, str]]:
    with db() as session:
        return sorted(session.execute(select(PollVote.user_id, PollVote.emoji)).tuples())


def test_events_reactions_on_poll_are_recorded_and_removed(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    poll = opened_poll(slack, fake_slack, db)

    replies = [
        slack.event(reaction_event("reaction_added", "U1", "one", poll.message_ts)),
        slack.event(reaction_event("reaction_added", "U2", "one::skin-tone-2", poll.message_ts)),
        slack.event(reaction_event("reaction_added", BOT_USER_ID, "one", poll.message_ts)),
        slack.event(reaction_event("reaction_added", "U3", "tada", poll.message_ts)),
        slack.event(reaction_event("reaction_added", "U4", "one", "1.000")),
    ]
    wait_for(lambda: len(votes(db)) == 2)
    slack.event(reaction_event("reaction_removed", "U1", "one", poll.message_ts))

    assert [r.status for r in replies] == [200] * 5
    assert wait_for(lambda: votes(db) == [("U2", "one::skin-tone-2")])
    with db() as session:
        assert session.get(Poll, poll.id).status == PollStatus.OPEN


def test_command_poll_slack_failing_posts_it_later_once(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("proposer Design", user="U0ANNA")
    fake_slack.fail("chat.postMessage", "internal_error", when=lambda a: "Sondage" in a["text"])

    slack.command("sondage", user="U0ORGA")
    answers = wait_for(
        lambda: [r for r in fake_slack.response_posts() if "dès que possible" in r["text"]]
    )
    fake_slack.reset()
    bot_server.runtime.dispatcher.dispatch_due(clock.now() + timedelta(seconds=31))
    bot_server.runtime.dispatcher.dispatch_due(clock.now() + timedelta(minutes=5))

    assert "je publierai le sondage dès que possible, sans doublon" in answers[0]["text"]
    polls = [p for p in fake_slack.posts() if "Sondage" in p["text"]]
    assert len(polls) == 1
    with db() as session:
        poll = session.scalars(select(Poll)).one()
    assert (poll.status, poll.message_ts) == (PollStatus.OPEN, polls[0].get("ts", poll.message_ts))
    assert len(fake_slack.calls("reactions.add")) == 1


def open_a_poll(slack: SlackSender, fake_slack: FakeSlack, db) -> Poll:
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("proposer Design", user="U0ANNA")
    slack.command("proposer Données", user="U0BOB")
    slack.command("sondage", user="U0ORGA")
    with db() as session:
        return session.scalars(select(Poll)).one()


def test_command_poll_close_tallies_now_and_posts_the_result_once(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    poll = open_a_poll(slack, fake_slack, db)
    fake_slack.reactions[poll.message_ts] = [
        {"name": "one", "users": [BOT_USER_ID], "count": 1},
        {"name": "two", "users": [BOT_USER_ID, "U1", "U2"], "count": 3},
    ]

    reply = slack.command("sondage clore", user="U0ORGA")
    again = slack.command("sondage clore", user="U0ORGA")

    assert "je clos le sondage et publie son résultat" in reply.text
    assert "Aucun sondage n’est en cours dans ce canal" in again.text
    # The result takes the poll's place: no post of its own.
    results = [
        c.args for c in fake_slack.calls("chat.update") if "Résultat du sondage" in c.args["text"]
    ]
    assert [(r["channel"], r["ts"]) for r in results] == [("C0GROUP", poll.message_ts)]
    assert "Thème retenu\u202f: *Données*" in message_text(results[0])
    assert [p for p in fake_slack.posts() if "Résultat du sondage" in p["text"]] == []
    with db() as session:
        assert session.get(Poll, poll.id).status == PollStatus.CLOSED
        assert session.scalars(select(Meeting.theme)).one() == "Données"


def test_closed_poll_message_is_its_result_and_the_refresh_leaves_it_be(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    poll = open_a_poll(slack, fake_slack, db)
    slack.command("sondage clore", user="U0ORGA")
    [result] = [u.args for u in fake_slack.calls("chat.update") if u.args["ts"] == poll.message_ts]
    fake_slack.reset()

    refresh(bot_server, clock)

    text = message_text(result)
    assert text.startswith("Résultat du sondage")
    assert "Fin du vote le" not in text
    assert [u for u in fake_slack.calls("chat.update") if u.args["ts"] == poll.message_ts] == []


def test_command_poll_cancel_updates_the_message_and_frees_the_group(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    poll = open_a_poll(slack, fake_slack, db)

    reply = slack.command("poll cancel", user="U0ORGA")
    reopened = slack.command("sondage", user="U0ORGA")

    assert "Sondage annulé, sans thème retenu" in reply.text
    [update] = [c.args for c in fake_slack.calls("chat.update")]
    assert (update["channel"], update["ts"]) == ("C0GROUP", poll.message_ts)
    assert "Ce sondage a été annulé" in update["text"]
    assert "vote jusqu’au" in reopened.text
    with db() as session:
        assert session.get(Poll, poll.id).status == PollStatus.CANCELLED
        close = session.scalars(
            select(Delivery).where(
                Delivery.kind == DeliveryKind.POLL_CLOSE, Delivery.poll_id == poll.id
            )
        ).one()
        assert close.status == DeliveryStatus.CANCELLED
        assert session.scalars(select(ThemeProposal.status)).all() == [
            ProposalStatus.OPEN,
            ProposalStatus.OPEN,
        ]


def test_command_poll_close_or_cancel_by_member_is_refused(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    poll = open_a_poll(slack, fake_slack, db)

    close = slack.command("sondage clore", user="U0ANNA")
    cancel = slack.command("sondage annuler", user="U0ANNA")

    for reply in (close, cancel):
        assert "peuvent clore ou annuler le sondage" in reply.text
        assert "<@U0ORGA>" in reply.text
    with db() as session:
        assert session.get(Poll, poll.id).status == PollStatus.OPEN


def test_command_poll_cancel_without_a_poll_says_so(slack: SlackSender):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    reply = slack.command("sondage annuler", user="U0ORGA")
    unknown = slack.command("sondage demain", user="U0ORGA")

    assert "Aucun sondage n’est en cours dans ce canal" in reply.text
    assert "Je ne connais pas «\u202fdemain\u202f» après `sondage`" in unknown.text


def test_command_poll_names_proposers_by_profile_name_never_by_handle(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    # The command carries each member's handle (`user_name`: "u0orga", "u0bob"); only
    # U0ORGA has a profile name Slack can give.
    fake_slack.names["U0ORGA"] = "Odile Organise"
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("proposer Design", user="U0ORGA")
    slack.command("proposer Données", user="U0BOB")

    slack.command("sondage", user="U0ORGA")

    assert wait_for(lambda: any("Sondage" in p["text"] for p in fake_slack.posts()))
    poll_post = next(p for p in fake_slack.posts() if "Sondage" in p["text"])
    text = message_text(poll_post)
    assert ":one: Design  _(proposé par Odile Organise)_" in text
    assert ":two: Données\n" in text
    assert "u0orga" not in text and "u0bob" not in text
    assert "<@U0BOB>" not in text
