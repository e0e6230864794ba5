"""Each reader sees what they can act on, on the fake Slack's recorded calls: members read
"Lieu : à préciser" and neither readiness nor the presentation time nor a command they
may not run; the guide and the organisers get the "Indiquer le lieu" button (overview,
App Home), its form, and a J-1 alert while the place is missing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import Meeting
from bot.enums import ContributionStatus, DeliveryKind
from bot.slack.ids import ActionId, BlockId, CallbackId
from tests.support.blocks import assert_valid_message, assert_valid_view
from tests.support.board import elements, has, open_roles, published, view_text
from tests.support.cycle import add_contribution, add_guide
from tests.support.fake_slack import FakeSlack
from tests.support.living import run_kind_now
from tests.support.month import CONTRIBUTOR, HOST, PARTICIPANTS, Month, Shown
from tests.support.slack_client import SlackSender, message_text
from tests.support.tour import channel_members, dm
from tests.support.typography import shown_texts

ORGANISER_COMMANDS = ("lieu", "theme", "sondage", "session")
# What only the guide and the organisers read about the contributions.
READINESS = ("Temps de présentation", "dépassement", "prête ✅", "en préparation")


def meeting_id(db) -> int:
    with db() as session:
        return int(session.scalars(select(Meeting.id)).one())


def place_of(db) -> str | None:
    with db() as session:
        return session.scalar(select(Meeting.place))


def session_with_contributions(slack: SlackSender, db, clock) -> int:
    """A session organised by U0ORGA, guided by U0GUIDE, with one contribution ready and
    one in preparation, and no place yet."""
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    mid = meeting_id(db)
    add_guide(db, mid, "U0GUIDE", clock.now())
    add_contribution(db, mid, "U0ANNA", now=clock.now(), title="Un commun", order=1)
    add_contribution(
        db,
        mid,
        "U0BOB",
        now=clock.now(),
        title="Une démo",
        order=2,
        status=ContributionStatus.READY,
    )
    return mid


def dms(fake_slack: FakeSlack, user: str) -> list[dict[str, Any]]:
    return [p for p in fake_slack.posts() if p["channel"] == user]


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (e["action_id"], e.get("value", ""))
        for b in message.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def shows_a_command_of(text: str, commands: tuple[str, ...]) -> list[str]:
    return [c for c in commands if f"/partage {c}" in text]


# --- what members read --------------------------------------------------------------------


def test_announcement_shows_place_to_confirm_without_readiness_time_or_organiser_command(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    session_with_contributions(slack, db, clock)
    fake_slack.reset()

    run_kind_now(bot_server, clock, DeliveryKind.ANNOUNCEMENT)

    [post] = [p for p in fake_slack.posts() if p["channel"] == "C0GROUP"]
    assert_valid_message(post)
    text = message_text(post)
    assert "*Lieu\u202f:* à préciser" in text
    assert "Un commun" in text and "Une démo" in text
    assert [hidden for hidden in READINESS if hidden in text] == []
    assert shows_a_command_of(text, ORGANISER_COMMANDS) == []


def test_run_of_show_and_participant_reminder_show_place_to_confirm_only(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    session_with_contributions(slack, db, clock)
    slack.command("participer", user="U0CARL")
    fake_slack.reset()

    run_kind_now(bot_server, clock, DeliveryKind.PARTICIPANT_REMINDER)
    run_kind_now(bot_server, clock, DeliveryKind.RUN_OF_SHOW)

    [reminder] = dms(fake_slack, "U0CARL")
    [run] = [p for p in fake_slack.posts() if p["channel"] == "C0GROUP"]
    for message in (reminder, run):
        text = message_text(message)
        assert "*Lieu\u202f:* à préciser" in text
        assert [hidden for hidden in READINESS if hidden in text] == []
        assert shows_a_command_of(text, ORGANISER_COMMANDS) == []
        assert ActionId.SET_PLACE.value not in json.dumps(message)


def test_programme_reads_as_the_channel_for_members_and_in_full_for_guide_and_organisers(
    slack: SlackSender, db, clock
):
    session_with_contributions(slack, db, clock)

    member = slack.command("programme", user="U0CARL").text
    organiser = slack.command("programme", user="U0ORGA").text
    guide = slack.command("programme", user="U0GUIDE").text

    assert "*Lieu\u202f:* à préciser\n" in member
    assert [hidden for hidden in READINESS if hidden in member] == []
    assert shows_a_command_of(member, ORGANISER_COMMANDS) == []
    for full in (organiser, guide):
        assert "*Lieu\u202f:* à préciser (`/partage lieu &lt;texte ou lien&gt;`)" in full
        assert "*Temps de présentation\u202f:* 20\u00a0min sur 30" in full
        assert "contribution prête ✅" in full and "en préparation ⏳" in full


def test_help_shows_organiser_commands_to_organisers_only(slack: SlackSender, db, clock):
    session_with_contributions(slack, db, clock)

    member = slack.command("aide", user="U0CARL").text
    organiser = slack.command("aide", user="U0ORGA").text

    assert shows_a_command_of(member, ORGANISER_COMMANDS) == []
    assert "Les organisateur·rices et le ou la guide ont aussi leurs commandes" in member
    assert shows_a_command_of(organiser, ORGANISER_COMMANDS) == list(ORGANISER_COMMANDS)


# --- the guide's and the organisers' overviews ----------------------------------------------


def test_guide_overview_offers_the_place_button_while_no_place_is_set(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    mid = session_with_contributions(slack, db, clock)
    fake_slack.reset()

    run_kind_now(bot_server, clock, DeliveryKind.GUIDE_OVERVIEW)

    [overview] = dms(fake_slack, "U0GUIDE")
    assert_valid_message(overview)
    assert (ActionId.SET_PLACE.value, str(mid)) in buttons(overview)
    assert "Indiquer le lieu" in message_text(overview)
    assert "*Temps de présentation\u202f:* 20\u00a0min sur 30" in message_text(overview)


def test_last_overview_alerts_guide_first_and_each_organiser_while_the_place_is_missing(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    mid = session_with_contributions(slack, db, clock)
    fake_slack.reset()

    run_kind_now(bot_server, clock, DeliveryKind.GUIDE_LAST_OVERVIEW)

    [overview] = dms(fake_slack, "U0GUIDE")
    [alert] = dms(fake_slack, "U0ORGA")
    for message in (overview, alert):
        assert_valid_message(message)
        assert buttons(message)[0] == (ActionId.SET_PLACE.value, str(mid))
    # Right under the header: the first thing the guide reads the day before.
    assert overview["blocks"][1]["text"]["text"].startswith(
        "⚠️ *Le lieu n’est toujours pas indiqué.*"
    )
    assert alert["text"] == "Lieu à préciser pour la session du jeudi 14 janvier 2027"
    assert "*son lieu n’est toujours pas indiqué.*" in message_text(alert)


def test_last_overview_with_a_place_alerts_nobody(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    session_with_contributions(slack, db, clock)
    slack.command("lieu Salle 3", user="U0ORGA")
    fake_slack.reset()

    run_kind_now(bot_server, clock, DeliveryKind.GUIDE_LAST_OVERVIEW)

    [overview] = dms(fake_slack, "U0GUIDE")
    assert dms(fake_slack, "U0ORGA") == []
    assert "toujours pas indiqué" not in message_text(overview)
    assert ActionId.SET_PLACE.value not in [a for a, _v in buttons(overview)]
    assert "*Lieu\u202f:* Salle 3" in message_text(overview)


# --- the button and its form ------------------------------------------------------------


def open_place_form(slack: SlackSender, fake_slack: FakeSlack, db, user: str) -> dict[str, Any]:
    before = len(fake_slack.calls("views.open"))
    reply = slack.block_action(
        ActionId.SET_PLACE,
        str(meeting_id(db)),
        user=user,
        channel=dm(user),
        block_id=BlockId.PLACE_ACTIONS,
    )
    assert (reply.status, reply.body) == (200, ""), reply.body
    opened = fake_slack.calls("views.open")
    assert len(opened) == before + 1, "the form did not open"
    return opened[-1].args["view"]


def place_values(text: str) -> dict[str, Any]:
    return {
        BlockId.PLACE_INPUT.value: {
            ActionId.PLACE_INPUT.value: {"type": "plain_text_input", "value": text}
        }
    }


@pytest.mark.parametrize("user", ["U0GUIDE", "U0ORGA"])
def test_place_button_opens_the_form_and_saving_sets_the_place(
    slack: SlackSender, fake_slack: FakeSlack, db, clock, user: str
):
    session_with_contributions(slack, db, clock)

    view = open_place_form(slack, fake_slack, db, user)
    reply = slack.view_submission(view, place_values("  Salle 3,  12 rue des Lilas "), user=user)

    assert_valid_view(view)
    assert view["callback_id"] == CallbackId.PLACE_MODAL.value
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "update"
    assert_valid_view(answer["view"])
    assert answer["view"]["blocks"][0]["text"]["text"] == (
        "Lieu de la session du *jeudi 14 janvier 2027 à 14\u00a0h*\u202f: Salle 3, 12 rue des "
        "Lilas."
    )
    assert place_of(db) == "Salle 3, 12 rue des Lilas"
    # Opened again, the form shows the place in force.
    again = open_place_form(slack, fake_slack, db, user)
    [field] = [b for b in again["blocks"] if b["type"] == "input"]
    assert field["element"]["initial_value"] == "Salle 3, 12 rue des Lilas"


def test_place_form_refuses_a_broken_link_under_its_input(
    slack: SlackSender, fake_slack: FakeSlack, db, clock
):
    session_with_contributions(slack, db, clock)
    view = open_place_form(slack, fake_slack, db, "U0GUIDE")

    reply = slack.view_submission(view, place_values("https://exa mple"), user="U0GUIDE")

    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert answer["errors"][BlockId.PLACE_INPUT.value].startswith(
        "Ce lien de visio n’est pas une adresse web valide"
    )
    assert place_of(db) is None


def test_place_button_clicked_by_a_member_is_refused_and_opens_nothing(
    slack: SlackSender, fake_slack: FakeSlack, db, clock
):
    session_with_contributions(slack, db, clock)
    fake_slack.reset()

    slack.block_action(
        ActionId.SET_PLACE,
        str(meeting_id(db)),
        user="U0CARL",
        channel=dm("U0CARL"),
        block_id=BlockId.PLACE_ACTIONS,
    )

    assert fake_slack.calls("views.open") == []
    [response] = fake_slack.response_posts()
    assert response["text"].startswith("Seul·es les organisateur·rices du groupe (<@U0ORGA>)")


def test_place_form_submitted_by_a_member_is_refused_and_sets_nothing(
    slack: SlackSender, fake_slack: FakeSlack, db, clock
):
    session_with_contributions(slack, db, clock)
    view = open_place_form(slack, fake_slack, db, "U0ORGA")

    reply = slack.view_submission(view, place_values("Salle 3"), user="U0CARL")

    assert reply.json()["response_action"] == "errors"
    assert place_of(db) is None


# --- the App Home -----------------------------------------------------------------------


def test_home_offers_the_place_button_to_organisers_and_the_guide_only(
    slack: SlackSender, fake_slack: FakeSlack, db, clock
):
    session_with_contributions(slack, db, clock)
    channel_members(fake_slack, "U0ORGA", "U0GUIDE", "U0CARL")

    for user in ("U0ORGA", "U0GUIDE", "U0CARL"):
        slack.event({"type": "app_home_opened", "user": user, "channel": "D0", "tab": "home"})

    homes = {user: published(fake_slack, user)[-1] for user in ("U0ORGA", "U0GUIDE", "U0CARL")}
    for view in homes.values():
        assert_valid_view(view)
    assert [has(view, ActionId.SET_PLACE) for view in homes.values()] == [True, True, False]
    [(_block, button)] = [
        (b, e) for b, e in elements(homes["U0GUIDE"]) if e["action_id"] == ActionId.SET_PLACE
    ]
    assert (button["text"]["text"], button["value"]) == ("Indiquer le lieu", str(meeting_id(db)))


# --- a whole month, read by each member ----------------------------------------------------

# Subcommands only the organisers (and for some the guide) may run, French and English.
MANAGERS_ONLY = (
    "lieu",
    "place",
    "theme",
    "sondage",
    "poll",
    "session",
    "schedule",
    "config",
    "planning",
    "organisateur",
    "organiser",
    "annuler",
    "cancel",
)


def reader_of(shown: Shown) -> str | None:
    """Who reads a message or a Home: the channel (every member), a member's DM, the
    member whose Home it is; None when the recorded call does not say (replies, forms)."""
    args = shown.args
    if shown.how == "views.publish":
        return str(args["user_id"])
    if shown.how not in ("chat.postMessage", "chat.update"):
        return None
    channel = str(args.get("channel", ""))
    return "U" + channel[1:] if channel.startswith("D") else channel


def test_month_shows_members_no_command_they_may_not_run_and_no_readiness(
    slack: SlackSender, fake_slack: FakeSlack, clock, bot_server
):
    before = clock.now()
    try:
        shown = Month(slack, fake_slack, clock, bot_server).play()
    finally:
        clock.set(before)
    members = {"C0GROUP", CONTRIBUTOR, HOST, *PARTICIPANTS}
    read = [(reader_of(s), text) for s in shown for text in shown_texts(s.args)]

    commands = [
        (reader, word)
        for reader, text in read
        if reader in members
        for word in MANAGERS_ONLY
        if f"/partage {word} " in text or f"/partage {word}`" in text
    ]
    in_public = [
        text
        for reader, text in read
        if reader == "C0GROUP"
        for hidden in (*READINESS, "pas encore indiqué")
        if hidden in text
    ]

    assert {reader for reader, _text in read} >= {"C0GROUP", CONTRIBUTOR, *PARTICIPANTS}
    assert commands == []
    assert in_public == []


def test_roles_modal_shows_others_readiness_and_time_to_guide_and_organisers_only(
    slack: SlackSender, fake_slack: FakeSlack, db, clock
):
    session_with_contributions(slack, db, clock)

    member = view_text(open_roles(slack, fake_slack, "U0CARL"))
    guide = view_text(open_roles(slack, fake_slack, "U0GUIDE"))

    assert "*Contributions* (2 des autres membres)" in member
    assert "<@U0ANNA> · 10\u00a0min\n" in member + "\n"
    assert [
        hidden for hidden in ("prête", "en préparation", "prévues sur") if hidden in member
    ] == []
    assert "(2 des autres membres\u202f; 20\u00a0min prévues sur 30)" in guide
    assert "<@U0ANNA> · 10\u00a0min · ⏳ en préparation" in guide
