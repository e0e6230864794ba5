"""A group's settings: checked field by field, saved by those who may, and re-planned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import transaction
from bot.db.models import Delivery, Group, Meeting
from bot.domain.errors import NotAllowed
from bot.domain.group_settings import (
    InvalidSettings,
    canonical_timezone,
    read_settings,
    settings_for_edit,
    update_group_settings,
)
from bot.enums import DeliveryKind, DeliveryStatus, Language, Recurrence
from tests.support.cycle import schedule

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)
VALID = {
    "timezone": "Europe/Paris",
    "language": "en",
    "reminder_hour": "9",
    "guide_call_days": "14",
    "announcement_days": "7",
    "last_reminder_days": "1",
    "run_of_show_lead_minutes": "15",
    "poll_duration_hours": "48",
    "recurrence": "none",
    "switches": ["announcement_enabled", "run_of_show_enabled"],
    "session_minutes": "90",
    "presentation_minutes": "30",
    "tour_minutes": "28",
}


def test_read_settings_accepts_valid_values():
    settings = read_settings(VALID)

    assert settings.language == Language.EN
    assert (settings.reminder_hour, settings.poll_duration_hours) == (9, 48)
    assert settings.recurrence == Recurrence.NONE
    assert (settings.announcement_enabled, settings.guide_call_enabled) == (True, False)


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("timezone", "Europe/Pariss", "config.error.timezone"),
        ("timezone", "", "config.error.timezone"),
        ("language", "de", "config.error.choice"),
        ("reminder_hour", "24", "config.error.number"),
        ("reminder_hour", "-1", "config.error.number"),
        ("poll_duration_hours", "0", "config.error.number"),
        ("poll_duration_hours", "337", "config.error.number"),
        ("poll_duration_hours", "2.5", "config.error.number"),
        ("poll_duration_hours", "--5", "config.error.number"),
        ("guide_call_days", "", "config.error.number"),
        ("recurrence", "weekly", "config.error.choice"),
        ("switches", ["everything_enabled"], "config.error.choice"),
        ("last_reminder_days", "7", "config.error.order"),
        ("session_minutes", "59", "config.error.number"),
        ("presentation_minutes", "121", "config.error.number"),
        ("tour_minutes", "19", "config.error.number"),
        ("tour_minutes", "31", "config.error.number"),
        ("session_minutes", "80", "config.error.format"),
    ],
)
def test_read_settings_refuses_field_with_its_reason(field, value, key):
    with pytest.raises(InvalidSettings) as raised:
        read_settings({**VALID, field: value})

    assert list(raised.value.problems) == [field]
    assert raised.value.problems[field][0] == key


def test_read_settings_reports_every_bad_field_at_once():
    with pytest.raises(InvalidSettings) as raised:
        read_settings({**VALID, "timezone": "Mars/Olympus", "poll_duration_hours": "999"})

    assert set(raised.value.problems) == {"timezone", "poll_duration_hours"}
    assert raised.value.problems["poll_duration_hours"][1] == {"low": 1, "high": 336}


def test_read_settings_reads_the_session_format():
    settings = read_settings(
        {**VALID, "session_minutes": "120", "presentation_minutes": "45", "tour_minutes": "20"}
    )

    assert settings.session_format.discussion_minutes == 120 - 2 - 20 - 45 - 10 - 5


def test_read_settings_refuses_a_format_whose_phases_do_not_fit_naming_the_shortest():
    with pytest.raises(InvalidSettings) as raised:
        read_settings({**VALID, "session_minutes": "90", "presentation_minutes": "45"})

    key, params = raised.value.problems["session_minutes"]
    assert key == "config.error.format"
    assert (params["discussion"], params["minimum"], params["needed"]) == (0, 10, 100)


def test_update_group_settings_gives_the_next_session_the_new_length(db):
    group_id, meeting_id = schedule(db, starts_at=START, now=NOW, organiser="U0ORGA")

    with transaction(db) as session:
        planned = update_group_settings(
            session,
            group=session.get(Group, group_id),
            user_id="U0ORGA",
            settings=read_settings({**VALID, "session_minutes": "120"}),
            now=NOW,
            is_admin=lambda: False,
        )

    with db() as session:
        assert session.get(Meeting, meeting_id).duration_minutes == 120
        assert session.get(Group, group_id).session_minutes == 120
    end = next(d for d in planned if d.kind is DeliveryKind.SESSION_END)
    assert end.due_at == START + timedelta(minutes=120)


def test_canonical_timezone_folds_case_and_refuses_unknown():
    assert canonical_timezone(" europe/paris ") == "Europe/Paris"
    assert canonical_timezone("Indian/Reunion") == "Indian/Reunion"
    assert canonical_timezone("../etc/passwd") is None


def test_update_group_settings_by_organiser_saves_and_replans(db):
    group_id, _ = schedule(db, starts_at=START, now=NOW, organiser="U0ORGA")

    with transaction(db) as session:
        group = session.get(Group, group_id)
        planned = update_group_settings(
            session,
            group=group,
            user_id="U0ORGA",
            settings=read_settings(VALID),
            now=NOW,
            is_admin=lambda: False,
        )

    assert [d.kind for d in planned] == [
        DeliveryKind.ANNOUNCEMENT,
        DeliveryKind.RUN_OF_SHOW,
        DeliveryKind.SESSION_END,
    ]
    assert planned[0].due_at == datetime(2027, 1, 7, 8, 0, tzinfo=UTC)  # 09:00 Paris
    with db() as session:
        group = session.get(Group, group_id)
        assert (group.language, group.poll_duration_hours) == (Language.EN, 48)
        cancelled = session.scalars(
            select(Delivery.kind).where(Delivery.status == DeliveryStatus.CANCELLED)
        ).all()
    # The participants' reminder and the tour de table (its invitation, its compilation
    # and the start that closes it) are off in VALID too.
    assert len(cancelled) == 9


def test_update_group_settings_by_member_is_refused_naming_organisers(db):
    group_id, _ = schedule(db, starts_at=START, now=NOW, organiser="U0ORGA")

    with pytest.raises(NotAllowed) as raised, transaction(db) as session:
        update_group_settings(
            session,
            group=session.get(Group, group_id),
            user_id="U0MEMBER",
            settings=read_settings(VALID),
            now=NOW,
            is_admin=lambda: False,
        )

    assert raised.value.params == {"organisers": ["U0ORGA"]}
    with db() as session:
        assert session.get(Group, group_id).language is None


def test_settings_for_edit_workspace_admin_gets_defaults_filled_in(db):
    group_id, _ = schedule(db, starts_at=START, now=NOW, organiser="U0ORGA")

    with transaction(db) as session:
        settings = settings_for_edit(
            session,
            group=session.get(Group, group_id),
            user_id="U0ADMIN",
            is_admin=lambda: True,
            default_language=Language.FR,
            default_timezone="Europe/Paris",
        )

    assert (settings.timezone, settings.language, settings.reminder_hour) == (
        "Europe/Paris",
        Language.FR,
        10,
    )
