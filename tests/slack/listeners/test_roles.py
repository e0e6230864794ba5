"""Role subcommands end to end: signed slash commands to the running bot, real database,
the fake Slack's recorded calls."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from bot.db.models import Contribution, Meeting, MeetingRole
from bot.enums import ContributionStatus, RoleKind
from bot.slack.ids import ActionId
from tests.conftest import DEFAULT_NOW
from tests.support.contributions import SESSION_WHEN, contribute, schedule
from tests.support.fake_slack import FakeSlack
from tests.support.living import announce, refresh, thread_replies
from tests.support.slack_client import SlackSender


def roles(db) -> list[tuple[str, RoleKind]]:
    with db() as session:
        return [
            (r.user_id, r.role)
            for r in session.scalars(select(MeetingRole).order_by(MeetingRole.id))
        ]


# --- guide ----------------------------------------------------------------------------------


def test_guide_claim_records_guide_confirms_and_replies_in_the_thread(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack)
    thread = announce(bot_server, clock)
    fake_slack.reset()

    reply = slack.command("guide", user="U0BOB")
    refresh(bot_server, clock)

    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral"
    assert f"Vous êtes guide de la session du *{SESSION_WHEN}*" in reply.text
    assert roles(db) == [("U0BOB", RoleKind.GUIDE)]
    assert [(p["channel"], p["thread_ts"], p["text"]) for p in fake_slack.posts()] == [
        (
            "C0GROUP",
            thread,
            f"<@U0BOB> sera guide de la session du *{SESSION_WHEN}*. Merci\u202f! 🙌",
        )
    ]


def test_guide_claim_again_by_the_guide_is_friendly(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack)
    slack.command("guide", user="U0BOB")
    fake_slack.reset()

    reply = slack.command("guide", user="U0BOB")

    assert "Vous êtes déjà guide" in reply.text
    assert roles(db) == [("U0BOB", RoleKind.GUIDE)]
    assert fake_slack.posts() == []


def test_guide_claim_when_taken_is_refused_naming_the_holder(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    slack.command("guide", user="U0BOB")
    fake_slack.reset()

    reply = slack.command("guide", user="U0EVE")

    assert reply.json()["response_type"] == "ephemeral"
    assert "<@U0BOB> est déjà guide de la prochaine session" in reply.text
    assert "`/partage contribuer`" in reply.text
    assert roles(db) == [("U0BOB", RoleKind.GUIDE)]
    assert fake_slack.posts() == []


def test_guide_twenty_simultaneous_claims_leave_one_guide_and_nineteen_refusals(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack)
    announce(bot_server, clock)
    fake_slack.reset()
    users = [f"U0CLAIM{i:02d}" for i in range(20)]
    barrier = threading.Barrier(len(users))

    def claim(user: str):
        barrier.wait(timeout=30)
        return user, slack.command("guide", user=user, settle=False)

    with ThreadPoolExecutor(len(users)) as pool:
        replies = dict(pool.map(claim, users))
    slack.settle()
    refresh(bot_server, clock)

    guides = [user for user, role in roles(db) if role is RoleKind.GUIDE]
    assert len(guides) == 1
    holder = guides[0]
    assert {r.status for r in replies.values()} == {200}
    assert "Merci\u202f! Vous êtes guide" in replies.pop(holder).text
    refusals = [r.text for r in replies.values()]
    assert len(refusals) == 19
    assert all(f"<@{holder}> est déjà guide de la prochaine session" in t for t in refusals)
    assert [p["text"] for p in fake_slack.posts()] == [
        f"<@{holder}> sera guide de la session du *{SESSION_WHEN}*. Merci\u202f! 🙌"
    ]


# --- RSVP -----------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["participer", "join"])
def test_join_records_rsvp_once(slack: SlackSender, fake_slack: FakeSlack, db, word):
    schedule(slack)
    fake_slack.reset()

    first = slack.command(word, user="U0BOB")
    second = slack.command(word, user="U0BOB")

    assert "Participant·es inscrit·es\u202f: 1." in first.text
    assert "Vous êtes déjà inscrit·e" in second.text
    assert roles(db) == [("U0BOB", RoleKind.PARTICIPANT)]
    assert fake_slack.posts() == []


# --- contribuer opens the modal ---------------------------------------------------------------


def test_contribute_acks_empty_and_opens_the_modal_with_the_trigger(
    slack: SlackSender, fake_slack: FakeSlack
):
    schedule(slack)

    reply = slack.command("contribuer", user="U0ALICE")

    assert (reply.status, reply.body) == (200, "")
    [opened] = fake_slack.calls("views.open")
    assert opened.args["trigger_id"].startswith("trigger-U0ALICE-")
    assert opened.args["view"]["title"]["text"] == "Ma contribution"


def test_contribute_when_trigger_expired_tells_the_member(
    slack: SlackSender, fake_slack: FakeSlack
):
    schedule(slack)
    fake_slack.fail("views.open", "expired_trigger_id")

    slack.command("contribuer", user="U0ALICE")

    [ephemeral] = fake_slack.calls("chat.postEphemeral")
    assert (ephemeral.args["channel"], ephemeral.args["user"]) == ("C0GROUP", "U0ALICE")
    assert "Réessayez avec `/partage contribuer`" in ephemeral.args["text"]


# --- prête ------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["prête", "prete", "Prête", "ready"])
def test_ready_marks_the_contribution_ready(slack: SlackSender, fake_slack: FakeSlack, db, word):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ALICE", title="Mon exposé")

    reply = slack.command(word, user="U0ALICE")

    assert "votre contribution «\u202fMon exposé\u202f» est prête" in reply.text
    with db() as session:
        stored = session.scalars(select(Contribution)).one()
        assert (stored.status, stored.ready_at) == (ContributionStatus.READY, DEFAULT_NOW)


def test_ready_twice_says_it_already_is(slack: SlackSender, fake_slack: FakeSlack):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ALICE", title="Mon exposé")
    slack.command("prête", user="U0ALICE")

    reply = slack.command("prête", user="U0ALICE")

    assert "déjà marquée prête" in reply.text


def test_ready_without_contribution_says_how_to_submit_one(slack: SlackSender, db):
    schedule(slack)

    reply = slack.command("prête", user="U0BOB")

    assert "Vous n’avez pas de contribution" in reply.text
    assert "`/partage contribuer`" in reply.text
    with db() as session:
        assert session.scalars(select(Contribution)).all() == []


# --- retirer ----------------------------------------------------------------------------------


def test_withdraw_releases_everything_lists_it_and_tells_the_group(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    schedule(slack)
    announce(bot_server, clock)
    slack.command("guide", user="U0ALICE")
    slack.command("participer", user="U0ALICE")
    contribute(slack, fake_slack, user="U0ALICE", title="Mon exposé")
    refresh(bot_server, clock)
    fake_slack.reset()

    withdrawn_at = clock.now()
    reply = slack.command("retirer", user="U0ALICE")
    refresh(bot_server, clock)

    text = reply.text
    assert f"C’est fait, pour la session du *{SESSION_WHEN}*\u202f:" in text
    assert "• vous n’êtes plus guide" in text
    assert "• votre contribution «\u202fMon exposé\u202f» est retirée" in text
    assert "• vous n’êtes plus inscrit·e comme participant·e" in text
    assert roles(db) == []
    with db() as session:
        kept = session.scalars(select(Contribution)).one()
        assert (kept.status, kept.withdrawn_at) == (ContributionStatus.WITHDRAWN, withdrawn_at)
    [notice] = thread_replies(fake_slack)
    assert notice["channel"] == "C0GROUP"
    assert "<@U0ALICE> ne sera plus guide" in notice["text"]
    assert "<@U0ALICE> a retiré sa contribution «\u202fMon exposé\u202f»" in notice["text"]
    with db() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    button = notice["blocks"][-1]["elements"][0]
    assert (button["action_id"], button["value"]) == (ActionId.CLAIM_GUIDE, str(meeting_id))


def test_withdraw_guide_only_keeps_the_contribution(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack)
    slack.command("guide", user="U0ALICE")
    contribute(slack, fake_slack, user="U0ALICE")

    reply = slack.command("retirer guide", user="U0ALICE")

    assert "vous n’êtes plus guide" in reply.text
    assert "contribution" not in reply.text
    assert roles(db) == []
    with db() as session:
        assert session.scalars(select(Contribution.status)).one() == ContributionStatus.PROPOSED


def test_withdraw_rsvp_only_tells_nobody(slack: SlackSender, fake_slack: FakeSlack, db):
    schedule(slack)
    slack.command("participer", user="U0BOB")
    fake_slack.reset()

    reply = slack.command("withdraw", user="U0BOB")

    assert "vous n’êtes plus inscrit·e comme participant·e" in reply.text
    assert roles(db) == []
    assert fake_slack.posts() == []


def test_withdraw_with_nothing_is_refused(slack: SlackSender, fake_slack: FakeSlack):
    schedule(slack)
    fake_slack.reset()

    reply = slack.command("retirer", user="U0BOB")

    assert "il n’y a rien à retirer" in reply.text
    assert fake_slack.posts() == []


def test_withdraw_unknown_word_names_the_accepted_ones(slack: SlackSender):
    schedule(slack)

    reply = slack.command("retirer <le chat>", user="U0BOB")

    assert "Je ne sais pas retirer «\u202f&lt;le chat&gt;\u202f»" in reply.text
    assert "`guide`, `contribution` ou `participation`" in reply.text


# --- no session -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["guide", "participer", "contribuer", "prête", "retirer", "join", "ready"]
)
def test_role_commands_without_session_explain_how_to_create_one(
    slack: SlackSender, fake_slack: FakeSlack, db, text
):
    reply = slack.command(text, user="U0BOB")

    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral"
    assert "Aucune session n’est prévue dans ce canal" in reply.text
    assert "`/partage session 2027-01-14 14:00`" in reply.text
    assert fake_slack.calls("views.open") == []
    assert roles(db) == []


def test_role_commands_after_the_session_was_held_explain_how_to_create_one(slack: SlackSender, db):
    schedule(slack)
    with db.begin() as session:
        session.scalars(select(Meeting)).one().status = "held"

    reply = slack.command("guide", user="U0BOB")

    assert "Aucune session n’est prévue dans ce canal" in reply.text


# --- programme --------------------------------------------------------------------------------


def test_programme_shows_guide_contributions_in_order_participants_and_budget(
    slack: SlackSender, fake_slack: FakeSlack
):
    schedule(slack)
    slack.command("guide", user="U0GUIDE")
    contribute(slack, fake_slack, user="U0ALICE", kind="demo", title="Mon extension", duration="10")
    contribute(
        slack,
        fake_slack,
        user="U0BOB",
        kind="guest",
        title="Vu d'ailleurs",
        duration="15",
        guest="Camille Martin",
        affiliation="APF France handicap",
        link="https://exemple.fr/support",
    )
    slack.command("prête", user="U0BOB")
    slack.command("participer", user="U0EVE")

    text = slack.command("programme", user="U0EVE").text

    assert "*Guide\u202f:* <@U0GUIDE>" in text
    alice = (
        "1. *14\u00a0h\u00a030\u00a0–\u00a014\u00a0h\u00a040* <@U0ALICE> — Démonstration "
        "«\u202fMon extension\u202f», 10\u00a0min "
        "· en préparation ⏳"
    )
    bob = (
        "2. *14\u00a0h\u00a040\u00a0–\u00a014\u00a0h\u00a055* Invité·e\u202f: Camille Martin (APF "
        "France handicap) — "
        "«\u202f<https://exemple.fr/support|Vu d'ailleurs>\u202f», accueilli·e par <@U0BOB>, "
        "15\u00a0min · contribution prête ✅"
    )
    assert alice in text
    assert bob in text
    # The guide, both contributors and Eve: one definition of participants.
    assert "*Participant·es inscrit·es\u202f:* 4" in text
    assert "*Temps de présentation\u202f:* 25\u00a0min sur 30" in text


def test_programme_keeps_order_when_the_first_contribution_is_edited(
    slack: SlackSender, fake_slack: FakeSlack
):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ALICE", title="Premier")
    contribute(slack, fake_slack, user="U0BOB", title="Second")
    contribute(slack, fake_slack, user="U0ALICE", title="Premier modifié", duration="25")

    text = slack.command("programme").text

    assert (
        "1. *14\u00a0h\u00a030\u00a0–\u00a014\u00a0h\u00a055* <@U0ALICE> — Exposé «\u202fPremier "
        "modifié\u202f», 25\u00a0min" in text
    )
    assert (
        "2. *14\u00a0h\u00a055\u00a0–\u00a015\u00a0h\u00a005* <@U0BOB> — Exposé "
        "«\u202fSecond\u202f», 10\u00a0min" in text
    )
    assert "⚠️ dépassement de 5\u00a0min" in text


def test_programme_hides_withdrawn_contributions(slack: SlackSender, fake_slack: FakeSlack):
    schedule(slack)
    contribute(slack, fake_slack, user="U0ALICE", title="Retiré")
    slack.command("retirer contribution", user="U0ALICE")

    text = slack.command("programme").text

    assert "Retiré" not in text
    assert "*Contributions\u202f:* aucune pour l’instant" in text
