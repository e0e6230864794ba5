"""The tour de table's jobs through the dispatcher and the fake Slack: the invitation
planned per member of the channel (each once, across reruns and crashes; a refusal for
one does not stop the others), the switch and the offset, the answers compiled for the
guide and for the thread (opt-in respected, a "Je peux aider" per need, no pings), the
open needs in the guide's overview, and the retention purge with an injected clock."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.bootstrap import build_client
from bot.db.engine import transaction
from bot.db.models import Delivery, Group, Meeting, TourAnswer
from bot.domain import tour as tour_domain
from bot.domain.planning import plan_meeting
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus
from bot.jobs import retention
from bot.slack.ids import ActionId, tour_need_block_id
from bot.slack.notifier import Notifier, Posted
from tests.support import server
from tests.support.blocks import assert_valid_message
from tests.support.contributions import schedule as schedule_by_command
from tests.support.cycle import PARIS, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.jobs import make_dispatcher, outbox_rows, run_again
from tests.support.living import announce, posted_ts, run_kind_now, thread_replies
from tests.support.slack_client import SlackSender, message_text
from tests.support.tour import answer, channel_members, invitations

K = DeliveryKind
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)  # Thursday 14 January, 14:00 in Paris
J2 = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # Tuesday 12, 10:00 in Paris


@pytest.fixture
def settings(database_url, fake_slack):
    return server.bot_settings(database_url, fake_slack.api_url, SLACK_TIMEOUT_SECONDS="5")


@pytest.fixture
def notifier(fake_slack: FakeSlack, settings) -> Notifier:
    fake_slack.reset()
    return Notifier(build_client(settings))


def only_invitation_due(db) -> int:
    """A session planned the usual way, every delivery but the invitation settled."""
    group_id, _meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        for delivery in session.scalars(select(Delivery)):
            if delivery.kind != K.TOUR_INVITE:
                delivery.status = DeliveryStatus.DONE
    return group_id


def planned(db, kind: DeliveryKind) -> list[Delivery]:
    with db() as session:
        return list(
            session.scalars(
                select(Delivery).where(
                    Delivery.kind == kind, Delivery.status == DeliveryStatus.PLANNED
                )
            )
        )


class Crash(BaseException):
    """The worker dies: not an Exception, so nothing in the dispatcher catches it."""


class CrashAfterFirstPost(Notifier):
    """Slack got the first DM and answered; the process dies before recording it."""

    def post(self, channel: str, message: dict[str, Any]) -> Posted:
        super().post(channel, message)
        raise Crash()


# --- the invitation -------------------------------------------------------------------------


def test_invitation_goes_once_to_each_member_but_bots_and_those_opted_out(
    db, notifier, settings, fake_slack: FakeSlack
):
    group_id = only_invitation_due(db)
    with transaction(db) as session:
        tour_domain.opt_out(session, group_id=group_id, user_id="U0CAROL", now=NOW)
    channel_members(fake_slack, "U0ALICE", "U0HELPER", "U0CAROL", "U0BOB")
    fake_slack.bots.add("U0HELPER")
    dispatcher = make_dispatcher(db, notifier, settings)

    dispatcher.dispatch_due(J2)
    run_again(db, K.TOUR_INVITE, J2 + timedelta(minutes=5))
    dispatcher.dispatch_due(J2 + timedelta(minutes=5))

    sent = invitations(fake_slack)
    assert [p["channel"] for p in sent] == ["U0ALICE", "U0BOB"]
    assert outbox_rows(db, K.TOUR_INVITE) == {"U0ALICE": "sent", "U0BOB": "sent"}
    message = {k: sent[0][k] for k in ("text", "blocks")}
    assert_valid_message(message)
    text = message_text(message)
    assert "Tour de table de la session du jeudi 14 janvier 2027" in text
    assert "• Comment vous sentez-vous\u202f?" in text
    assert "⏳ Vous pouvez répondre jusqu’au jeudi 14 janvier à 14\u00a0h." in text
    buttons = [
        (e["text"]["text"], e["action_id"], e["value"], e.get("style"))
        for e in sent[0]["blocks"][4]["elements"]
    ]
    with db() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    assert buttons == [
        ("Répondre", ActionId.TOUR_ANSWER, str(meeting_id), "primary"),
        (
            "Ne plus recevoir ces invitations pour ce groupe",
            ActionId.TOUR_OPT_OUT,
            str(group_id),
            None,
        ),
    ]


def test_invitation_after_a_crash_between_two_members_reaches_each_once(
    db, notifier, settings, fake_slack: FakeSlack
):
    only_invitation_due(db)
    channel_members(fake_slack, "U0ALICE", "U0BOB")
    fake_slack.set_clock(J2.timestamp)
    dying = make_dispatcher(db, CrashAfterFirstPost(notifier._client), settings)
    with pytest.raises(Crash):
        dying.dispatch_due(J2)
    survivor = make_dispatcher(db, notifier, settings, process_id="other-host:2:bbbbbb")

    report = survivor.dispatch_due(J2 + timedelta(minutes=10))

    assert [p["channel"] for p in invitations(fake_slack)] == ["U0ALICE", "U0BOB"]
    assert (report.reclaimed, report.verified_sent, report.sent) == (1, 1, 1)
    assert outbox_rows(db, K.TOUR_INVITE) == {"U0ALICE": "sent", "U0BOB": "sent"}


def test_invitation_refused_for_one_member_still_reaches_the_others(
    db, notifier, settings, fake_slack: FakeSlack
):
    only_invitation_due(db)
    channel_members(fake_slack, "U0ALICE", "U0BOB", "U0CAROL")
    fake_slack.fail("chat.postMessage", "user_disabled", when=lambda a: a["channel"] == "U0BOB")

    make_dispatcher(db, notifier, settings).dispatch_due(J2)

    # Each tried once: Bob's refused, Carol's sent after it.
    assert [p["channel"] for p in invitations(fake_slack)] == ["U0ALICE", "U0BOB", "U0CAROL"]
    assert sorted(fake_slack.history) == ["D0ALICE", "D0CAROL"]
    assert outbox_rows(db, K.TOUR_INVITE) == {
        "U0ALICE": "sent",
        "U0BOB": "failed",
        "U0CAROL": "sent",
    }
    [delivery] = [d for d in _all(db) if d.kind == K.TOUR_INVITE]
    assert delivery.status == DeliveryStatus.DONE


def test_invitation_when_slack_cannot_list_members_is_retried_later(
    db, notifier, settings, fake_slack: FakeSlack
):
    only_invitation_due(db)
    channel_members(fake_slack, "U0ALICE")
    fake_slack.fail("conversations.members", "internal_error")

    make_dispatcher(db, notifier, settings).dispatch_due(J2)

    assert invitations(fake_slack) == []
    [delivery] = planned(db, K.TOUR_INVITE)
    assert delivery.available_at > J2


def _all(db) -> list[Delivery]:
    with db() as session:
        return list(session.scalars(select(Delivery)))


def test_tour_is_planned_two_working_days_before_and_compiled_with_the_run_of_show(db):
    schedule(db, starts_at=START, now=NOW)

    [invite] = planned(db, K.TOUR_INVITE)
    [compile_] = planned(db, K.TOUR_COMPILE)

    assert (invite.due_at, invite.expires_at) == (J2, START)
    assert compile_.due_at == START - timedelta(minutes=15)


def test_tour_offset_is_honoured_on_working_days(db):
    group_id, meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        group = session.get(Group, group_id)
        group.tour_days = 4  # Sunday 10 January: moved to Friday 8
        plan_meeting(
            session, group=group, meeting=session.get(Meeting, meeting_id), now=NOW, timezone=PARIS
        )

    [invite] = planned(db, K.TOUR_INVITE)

    assert invite.due_at == datetime(2027, 1, 8, 9, 0, tzinfo=UTC)


def test_tour_switched_off_plans_neither_invitation_nor_compilation(db):
    group_id, meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        group = session.get(Group, group_id)
        group.tour_enabled = False
        plan_meeting(
            session, group=group, meeting=session.get(Meeting, meeting_id), now=NOW, timezone=PARIS
        )

    assert (planned(db, K.TOUR_INVITE), planned(db, K.TOUR_COMPILE)) == ([], [])


# --- the compilation ------------------------------------------------------------------------


def _answered(slack: SlackSender, fake_slack: FakeSlack, db) -> None:
    schedule_by_command(slack)
    slack.command("guide", user="U0GUIDE")
    answer(slack, fake_slack, db, "U0ALICE", feeling="En forme", needs="Un regard <RGAA>")
    answer(slack, fake_slack, db, "U0BOB", doing="Je migre l'API", needs="Un avis", share=False)
    answer(slack, fake_slack, db, "U0CAROL", learned="Les index partiels")
    fake_slack.names.update({"U0ALICE": "Alice Martin", "U0CAROL": "Carol"})


def test_compilation_gives_the_guide_every_answer_and_the_thread_only_the_shared(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    _answered(slack, fake_slack, db)
    thread_ts = announce(bot_server, clock)
    fake_slack.names.update({"U0ALICE": "Alice Martin", "U0CAROL": "Carol"})

    run_kind_now(bot_server, clock, K.TOUR_COMPILE)

    [digest] = [p for p in fake_slack.posts() if p["channel"] == "U0GUIDE"]
    assert_valid_message({k: digest[k] for k in ("text", "blocks")})
    text = message_text(digest)
    assert "3 membre(s) ont répondu" in text and "dont 2 avec un besoin" in text
    assert (
        "*<@U0ALICE>*\n*Humeur\u202f:* En forme\n🆘 *Besoin\u202f:* Un regard &lt;RGAA&gt;" in text
    )
    assert "*<@U0BOB>* · _non partagé_" in text
    assert "Les index partiels" in text
    [reply] = [p for p in thread_replies(fake_slack) if "Tour de table" in p["text"]]
    assert (reply["channel"], reply["thread_ts"]) == ("C0GROUP", thread_ts)
    assert_valid_message({k: reply[k] for k in ("text", "blocks")})
    shown = message_text(reply)
    assert "<@" not in shown
    assert "*Alice Martin*" in shown and "*Carol*" in shown
    assert "U0BOB" not in shown and "Un avis" not in shown and "Je migre" not in shown
    with db() as session:
        ids = {a.user_id: a.id for a in session.scalars(select(TourAnswer))}
    needs = {b["block_id"]: b["accessory"] for b in reply["blocks"] if "accessory" in b}
    assert list(needs) == [tour_need_block_id(ids["U0ALICE"])]
    accessory = needs[tour_need_block_id(ids["U0ALICE"])]
    assert (accessory["action_id"], accessory["value"]) == (ActionId.TOUR_HELP, str(ids["U0ALICE"]))
    assert outbox_rows(db, K.TOUR_COMPILE) == {"guide": "sent", "thread": "sent"}


def test_compilation_without_announcement_replies_under_the_run_of_show(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    _answered(slack, fake_slack, db)
    run_kind_now(bot_server, clock, K.RUN_OF_SHOW)
    run_of_show = posted_ts(bot_server, K.RUN_OF_SHOW)

    run_kind_now(bot_server, clock, K.TOUR_COMPILE)

    [reply] = [p for p in thread_replies(fake_slack) if "Tour de table" in p["text"]]
    assert reply["thread_ts"] == run_of_show


def test_compilation_with_no_thread_yet_skips_the_channel_and_still_tells_the_guide(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock, caplog
):
    _answered(slack, fake_slack, db)
    fake_slack.reset()

    with caplog.at_level(logging.WARNING, logger="bot.jobs.tour"):
        run_kind_now(bot_server, clock, K.TOUR_COMPILE)

    assert [p["channel"] for p in fake_slack.posts()] == ["U0GUIDE"]
    assert any(
        "2 shared tour de table answer(s) not posted" in r.getMessage() for r in caplog.records
    )


def test_guides_last_overview_lists_the_open_needs_without_the_private_answers(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    _answered(slack, fake_slack, db)
    fake_slack.reset()

    run_kind_now(bot_server, clock, K.GUIDE_LAST_OVERVIEW)

    [overview] = [p for p in fake_slack.posts() if p["channel"] == "U0GUIDE"]
    assert_valid_message({k: overview[k] for k in ("text", "blocks")})
    text = message_text(overview)
    assert (
        "*Besoins exprimés au tour de table (2)\u202f:*\n"
        "• <@U0ALICE>\u202f: Un regard &lt;RGAA&gt;\n• <@U0BOB>\u202f: Un avis"
    ) in text
    assert "Je migre" not in text


def test_compilation_when_nobody_answered_sends_no_digest_and_the_overview_said_so(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule_by_command(slack)
    slack.command("guide", user="U0GUIDE")
    channel_members(fake_slack, "U0ALICE", "U0BOB")
    run_kind_now(bot_server, clock, K.TOUR_INVITE)
    run_kind_now(bot_server, clock, K.GUIDE_LAST_OVERVIEW)
    [overview] = [p for p in fake_slack.posts() if p["channel"] == "U0GUIDE"]
    fake_slack.reset()

    run_kind_now(bot_server, clock, K.TOUR_COMPILE)

    assert fake_slack.posts() == []
    assert (
        "🗣️ Tour de table\u202f: personne n’a répondu à ce jour. Sans réponse d’ici le "
        "début, rien ne vous sera envoyé."
    ) in message_text(overview)
    assert "Tour de table\u202f: les réponses" not in message_text(overview)


def test_guides_last_overview_counts_the_answers_once_the_invitation_is_out(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule_by_command(slack)
    slack.command("guide", user="U0GUIDE")
    channel_members(fake_slack, "U0ALICE", "U0BOB")
    run_kind_now(bot_server, clock, K.TOUR_INVITE)
    answer(slack, fake_slack, db, "U0ALICE", feeling="En forme")
    answer(slack, fake_slack, db, "U0BOB", doing="Je migre")
    fake_slack.reset()

    run_kind_now(bot_server, clock, K.GUIDE_LAST_OVERVIEW)

    [overview] = [p for p in fake_slack.posts() if p["channel"] == "U0GUIDE"]
    assert_valid_message({k: overview[k] for k in ("text", "blocks")})
    assert (
        "🗣️ Tour de table\u202f: 2 réponse(s) à ce jour. Vous les recevrez toutes "
        "15\u00a0min avant le début."
    ) in message_text(overview)


# --- the retention purge ----------------------------------------------------------------------


def test_retention_purge_deletes_old_answers_and_logs_the_count(db, clock, caplog):
    group_id, meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        tour_domain.save_answers(
            session,
            meeting_id=meeting_id,
            user_id="U0ALICE",
            answers=tour_domain.Answers(feeling="Bien"),
            now=NOW,
        )
        session.get(Meeting, meeting_id).status = MeetingStatus.HELD
    clock.set(datetime(2028, 1, 14, 13, 0, tzinfo=UTC))

    with caplog.at_level(logging.INFO, logger="bot.jobs.retention"):
        kept = retention.purge_tour_answers(db, clock.now())
        clock.advance(timedelta(minutes=1))
        purged = retention.purge_tour_answers(db, clock.now())

    assert (kept, purged) == ({}, {group_id: 1})
    with db() as session:
        assert list(session.scalars(select(TourAnswer))) == []
    assert [r.getMessage() for r in caplog.records] == [
        f"group {group_id}: 1 tour de table answer(s) past the retention period purged"
    ]
