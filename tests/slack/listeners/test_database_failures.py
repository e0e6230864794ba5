"""A database failure never loses input silently: a modal stays open with the apology on
the form, a command or a button gets an ephemeral apology, nothing is half-written, and
Slack never sees a 5xx. The database really fails (see tests/support/db_faults.py)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, update

from bot.db.models import Contribution, Group, Meeting, MeetingRole
from bot.enums import Language
from bot.slack.ids import ActionId, BlockId, ConfigBlockId
from tests.support.clock import ManualClock
from tests.support.contributions import answers, open_modal, schedule
from tests.support.db_faults import tables_locked
from tests.support.db_proxy import DatabaseProxy, bot_behind_proxy
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender, submitted_values
from tests.support.views import submitted_state, view_submission

SLACK_BUDGET_SECONDS = 3.0
FR_DATABASE_APOLOGY = (
    "Désolé, je n’arrive pas à joindre ma base de données et rien n’a été enregistré. "
    "Réessayez dans un instant."
)
FR_FORM_APOLOGY = (
    "Désolé, je n’arrive pas à joindre ma base de données et rien n’a été enregistré. "
    "Vos réponses sont toujours là\u202f: réessayez dans un instant."
)
EN_DATABASE_APOLOGY = (
    "Sorry, I cannot reach my database right now and nothing was saved. Try again in a moment."
)


def rows(db, model: type) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def meeting_id(db) -> int:
    with db() as session:
        return session.scalars(select(Meeting.id)).one()


def test_contribution_submitted_while_the_database_fails_keeps_the_modal_open(
    slack: SlackSender, fake_slack: FakeSlack, db, engine
):
    schedule(slack)
    view = open_modal(slack, fake_slack, "U0ALICE")
    values = submitted_values(view, answers(title="Le design des politiques publiques"))
    fake_slack.reset()

    with tables_locked(engine):
        reply = slack.view_submission(view, values, user="U0ALICE")

    assert reply.status == 200
    assert reply.json() == {
        "response_action": "errors",
        "errors": {BlockId.CONTRIBUTION_KIND.value: FR_FORM_APOLOGY},
    }
    assert rows(db, Contribution) == 0
    assert fake_slack.calls() == []


def test_contribution_resubmitted_once_the_database_answers_is_saved(
    slack: SlackSender, fake_slack: FakeSlack, db, engine
):
    schedule(slack)
    view = open_modal(slack, fake_slack, "U0ALICE")
    values = submitted_values(view, answers(title="Le design des politiques publiques"))
    with tables_locked(engine):
        slack.view_submission(view, values, user="U0ALICE")

    reply = slack.view_submission(view, values, user="U0ALICE")

    assert (reply.status, reply.body) == (200, "")
    assert rows(db, Contribution) == 1


def test_settings_submitted_while_the_database_fails_keep_the_modal_open(
    slack: SlackSender, fake_slack: FakeSlack, db, engine
):
    schedule(slack, user="U0ORGA")
    slack.command("config", user="U0ORGA")
    view = fake_slack.calls("views.open")[-1].args["view"]
    values = submitted_state(view, **{ConfigBlockId.LANGUAGE: "en"})

    with tables_locked(engine):
        reply = slack.interaction(view_submission(view, "U0ORGA", values))

    assert reply.status == 200
    assert reply.json() == {
        "response_action": "errors",
        "errors": {ConfigBlockId.TIMEZONE.value: FR_FORM_APOLOGY},
    }
    with db() as session:
        assert session.scalars(select(Group.language)).one() is None


def test_command_while_the_database_fails_gets_an_ephemeral_apology(
    slack: SlackSender, fake_slack: FakeSlack, db, engine
):
    schedule(slack)
    fake_slack.reset()

    with tables_locked(engine):
        started = time.monotonic()
        reply = slack.command("participer", user="U0BOB")
        seconds = time.monotonic() - started

    assert reply.status == 200
    assert reply.json() == {"response_type": "ephemeral", "text": FR_DATABASE_APOLOGY}
    assert seconds < SLACK_BUDGET_SECONDS
    assert rows(db, MeetingRole) == 0
    assert fake_slack.calls() == []


def test_button_while_the_database_fails_gets_an_ephemeral_apology(
    slack: SlackSender, fake_slack: FakeSlack, db, engine
):
    schedule(slack)
    meeting = meeting_id(db)
    fake_slack.reset()

    with tables_locked(engine):
        reply = slack.block_action(ActionId.JOIN.value, str(meeting), user="U0BOB")

    assert (reply.status, reply.body) == (200, "")
    assert fake_slack.response_posts() == [
        {"response_type": "ephemeral", "replace_original": False, "text": FR_DATABASE_APOLOGY}
    ]
    assert rows(db, MeetingRole) == 0


def test_apology_comes_in_the_language_the_member_was_last_answered_in(
    slack: SlackSender, fake_slack: FakeSlack, db, engine
):
    schedule(slack)
    with db.begin() as session:
        session.execute(update(Group).values(language=Language.EN))
    slack.command("agenda", user="U0CAROL")

    with tables_locked(engine):
        reply = slack.command("join", user="U0CAROL")

    assert reply.json() == {"response_type": "ephemeral", "text": EN_DATABASE_APOLOGY}


def test_reaction_while_the_database_fails_is_acknowledged_without_a_5xx(
    slack: SlackSender, fake_slack: FakeSlack, engine, caplog: pytest.LogCaptureFixture
):
    event = {
        "type": "reaction_added",
        "user": "U0BOB",
        "reaction": "one",
        "item": {"type": "message", "channel": "C0GROUP", "ts": "1700000000.000042"},
        "event_ts": "1700000001.000001",
    }

    with tables_locked(engine), caplog.at_level(logging.WARNING):
        reply = slack.event(event)

    assert (reply.status, reply.body) == (200, "")
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    # The outage's lines only, no traceback: it is counted, not logged per request (on
    # PostgreSQL the next write, to a table not locked, ends it at once).
    assert {r.name for r in logged} == {"bot.outages"}
    assert logged[0].getMessage().startswith("database outage started: ")
    assert [r for r in caplog.records if r.exc_info] == []


@pytest.fixture
def proxied_bot(
    database_url: str, fake_slack: FakeSlack, clock: ManualClock, db
) -> Iterator[tuple[SlackSender, DatabaseProxy]]:
    if not database_url.startswith("postgresql"):
        pytest.skip("postgresql only")
    fake_slack.reset()
    with bot_behind_proxy(database_url, fake_slack, clock) as bot:
        yield bot


@pytest.mark.parametrize("text", ["programme", "aide", "participer"])
def test_command_answers_within_slacks_budget_when_postgresql_is_silent(
    proxied_bot: tuple[SlackSender, DatabaseProxy], text: str
):
    sender, proxy = proxied_bot
    sender.command("aide")  # the pool now holds a live connection
    proxy.pause()

    started = time.monotonic()
    reply = sender.command(text, settle=False)
    seconds = time.monotonic() - started

    assert reply.status == 200
    assert reply.json() == {"response_type": "ephemeral", "text": FR_DATABASE_APOLOGY}
    assert seconds < SLACK_BUDGET_SECONDS


def test_command_answers_at_once_when_postgresql_is_down(
    proxied_bot: tuple[SlackSender, DatabaseProxy],
):
    sender, proxy = proxied_bot
    proxy.close()

    started = time.monotonic()
    reply = sender.command("programme", settle=False)
    seconds = time.monotonic() - started

    assert reply.json() == {"response_type": "ephemeral", "text": FR_DATABASE_APOLOGY}
    assert seconds < 1.0
