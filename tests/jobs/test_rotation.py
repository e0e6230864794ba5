"""The fair rotation in the channel: the J-14 guide call and the session-end role call
suggest, by name and without pinging, the active members who guided least recently; the
refresh keeps the suggestion, and a guide taken removes it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.db.engine import transaction
from bot.db.models import Delivery, Meeting, MeetingRole
from bot.domain.planning import plan_meeting
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus, RoleKind
from bot.slack.ids import ActionId
from tests.support.blocks import assert_valid_message
from tests.support.contributions import schedule
from tests.support.fake_slack import FakeResponse, FakeSlack
from tests.support.living import posted_ts, refresh, run_kind_now, top_level_posts, updates
from tests.support.rotation import NOW, UPCOMING, rsvp, seed_history
from tests.support.slack_client import SlackSender, message_text

NAMES = {
    "U0ELLA": "Ella",
    "U0BERT": "Bertrand",
    "U0CAMI": "Camille",
    "U0FRED": "Frédérique",
    "U0ALIX": "Alix",
    "U0DOMI": "Dominique",
    "U0GINA": "Gina",
}
SESSION_END_AT = UPCOMING + timedelta(minutes=91)


def suggestion_line(message: dict[str, Any]) -> str | None:
    """The text of the rotation's context block, if the message has one."""
    for block in message.get("blocks") or []:
        if block["type"] != "context":
            continue
        text = " ".join(e.get("text", "") for e in block["elements"])
        if text.startswith("Suggestion"):
            return text
    return None


def meeting_id(db) -> str:
    with db() as session:
        return str(
            session.scalars(
                select(Meeting.id).where(Meeting.status == MeetingStatus.SCHEDULED)
            ).one()
        )


def test_guide_call_suggests_by_name_in_rotation_order_without_pinging(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    with transaction(db) as session:
        seed_history(session, upcoming=False)
    fake_slack.names.update(NAMES)
    schedule(slack)
    clock.set(NOW)

    run_kind_now(bot_server, clock, DeliveryKind.GUIDE_CALL)

    [call] = top_level_posts(fake_slack)
    assert suggestion_line(call) == (
        "Suggestion, à tour de rôle\u202f: Ella, Bertrand, Camille "
        "(pas encore guide, ou pas depuis longtemps)"
    )
    text = message_text(call)
    assert [f"<@{u}>" in text for u in ("U0ELLA", "U0BERT", "U0CAMI")] == [False] * 3
    assert_valid_message(call)


def test_guide_call_refresh_keeps_the_suggestion_until_a_guide_is_found(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    with transaction(db) as session:
        seed_history(session, upcoming=False)
    fake_slack.names.update(NAMES)
    schedule(slack)
    clock.set(NOW)
    run_kind_now(bot_server, clock, DeliveryKind.GUIDE_CALL)
    [call] = top_level_posts(fake_slack)
    call_ts = posted_ts(bot_server, DeliveryKind.GUIDE_CALL)
    asked = len(fake_slack.calls("users.info"))

    slack.command("theme Les communs numériques", user="U0ORGA")
    refresh(bot_server, clock)
    [kept] = updates(fake_slack)
    slack.block_action(ActionId.CLAIM_GUIDE, meeting_id(db), user="U0CAMI")
    refresh(bot_server, clock)
    [_, taken] = updates(fake_slack)

    assert kept["ts"] == call_ts
    assert suggestion_line(kept) == suggestion_line(call)
    # The names were asked once, when the call was posted: the refresh reads the cache.
    assert len(fake_slack.calls("users.info")) == asked
    assert suggestion_line(taken) is None
    assert "✅ <@U0CAMI> sera guide de cette session. Merci\u202f!" in message_text(taken)


def test_guide_call_leaves_out_a_member_slack_cannot_name(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    with transaction(db) as session:
        seed_history(session, upcoming=False)
    fake_slack.names.update(NAMES)
    fake_slack.on(
        "users.info",
        lambda args: (
            FakeResponse({"ok": False, "error": "internal_error"}, 500)
            if args.get("user") == "U0BERT"
            else None
        ),
    )
    schedule(slack)
    clock.set(NOW)

    run_kind_now(bot_server, clock, DeliveryKind.GUIDE_CALL)

    [call] = top_level_posts(fake_slack)
    assert suggestion_line(call) == (
        "Suggestion, à tour de rôle\u202f: Ella, Camille "
        "(pas encore guide, ou pas depuis longtemps)"
    )
    assert "U0BERT" not in message_text(call)


def seed_session_end(db) -> None:
    """The history, with its upcoming session guided by U0ELLA and attended by U0GINA,
    and only that session's end left to run."""
    with transaction(db) as session:
        group = seed_history(session)
        meeting = session.scalars(
            select(Meeting).where(Meeting.status == MeetingStatus.SCHEDULED)
        ).one()
        session.add(
            MeetingRole(
                meeting_id=meeting.id, user_id="U0ELLA", role=RoleKind.GUIDE, created_at=NOW
            )
        )
        rsvp(session, meeting, "U0GINA")
        plan_meeting(session, group=group, meeting=meeting, now=NOW, timezone="Europe/Paris")
        for delivery in session.scalars(select(Delivery)):
            if delivery.kind != DeliveryKind.SESSION_END:
                delivery.status = DeliveryStatus.DONE


def test_session_end_role_call_suggests_who_guided_least_recently(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    seed_session_end(db)
    fake_slack.names.update(NAMES)
    clock.set(SESSION_END_AT)

    run_kind_now(bot_server, clock, DeliveryKind.SESSION_END)

    [end, _poll] = [p for p in top_level_posts(fake_slack) if p["channel"] == "C0GROUP"]
    # U0ELLA just guided: out. U0GINA came today and never guided: first.
    assert suggestion_line(end) == (
        "Suggestion, à tour de rôle\u202f: Gina, Bertrand, Camille "
        "(pas encore guide, ou pas depuis longtemps)"
    )
    text = message_text(end)
    assert [f"<@{u}>" in text for u in ("U0GINA", "U0BERT", "U0CAMI")] == [False] * 3
    assert_valid_message(end)


def test_session_end_refresh_keeps_the_suggestion_then_drops_it_for_the_guide(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    seed_session_end(db)
    fake_slack.names.update(NAMES)
    clock.set(SESSION_END_AT)
    run_kind_now(bot_server, clock, DeliveryKind.SESSION_END)
    [end, _poll] = [p for p in top_level_posts(fake_slack) if p["channel"] == "C0GROUP"]

    slack.command("theme Les communs numériques", user="U0ORGA")
    refresh(bot_server, clock)
    [kept] = updates(fake_slack)
    slack.block_action(ActionId.CLAIM_GUIDE, meeting_id(db), user="U0BERT")
    refresh(bot_server, clock)
    [_, taken] = updates(fake_slack)

    assert suggestion_line(kept) == suggestion_line(end)
    assert suggestion_line(taken) is None
    assert "<@U0BERT>" in message_text(taken)


def test_guide_call_in_english_suggests_in_english(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    with transaction(db) as session:
        group = seed_history(session, upcoming=False)
        group.language = "en"  # type: ignore[assignment]
    fake_slack.names.update(NAMES)
    schedule(slack)
    clock.set(NOW)

    run_kind_now(bot_server, clock, DeliveryKind.GUIDE_CALL)

    [call] = top_level_posts(fake_slack)
    assert suggestion_line(call) == (
        "Suggestion, taking turns: Ella, Bertrand, Camille (not guided yet, or not for a while)"
    )
