"""Every .ics the bot writes, read back with icalendar: UID, SEQUENCE, cancellation,
TZID across daylight saving, the alarm and the description."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.calendar.ics import Method, description, filename, render
from bot.domain.calendar import SessionEvent
from bot.domain.programme import ContributionLine
from bot.enums import ContributionKind, Language

PARIS = ZoneInfo("Europe/Paris")


def event(
    starts_at: datetime = datetime(2027, 1, 14, 14, 0, tzinfo=PARIS), **changes: object
) -> SessionEvent:
    base = SessionEvent(
        meeting_id=7,
        uid="partage-7-20261130T090000Z@partage-bot",
        sequence=0,
        starts_at=starts_at.astimezone(UTC),
        ends_at=(starts_at + timedelta(minutes=90)).astimezone(UTC),
        timezone="Europe/Paris",
        theme="Les communs numériques",
        place=None,
        guide_user_id="U0GUIDE",
        contributions=(
            ContributionLine(
                1, ContributionKind.TALK, "Le design, ça compte", "U0A", 10, True, None, None
            ),
            ContributionLine(
                2, ContributionKind.GUEST, "Retour d’expérience", "U0B", 15, False, "Ada", None
            ),
        ),
        cancelled=False,
        alarm_minutes=30,
        team_id="T0001",
        channel_id="C0GROUP",
        stamp=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def parsed(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def only_event(data: bytes):
    [vevent] = parsed(data).walk("VEVENT")
    return vevent


def test_render_event_keeps_uid_and_carries_sequence():
    first = only_event(render([event()], lang=Language.FR))
    moved = only_event(
        render([event(datetime(2027, 1, 21, 14, 0, tzinfo=PARIS), sequence=1)], lang=Language.FR)
    )

    assert (str(first["UID"]), str(moved["UID"])) == (
        "partage-7-20261130T090000Z@partage-bot",
        "partage-7-20261130T090000Z@partage-bot",
    )
    assert (first["SEQUENCE"], moved["SEQUENCE"]) == (0, 1)
    assert moved.decoded("DTSTART") == datetime(2027, 1, 21, 14, 0, tzinfo=PARIS)


def test_render_cancelled_event_with_cancel_method_is_marked_cancelled():
    data = render([event(cancelled=True, sequence=2)], lang=Language.FR, method=Method.CANCEL)

    calendar = parsed(data)
    [vevent] = calendar.walk("VEVENT")
    assert (str(calendar["METHOD"]), str(vevent["STATUS"]), vevent["SEQUENCE"]) == (
        "CANCEL",
        "CANCELLED",
        2,
    )
    assert vevent.walk("VALARM") == []


def test_render_publish_event_is_confirmed_with_an_alarm_the_group_setting_before():
    vevent = only_event(render([event(alarm_minutes=45)], lang=Language.FR))

    [alarm] = vevent.walk("VALARM")
    assert (str(vevent["STATUS"]), str(alarm["ACTION"])) == ("CONFIRMED", "DISPLAY")
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-45)


def test_render_event_without_alarm_when_the_setting_is_zero():
    vevent = only_event(render([event(alarm_minutes=0)], lang=Language.FR))

    assert vevent.walk("VALARM") == []


@pytest.mark.parametrize(
    ("day", "utc_hour", "offset"),
    [
        (datetime(2027, 3, 25, 14, 0, tzinfo=PARIS), 13, "+0100"),  # before the spring change
        (datetime(2027, 3, 29, 14, 0, tzinfo=PARIS), 12, "+0200"),  # after it (28 March)
        (datetime(2027, 10, 28, 14, 0, tzinfo=PARIS), 12, "+0200"),  # before the autumn one
        (datetime(2027, 11, 2, 14, 0, tzinfo=PARIS), 13, "+0100"),  # after it (31 October)
    ],
)
def test_render_event_at_14h_paris_keeps_14h_with_tzid_across_daylight_saving(
    day, utc_hour, offset
):
    data = render([event(day)], lang=Language.FR)

    calendar = parsed(data)
    [vevent] = calendar.walk("VEVENT")
    [timezone] = calendar.walk("VTIMEZONE")
    start = vevent.decoded("DTSTART")
    offsets = {c["TZOFFSETTO"].to_ical() for c in timezone.subcomponents}
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent["DTEND"].params["TZID"] == "Europe/Paris"
    assert str(timezone["TZID"]) == "Europe/Paris"
    assert (start.hour, start.astimezone(UTC).hour) == (14, utc_hour)
    assert offset in offsets
    assert b"DTSTART;TZID=Europe/Paris:" + day.strftime("%Y%m%dT140000").encode() in data


def test_description_has_theme_place_guide_and_contributions_in_french():
    text = description(event(place="Salle 2 ou https://visio.example/abc"), Language.FR)

    assert text.splitlines() == [
        "Thème\u202f: Les communs numériques",
        "Lieu\u202f: Salle 2 ou https://visio.example/abc",
        "Guide\u202f: @U0GUIDE",
        "Contributions\u202f:",
        "• Exposé «\u202fLe design, ça compte\u202f», 10\u00a0min",
        "• Invité·e «\u202fRetour d’expérience\u202f» avec Ada, 15\u00a0min",
        "Le canal Slack du groupe\u202f: https://slack.com/app_redirect?team=T0001&channel=C0GROUP",
    ]


def test_render_event_puts_member_text_through_ical_escaping():
    hostile = "a; b, c\nBEGIN:VEVENT\\"
    vevent = only_event(render([event(theme=hostile, place=hostile)], lang=Language.EN))

    assert str(vevent["LOCATION"]) == hostile
    assert str(vevent["SUMMARY"]) == f"Peer-sharing group session: {hostile}"
    assert len(parsed(render([event(theme=hostile)], lang=Language.EN)).walk("VEVENT")) == 1


def test_filename_is_the_local_date():
    assert filename(event(datetime(2027, 3, 25, 0, 30, tzinfo=PARIS))) == "session-2027-03-25.ics"
