"""The roles modal end to end: `/partage roles`, clicks in the open modal answered with
views.update, the organiser section and its refusals."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import AuditEntry, Contribution, Meeting, MeetingRole, Organiser
from bot.enums import ContributionStatus, RoleKind
from bot.slack.ids import ActionId, board_block_id
from tests.support.blocks import assert_valid_view
from tests.support.board import (
    add_contributions,
    click,
    has,
    open_roles,
    updated,
    view_text,
)
from tests.support.contributions import SESSION_WHEN, answers, contribute, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.living import announce, refresh, thread_replies
from tests.support.slack_client import SlackSender, submitted_values


def roles(db) -> list[tuple[str, RoleKind]]:
    with db() as session:
        return [
            (r.user_id, r.role)
            for r in session.scalars(select(MeetingRole).order_by(MeetingRole.id))
        ]


def meeting_id(db) -> int:
    with db() as session:
        return session.scalars(select(Meeting.id)).one()


# --- opening and members' actions ------------------------------------------------------------


def test_roles_opens_the_modal_with_date_guide_contributions_and_participation(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    slack.command("theme Les communs numériques", user="U0ORGA")
    contribute(slack, fake_slack, user="U0EVE", title="Les API ouvertes")

    view = open_roles(slack, fake_slack, user="U0BOB")

    text = view_text(view)
    assert_valid_view(view)
    assert view["callback_id"] == "partage_roles_modal"
    assert f"*Session du {SESSION_WHEN}*" in text
    assert "Thème\u202f: Les communs numériques" in text
    assert "*Guide\u202f:* personne pour l’instant." in text
    assert "«\u202fLes API ouvertes\u202f» · <@U0EVE> · 10\u00a0min · ⏳ en préparation" in text
    # Eve contributes, so she is coming: the one definition of participants.
    assert "vous n’êtes pas inscrit·e (1 au total)" in text
    assert has(view, ActionId.BOARD_TAKE_GUIDE)
    assert not has(view, ActionId.BOARD_ASSIGN_GUIDE)
    assert not has(view, ActionId.BOARD_CANCEL_ONLY)


def test_roles_take_guide_updates_the_modal_in_place_and_tells_the_channel(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack)
    refresh(bot_server, clock)
    thread = announce(bot_server, clock)
    view = open_roles(slack, fake_slack, user="U0BOB")
    fake_slack.reset()

    reply = click(slack, view, ActionId.BOARD_TAKE_GUIDE, user="U0BOB")

    after = updated(fake_slack)
    assert reply.status == 200
    assert roles(db) == [("U0BOB", RoleKind.GUIDE)]
    assert "*Guide\u202f:* c’est vous. Merci\u202f!" in view_text(after)
    assert has(after, ActionId.BOARD_RELEASE_GUIDE)
    assert fake_slack.calls("views.open") == []
    refresh(bot_server, clock)
    assert [(p["thread_ts"], p["text"]) for p in thread_replies(fake_slack)] == [
        (thread, f"<@U0BOB> sera guide de la session du *{SESSION_WHEN}*. Merci\u202f! 🙌")
    ]


def test_roles_concurrent_claim_is_refused_with_the_updated_view(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    view = open_roles(slack, fake_slack, user="U0BOB")
    slack.command("guide", user="U0EVE")  # meanwhile, someone else takes it
    fake_slack.reset()

    click(slack, view, ActionId.BOARD_TAKE_GUIDE, user="U0BOB")

    text = view_text(updated(fake_slack))
    assert roles(db) == [("U0EVE", RoleKind.GUIDE)]
    assert "<@U0EVE> est déjà guide de la prochaine session" in text
    assert "*Guide\u202f:* <@U0EVE>" in text
    assert fake_slack.posts() == []


def test_roles_join_then_leave_apply_in_place(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack)
    view = open_roles(slack, fake_slack, user="U0BOB")

    click(slack, view, ActionId.BOARD_JOIN, user="U0BOB")
    joined = updated(fake_slack)
    click(slack, joined, ActionId.BOARD_LEAVE, user="U0BOB")
    left = updated(fake_slack)

    assert "vous êtes inscrit·e (1 au total)" in view_text(joined)
    assert "vous n’êtes pas inscrit·e (0 au total)" in view_text(left)
    assert roles(db) == []


def test_roles_my_contribution_ready_then_withdraw(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack)
    contribute(slack, fake_slack, user="U0BOB", title="Mon sujet")
    view = open_roles(slack, fake_slack, user="U0BOB")

    click(slack, view, ActionId.BOARD_READY, user="U0BOB")
    ready = updated(fake_slack)
    click(slack, ready, ActionId.BOARD_WITHDRAW, user="U0BOB")
    withdrawn = updated(fake_slack)

    assert "«\u202fMon sujet\u202f» · <@U0BOB> · 10\u00a0min · ✅ prête" in view_text(ready)
    assert "*Ma contribution\u202f:* aucune pour l’instant." in view_text(withdrawn)
    with db() as session:
        assert session.scalars(select(Contribution.status)).all() == [ContributionStatus.WITHDRAWN]


def test_roles_add_contribution_pushes_the_form_over_the_modal(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    view = open_roles(slack, fake_slack, user="U0BOB")
    fake_slack.reset()

    click(slack, view, ActionId.BOARD_CONTRIBUTE, user="U0BOB")

    pushed = fake_slack.calls("views.push")
    assert len(pushed) == 1
    assert pushed[0].args["view"]["callback_id"] == "partage_contribution_modal"


# --- the organiser section -------------------------------------------------------------------


def test_roles_organiser_section_shown_to_organisers_only(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")

    organiser_view = open_roles(slack, fake_slack, user="U0ORGA")
    member_view = open_roles(slack, fake_slack, user="U0BOB")

    assert_valid_view(organiser_view)
    assert has(organiser_view, ActionId.BOARD_ASSIGN_GUIDE)
    assert has(organiser_view, ActionId.BOARD_CANCEL_PLAN_NEXT)
    assert "*Organisation*" in view_text(organiser_view)
    assert not has(member_view, ActionId.BOARD_ASSIGN_GUIDE)
    assert "*Organisation*" not in view_text(member_view)


def test_roles_crafted_organiser_actions_from_a_member_are_refused(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    contribute(slack, fake_slack, user="U0EVE")
    view = open_roles(slack, fake_slack, user="U0BOB")
    fake_slack.reset()
    mid = meeting_id(db)
    with db() as session:
        cid = session.scalars(select(Contribution.id)).one()
    crafted = [
        (
            ActionId.BOARD_ASSIGN_GUIDE,
            {"block_id": board_block_id(mid, "organise"), "selected_user": "U0BOB"},
        ),
        (
            ActionId.BOARD_CONTRIBUTION_MENU,
            {"block_id": board_block_id(mid, "item", cid), "selected_option": f"remove:{cid}"},
        ),
        (ActionId.BOARD_CANCEL_ONLY, {"block_id": board_block_id(mid, "cancel"), "value": "only"}),
        (
            ActionId.BOARD_ADD_ORGANISER,
            {"block_id": board_block_id(mid, "organise"), "selected_user": "U0BOB"},
        ),
    ]

    texts = []
    for action_id, fields in crafted:
        reply = click(slack, view, action_id, user="U0BOB", **fields)
        assert reply.status == 200
        texts.append(view_text(updated(fake_slack)))

    assert all("Seul·es les organisateur·rices du groupe peuvent faire cela" in t for t in texts)
    assert roles(db) == []
    with db() as session:
        assert session.scalars(select(Meeting.status)).all() == ["scheduled"]
        assert session.scalars(select(Contribution.status)).all() == [ContributionStatus.PROPOSED]
        assert session.scalars(select(Organiser.user_id)).all() == ["U0ORGA"]
        assert session.scalars(select(AuditEntry)).all() == []
    assert fake_slack.calls("chat.postMessage") == []


def test_roles_organiser_assigns_guide_and_contribution_and_the_audit_records_it(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    contribute(slack, fake_slack, user="U0EVE", title="Les communs")
    view = open_roles(slack, fake_slack, user="U0ORGA")

    click(slack, view, ActionId.BOARD_ASSIGN_GUIDE, user="U0ORGA", selected_user="U0BOB")
    after_guide = updated(fake_slack)
    click(
        slack, after_guide, ActionId.BOARD_ASSIGN_CONTRIBUTION, user="U0ORGA", selected_user="U0ZOE"
    )

    assert roles(db) == [("U0BOB", RoleKind.GUIDE)]
    assert "*Guide\u202f:* <@U0BOB>" in view_text(after_guide)
    with db() as session:
        assert session.scalars(select(Contribution.author_user_id)).all() == ["U0ZOE"]
        audit = [
            (a.actor_user_id, a.action, a.subject_user_id)
            for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert audit == [
        ("U0ORGA", "assign_guide", "U0BOB"),
        ("U0ORGA", "assign_contribution", "U0ZOE"),
    ]


def test_roles_organiser_reorders_and_removes_contributions(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    contribute(slack, fake_slack, user="U0ANA", title="Premier")
    contribute(slack, fake_slack, user="U0BEA", title="Second")
    contribute(slack, fake_slack, user="U0CAM", title="Troisième")
    with db() as session:
        ids = session.scalars(select(Contribution.id).order_by(Contribution.id)).all()
    view = open_roles(slack, fake_slack, user="U0ORGA")

    click(
        slack,
        view,
        ActionId.BOARD_CONTRIBUTION_MENU,
        user="U0ORGA",
        block_id=board_block_id(meeting_id(db), "item", ids[2]),
        selected_option=f"up:{ids[2]}",
    )
    moved = updated(fake_slack)
    click(
        slack,
        moved,
        ActionId.BOARD_CONTRIBUTION_MENU,
        user="U0ORGA",
        block_id=board_block_id(meeting_id(db), "item", ids[0]),
        selected_option=f"remove:{ids[0]}",
    )
    programme = slack.command("programme", user="U0ORGA").text

    with db() as session:
        positions = dict(session.execute(select(Contribution.title, Contribution.position)).all())
        statuses = dict(session.execute(select(Contribution.title, Contribution.status)).all())
    assert positions == {"Premier": 0, "Troisième": 1, "Second": 2}
    assert statuses["Premier"] == ContributionStatus.WITHDRAWN
    assert programme.index("Troisième") < programme.index("Second")
    assert "Premier" not in programme


def test_roles_guide_reorders_but_cannot_remove_and_sees_no_organiser_section(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    slack.command("guide", user="U0GUI")
    contribute(slack, fake_slack, user="U0ANA", title="Premier")
    contribute(slack, fake_slack, user="U0BEA", title="Second")
    with db() as session:
        ids = session.scalars(select(Contribution.id).order_by(Contribution.id)).all()
    view = open_roles(slack, fake_slack, user="U0GUI")
    menus = [
        [o["value"] for o in b["accessory"]["options"]]
        for b in view["blocks"]
        if b.get("accessory", {}).get("action_id") == ActionId.BOARD_CONTRIBUTION_MENU.value
    ]

    click(
        slack,
        view,
        ActionId.BOARD_CONTRIBUTION_MENU,
        user="U0GUI",
        block_id=board_block_id(meeting_id(db), "item", ids[1]),
        selected_option=f"up:{ids[1]}",
    )
    programme = slack.command("programme", user="U0ORGA").text

    assert menus == [[f"up:{ids[0]}", f"down:{ids[0]}"], [f"up:{ids[1]}", f"down:{ids[1]}"]]
    assert "Organisation" not in view_text(view)
    assert programme.index("Second") < programme.index("Premier")


def test_roles_forty_contributions_are_paginated_under_100_blocks(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    with db() as session:
        add_contributions(session, session.scalars(select(Meeting.id)).one(), 40)
        session.commit()

    first = open_roles(slack, fake_slack, user="U0ORGA")
    page = board_block_id(meeting_id(db), "page")
    click(slack, first, ActionId.BOARD_PAGE, user="U0ORGA", value="3", block_id=page)
    last = updated(fake_slack)
    member = open_roles(slack, fake_slack, user="U0BOB")

    for view in (first, last, member):
        assert_valid_view(view)
        assert len(view["blocks"]) < 100
    assert "Page 1 sur 4" in view_text(first)
    assert "Page 4 sur 4" in view_text(last)
    assert "Sujet 39" in view_text(last)
    assert "Sujet 39" not in view_text(first)


def test_roles_organiser_adds_and_removes_an_organiser(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    view = open_roles(slack, fake_slack, user="U0ORGA")

    click(slack, view, ActionId.BOARD_ADD_ORGANISER, user="U0ORGA", selected_user="U0BOB")
    added = updated(fake_slack)
    click(slack, added, ActionId.BOARD_REMOVE_ORGANISER, user="U0BOB", selected_user="U0ORGA")
    removed = updated(fake_slack)
    click(slack, removed, ActionId.BOARD_REMOVE_ORGANISER, user="U0BOB", selected_user="U0BOB")
    last = updated(fake_slack)

    assert "<@U0BOB> est maintenant organisateur·rice du groupe." in view_text(added)
    assert "<@U0ORGA> n’est plus organisateur·rice du groupe." in view_text(removed)
    assert "dernier·e organisateur·rice" in view_text(last)
    with db() as session:
        assert session.scalars(select(Organiser.user_id)).all() == ["U0BOB"]


def test_roles_button_on_a_session_message_opens_the_modal(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    fake_slack.reset()

    reply = slack.block_action(ActionId.ROLES_OPEN.value, str(meeting_id(db)), user="U0BOB")

    opened = fake_slack.calls("views.open")
    assert reply.status == 200
    assert len(opened) == 1
    assert opened[0].args["view"]["callback_id"] == "partage_roles_modal"
    assert f"*Session du {SESSION_WHEN}*" in view_text(opened[0].args["view"])


def test_roles_button_for_a_session_gone_says_so_in_the_modal(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    fake_slack.reset()

    reply = slack.block_action(ActionId.ROLES_OPEN.value, "999", user="U0BOB")

    assert reply.status == 200
    assert "n’est plus à venir" in view_text(fake_slack.calls("views.open")[0].args["view"])


def test_roles_contribution_submitted_from_the_modal_updates_the_modal_below(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    view = open_roles(slack, fake_slack, user="U0BOB")
    click(slack, view, ActionId.BOARD_CONTRIBUTE, user="U0BOB")
    form = fake_slack.calls("views.push")[-1].args["view"]
    fake_slack.reset()

    submitted = slack.view_submission(
        {**form, "previous_view_id": "V0ROLES"},
        submitted_values(form, answers(title="Depuis le modal")),
        user="U0BOB",
    )

    assert (submitted.status, submitted.body) == (200, "")
    below = updated(fake_slack)
    assert "«\u202fDepuis le modal\u202f» · <@U0BOB>" in view_text(below)
