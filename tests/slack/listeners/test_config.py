"""`/partage config` and `/partage planning` end to end: signed requests to the running
bot, real `view_submission` payloads, the fake Slack's recorded calls and the database."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import select

from bot.db.models import Delivery, Group
from bot.enums import DeliveryKind, DeliveryStatus, Language
from bot.slack.ids import CallbackId, ConfigBlockId
from tests.support.blocks import assert_valid_view
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender
from tests.support.views import submitted_state, view_submission


def calls_after_ack(fake_slack: FakeSlack, method: str, count: int = 1) -> list:
    """Bolt answers Slack as soon as the listener acks; what follows the ack reaches the
    fake a moment later, so wait for it (with a deadline)."""
    deadline = time.monotonic() + 10
    while len(fake_slack.calls(method)) < count:
        assert time.monotonic() < deadline, f"no {method} call"
        time.sleep(0.01)
    return fake_slack.calls(method)


def open_config(slack: SlackSender, fake_slack: FakeSlack, user: str = "U0ORGA") -> dict:
    before = len(fake_slack.calls("views.open"))
    reply = slack.command("config", user=user)
    assert reply.status == 200
    assert reply.body == ""
    return calls_after_ack(fake_slack, "views.open", before + 1)[-1].args["view"]


def test_command_config_by_organiser_opens_prefilled_modal(slack, fake_slack):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    view = open_config(slack, fake_slack)

    assert view["callback_id"] == CallbackId.CONFIG_MODAL
    assert fake_slack.calls("views.open")[-1].args["trigger_id"].startswith("trigger-U0ORGA")
    assert_valid_view(view)
    timezone = next(b for b in view["blocks"] if b.get("block_id") == ConfigBlockId.TIMEZONE)
    assert timezone["element"]["initial_value"] == "Europe/Paris"


def test_command_config_by_member_is_refused_naming_who_can(slack, fake_slack):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    reply = slack.command("config", user=U_MEMBER)

    assert reply.json()["response_type"] == "ephemeral"
    assert "<@U0ORGA>" in reply.text
    assert "administrateur·rices de l’espace de travail" in reply.text
    assert fake_slack.calls("views.open") == []


def test_command_config_by_workspace_admin_opens_modal(slack, fake_slack):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    fake_slack.admins.add("U0ADMIN")

    view = open_config(slack, fake_slack, user="U0ADMIN")

    assert view["callback_id"] == CallbackId.CONFIG_MODAL


def test_config_submission_invalid_answers_errors_on_each_block_in_french(slack, fake_slack, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    view = open_config(slack, fake_slack)
    values = submitted_state(
        view,
        **{ConfigBlockId.TIMEZONE: "Europe/Pariss", ConfigBlockId.POLL_HOURS: "500"},
    )

    reply = slack.interaction(view_submission(view, "U0ORGA", values))

    assert reply.status == 200
    assert reply.json() == {
        "response_action": "errors",
        "errors": {
            ConfigBlockId.TIMEZONE: (
                "Fuseau horaire inconnu «\u202fEurope/Pariss\u202f». Indiquez un nom IANA comme "
                "Europe/Paris ou America/Cayenne."
            ),
            ConfigBlockId.POLL_HOURS: "Indiquez un nombre entier entre 1 et 336.",
        },
    }
    with db() as session:
        assert session.scalars(select(Group.poll_duration_hours)).one() == 72


def test_config_submission_valid_saves_replans_and_confirms(slack, fake_slack, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    view = open_config(slack, fake_slack)
    values = submitted_state(
        view,
        **{
            ConfigBlockId.LANGUAGE: "en",
            ConfigBlockId.REMINDER_HOUR: "9",
            ConfigBlockId.SWITCHES: ["announcement_enabled", "run_of_show_enabled"],
        },
    )

    reply = slack.interaction(view_submission(view, "U0ORGA", values))

    assert (reply.status, reply.body) == (200, "")
    with db() as session:
        group = session.scalars(select(Group)).one()
        planned = {
            d.kind: d.due_at
            for d in session.scalars(
                select(Delivery).where(Delivery.status == DeliveryStatus.PLANNED)
            )
        }
    assert (group.language, group.reminder_hour, group.guide_call_enabled) == (
        Language.EN,
        9,
        False,
    )
    assert planned == {
        DeliveryKind.ANNOUNCEMENT: datetime(2027, 1, 7, 8, 0, tzinfo=UTC),
        DeliveryKind.RUN_OF_SHOW: datetime(2027, 1, 14, 12, 45, tzinfo=UTC),
        DeliveryKind.SESSION_END: datetime(2027, 1, 14, 14, 30, tzinfo=UTC),
    }
    confirmation = calls_after_ack(fake_slack, "chat.postEphemeral")[-1].args
    assert (confirmation["channel"], confirmation["user"]) == ("C0GROUP", "U0ORGA")
    assert confirmation["text"].startswith("Settings saved: time zone Europe/Paris")
    assert "reminders at 09:00" in confirmation["text"]


def test_config_modal_offers_the_working_day_and_participant_switches_on_by_default(
    slack, fake_slack
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    view = open_config(slack, fake_slack)

    block = next(b for b in view["blocks"] if b.get("block_id") == ConfigBlockId.SWITCHES)
    offered = [o["value"] for o in block["element"]["options"]]
    on = {o["value"] for o in block["element"]["initial_options"]}
    assert offered[-4:] == [
        "participant_reminder_enabled",
        "tour_enabled",
        "working_days_enabled",
        "alsace_moselle",
    ]
    assert {"participant_reminder_enabled", "tour_enabled", "working_days_enabled"} <= on
    assert "alsace_moselle" not in on


def test_config_submission_alsace_moselle_and_working_days_off_are_saved_and_replanned(
    slack, fake_slack, db
):
    slack.command("session 2027-03-30 14:00", user="U0ORGA")  # the day after Easter Monday
    view = open_config(slack, fake_slack)
    values = submitted_state(
        view, **{ConfigBlockId.SWITCHES: ["participant_reminder_enabled", "alsace_moselle"]}
    )

    reply = slack.interaction(view_submission(view, "U0ORGA", values))

    assert (reply.status, reply.body) == (200, "")
    with db() as session:
        group = session.scalars(select(Group)).one()
        reminder = session.scalars(
            select(Delivery).where(
                Delivery.kind == DeliveryKind.PARTICIPANT_REMINDER,
                Delivery.status == DeliveryStatus.PLANNED,
            )
        ).one()
    assert (group.working_days_enabled, group.alsace_moselle) == (False, True)
    # The rule is off: J-1 stays on Easter Monday, 10:00 CEST.
    assert reminder.due_at == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)


def test_config_submission_format_that_does_not_fit_is_refused_on_its_block_in_french(
    slack, fake_slack, db
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    view = open_config(slack, fake_slack)
    values = submitted_state(
        view, **{ConfigBlockId.SESSION_MINUTES: "80", ConfigBlockId.TOUR_MINUTES: "30"}
    )

    reply = slack.interaction(view_submission(view, "U0ORGA", values))

    errors = reply.json()["errors"]
    assert list(errors) == [ConfigBlockId.SESSION_MINUTES]
    assert errors[ConfigBlockId.SESSION_MINUTES].startswith(
        "Les phases ne tiennent pas en 80\u00a0min\u202f: introduction (2\u00a0min), tour de "
        "table (30)"
    )
    assert "Allongez la session à 87\u00a0min" in errors[ConfigBlockId.SESSION_MINUTES]
    with db() as session:
        assert session.scalars(select(Group.session_minutes)).one() == 90


def test_config_submission_new_format_reshapes_the_run_of_show(slack, fake_slack, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    view = open_config(slack, fake_slack)
    values = submitted_state(
        view,
        **{
            ConfigBlockId.SESSION_MINUTES: "120",
            ConfigBlockId.PRESENTATION_MINUTES: "45",
            ConfigBlockId.TOUR_MINUTES: "20",
        },
    )

    reply = slack.interaction(view_submission(view, "U0ORGA", values))

    assert (reply.status, reply.body) == (200, "")
    text = slack.command("programme", user=U_MEMBER).text
    assert "*14\u00a0h\u00a002\u00a0–\u00a014\u00a0h\u00a022* Tour de table" in text
    assert "*14\u00a0h\u00a022\u00a0–\u00a015\u00a0h\u00a045* Échange" in text
    assert "*15\u00a0h\u00a045\u00a0–\u00a015\u00a0h\u00a055* Anticipation" in text
    assert "*16\u00a0h* Fin" in text
    with db() as session:
        end = session.scalars(
            select(Delivery.due_at).where(
                Delivery.kind == DeliveryKind.SESSION_END,
                Delivery.status == DeliveryStatus.PLANNED,
            )
        ).one()
    assert end == datetime(2027, 1, 14, 15, 0, tzinfo=UTC)


def test_config_submission_by_someone_not_allowed_is_refused_on_the_modal(slack, fake_slack, db):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    view = open_config(slack, fake_slack)

    reply = slack.interaction(view_submission(view, U_MEMBER, submitted_state(view)))

    errors = reply.json()["errors"]
    assert list(errors) == [ConfigBlockId.TIMEZONE]
    assert "<@U0ORGA>" in errors[ConfigBlockId.TIMEZONE]


def test_command_planning_lists_upcoming_deliveries_in_order(slack):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")

    reply = slack.command("planning", user=U_MEMBER)

    text = reply.text
    assert reply.json()["response_type"] == "ephemeral"
    assert "Session du *jeudi 14 janvier 2027 à 14\u00a0h*" in text
    assert "*jeu. 31 déc. à 10\u00a0h* appel à guide" in text
    assert "*jeu. 14 janv. à 13\u00a0h\u00a045* déroulé de la session dans le canal" in text
    assert text.index("appel à guide") < text.index("annonce de la session")
    assert text.index("annonce de la session") < text.index("déroulé")


def test_command_planning_monday_session_shows_the_j1_reminders_on_friday(slack):
    slack.command("session 2027-01-18 14:00", user="U0ORGA")

    reply = slack.command("planning", user=U_MEMBER)

    # J-1 is Sunday 17 January: the working-day rule sends it on Friday 15.
    assert "*ven. 15 janv. à 10\u00a0h* rappel de la veille aux participant·es (MP)" in reply.text
    assert "dim. 17 janv." not in reply.text
    assert "*lun. 18 janv. à 13\u00a0h\u00a045* déroulé de la session dans le canal" in reply.text


def test_command_planning_without_session_says_how_to_schedule(slack):
    reply = slack.command("planning")

    assert "Rien n’est prévu pour l’instant" in reply.text
    assert "`/partage session 2027-01-14 14:00`" in reply.text


U_MEMBER = "U0MEMBER"
