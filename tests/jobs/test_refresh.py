"""Living messages: a change says what changed, the refresh rewrites every message that
shows it (`chat.update` through the outbox), notices go to the session's thread, and a
whole month keeps the channel within its bound of top-level posts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.bootstrap import build_dispatcher
from bot.db.engine import transaction
from bot.db.models import Delivery, Meeting, Poll, PollVote
from bot.domain.changes import Subject
from bot.enums import DeliveryKind, MeetingStatus
from bot.jobs import refresh as refresh_job
from bot.slack.ids import ActionId, BlockId
from tests.support.contributions import contribute, schedule
from tests.support.fake_slack import BOT_USER_ID, FakeSlack
from tests.support.living import (
    announce,
    announced,
    posted_ts,
    refresh,
    run_kind_now,
    thread_replies,
    top_level_posts,
    updates,
)
from tests.support.slack_client import SlackSender, message_text
from tests.support.tour import answer, channel_members, invitations
from tests.support.wait import wait_for

J14 = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
J7 = datetime(2027, 1, 7, 9, 0, tzinfo=UTC)
J1 = datetime(2027, 1, 13, 9, 0, tzinfo=UTC)
RUN_OF_SHOW = datetime(2027, 1, 14, 12, 45, tzinfo=UTC)
SESSION_END = datetime(2027, 1, 14, 14, 30, tzinfo=UTC)
POLL_CLOSED = SESSION_END + timedelta(hours=96, minutes=1)  # Sunday's close: Monday


def meeting_id(db, status: MeetingStatus = MeetingStatus.SCHEDULED) -> str:
    with db() as session:
        return str(session.scalars(select(Meeting.id).where(Meeting.status == status)).one())


# The "Ajouter à mon agenda" row stays on every session message, ready or not.
CALENDAR_ROW = {ActionId.CALENDAR_ICS, ActionId.CALENDAR_GOOGLE, ActionId.CALENDAR_OUTLOOK}


def action_ids(message: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in message.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] not in CALENDAR_ROW
    ]


def refreshes(db) -> int:
    with db() as session:
        return session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.kind == DeliveryKind.REFRESH)
        )


# --- messages that follow the state --------------------------------------------------------


def test_guide_call_names_the_guide_and_loses_its_button_once_taken(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    run_kind_now(bot_server, clock, DeliveryKind.GUIDE_CALL)
    call_ts = posted_ts(bot_server, DeliveryKind.GUIDE_CALL)
    fake_slack.reset()

    slack.block_action(ActionId.CLAIM_GUIDE, meeting_id(db), user="U0BOB")
    refresh(bot_server, clock)

    [update] = updates(fake_slack)
    assert (update["channel"], update["ts"]) == ("C0GROUP", call_ts)
    assert "✅ <@U0BOB> sera guide de cette session. Merci\u202f!" in message_text(update)
    assert action_ids(update) == []
    # No announcement yet, so no thread: the updated call is all the channel needs.
    assert fake_slack.posts() == []


def test_ready_button_becomes_ready_in_the_reminder_dm(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ALICE", title="Mon exposé")
    refresh(bot_server, clock)
    run_kind_now(bot_server, clock, DeliveryKind.CONTRIBUTOR_REMINDER)
    dm_ts = posted_ts(bot_server, DeliveryKind.CONTRIBUTOR_REMINDER)
    [reminder] = fake_slack.posts()[-1:]
    fake_slack.reset()

    slack.block_action(ActionId.MARK_READY, meeting_id(db), user="U0ALICE", channel="D0ALICE")
    refresh(bot_server, clock)

    [update] = updates(fake_slack)
    text = message_text(update)
    assert (update["channel"], update["ts"]) == ("D0ALICE", dm_ts)
    assert ActionId.MARK_READY.value in action_ids(reminder)
    # Ready: nothing left but editing or withdrawing it.
    assert action_ids(update) == [ActionId.EDIT_CONTRIBUTION, ActionId.WITHDRAW_CONTRIBUTION]
    assert "✅ prête" in text
    assert "c’est le moment de préparer" not in text
    assert "Tout est en ordre" in text


def test_guide_click_on_a_taken_role_says_who_took_it(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    run_kind_now(bot_server, clock, DeliveryKind.GUIDE_CALL)
    slack.command("guide", user="U0BOB")
    refresh(bot_server, clock)
    fake_slack.reset()

    slack.block_action(ActionId.CLAIM_GUIDE, meeting_id(db), user="U0EVE")
    refresh(bot_server, clock)

    [answer] = fake_slack.response_posts()
    assert answer["text"] == (
        "Ce bouton n’est plus à jour\u202f: le rôle de guide est déjà pris par <@U0BOB>. "
        "Le message vient d’être mis à jour."
    )
    [update] = updates(fake_slack)
    assert action_ids(update) == []


def test_burst_of_changes_gives_one_update_per_message(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    thread = announce(bot_server, clock)
    before = refreshes(db)
    fake_slack.reset()

    for user in ("U0ALICE", "U0BOB", "U0CARL"):
        contribute(slack, fake_slack, user=user, title=f"Sujet de {user}", duration="5")
    slack.command("theme Les communs", user="U0ORGA")
    refresh(bot_server, clock)

    [update] = updates(fake_slack)
    text = message_text(update)
    assert update["ts"] == thread
    assert all(f"Sujet de {user}" in text for user in ("U0ALICE", "U0BOB", "U0CARL"))
    assert "Les communs" in text
    assert refreshes(db) - before == 1
    assert [p["thread_ts"] for p in fake_slack.posts()] == [thread] * 4


def test_move_after_the_announcement_updates_it_and_replies_in_the_thread(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    thread = announce(bot_server, clock)
    fake_slack.reset()

    slack.command("session 2027-01-21 14:00", user="U0ORGA")
    refresh(bot_server, clock)
    clock.set(datetime(2027, 1, 14, 9, 0, tzinfo=UTC))  # J-7 of the new date
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())

    [update] = updates(fake_slack)
    assert update["ts"] == thread
    assert "jeudi 21 janvier 2027" in message_text(update)
    [notice] = thread_replies(fake_slack)
    assert "jeudi 21 janvier 2027" in notice["text"]
    # No second announcement (the late guide call for the new date is the only post).
    assert [message_text(p).split("\n")[0] for p in top_level_posts(fake_slack)] == [
        "On cherche un·e guide pour la session du jeudi 21 janvier 2027"
    ]


# --- the mapping: every entry is needed ---------------------------------------------------


@pytest.mark.parametrize(
    ("view", "kind"),
    [
        (refresh_job.guide_call_view, DeliveryKind.GUIDE_CALL),
        (refresh_job.announcement_view, DeliveryKind.ANNOUNCEMENT),
        (refresh_job.readiness_view, DeliveryKind.CONTRIBUTOR_REMINDER),
    ],
    ids=["guide_call", "announcement", "readiness"],
)
def test_removing_a_view_from_the_mapping_leaves_its_message_stale(
    slack: SlackSender, fake_slack: FakeSlack, db, *, monkeypatch, view, kind, bot_server, clock
):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ALICE", title="Mon exposé")
    refresh(bot_server, clock)
    for posted in (DeliveryKind.GUIDE_CALL, DeliveryKind.ANNOUNCEMENT):
        run_kind_now(bot_server, clock, posted)
    run_kind_now(bot_server, clock, DeliveryKind.CONTRIBUTOR_REMINDER)
    every = {k: posted_ts(bot_server, k) for k in (DeliveryKind.GUIDE_CALL, kind)}
    every[DeliveryKind.ANNOUNCEMENT] = posted_ts(bot_server, DeliveryKind.ANNOUNCEMENT)
    every[DeliveryKind.CONTRIBUTOR_REMINDER] = posted_ts(
        bot_server, DeliveryKind.CONTRIBUTOR_REMINDER
    )
    views = refresh_job.VIEWS[Subject.SESSION]
    monkeypatch.setitem(
        refresh_job.VIEWS, Subject.SESSION, tuple(v for v in views if v is not view)
    )
    fake_slack.reset()

    slack.command("guide", user="U0BOB")
    slack.command("prête", user="U0ALICE")
    refresh(bot_server, clock)

    updated = {u["ts"] for u in updates(fake_slack)}
    assert updated == set(every.values()) - {every[kind]}


# --- a whole month ------------------------------------------------------------------------

KEYWORDS = {
    "On cherche un·e guide": "guide call",
    "Prochaine session": "announcement",
    "voici le déroulé": "run-of-show",
    "Merci pour cette session": "session end",
    "Sondage\u202f: le thème": "poll",
    "Résultat du sondage": "result",
}


def _kind_of(text: str) -> str:
    first = text.split("\n", 1)[0]
    return next((kind for word, kind in KEYWORDS.items() if word in first), first)


def test_month_of_a_session_keeps_top_level_posts_within_the_bound(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    dispatcher = build_dispatcher(bot_server.runtime)
    channel: list[str] = []
    updated: list[dict[str, Any]] = []
    replies: list[dict[str, Any]] = []

    def tick(moment: datetime) -> None:
        """What is due at `moment`, then the refreshes it planned."""
        # Anna has a profile name; Bob has none Slack can give, only his handle.
        fake_slack.names["U0ANNA"] = "Anna Martin"
        clock.set(moment)
        dispatcher.dispatch_due(clock.now())
        clock.advance(timedelta(seconds=6))
        dispatcher.dispatch_due(clock.now())
        posts = top_level_posts(fake_slack)
        channel.extend(message_text(p) for p in posts if p["channel"] == "C0GROUP")
        replies.extend(thread_replies(fake_slack))
        updated.extend(updates(fake_slack))
        fake_slack.reset()

    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    for user, theme in [("U0ANNA", "Accessibilité"), ("U0BOB", "Données ouvertes")]:
        slack.command(f"proposer {theme}", user=user)
    contribute(slack, fake_slack, user="U0ANNA", title="Tôt", duration="10")
    tick(J14)  # the guide call: nobody guides yet
    slack.block_action(ActionId.CLAIM_GUIDE, meeting_id(db), user="U0GUIDE")
    tick(clock.now())
    tick(J7)  # the announcement and the reminders
    for user, title in [("U0BOB", "Une démo"), ("U0CARL", "Un retour"), ("U0DORA", "Un outil")]:
        contribute(slack, fake_slack, user=user, title=title, duration="10")
    contribute(slack, fake_slack, user="U0BOB", title="Une démo, raccourcie", duration="5")
    slack.command("retirer contribution", user="U0CARL")
    slack.command("theme Les communs numériques", user="U0ORGA")
    slack.command("prête", user="U0ANNA")
    tick(clock.now())
    tick(J1)
    tick(RUN_OF_SHOW)
    tick(SESSION_END)  # the thanks with the next session's roles, then the poll
    updated.clear()
    slack.block_action(ActionId.CLAIM_GUIDE, meeting_id(db), user="U0NEXT")
    tick(clock.now())
    [role_call] = updated
    updated.clear()
    tick(POLL_CLOSED)  # the result, written in place of the poll
    # Nobody voted, so no theme changed and nothing else follows.
    [poll_closed] = updated

    # Keywords, not whole lines: the wording may change, the five kinds may not. The
    # poll has its own message, and its result takes its place.
    assert [_kind_of(text) for text in channel] == [
        "guide call",
        "announcement",
        "run-of-show",
        "session end",
        "poll",
    ]
    # After the announcement: 3 submissions, 1 edit, 1 withdrawal and the theme. The
    # guide taken before it is shown by the updated guide call instead.
    assert len(replies) == 6
    assert len(channel) <= 5
    # The recap opens the session-end post: in the channel, within the bound, no ping.
    assert "Ce qu’on y a partagé" in channel[3]
    assert "<@" not in channel[3]
    # The poll, in its own message, names its proposers by their Slack profile name,
    # without a ping; one Slack cannot name is left out rather than shown by handle.
    assert [
        s in channel[4]
        for s in (
            "Accessibilité  _(proposé par Anna Martin)_ · *0 vote*",
            ":two: Données ouvertes · *0 vote*",
            "<@U0ANNA>",
            "u0anna",
            "u0bob",
        )
    ] == [True, True, False, False, False]
    assert "Accessibilité" not in channel[3]
    assert "Guide\u202f: <@U0NEXT> ✅" in message_text(role_call)
    assert ActionId.CLAIM_GUIDE.value not in action_ids(role_call)
    assert message_text(poll_closed).startswith("Résultat du sondage")
    assert ":one: Accessibilité\u202f: 0 vote" in message_text(poll_closed)


# --- a move, told to those who count on the session ----------------------------------------


def test_move_is_sent_by_dm_to_the_guide_contributors_and_participants_with_both_dates(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    slack.command("guide", user="U0GUIDE")
    contribute(slack, fake_slack, user="U0ALICE", title="Mon exposé")
    slack.command("participer", user="U0EVE")
    slack.command("participer", user="U0ORGA")
    refresh(bot_server, clock)
    fake_slack.reset()

    slack.command("session 2027-01-21 14:00", user="U0ORGA")
    refresh(bot_server, clock)

    dms = {p["channel"]: p["text"] for p in fake_slack.posts() if p["channel"].startswith("U")}
    assert sorted(dms) == ["U0ALICE", "U0EVE", "U0GUIDE"]  # not the organiser who moved it
    assert dms["U0EVE"] == (
        "📅 La session du groupe <#C0GROUP> est déplacée\u202f: elle a lieu le "
        "*jeudi 21 janvier 2027 à 14\u00a0h*, et non plus le jeudi 14 janvier 2027 à 14\u00a0h. "
        "Vos rôles et votre contribution sont gardés\u202f; si la nouvelle date ne vous va "
        "pas, `/partage retirer` dans <#C0GROUP>."
    )
    # No announcement yet: the channel gets nothing, the people concerned are told.
    assert [p for p in fake_slack.posts() if p["channel"] == "C0GROUP"] == []


def test_planning_does_not_list_the_refreshes_a_change_planned(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    announced(db)  # a message shows the session: the change plans its refresh
    slack.command("theme Les communs", user="U0ORGA")

    listed = slack.command("planning", user="U0ORGA")

    assert refreshes(db) == 1
    assert "annonce de la session dans le canal" in listed.text
    assert "mise à jour des messages" not in listed.text


# --- every surface follows the session to its end ---------------------------------------

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


def blocks_of_type(message: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [b for b in message.get("blocks") or [] if b["type"] == kind]


def test_held_session_announcement_says_it_is_over_links_the_recap_and_offers_nothing(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    slack.command("guide", user="U0BOB")
    contribute(slack, fake_slack, user="U0ALICE", title="Mon exposé")
    refresh(bot_server, clock)
    announcement_ts = announce(bot_server, clock)
    dispatcher = build_dispatcher(bot_server.runtime)
    fake_slack.reset()

    clock.set(SESSION_END)
    dispatcher.dispatch_due(clock.now())
    refresh(bot_server, clock)

    [update] = [u for u in updates(fake_slack) if u["ts"] == announcement_ts]
    [end] = [p for p in top_level_posts(fake_slack) if "Merci pour cette session" in p["text"]]
    text = message_text(update)
    assert update["channel"] == "C0GROUP"
    assert "Session du jeudi 14 janvier 2027 à 14\u00a0h\u202f: terminée" in text
    # The link goes to the recap: the session-end post, in the channel.
    end_ts = posted_ts(bot_server, DeliveryKind.SESSION_END)
    assert "<https://beta.slack.com/archives/C0GROUP/p" + end_ts.replace(".", "") in text
    assert "|Le récapitulatif> est publié dans le canal." in text
    assert "Ce qu’on y a partagé" in message_text(end)
    assert "&lt;" not in text
    assert "*Guide\u202f:* <@U0BOB>" in text
    assert blocks_of_type(update, "actions") == []


def test_held_session_contributor_reminder_loses_its_buttons(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ALICE", title="Mon exposé")
    refresh(bot_server, clock)
    run_kind_now(bot_server, clock, DeliveryKind.CONTRIBUTOR_REMINDER)
    dm_ts = posted_ts(bot_server, DeliveryKind.CONTRIBUTOR_REMINDER)
    dispatcher = build_dispatcher(bot_server.runtime)
    fake_slack.reset()

    clock.set(SESSION_END)
    dispatcher.dispatch_due(clock.now())
    refresh(bot_server, clock)

    [update] = [u for u in updates(fake_slack) if u["ts"] == dm_ts]
    assert update["channel"] == "D0ALICE"
    assert "terminée" in message_text(update)
    assert blocks_of_type(update, "actions") == []


def test_tour_invitation_stops_offering_to_answer_at_the_start(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    fake_slack.members["C0GROUP"] = ["U0ANNA"]
    run_kind_now(bot_server, clock, DeliveryKind.TOUR_INVITE)
    [invitation] = [p for p in fake_slack.posts() if p["channel"] == "U0ANNA"]
    invite_ts = posted_ts(bot_server, DeliveryKind.TOUR_INVITE)
    fake_slack.reset()

    clock.set(START)
    run_kind_now(bot_server, clock, DeliveryKind.SESSION_START)
    refresh(bot_server, clock)

    [update] = [u for u in updates(fake_slack) if u["ts"] == invite_ts]
    assert ActionId.TOUR_ANSWER.value in action_ids(invitation)
    # Anna never answered: nothing of hers to edit or delete, only the opt-out is left.
    assert action_ids(update) == [ActionId.TOUR_OPT_OUT.value]
    assert "La session a commencé\u202f: le tour de table est clos." in message_text(update)


def button_texts(message: dict[str, Any]) -> list[str]:
    return [
        element["text"]["text"]
        for block in message.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_tour_invitation_of_a_member_who_answers_offers_to_edit_and_delete_and_no_other_changes(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    channel_members(fake_slack, "U0ANNA", "U0BOB")
    run_kind_now(bot_server, clock, DeliveryKind.TOUR_INVITE)
    [anna_invite] = [p for p in invitations(fake_slack) if p["channel"] == "U0ANNA"]
    fake_slack.reset()

    answer(slack, fake_slack, db, "U0ANNA", feeling="En forme")
    answer(slack, fake_slack, db, "U0ANNA", feeling="En pleine forme")
    refresh(bot_server, clock)

    [update] = updates(fake_slack)
    assert button_texts(anna_invite) == [
        "Répondre",
        "Ne plus recevoir ces invitations pour ce groupe",
    ]
    assert update["channel"] == "D0ANNA"
    assert button_texts(update) == [
        "Modifier",
        "Supprimer mes réponses",
        "Ne plus recevoir ces invitations pour ce groupe",
    ]
    assert (
        "✅ Vous avez répondu. Vous pouvez modifier ou supprimer vos réponses jusqu’au "
        "jeudi 14 janvier à 14\u00a0h."
    ) in message_text(update)
    assert top_level_posts(fake_slack) == []


def test_tour_invitation_offers_to_answer_again_once_the_answers_are_deleted(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    channel_members(fake_slack, "U0ANNA", "U0BOB")
    run_kind_now(bot_server, clock, DeliveryKind.TOUR_INVITE)
    answer(slack, fake_slack, db, "U0ANNA", feeling="En forme")
    refresh(bot_server, clock)
    fake_slack.reset()

    slack.block_action(
        ActionId.TOUR_DELETE,
        meeting_id(db),
        user="U0ANNA",
        channel="D0ANNA",
        block_id=BlockId.TOUR_ACTIONS,
    )
    refresh(bot_server, clock)

    [update] = updates(fake_slack)
    assert update["channel"] == "D0ANNA"
    assert button_texts(update) == ["Répondre", "Ne plus recevoir ces invitations pour ce groupe"]
    assert "⏳ Vous pouvez répondre jusqu’au jeudi 14 janvier à 14\u00a0h." in message_text(update)


def test_tour_invitation_of_the_member_follows_an_answer_joined_to_a_session_change(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    channel_members(fake_slack, "U0ANNA", "U0BOB")
    run_kind_now(bot_server, clock, DeliveryKind.TOUR_INVITE)
    announce(bot_server, clock)
    announcement_ts = posted_ts(bot_server, DeliveryKind.ANNOUNCEMENT)
    fake_slack.reset()

    slack.command("theme Les communs", user="U0ORGA")
    answer(slack, fake_slack, db, "U0ANNA", feeling="En forme")
    refresh(bot_server, clock)

    rewritten = sorted(u["channel"] for u in updates(fake_slack))
    assert rewritten == sorted(["C0GROUP", "D0ANNA"])
    assert [u["ts"] for u in updates(fake_slack) if u["channel"] == "C0GROUP"] == [announcement_ts]


def test_tour_invitation_of_a_member_deleting_after_the_start_stays_closed_and_alone(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    channel_members(fake_slack, "U0ANNA", "U0BOB")
    run_kind_now(bot_server, clock, DeliveryKind.TOUR_INVITE)
    answer(slack, fake_slack, db, "U0ANNA", feeling="En forme")
    clock.set(START)
    run_kind_now(bot_server, clock, DeliveryKind.SESSION_START)
    refresh(bot_server, clock)
    fake_slack.reset()

    slack.block_action(
        ActionId.TOUR_DELETE,
        meeting_id(db),
        user="U0ANNA",
        channel="D0ANNA",
        block_id=BlockId.TOUR_ACTIONS,
    )
    refresh(bot_server, clock)

    [update] = updates(fake_slack)
    assert update["channel"] == "D0ANNA"
    assert button_texts(update) == ["Ne plus recevoir ces invitations pour ce groupe"]
    assert "La session a commencé\u202f: le tour de table est clos." in message_text(update)


def test_tour_invitation_is_left_alone_by_a_change_before_the_start(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    fake_slack.members["C0GROUP"] = ["U0ANNA"]
    run_kind_now(bot_server, clock, DeliveryKind.TOUR_INVITE)
    invite_ts = posted_ts(bot_server, DeliveryKind.TOUR_INVITE)
    fake_slack.reset()

    slack.command("theme Les communs", user="U0ORGA")
    refresh(bot_server, clock)

    assert [u for u in updates(fake_slack) if u["ts"] == invite_ts] == []


# --- the poll's live counts -------------------------------------------------------------------


def vote_event(slack: SlackSender, user: str, reaction: str, ts: str, n: int) -> None:
    reply = slack.event(
        {
            "type": "reaction_added",
            "user": user,
            "reaction": reaction,
            "item": {"type": "message", "channel": "C0GROUP", "ts": ts},
            "event_ts": f"1700000300.00000{n}",
        }
    )
    assert reply.status == 200


def ended_with_a_poll(slack: SlackSender, db, bot_server, clock) -> Poll:
    schedule(slack)
    slack.command("proposer Accessibilité", user="U0ANNA")
    slack.command("proposer Données ouvertes", user="U0BOB")
    clock.set(SESSION_END)
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())
    with db() as session:
        return session.scalars(select(Poll)).one()


def test_poll_message_counts_a_burst_of_votes_in_one_update_without_the_bots(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    poll = ended_with_a_poll(slack, db, bot_server, clock)
    fake_slack.reset()

    vote_event(slack, "U0ANNA", "one", poll.message_ts, 1)
    vote_event(slack, "U0BOB", "one::skin-tone-2", poll.message_ts, 2)
    vote_event(slack, "U0BOB", "two", poll.message_ts, 3)
    vote_event(slack, BOT_USER_ID, "two", poll.message_ts, 4)
    wait_for(lambda: votes(db) == 3)
    assert poll_refreshes(db) == 1  # the burst joined one refresh
    refresh(bot_server, clock)

    [update] = updates(fake_slack)
    text = message_text(update)
    assert (update["channel"], update["ts"]) == ("C0GROUP", poll.message_ts)
    assert "Accessibilité · *2 votes*" in text
    assert "Données ouvertes · *1 vote*" in text
    assert "Fin du vote le *lundi 18 janvier 2027 à 15\u00a0h\u00a030*" in text


def test_poll_shown_inside_an_older_end_message_keeps_the_role_call_when_counted(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    poll = ended_with_a_poll(slack, db, bot_server, clock)
    with transaction(db) as session:  # posted as it was before the poll had its own message
        held = session.scalars(select(Meeting).where(Meeting.status == MeetingStatus.HELD)).one()
        session.get(Poll, poll.id).message_ts = held.end_message_ts
        end_ts = held.end_message_ts
    fake_slack.reset()

    vote_event(slack, "U0ANNA", "two", end_ts, 1)
    wait_for(lambda: votes(db) == 1)
    refresh(bot_server, clock)

    [update] = updates(fake_slack)
    text = message_text(update)
    assert update["ts"] == end_ts
    assert "Merci pour cette session" in text
    assert "Données ouvertes · *1 vote*" in text
    assert ActionId.CLAIM_GUIDE.value in action_ids(update)


def poll_refreshes(db) -> int:
    with db() as session:
        return session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.kind == DeliveryKind.REFRESH, Delivery.poll_id.is_not(None))
        )


def votes(db) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(PollVote))


def test_change_before_any_message_plans_no_refresh_and_no_notice(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)

    slack.command("theme Les communs", user="U0ORGA")
    contribute(slack, fake_slack, user="U0ALICE", title="Mon exposé")

    assert refreshes(db) == 0
