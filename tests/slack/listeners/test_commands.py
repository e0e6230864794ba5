"""The slash command end to end: signed requests to the running bot, real database."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event, insert, select

from bot.db.engine import make_engine
from bot.db.models import Contribution, Group, Meeting, Organiser
from bot.enums import ContributionKind, ContributionStatus
from bot.slack.listeners import commands
from tests.support.fake_slack import FakeSlack
from tests.support.living import announce, refresh, thread_replies, updates
from tests.support.slack_client import SlackSender, message_text


def test_command_schedule_then_programme_shows_french_date_and_phases(slack: SlackSender):
    created = slack.command("session 2027-01-14 14:00")
    programme = slack.command("programme")

    assert created.status == 200
    assert "jeudi 14 janvier 2027 à 14\u00a0h" in created.text
    assert programme.status == 200
    assert programme.json()["response_type"] == "ephemeral"
    text = programme.text
    assert "jeudi 14 janvier 2027 à 14\u00a0h" in text
    assert "*14\u00a0h\u00a0–\u00a014\u00a0h\u00a002* Introduction" in text
    assert "*14\u00a0h\u00a002\u00a0–\u00a014\u00a0h\u00a030* Tour de table" in text
    assert "*14\u00a0h\u00a030\u00a0–\u00a015\u00a0h\u00a015* Échange" in text
    assert "*15\u00a0h\u00a015\u00a0–\u00a015\u00a0h\u00a025* Anticipation" in text
    assert "*15\u00a0h\u00a030* Fin" in text


def test_command_schedule_makes_first_user_organiser_and_keeps_the_channel_quiet(
    slack: SlackSender, fake_slack: FakeSlack, db, bot_server, clock
):
    reply = slack.command("session 14/01/2027 14h", user="U0ORGA")
    refresh(bot_server, clock)

    assert "organisateur·rice" in reply.text
    with db() as session:
        assert session.scalars(select(Organiser.user_id)).all() == ["U0ORGA"]
        assert len(session.scalars(select(Meeting)).all()) == 1
    # The guide call and the announcement tell the group when they are due.
    assert fake_slack.posts() == []


def test_command_programme_without_session_explains_how_to_create_one(slack: SlackSender):
    reply = slack.command("programme")

    assert reply.status == 200
    assert "Aucune session n’est prévue" in reply.text
    assert "`/partage session 2027-01-14 14:00`" in reply.text


def test_command_empty_text_answers_help(slack: SlackSender):
    reply = slack.command("")

    assert "`/partage session 2027-01-14 14:00`" in reply.text
    assert "`/partage programme`" in reply.text


def test_command_unknown_subcommand_answers_help_naming_it(slack: SlackSender):
    reply = slack.command("frobnicate now")

    assert "Je ne connais pas la commande «\u202ffrobnicate\u202f»" in reply.text
    assert "`/partage aide`" in reply.text
    assert "`/partage session" not in reply.text


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("partciper", "participer"), ("Contribuez", "contribuer"), ("prets", "prête")],
)
def test_command_mistyped_suggests_the_nearest_subcommand(slack: SlackSender, typed, suggested):
    reply = slack.command(typed)

    assert f"Vouliez-vous dire `/partage {suggested}`\u202f?" in reply.text


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("", "Indiquez la date et l’heure"),
        ("demain", "Je ne comprends pas la date «\u202fdemain\u202f»"),
        ("2027-02-30 14:00", "n’existe pas dans le calendrier"),
        ("2026-11-01 14:00", "est déjà passée"),
        ("2027-03-28 02:30", "n’existe pas ce jour-là"),
    ],
)
def test_command_schedule_bad_date_refused_with_formats_and_nothing_saved(
    slack: SlackSender, fake_slack: FakeSlack, db, argument, expected
):
    reply = slack.command(f"session {argument}")

    assert reply.status == 200
    assert expected in reply.text
    assert "`2027-01-14 14:00`, `14/01/2027 14h00` ou `14/01/2027 14h`" in reply.text
    with db() as session:
        assert session.scalars(select(Meeting)).all() == []
        assert session.scalars(select(Organiser)).all() == []
    assert fake_slack.posts() == []


def test_command_schedule_again_moves_the_session(slack: SlackSender, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    reply = slack.command("session 21/01/2027 10h", user="U0ORGA")

    assert (
        "Session déplacée\u202f: elle aura lieu le *jeudi 21 janvier 2027 à 10\u00a0h*"
        in reply.text
    )
    assert "jeudi 14 janvier 2027 à 14\u00a0h" in reply.text
    with db() as session:
        meetings = session.scalars(select(Meeting)).all()
    assert [m.starts_at for m in meetings] == [datetime(2027, 1, 21, 9, 0, tzinfo=UTC)]


def test_command_schedule_by_non_organiser_refused_naming_organisers(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    reply = slack.command("session 2027-01-21 14:00", user="U0BOB")

    assert "Seul·es les organisateur·rices du groupe (<@U0ORGA>)" in reply.text
    with db() as session:
        assert session.scalar(select(Meeting.starts_at)) == datetime(2027, 1, 14, 13, tzinfo=UTC)
    assert [c.args["user"] for c in fake_slack.calls("users.info")] == ["U0BOB"]


def test_command_schedule_by_workspace_admin_allowed(slack: SlackSender, fake_slack: FakeSlack, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    fake_slack.admins.add("U0ADMIN")

    reply = slack.command("session 2027-01-21 14:00", user="U0ADMIN")

    assert "Session déplacée" in reply.text
    with db() as session:
        assert session.scalars(select(Organiser.user_id)).all() == ["U0ORGA"]


def test_command_theme_sets_theme_shown_by_programme_and_the_announcement(
    slack: SlackSender, fake_slack: FakeSlack, bot_server, clock
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    thread = announce(bot_server, clock)
    fake_slack.reset()

    reply = slack.command("theme   Le design   des politiques publiques ", user="U0ORGA")
    programme = slack.command("programme", user="U0BOB")
    refresh(bot_server, clock)

    assert "*Le design des politiques publiques*" in reply.text
    assert "*Thème\u202f:* Le design des politiques publiques" in programme.text
    [notice] = thread_replies(fake_slack)
    assert (notice["thread_ts"], "a fixé le thème" in notice["text"]) == (thread, True)
    [update] = updates(fake_slack)
    assert update["ts"] == thread
    assert "Le design des politiques publiques" in message_text(update)


@pytest.mark.parametrize("theme", ["", "x" * 201])
def test_command_theme_length_refused(slack: SlackSender, db, theme):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    reply = slack.command(f"theme {theme}", user="U0ORGA")

    assert "entre 1 et 200\u00a0caractères" in reply.text
    with db() as session:
        assert session.scalar(select(Meeting.theme)) is None


def test_command_theme_by_non_organiser_refused(slack: SlackSender, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    reply = slack.command("theme Mon thème", user="U0BOB")

    assert "peuvent fixer le thème" in reply.text
    assert "`/partage proposer &lt;thème&gt;`" in reply.text
    with db() as session:
        assert session.scalar(select(Meeting.theme)) is None


def test_command_theme_without_session_explains_how_to_create_one(slack: SlackSender):
    reply = slack.command("theme Accessibilité")

    assert "Aucune session n’est prévue" in reply.text


def test_command_bad_signature_gets_401(slack: SlackSender, db):
    reply = slack.command("session 2027-01-14 14:00", signature="v0=" + "0" * 64)

    assert reply.status == 401
    with db() as session:
        assert session.scalars(select(Meeting)).all() == []


def test_command_old_timestamp_gets_401(slack: SlackSender):
    reply = slack.command("programme", timestamp=int(time.time()) - 6 * 60)

    assert reply.status == 401


def test_command_unexpected_failure_answers_200_apology(
    slack: SlackSender, monkeypatch: pytest.MonkeyPatch
):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("bot.slack.listeners.commands.channel_programme", broken)
    slack.command("session 2027-01-14 14:00")

    reply = slack.command("programme")

    assert reply.status == 200
    assert "quelque chose s’est mal passé" in reply.text
    assert "boom" not in reply.body
    assert "Traceback" not in reply.body


def test_healthz_answers_200_when_database_answers(slack: SlackSender):
    assert slack.get("/healthz").status == 200


# --- commands out of place ------------------------------------------------------------------


def test_command_in_a_dm_without_any_group_says_how_to_start_one_in_a_channel(
    slack: SlackSender, db
):
    reply = slack.command("session 2027-01-14 14:00", user="U0BOB", channel="D0BOB")

    assert "invitez-moi dans le canal de votre groupe (`/invite @partage`)" in reply.text
    assert "Aucune session n’est prévue dans ce canal" not in reply.text
    with db() as session:
        assert session.scalars(select(Meeting)).all() == []
        assert session.scalars(select(Group)).all() == []


def test_command_in_a_dm_names_the_members_group_channels(slack: SlackSender, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("session 2027-02-11 14:00", user="U0ORGA", channel="C0OTHER")
    slack.command("participer", user="U0BOB", channel="C0OTHER")

    reply = slack.command("programme", user="U0BOB", channel="D0BOB")

    assert reply.json()["text"] == (
        "Ici, je ne peux rien faire pour un groupe. Tapez cette commande dans le canal de "
        "votre groupe\u202f: <#C0OTHER>."
    )


# --- programme: the reply reused while the group's revision stands ----------------------


def _add_contribution(engine: Engine, title: str) -> None:
    """A contribution written as another process sharing the database would: its own
    engine, a plain Core insert, no ORM session of the bot's."""
    with engine.begin() as connection:
        meeting_id = connection.execute(select(Meeting.id)).scalar_one()
        connection.execute(
            insert(Contribution).values(
                meeting_id=meeting_id,
                author_user_id="U0ELSE",
                kind=ContributionKind.DEMO,
                title=title,
                description="",
                duration_minutes=7,
                status=ContributionStatus.PROPOSED,
                created_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
                updated_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
            )
        )


def test_command_programme_shows_a_change_made_by_another_process(
    slack: SlackSender, database_url: str
):
    slack.command("session 2027-01-14 14:00")
    before = slack.command("programme")
    other_process = make_engine(database_url)
    try:
        _add_contribution(other_process, "Une démo faite ailleurs")
    finally:
        other_process.dispose()

    after = slack.command("programme")

    assert "Une démo faite ailleurs" not in before.text
    assert "Une démo faite ailleurs" in after.text


def test_command_programme_shows_a_change_made_through_the_bot(slack: SlackSender):
    slack.command("session 2027-01-14 14:00")
    before = slack.command("programme")
    slack.command("thème Les communs numériques")

    after = slack.command("programme")

    assert "Les communs numériques" not in before.text
    assert "Les communs numériques" in after.text


def test_command_programme_unchanged_reads_only_the_group_revision(
    slack: SlackSender, bot_server, monkeypatch: pytest.MonkeyPatch
):
    slack.command("session 2027-01-14 14:00")
    first = slack.command("programme", user="U0ANNA")
    reads: list[str] = []
    checkouts: list[object] = []
    real_read = commands.channel_programme

    def counted(*args, **kwargs):
        reads.append("programme")
        return real_read(*args, **kwargs)

    monkeypatch.setattr(commands, "channel_programme", counted)
    pool = bot_server.runtime.engine.pool

    def checkout(*args) -> None:
        checkouts.append(args)

    event.listen(pool, "checkout", checkout)
    try:
        second = slack.command("programme", user="U0BOB")
    finally:
        event.remove(pool, "checkout", checkout)

    assert second.body == first.body
    assert reads == []
    assert len(checkouts) == 1  # the revision's read
