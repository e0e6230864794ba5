"""The guide's last overview through the fake Slack: "demain", what changed since the
first overview, and "Relancer", which sends a friendly DM through the outbox at most
once a day per contributor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.bootstrap import build_dispatcher
from bot.db.models import Contribution, Delivery
from bot.enums import DeliveryKind
from bot.slack.ids import ActionId
from tests.support.contributions import contribute, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender, message_text
from tests.support.tour import answer, channel_members

J7 = datetime(2027, 1, 7, 9, 0, tzinfo=UTC)
J2 = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
J1 = datetime(2027, 1, 13, 9, 0, tzinfo=UTC)
NNBSP = "\u202f"


def contribution_id(db, author: str) -> int:
    with db() as session:
        return int(
            session.scalars(
                select(Contribution.id).where(Contribution.author_user_id == author)
            ).one()
        )


def dms_to(fake_slack: FakeSlack, user: str) -> list[dict]:
    return [p for p in fake_slack.posts() if p["channel"] == user]


def nudge_buttons(post: dict) -> list[tuple[str, str]]:
    return [
        (b["accessory"]["action_id"], b["accessory"]["value"])
        for b in post["blocks"]
        if b.get("accessory", {}).get("action_id") == ActionId.NUDGE_CONTRIBUTOR
    ]


def _month_until_j1(
    slack: SlackSender,
    fake_slack: FakeSlack,
    bot_server,
    clock,
    before_j1: Callable[[], None] | None = None,
) -> dict:
    """Three contributions at J-7; then one added, one withdrawn, one made ready (and
    whatever `before_j1` does once the tour de table's invitations are out)."""
    schedule(slack)
    slack.command("guide", user="U0GUIDE")
    slack.command("participer", user="U0EVE")
    contribute(slack, fake_slack, user="U0ANNA", title="Un commun", duration="10")
    contribute(slack, fake_slack, user="U0BOB", title="Une démo", duration="5")
    contribute(slack, fake_slack, user="U0CARL", title="Un retour", duration="5")
    dispatcher = build_dispatcher(bot_server.runtime)
    clock.set(J7)
    dispatcher.dispatch_due(clock.now())
    clock.advance(timedelta(hours=1))
    contribute(slack, fake_slack, user="U0DAN", title="Un outil", duration="5")
    slack.command("retirer contribution", user="U0CARL")
    slack.command("prête", user="U0BOB")
    if before_j1 is not None:
        channel_members(fake_slack, "U0GUIDE", "U0ANNA", "U0BOB", "U0DAN", "U0EVE")
        clock.set(J2)
        dispatcher.dispatch_due(clock.now())
        before_j1()
    fake_slack.reset()
    clock.set(J1)
    dispatcher.dispatch_due(clock.now())
    [overview] = dms_to(fake_slack, "U0GUIDE")
    return overview


def test_last_overview_says_tomorrow_lists_changes_and_offers_a_nudge_per_contribution(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    overview = _month_until_j1(slack, fake_slack, bot_server, clock)

    text = message_text(overview)
    assert overview["text"] == f"Demain, la session du jeudi 14 janvier 2027{NNBSP}: dernier point"
    assert "Vous guidez *demain* la session du *jeudi 14 janvier 2027 à 14\u00a0h*" in text
    assert (
        f"*Depuis le premier point{NNBSP}:*\n"
        f"• ➕ ajoutée{NNBSP}: «{NNBSP}Un outil{NNBSP}» (<@U0DAN>)\n"
        f"• ➖ retirée{NNBSP}: «{NNBSP}Un retour{NNBSP}» (<@U0CARL>)\n"
        f"• ✅ prête{NNBSP}: «{NNBSP}Une démo{NNBSP}» (<@U0BOB>)"
    ) in text
    assert nudge_buttons(overview) == [
        (ActionId.NUDGE_CONTRIBUTOR, str(contribution_id(db, "U0ANNA"))),
        (ActionId.NUDGE_CONTRIBUTOR, str(contribution_id(db, "U0DAN"))),
    ]
    # One definition of participants: the guide, three contributors and Eve.
    assert f"*Participant·es inscrit·es{NNBSP}:* 5" in text


def test_last_overview_keeps_the_tour_de_table_count_with_the_changes_and_the_nudges(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    def tour_answers() -> None:
        answer(slack, fake_slack, db, "U0EVE", feeling="En forme", needs="Un relecteur")
        answer(slack, fake_slack, db, "U0ANNA", feeling="Pressée")

    overview = _month_until_j1(slack, fake_slack, bot_server, clock, before_j1=tour_answers)

    text = message_text(overview)
    assert overview["text"] == f"Demain, la session du jeudi 14 janvier 2027{NNBSP}: dernier point"
    assert (
        f"🗣️ Tour de table{NNBSP}: 2 réponse(s) à ce jour. Vous les recevrez toutes "
        "15\u00a0min avant le début."
    ) in text
    assert f"• <@U0EVE>{NNBSP}: Un relecteur" in text
    assert f"*Depuis le premier point{NNBSP}:*" in text
    assert nudge_buttons(overview) == [
        (ActionId.NUDGE_CONTRIBUTOR, str(contribution_id(db, "U0ANNA"))),
        (ActionId.NUDGE_CONTRIBUTOR, str(contribution_id(db, "U0DAN"))),
    ]


def test_nudge_sends_one_friendly_dm_a_day_through_the_outbox(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _month_until_j1(slack, fake_slack, bot_server, clock)
    anna = str(contribution_id(db, "U0ANNA"))
    fake_slack.reset()

    slack.block_action(ActionId.NUDGE_CONTRIBUTOR, anna, user="U0GUIDE", channel="D0GUIDE")
    slack.block_action(ActionId.NUDGE_CONTRIBUTOR, anna, user="U0GUIDE", channel="D0GUIDE")
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())

    [dm] = dms_to(fake_slack, "U0ANNA")
    assert message_text(dm).startswith(
        f"👋 Petit signe de <@U0GUIDE> pour la session du *jeudi 14 janvier 2027 à 14\u00a0h* "
        f"dans <#C0GROUP>{NNBSP}: votre contribution «{NNBSP}Un commun{NNBSP}» n’est pas "
        "encore marquée prête."
    )
    assert [
        e["action_id"] for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"]
    ] == [
        ActionId.MARK_READY,
        ActionId.EDIT_CONTRIBUTION,
    ]
    first, second = (r["text"] for r in fake_slack.response_posts())
    assert first == f"Relance envoyée à <@U0ANNA> pour «{NNBSP}Un commun{NNBSP}»."
    assert second.startswith("<@U0ANNA> a déjà été relancé·e aujourd’hui")

    # The next day, a nudge may go again.
    fake_slack.reset()
    clock.advance(timedelta(hours=23))
    slack.block_action(ActionId.NUDGE_CONTRIBUTOR, anna, user="U0GUIDE", channel="D0GUIDE")
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())
    assert len(dms_to(fake_slack, "U0ANNA")) == 1
    with db() as session:
        kinds = session.scalars(
            select(Delivery.kind).where(Delivery.kind == DeliveryKind.CONTRIBUTOR_NUDGE)
        ).all()
    assert len(kinds) == 2


def test_nudge_by_a_member_who_does_not_guide_is_refused(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _month_until_j1(slack, fake_slack, bot_server, clock)
    fake_slack.reset()

    slack.block_action(ActionId.NUDGE_CONTRIBUTOR, str(contribution_id(db, "U0ANNA")), user="U0EVE")
    build_dispatcher(bot_server.runtime).dispatch_due(clock.now())

    assert dms_to(fake_slack, "U0ANNA") == []
    [refusal] = fake_slack.response_posts()
    assert "Seul·es le ou la guide et les organisateur·rices" in refusal["text"]


def test_nudge_for_a_ready_contribution_has_nothing_to_do(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    _month_until_j1(slack, fake_slack, bot_server, clock)
    fake_slack.reset()

    slack.block_action(
        ActionId.NUDGE_CONTRIBUTOR, str(contribution_id(db, "U0BOB")), user="U0GUIDE"
    )

    assert dms_to(fake_slack, "U0BOB") == []
    [refusal] = fake_slack.response_posts()
    assert refusal["text"].startswith(f"Plus rien à relancer{NNBSP}:")
