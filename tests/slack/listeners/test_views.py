"""The contribution modal end to end: `contribuer` opens it, a signed view_submission with
Slack's real view.state.values shapes saves it or answers `response_action: errors`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import Contribution, Group, Meeting
from bot.enums import ContributionKind, ContributionStatus, Language, MeetingStatus
from bot.slack.ids import ActionId, BlockId
from tests.conftest import DEFAULT_NOW
from tests.support.contributions import SESSION_WHEN, answers, contribute, open_modal, submit
from tests.support.fake_slack import FakeSlack
from tests.support.living import announce, refresh, thread_replies, updates
from tests.support.slack_client import SlackSender, message_text, submitted_values


def stored(db) -> list[Contribution]:
    with db() as session:
        return list(session.scalars(select(Contribution).order_by(Contribution.id)))


def test_submission_saves_the_contribution_and_closes_the_modal(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule_and_reset(slack, fake_slack)
    view = open_modal(slack, fake_slack, "U0ALICE")

    reply = slack.view_submission(
        view,
        submitted_values(
            view,
            answers(
                kind="experience",
                title="  Déployer une appli  ",
                description="Ce que nous avons appris.",
                duration="12",
                link="https://exemple.fr/retex",
            ),
        ),
        user="U0ALICE",
    )

    assert (reply.status, reply.body) == (200, "")
    [saved] = stored(db)
    assert (saved.author_user_id, saved.kind, saved.title) == (
        "U0ALICE",
        ContributionKind.EXPERIENCE,
        "Déployer une appli",
    )
    assert (saved.description, saved.duration_minutes, saved.link, saved.guest_name) == (
        "Ce que nous avons appris.",
        12,
        "https://exemple.fr/retex",
        None,
    )
    assert (saved.status, saved.created_at) == (ContributionStatus.PROPOSED, DEFAULT_NOW)


def schedule_and_reset(slack: SlackSender, fake_slack: FakeSlack) -> None:
    reply = slack.command("session 2027-01-14 14:00", user="U0ORGA")
    assert reply.status == 200
    fake_slack.reset()


@pytest.fixture
def announced(slack: SlackSender, fake_slack: FakeSlack, bot_server, clock) -> str:
    """A session whose announcement is out: its ts, the session's thread."""
    schedule_and_reset(slack, fake_slack)
    thread = announce(bot_server, clock)
    fake_slack.reset()
    return thread


def test_submission_confirms_to_the_member_and_replies_in_the_thread_without_the_budget(
    slack: SlackSender, fake_slack: FakeSlack, announced, bot_server, clock
):
    contribute(slack, fake_slack, user="U0ALICE", kind="demo", title="Mon extension", duration="12")
    refresh(bot_server, clock)

    [ephemeral] = fake_slack.calls("chat.postEphemeral")
    assert (ephemeral.args["channel"], ephemeral.args["user"]) == ("C0GROUP", "U0ALICE")
    confirmation = ephemeral.args["blocks"][0]["text"]["text"]
    assert (
        "Merci\u202f! Votre contribution est enregistrée pour la session du "
        f"*{SESSION_WHEN}*\u202f: Démonstration «\u202fMon extension\u202f», 12\u00a0min."
        in confirmation
    )
    assert "Temps de présentation prévu\u202f: 12\u00a0min sur 30." in confirmation
    assert "`/partage prête`" in confirmation
    [notice] = fake_slack.posts()
    assert (notice["channel"], notice["thread_ts"]) == ("C0GROUP", announced)
    assert "<@U0ALICE> contribue à la session" in notice["text"]
    assert "Temps de présentation" not in message_text(notice)
    [update] = updates(fake_slack)
    assert update["ts"] == announced
    assert "Mon extension" in message_text(update)


def test_submission_over_budget_warns_the_submitter_privately_and_the_guide(
    slack: SlackSender, fake_slack: FakeSlack, announced, bot_server, clock
):
    slack.command("guide", user="U0GUIDE")
    contribute(slack, fake_slack, user="U0BOB", duration="20")
    refresh(bot_server, clock)
    fake_slack.reset()

    contribute(slack, fake_slack, user="U0ALICE", title="De trop", duration="15")
    refresh(bot_server, clock)

    warning = "⚠️ Temps de présentation prévu\u202f: 35\u00a0min sur 30, soit 5\u00a0min de trop."
    [ephemeral] = fake_slack.calls("chat.postEphemeral")
    assert warning in ephemeral.args["blocks"][0]["text"]["text"]
    notice, dm = fake_slack.posts()
    assert (notice["channel"], notice["thread_ts"]) == ("C0GROUP", announced)
    assert "de trop" not in message_text(notice)
    assert (dm["channel"], dm.get("thread_ts")) == ("U0GUIDE", None)
    assert "35\u00a0min prévues pour 30, soit 5\u00a0min de trop" in dm["text"]
    assert "<@U0ALICE>, Exposé «\u202fDe trop\u202f», 15\u00a0min" in dm["text"]


def test_submission_over_budget_warns_the_guide_at_most_once_a_day(
    slack: SlackSender, fake_slack: FakeSlack, announced, bot_server, clock
):
    slack.command("guide", user="U0GUIDE")
    contribute(slack, fake_slack, user="U0BOB", duration="25")
    fake_slack.reset()

    for user in ("U0ALICE", "U0CARL", "U0DORA"):
        contribute(slack, fake_slack, user=user, duration="10")
        refresh(bot_server, clock)
    clock.advance(timedelta(days=1))
    contribute(slack, fake_slack, user="U0ALICE", title="Raccourci", duration="5")
    refresh(bot_server, clock)

    dms = [p for p in fake_slack.posts() if p["channel"] == "U0GUIDE"]
    assert len(dms) == 2
    assert "Raccourci" in dms[1]["text"]


def test_submission_within_budget_does_not_bother_the_guide(
    slack: SlackSender, fake_slack: FakeSlack, announced, bot_server, clock
):
    slack.command("guide", user="U0GUIDE")
    refresh(bot_server, clock)
    fake_slack.reset()

    contribute(slack, fake_slack, user="U0ALICE", duration="30")
    refresh(bot_server, clock)

    assert [(p["channel"], p.get("thread_ts")) for p in fake_slack.posts()] == [
        ("C0GROUP", announced)
    ]


def test_submission_over_budget_by_the_guide_sends_no_dm(
    slack: SlackSender, fake_slack: FakeSlack, announced, bot_server, clock
):
    slack.command("guide", user="U0GUIDE")
    contribute(slack, fake_slack, user="U0BOB", duration="30")
    refresh(bot_server, clock)
    fake_slack.reset()

    contribute(slack, fake_slack, user="U0GUIDE", duration="5")
    refresh(bot_server, clock)

    assert [p["channel"] for p in fake_slack.posts()] == ["C0GROUP"]


def test_submission_before_the_announcement_posts_nothing_in_the_channel(
    slack: SlackSender, fake_slack: FakeSlack, bot_server, clock
):
    schedule_and_reset(slack, fake_slack)

    contribute(slack, fake_slack, user="U0ALICE", duration="10")
    refresh(bot_server, clock)

    assert fake_slack.posts() == []
    assert len(fake_slack.calls("chat.postEphemeral")) == 1


def test_contribute_again_opens_the_modal_prefilled_and_saving_edits(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule_and_reset(slack, fake_slack)
    announce(bot_server, clock)
    contribute(
        slack,
        fake_slack,
        user="U0ALICE",
        kind="guest",
        title="Avec une invitée",
        description="Une alumni",
        duration="15",
        link="https://exemple.fr",
        guest="Camille",
    )
    refresh(bot_server, clock)
    [first] = stored(db)
    fake_slack.reset()

    view = open_modal(slack, fake_slack, "U0ALICE")
    values = submitted_values(view, {})  # submitted untouched: the prefilled values

    assert view["title"]["text"] == "Modifier ma contribution"
    kind = values[BlockId.CONTRIBUTION_KIND][ActionId.CONTRIBUTION_KIND]
    assert kind["selected_option"]["value"] == "guest"
    assert {
        block: next(iter(v.values())).get("value")
        for block, v in values.items()
        if block != BlockId.CONTRIBUTION_KIND
    } == {
        BlockId.CONTRIBUTION_TITLE: "Avec une invitée",
        BlockId.CONTRIBUTION_DESCRIPTION: "Une alumni",
        BlockId.CONTRIBUTION_DURATION: "15",
        BlockId.CONTRIBUTION_LINK: "https://exemple.fr",
        BlockId.CONTRIBUTION_GUEST: "Camille",
        BlockId.CONTRIBUTION_AFFILIATION: None,
    }

    reply = submit(slack, view, user="U0ALICE", title="Titre modifié", duration="20")
    refresh(bot_server, clock)

    assert (reply.status, reply.body) == (200, "")
    [edited] = stored(db)
    assert (edited.id, edited.created_at) == (first.id, first.created_at)
    assert (edited.title, edited.duration_minutes, edited.guest_name) == (
        "Titre modifié",
        20,
        "Camille",
    )
    [ephemeral] = fake_slack.calls("chat.postEphemeral")
    assert "Votre contribution pour la session" in ephemeral.args["text"]
    assert "est modifiée" in ephemeral.args["text"]
    [notice] = thread_replies(fake_slack)
    assert "<@U0ALICE> a modifié sa contribution" in notice["text"]


def test_edit_of_a_ready_contribution_keeps_it_ready(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule_and_reset(slack, fake_slack)
    contribute(slack, fake_slack, user="U0ALICE")
    slack.command("prête", user="U0ALICE")

    contribute(slack, fake_slack, user="U0ALICE", title="Retouché")

    [edited] = stored(db)
    assert (edited.title, edited.status) == ("Retouché", ContributionStatus.READY)


# --- validation: response_action errors on the offending block -----------------------------


@pytest.mark.parametrize(
    "case",
    [
        ({"title": "   "}, BlockId.CONTRIBUTION_TITLE, "de 1 à 150\u00a0caractères"),
        ({"title": "t" * 151}, BlockId.CONTRIBUTION_TITLE, "(ici\u202f: 151)"),
        ({"duration": "0"}, BlockId.CONTRIBUTION_DURATION, "un nombre entier de 1 à 30"),
        ({"duration": "31"}, BlockId.CONTRIBUTION_DURATION, "un nombre entier de 1 à 30"),
        ({"duration": "7.5"}, BlockId.CONTRIBUTION_DURATION, "un nombre entier de 1 à 30"),
        ({"duration": None}, BlockId.CONTRIBUTION_DURATION, "un nombre entier de 1 à 30"),
        ({"link": "ftp://exemple.fr/x"}, BlockId.CONTRIBUTION_LINK, "http:// ou https://"),
        ({"link": "javascript:alert(1)"}, BlockId.CONTRIBUTION_LINK, "http:// ou https://"),
        ({"kind": "guest", "guest": None}, BlockId.CONTRIBUTION_GUEST, "obligatoire"),
        ({"kind": "guest", "guest": "   "}, BlockId.CONTRIBUTION_GUEST, "obligatoire"),
        ({"description": "d" * 3001}, BlockId.CONTRIBUTION_DESCRIPTION, "au plus 3\u202f000"),
        ({"kind": None}, BlockId.CONTRIBUTION_KIND, "Exposé, Démonstration"),
        ({"kind": "keynote"}, BlockId.CONTRIBUTION_KIND, "Retour d’expérience ou Invité·e"),
    ],
)
def test_submission_breaking_a_rule_answers_errors_on_its_block(
    slack: SlackSender, fake_slack: FakeSlack, db, case
):
    fields, block, message = case
    schedule_and_reset(slack, fake_slack)

    reply = contribute(slack, fake_slack, user="U0ALICE", **fields)

    assert reply.status == 200
    body = reply.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == [block]
    assert message in body["errors"][block]
    assert stored(db) == []
    assert fake_slack.posts() == []
    assert fake_slack.calls("chat.postEphemeral") == []


def test_submission_breaking_several_rules_flags_each_block(
    slack: SlackSender, fake_slack: FakeSlack
):
    schedule_and_reset(slack, fake_slack)

    reply = contribute(
        slack, fake_slack, kind="guest", title="", duration="99", link="ftp://x", guest=None
    )

    assert set(reply.json()["errors"]) == {
        BlockId.CONTRIBUTION_TITLE,
        BlockId.CONTRIBUTION_DURATION,
        BlockId.CONTRIBUTION_LINK,
        BlockId.CONTRIBUTION_GUEST,
    }


def test_submission_errors_are_in_the_groups_language(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule_and_reset(slack, fake_slack)
    with db.begin() as session:
        session.scalars(select(Group)).one().language = Language.EN
    view = open_modal(slack, fake_slack, "U0ALICE")

    reply = submit(slack, view, title=" ", duration="45", link="ftp://x")

    assert view["title"]["text"] == "My contribution"
    errors = reply.json()["errors"]
    assert "The title must be 1 to 150 characters long" in errors[BlockId.CONTRIBUTION_TITLE]
    assert "a whole number from 1 to 30" in errors[BlockId.CONTRIBUTION_DURATION]
    assert "http:// or https://" in errors[BlockId.CONTRIBUTION_LINK]


def test_submission_with_an_invalid_edit_keeps_the_stored_contribution(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule_and_reset(slack, fake_slack)
    contribute(slack, fake_slack, user="U0ALICE", title="Intact")

    reply = contribute(slack, fake_slack, user="U0ALICE", title="Nouveau", duration="60")

    assert reply.json()["response_action"] == "errors"
    [kept] = stored(db)
    assert (kept.title, kept.duration_minutes) == ("Intact", 10)


# --- the session changed while the modal was open ------------------------------------------------


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.CANCELLED])
def test_submission_for_a_session_no_longer_scheduled_answers_errors(
    slack: SlackSender, fake_slack: FakeSlack, db, status
):
    schedule_and_reset(slack, fake_slack)
    view = open_modal(slack, fake_slack, "U0ALICE")
    with db.begin() as session:
        session.scalars(select(Meeting)).one().status = status

    reply = submit(slack, view, title="Trop tard")

    assert reply.json()["response_action"] == "errors"
    error = reply.json()["errors"][BlockId.CONTRIBUTION_TITLE]
    assert "Cette session n’est plus à venir" in error
    assert "`/partage programme`" in error
    assert stored(db) == []


def test_submission_with_foreign_metadata_answers_errors(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule_and_reset(slack, fake_slack)
    view = open_modal(slack, fake_slack, "U0ALICE")

    reply = slack.view_submission(
        view, submitted_values(view, answers()), user="U0ALICE", private_metadata="{}"
    )

    assert "n’est plus à venir" in reply.json()["errors"][BlockId.CONTRIBUTION_TITLE]
    assert stored(db) == []


# --- Slack refuses the follow-ups -------------------------------------------------------------


def test_submission_when_bot_not_in_channel_confirms_by_dm(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule_and_reset(slack, fake_slack)
    fake_slack.fail("chat.postEphemeral", "not_in_channel")
    fake_slack.fail("chat.postMessage", "not_in_channel", when=lambda a: a["channel"] == "C0GROUP")

    reply = contribute(slack, fake_slack, user="U0ALICE", title="Quand même")

    assert (reply.status, reply.body) == (200, "")
    assert len(stored(db)) == 1
    dms = [p for p in fake_slack.posts() if p["channel"] == "U0ALICE"]
    assert len(dms) == 1
    assert "«\u202fQuand même\u202f»" in dms[0]["text"]
    assert "/invite @partage" in dms[0]["text"]
