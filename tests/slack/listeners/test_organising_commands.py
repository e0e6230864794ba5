"""The organisers' subcommands end to end: `guide @membre`, `annuler` (with its
confirmation, the DMs, the cancelled deliveries and the next session), `organisateur`."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs

from sqlalchemy import select

from bot.db.models import AuditEntry, Delivery, Meeting, MeetingRole, Organiser
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus, RoleKind
from bot.slack.ids import ActionId
from tests.support.board import find
from tests.support.contributions import SESSION_WHEN, contribute, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.living import announce, refresh, thread_replies, top_level_posts
from tests.support.slack_client import SlackSender


def guides(db) -> list[str]:
    with db() as session:
        return list(
            session.scalars(select(MeetingRole.user_id).where(MeetingRole.role == RoleKind.GUIDE))
        )


def test_guide_mention_by_an_organiser_assigns_the_role(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack, user="U0ORGA")
    slack.command("guide", user="U0EVE")
    refresh(bot_server, clock)  # before the announcement: that notice is dropped
    thread = announce(bot_server, clock)
    fake_slack.reset()

    reply = slack.command("guide <@U0BOB|bob>", user="U0ORGA")
    refresh(bot_server, clock)

    assert f"<@U0BOB> est guide de la session du *{SESSION_WHEN}*" in reply.text
    assert guides(db) == ["U0BOB"]
    assert [(p["thread_ts"], p["text"]) for p in thread_replies(fake_slack)] == [
        (
            thread,
            f"<@U0ORGA> a confié le rôle de guide de la session du *{SESSION_WHEN}* à <@U0BOB>. "
            "Merci\u202f! 🙌",
        )
    ]
    with db() as session:
        audit = session.scalars(select(AuditEntry)).one()
    assert (audit.actor_user_id, audit.action, audit.subject_user_id) == (
        "U0ORGA",
        "assign_guide",
        "U0BOB",
    )


def test_guide_mention_by_a_member_is_refused_and_changes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    fake_slack.reset()

    reply = slack.command("guide <@U0BOB>", user="U0EVE")

    assert reply.status == 200
    assert "Seul·es les organisateur·rices du groupe peuvent faire cela" in reply.text
    assert "<@U0ORGA>" in reply.text
    assert guides(db) == []
    assert fake_slack.posts() == []


def test_guide_with_a_word_that_is_not_a_mention_explains_the_usage(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")

    reply = slack.command("guide @bob", user="U0ORGA")

    assert (
        "Indiquez un membre avec une mention, par exemple `/partage guide @membre`." in reply.text
    )
    assert guides(db) == []


def _cancel(slack: SlackSender, action: ActionId, user: str = "U0ORGA"):
    """`/partage annuler`, then a click on one of the confirmation's buttons."""
    question = slack.command("annuler", user=user)
    block_id, element = find(question.json(), action)
    reply = slack.block_action(action.value, element["value"], user=user, block_id=block_id)
    return question, reply


def test_cancel_end_to_end_dms_everyone_cancels_deliveries_and_plans_the_next(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack, user="U0ORGA")
    slack.command("guide", user="U0BOB")
    slack.command("participer", user="U0EVE")
    contribute(slack, fake_slack, user="U0ZOE")
    refresh(bot_server, clock)
    thread = announce(bot_server, clock)
    fake_slack.reset()

    question, reply = _cancel(slack, ActionId.BOARD_CANCEL_PLAN_NEXT)
    refresh(bot_server, clock)

    assert question.json()["response_type"] == "ephemeral"
    assert "Chaque personne concernée (3) sera prévenue" in question.text
    assert reply.status == 200
    dms = {p["channel"]: p["text"] for p in fake_slack.posts() if p["channel"].startswith("U")}
    assert sorted(dms) == ["U0BOB", "U0EVE", "U0ZOE"]
    assert (
        f"La session du *{SESSION_WHEN}* dans <#C0GROUP> est annulée (par <@U0ORGA>)"
        in dms["U0BOB"]
    )
    assert [(p["thread_ts"], p["text"]) for p in thread_replies(fake_slack)] == [
        (thread, f"<@U0ORGA> a annulé la session du *{SESSION_WHEN}*.")
    ]
    assert [p for p in top_level_posts(fake_slack) if p["channel"] == "C0GROUP"] == []
    answer = fake_slack.response_posts()[-1]
    assert answer["replace_original"] is True
    assert "3 personne(s) prévenue(s) par message privé" in answer["text"]
    assert "Session suivante planifiée le *jeudi 11 février 2027 à 14\u00a0h*" in answer["text"]
    with db() as session:
        meetings = session.scalars(select(Meeting).order_by(Meeting.id)).all()
        old = session.scalars(select(Delivery).where(Delivery.meeting_id == meetings[0].id)).all()
        new = session.scalars(select(Delivery).where(Delivery.meeting_id == meetings[1].id)).all()
    assert [m.status for m in meetings] == [MeetingStatus.CANCELLED, MeetingStatus.SCHEDULED]
    sent_or_told = (DeliveryKind.ANNOUNCEMENT, DeliveryKind.SESSION_CANCEL, DeliveryKind.REFRESH)
    planned = [d for d in old if d.kind not in sent_or_told]
    assert {d.status for d in planned} == {DeliveryStatus.CANCELLED}
    assert [d.status for d in old if d.kind == DeliveryKind.SESSION_CANCEL] == [DeliveryStatus.DONE]
    assert new and {d.status for d in new} == {DeliveryStatus.PLANNED}


def test_cancel_without_planning_leaves_no_next_session_and_a_second_click_changes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    slack.command("participer", user="U0EVE")
    fake_slack.reset()

    _question, _reply = _cancel(slack, ActionId.BOARD_CANCEL_ONLY)
    again = slack.block_action(
        ActionId.BOARD_CANCEL_ONLY.value,
        "only",
        user="U0ORGA",
        block_id=slack_last_block_id(slack),
    )

    assert again.status == 200
    assert [p["channel"] for p in fake_slack.posts() if p["channel"].startswith("U")] == ["U0EVE"]
    assert "Aucune session suivante n’est planifiée" in fake_slack.response_posts()[0]["text"]
    assert "n’est plus à venir" in fake_slack.response_posts()[-1]["text"]
    with db() as session:
        assert session.scalars(select(Meeting.status)).all() == [MeetingStatus.CANCELLED]


def slack_last_block_id(slack: SlackSender) -> str:
    assert slack.last_sent is not None
    payload = json.loads(parse_qs(slack.last_sent.body)["payload"][0])
    return payload["actions"][0]["block_id"]


def test_cancel_by_a_member_is_refused_at_once(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack, user="U0ORGA")

    reply = slack.command("cancel", user="U0EVE")

    assert "Seul·es les organisateur·rices du groupe peuvent faire cela" in reply.text
    assert "blocks" in reply.json() and len(reply.json()["blocks"]) == 1
    with db() as session:
        assert session.scalars(select(Meeting.status)).all() == [MeetingStatus.SCHEDULED]


def test_organiser_add_and_remove_by_command(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack, user="U0ORGA")

    added = slack.command("organisateur ajouter <@U0BOB|bob>", user="U0ORGA")
    again = slack.command("organiser add <@U0BOB>", user="U0ORGA")
    removed = slack.command("organisateur retirer <@U0ORGA>", user="U0BOB")
    last = slack.command("organisateur retirer <@U0BOB>", user="U0BOB")
    refused = slack.command("organisateur ajouter <@U0EVE>", user="U0ORGA")
    usage = slack.command("organisateur promouvoir <@U0EVE>", user="U0BOB")

    assert "<@U0BOB> est maintenant organisateur·rice du groupe." in added.text
    assert "<@U0BOB> est déjà organisateur·rice du groupe." in again.text
    assert "<@U0ORGA> n’est plus organisateur·rice du groupe." in removed.text
    assert "dernier·e organisateur·rice du groupe" in last.text
    assert "Seul·es les organisateur·rices" in refused.text
    assert "`/partage organisateur ajouter @membre`" in usage.text
    with db() as session:
        assert session.scalars(select(Organiser.user_id)).all() == ["U0BOB"]
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["add_organiser", "remove_organiser"]


def test_cancel_two_confirmations_at_once_cancel_once(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    slack.command("organisateur ajouter <@U0CO>", user="U0ORGA")
    slack.command("participer", user="U0EVE")
    question = slack.command("annuler", user="U0ORGA")
    block_id, _element = find(question.json(), ActionId.BOARD_CANCEL_ONLY)
    fake_slack.reset()
    barrier = threading.Barrier(2)

    def confirm(user: str):
        barrier.wait(timeout=10)
        return slack.block_action(
            ActionId.BOARD_CANCEL_ONLY.value, "only", user=user, block_id=block_id, settle=False
        )

    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(confirm, ["U0ORGA", "U0CO"]))
    slack.settle()

    assert [r.status for r in replies] == [200, 200]
    assert [p["channel"] for p in fake_slack.posts() if p["channel"].startswith("U")] == ["U0EVE"]
    answers = sorted(a["text"] for a in fake_slack.response_posts())
    assert len(answers) == 2
    assert sum("est annulée" in a for a in answers) == 1
    assert sum("n’est plus à venir" in a for a in answers) == 1
    with db() as session:
        kinds = session.scalars(select(Delivery.kind)).all()
    assert kinds.count(DeliveryKind.SESSION_CANCEL) == 1
