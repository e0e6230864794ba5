"""The App Home end to end: `app_home_opened` publishes it; members and organisers see
their part; a member of two groups sees both; someone else's change republishes it."""

from __future__ import annotations

from sqlalchemy import update

from bot.db.models import Group
from bot.enums import Language
from bot.slack.ids import ActionId
from tests.support.blocks import assert_valid_view
from tests.support.board import click, find, has, published, view_text
from tests.support.contributions import SESSION_WHEN, contribute, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender


def open_home(slack: SlackSender, fake_slack: FakeSlack, user: str) -> dict:
    before = len(published(fake_slack, user))
    reply = slack.event({"type": "app_home_opened", "user": user, "channel": "D0", "tab": "home"})
    assert reply.status == 200
    views = published(fake_slack, user)
    assert len(views) == before + 1, "the Home was not published"
    return views[-1]


def test_home_member_sees_the_next_session_their_role_and_their_buttons(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    slack.command("guide", user="U0EVE")
    contribute(slack, fake_slack, user="U0BOB", title="Mon sujet")

    home = open_home(slack, fake_slack, "U0BOB")

    text = view_text(home)
    assert_valid_view(home)
    assert home["type"] == "home"
    assert f"*Session du {SESSION_WHEN}* (<#C0GROUP>)" in text
    assert "Guide\u202f: <@U0EVE>" in text
    assert "Votre rôle\u202f: contribution «\u202fMon sujet\u202f» (⏳ en préparation)" in text
    assert has(home, ActionId.ROLES_OPEN)
    assert has(home, ActionId.BOARD_READY)
    assert "*Préparation*" not in text
    assert not has(home, ActionId.BOARD_CONFIG)


def test_home_organiser_sees_readiness_config_and_the_last_changes(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    contribute(slack, fake_slack, user="U0BOB", title="Mon sujet")
    slack.command("prête", user="U0BOB")
    contribute(slack, fake_slack, user="U0ZOE", title="Autre sujet")
    slack.command("guide <@U0EVE>", user="U0ORGA")

    home = open_home(slack, fake_slack, "U0ORGA")

    text = view_text(home)
    assert_valid_view(home)
    assert "1 contribution(s) prête(s) sur 2, 20\u00a0min sur 30" in text
    assert "«\u202fMon sujet\u202f» · <@U0BOB> · 10\u00a0min · ✅ prête" in text
    assert has(home, ActionId.BOARD_CONFIG)
    assert "Dernières modifications" in text
    assert "<@U0ORGA> a confié le rôle de guide à <@U0EVE>" in text


def test_home_member_of_two_groups_sees_both(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack, user="U0ORGA")
    slack.command("session 2027-02-04 18:00", user="U0OTHER", channel="C0SECOND")
    slack.command("participer", user="U0BOB")
    slack.command("guide", user="U0BOB", channel="C0SECOND")

    home = open_home(slack, fake_slack, "U0BOB")

    text = view_text(home)
    assert f"*Session du {SESSION_WHEN}* (<#C0GROUP>)" in text
    assert "*Session du jeudi 4 février 2027 à 18\u00a0h* (<#C0SECOND>)" in text
    assert "Votre rôle\u202f: participant·e" in text
    assert "Votre rôle\u202f: guide" in text


def test_home_groups_disagreeing_on_language_follow_the_slack_locale(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    slack.command("session 2027-02-04 18:00", user="U0OTHER", channel="C0SECOND")
    with db() as session:
        session.execute(
            update(Group).where(Group.channel_id == "C0SECOND").values(language=Language.EN)
        )
        session.commit()
    slack.command("participer", user="U0BOB")
    slack.command("join", user="U0BOB", channel="C0SECOND")
    fake_slack.on(
        "users.info",
        lambda args: {
            "ok": True,
            "user": {"id": args.get("user"), "is_admin": False, "locale": "en-US"},
        },
    )

    home = open_home(slack, fake_slack, "U0BOB")

    text = view_text(home)
    assert "Your role: attendee" in text
    assert home["blocks"][0]["text"]["text"] == "Peer sharing"
    assert [c.args.get("include_locale") for c in fake_slack.calls("users.info")][-1] in (
        True,
        "true",
        "1",
    )


def test_home_is_republished_after_someone_elses_change(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    slack.command("participer", user="U0BOB")
    open_home(slack, fake_slack, "U0BOB")
    fake_slack.reset()

    slack.command("guide <@U0BOB>", user="U0ORGA")

    homes = published(fake_slack, "U0BOB")
    assert len(homes) == 1
    assert "Votre rôle\u202f: guide · participant·e" in view_text(homes[0])


def test_home_button_applies_the_action_and_republishes_the_home(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    slack.command("guide", user="U0EVE")
    fake_slack.members["C0GROUP"] = ["U0ORGA", "U0BOB"]
    home = open_home(slack, fake_slack, "U0BOB")
    fake_slack.reset()

    click(slack, home, ActionId.BOARD_JOIN, user="U0BOB", surface="home")

    homes = published(fake_slack, "U0BOB")
    assert len(homes) == 1
    assert "participant·e" in view_text(homes[0])
    assert not has(homes[0], ActionId.BOARD_JOIN)
    assert fake_slack.calls("views.update") == []


def test_home_with_no_group_invites_to_start(slack: SlackSender, fake_slack: FakeSlack, db):
    home = open_home(slack, fake_slack, "U0NEW")

    assert "Vous ne faites encore partie d’aucun groupe" in view_text(home)


def test_home_guide_taken_meanwhile_is_refused_in_a_modal_and_the_home_updated(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    slack.command("participer", user="U0BOB")
    home = open_home(slack, fake_slack, "U0BOB")
    slack.command("guide", user="U0EVE")
    fake_slack.reset()

    click(slack, home, ActionId.BOARD_TAKE_GUIDE, user="U0BOB", surface="home")

    refusal = fake_slack.calls("views.open")[0].args["view"]
    assert "<@U0EVE> est déjà guide de la prochaine session" in view_text(refusal)
    assert "Guide\u202f: <@U0EVE>" in view_text(published(fake_slack, "U0BOB")[-1])


def test_home_is_republished_after_the_members_own_command(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    fake_slack.reset()

    slack.command("participer", user="U0BOB")

    homes = published(fake_slack, "U0BOB")
    assert len(homes) == 1
    assert "Votre rôle\u202f: participant·e" in view_text(homes[0])
    assert [c.args["user"] for c in fake_slack.calls("users.info")] == []


def test_home_contribute_opens_the_form(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack, user="U0ORGA")
    contribute(slack, fake_slack, user="U0BOB")
    home = open_home(slack, fake_slack, "U0ORGA")
    fake_slack.reset()

    click(slack, home, ActionId.BOARD_CONTRIBUTE, user="U0ORGA", surface="home")

    opened = fake_slack.calls("views.open")
    assert [v.args["view"]["callback_id"] for v in opened] == ["partage_contribution_modal"]
    assert fake_slack.calls("views.push") == []


def test_home_follows_a_change_that_does_not_name_the_member_right_after_its_commit(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack, user="U0ORGA")
    slack.command("participer", user="U0BOB")
    open_home(slack, fake_slack, "U0BOB")
    fake_slack.reset()

    slack.command("theme Les données ouvertes", user="U0ORGA")
    bot_server.drain()

    homes = published(fake_slack, "U0BOB")
    assert len(homes) == 1
    assert "Les données ouvertes" in view_text(homes[0])


# --- the Home follows every change, and knows the channels a member is in -----------------


def test_home_of_a_channel_member_without_a_role_shows_the_group_and_its_roles(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    fake_slack.members["C0GROUP"] = ["U0ORGA", "U0NEW"]

    home = open_home(slack, fake_slack, "U0NEW")

    text = view_text(home)
    assert_valid_view(home)
    assert f"*Session du {SESSION_WHEN}* (<#C0GROUP>)" in text
    assert "aucun groupe" not in text
    assert has(home, ActionId.BOARD_TAKE_GUIDE)
    assert has(home, ActionId.BOARD_JOIN)
    assert has(home, ActionId.BOARD_CONTRIBUTE)
    assert [c.args["user"] for c in fake_slack.calls("users.conversations")] == ["U0NEW"]


def test_home_of_a_member_of_no_group_channel_says_so(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    fake_slack.members["C0OTHER"] = ["U0NEW"]

    home = open_home(slack, fake_slack, "U0NEW")

    assert "Session du" not in view_text(home)


def test_home_newcomer_takes_a_first_role_and_the_home_shows_it(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    fake_slack.members["C0GROUP"] = ["U0NEW"]
    home = open_home(slack, fake_slack, "U0NEW")
    fake_slack.reset()

    click(slack, home, ActionId.BOARD_TAKE_GUIDE, user="U0NEW", surface="home")

    [republished] = published(fake_slack, "U0NEW")
    assert "Guide\u202f: <@U0NEW>" in view_text(republished)


def test_home_offers_add_to_my_calendar_for_each_session(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")

    home = open_home(slack, fake_slack, "U0ORGA")

    assert_valid_view(home)
    block_id, _element = find(home, ActionId.CALENDAR_ICS)
    assert block_id.startswith("partage_calendar:")
    assert has(home, ActionId.CALENDAR_GOOGLE)
    assert has(home, ActionId.CALENDAR_OUTLOOK)


def test_home_add_to_my_calendar_sends_the_ics_by_dm(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack, user="U0ORGA")
    home = open_home(slack, fake_slack, "U0ORGA")
    fake_slack.reset()

    reply = click(slack, home, ActionId.CALENDAR_ICS, user="U0ORGA", surface="home")

    assert reply.status == 200
    [(upload, _content)] = fake_slack.shared_files()
    assert upload["channel_id"] == "D0ORGA"
    assert fake_slack.response_posts() == []


def test_home_of_the_organiser_follows_a_contributor_marking_ready(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    contribute(slack, fake_slack, user="U0BOB", title="Mon sujet")
    contribute(slack, fake_slack, user="U0ZOE", title="Autre sujet")
    before = open_home(slack, fake_slack, "U0ORGA")
    fake_slack.reset()

    slack.command("prête", user="U0BOB")

    [after] = published(fake_slack, "U0ORGA")
    assert "0 contribution(s) prête(s) sur 2" in view_text(before)
    assert "1 contribution(s) prête(s) sur 2" in view_text(after)


def test_home_of_a_channel_member_follows_a_change_once_shown(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    fake_slack.members["C0GROUP"] = ["U0NEW"]
    open_home(slack, fake_slack, "U0NEW")
    fake_slack.reset()

    slack.command("theme Les communs numériques", user="U0ORGA")

    [after] = published(fake_slack, "U0NEW")
    assert "Les communs numériques" in view_text(after)


# --- each reader's next action ----------------------------------------------------------------


def home_buttons(home: dict) -> list[tuple[str, str | None]]:
    """The session's buttons on the Home (the calendar's row aside): text and style."""
    return [
        (element["text"]["text"], element.get("style"))
        for block in home["blocks"]
        if block["type"] == "actions" and block["block_id"].endswith(":home")
        for element in block["elements"]
    ]


def test_home_primary_button_of_a_contributor_not_ready_is_ready(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    contribute(slack, fake_slack, user="U0BOB", title="Mon sujet")

    home = open_home(slack, fake_slack, "U0BOB")

    assert home_buttons(home) == [
        ("Ma contribution est prête", "primary"),
        ("Je serai guide", None),
        ("Rôles", None),
    ]


def test_home_primary_button_while_nobody_guides_is_je_serai_guide(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    fake_slack.members["C0GROUP"] = ["U0ORGA", "U0NEW"]

    home = open_home(slack, fake_slack, "U0NEW")

    assert home_buttons(home) == [
        ("Je serai guide", "primary"),
        ("Je participe", None),
        ("Proposer une contribution", None),
        ("Rôles", None),
    ]


def test_home_primary_button_of_a_member_without_a_role_once_guided_is_je_participe(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    slack.command("guide", user="U0EVE")
    fake_slack.members["C0GROUP"] = ["U0ORGA", "U0NEW"]

    home = open_home(slack, fake_slack, "U0NEW")

    assert home_buttons(home) == [
        ("Je participe", "primary"),
        ("Proposer une contribution", None),
        ("Rôles", None),
    ]


def test_home_of_the_guide_and_of_a_ready_contributor_offers_no_je_participe(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    slack.command("guide", user="U0EVE")
    contribute(slack, fake_slack, user="U0BOB", title="Mon sujet")
    slack.command("prete", user="U0BOB")
    slack.command("participer", user="U0CAROL")

    guide, ready, participant = (
        open_home(slack, fake_slack, user) for user in ("U0EVE", "U0BOB", "U0CAROL")
    )

    assert home_buttons(guide) == [("Rôles", "primary"), ("Proposer une contribution", None)]
    assert home_buttons(ready) == [("Rôles", "primary")]
    assert home_buttons(participant) == [
        ("Proposer une contribution", "primary"),
        ("Rôles", None),
    ]
