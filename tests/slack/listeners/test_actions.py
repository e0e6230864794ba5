"""Role buttons end to end: signed block_actions payloads, answers on response_url, the
same database effects as the slash commands."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Contribution, Meeting, MeetingRole
from bot.enums import ContributionStatus, MeetingStatus, RoleKind
from bot.slack.ids import ActionId
from tests.conftest import DEFAULT_NOW
from tests.support.contributions import SESSION_WHEN, contribute, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.living import announce, refresh, thread_replies, top_level_posts, updates
from tests.support.slack_client import SlackSender, message_text


def meeting_id(db) -> str:
    with db() as session:
        return str(session.scalars(select(Meeting.id)).one())


def roles(db) -> list[tuple[str, RoleKind]]:
    with db() as session:
        return [(r.user_id, r.role) for r in session.scalars(select(MeetingRole))]


def only_response(fake_slack: FakeSlack) -> dict:
    [response] = fake_slack.response_posts()
    assert (response["response_type"], response["replace_original"]) == ("ephemeral", False)
    return response


def test_guide_button_claims_answers_the_clicker_and_replies_in_the_sessions_thread(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack)
    thread = announce(bot_server, clock)
    [announcement] = fake_slack.posts()
    fake_slack.reset()

    reply = slack.block_action(ActionId.CLAIM_GUIDE, meeting_id(db), user="U0BOB")
    posted_at_once = fake_slack.posts()
    refresh(bot_server, clock)

    assert (reply.status, reply.body) == (200, "")
    assert roles(db) == [("U0BOB", RoleKind.GUIDE)]
    assert f"Vous êtes guide de la session du *{SESSION_WHEN}*" in only_response(fake_slack)["text"]
    assert posted_at_once == []
    assert [(p["channel"], p["thread_ts"], p["text"]) for p in fake_slack.posts()] == [
        (
            "C0GROUP",
            thread,
            f"<@U0BOB> sera guide de la session du *{SESSION_WHEN}*. Merci\u202f! 🙌",
        )
    ]
    assert announcement["text"].startswith("Prochaine session")


def test_guide_button_when_taken_names_the_holder_and_refreshes_the_message(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack)
    thread = announce(bot_server, clock)
    slack.command("guide", user="U0BOB")
    refresh(bot_server, clock)
    fake_slack.reset()

    slack.block_action(ActionId.CLAIM_GUIDE, meeting_id(db), user="U0EVE")
    refresh(bot_server, clock)

    assert "déjà pris par <@U0BOB>" in only_response(fake_slack)["text"]
    assert roles(db) == [("U0BOB", RoleKind.GUIDE)]
    assert fake_slack.posts() == []
    [update] = updates(fake_slack)
    assert (update["channel"], update["ts"]) == ("C0GROUP", thread)
    assert "<@U0BOB>" in message_text(update)


def test_guide_button_in_a_dm_replies_in_the_groups_thread(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack)
    announce(bot_server, clock)
    fake_slack.reset()

    slack.block_action(ActionId.CLAIM_GUIDE, meeting_id(db), user="U0BOB", channel="D0BOB")
    refresh(bot_server, clock)

    assert [p["channel"] for p in thread_replies(fake_slack)] == ["C0GROUP"]
    assert top_level_posts(fake_slack) == []


def test_join_button_records_rsvp(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack)
    fake_slack.reset()

    slack.block_action(ActionId.JOIN, meeting_id(db), user="U0EVE")

    assert roles(db) == [("U0EVE", RoleKind.PARTICIPANT)]
    assert "Participant·es inscrit·es\u202f: 1." in only_response(fake_slack)["text"]


def test_ready_button_from_a_reminder_dm_marks_the_contribution_ready(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ALICE", title="Mon exposé")
    fake_slack.reset()

    slack.block_action(ActionId.MARK_READY, meeting_id(db), user="U0ALICE", channel="D0ALICE")

    with db() as session:
        saved = session.scalars(select(Contribution)).one()
        assert (saved.status, saved.ready_at) == (ContributionStatus.READY, DEFAULT_NOW)
    assert "«\u202fMon exposé\u202f» est prête" in only_response(fake_slack)["text"]


def test_ready_button_without_contribution_says_how_to_submit(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    fake_slack.reset()

    slack.block_action(ActionId.MARK_READY, meeting_id(db), user="U0BOB")

    assert "Proposez-en une avec `/partage contribuer`" in only_response(fake_slack)["text"]


def test_contribute_button_opens_the_modal_with_the_clicks_trigger(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ALICE", title="Déjà là")
    fake_slack.reset()

    reply = slack.block_action(ActionId.OPEN_CONTRIBUTION, meeting_id(db), user="U0ALICE")

    assert (reply.status, reply.body) == (200, "")
    [opened] = fake_slack.calls("views.open")
    assert opened.args["trigger_id"].startswith("trigger-U0ALICE-")
    title_block = opened.args["view"]["blocks"][2]
    assert title_block["element"]["initial_value"] == "Déjà là"
    assert fake_slack.response_posts() == []


@pytest.mark.parametrize(
    "action_id",
    [ActionId.CLAIM_GUIDE, ActionId.OPEN_CONTRIBUTION, ActionId.MARK_READY, ActionId.JOIN],
)
def test_button_for_a_session_already_held_answers_clearly(
    slack: SlackSender, fake_slack: FakeSlack, db, action_id
):
    schedule(slack)
    old_id = meeting_id(db)
    with db.begin() as session:
        session.scalars(select(Meeting)).one().status = MeetingStatus.HELD
    fake_slack.reset()

    reply = slack.block_action(action_id, old_id, user="U0BOB")

    assert reply.status == 200
    assert "Cette session n’est plus à venir" in only_response(fake_slack)["text"]
    assert roles(db) == []
    assert fake_slack.calls("views.open") == []
    assert fake_slack.posts() == []


@pytest.mark.parametrize("value", ["999999", "pas-un-id", ""])
def test_button_with_an_unknown_meeting_answers_clearly(
    slack: SlackSender, fake_slack: FakeSlack, value
):
    reply = slack.block_action(ActionId.JOIN, value, user="U0BOB")

    assert reply.status == 200
    assert "Cette session n’est plus à venir" in only_response(fake_slack)["text"]


def test_guide_button_on_the_release_notice_lets_another_member_take_over(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack)
    announce(bot_server, clock)
    slack.command("guide", user="U0BOB")
    refresh(bot_server, clock)
    fake_slack.reset()
    slack.command("retirer guide", user="U0BOB")
    refresh(bot_server, clock)
    [notice] = thread_replies(fake_slack)
    button = notice["blocks"][-1]["elements"][0]

    slack.block_action(
        button["action_id"],
        button["value"],
        user="U0EVE",
        block_id=notice["blocks"][-1]["block_id"],
    )

    assert roles(db) == [("U0EVE", RoleKind.GUIDE)]
