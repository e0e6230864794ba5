"""Subcommand words and session dates, including property-based round trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.slack.parsing import (
    DateInputError,
    DateProblem,
    PollAction,
    Subcommand,
    parse_command,
    parse_poll_action,
    parse_session_datetime,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Subcommand.HELP),
        ("aide", Subcommand.HELP),
        ("HELP", Subcommand.HELP),
        ("programme", Subcommand.PROGRAMME),
        ("agenda", Subcommand.PROGRAMME),
        ("prête", Subcommand.READY),
        ("prete", Subcommand.READY),
        ("Prête", Subcommand.READY),
        ("ready", Subcommand.READY),
        ("retirer", Subcommand.WITHDRAW),
        ("session 2027-01-14 14:00", Subcommand.SCHEDULE),
        ("schedule 2027-01-14 14:00", Subcommand.SCHEDULE),
        ("thème x", Subcommand.THEME),
        ("propose x", Subcommand.PROPOSE),
        ("sondage", Subcommand.POLL),
        ("frobnicate", Subcommand.UNKNOWN),
    ],
)
def test_parse_command_maps_french_words_and_aliases(text, expected):
    assert parse_command(text).subcommand == expected


def test_parse_command_keeps_argument_trimmed():
    parsed = parse_command("  theme   Le design  des politiques  ")

    assert parsed.argument == "Le design  des politiques"
    assert parsed.word == "theme"


@pytest.mark.parametrize(
    "text",
    [
        "2027-01-14 14:00",
        "14/01/2027 14h00",
        "14/01/2027 14h",
        "14/01/2027 à 14h",
        "2027-1-14 14H00",
    ],
)
def test_parse_session_datetime_accepts_the_three_formats(text):
    assert parse_session_datetime(text, PARIS, NOW) == datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


def test_parse_session_datetime_summer_time_offset():
    assert parse_session_datetime("2027-07-08 14:00", PARIS, NOW) == datetime(
        2027, 7, 8, 12, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", DateProblem.MISSING),
        ("demain 14h", DateProblem.UNPARSABLE),
        ("2027-01-14", DateProblem.UNPARSABLE),
        ("14/01/27 14h", DateProblem.UNPARSABLE),
        ("2027-02-30 14:00", DateProblem.IMPOSSIBLE),
        ("31/04/2027 14h", DateProblem.IMPOSSIBLE),
        ("2027-01-14 25:00", DateProblem.IMPOSSIBLE),
        ("2027-01-14 14:75", DateProblem.IMPOSSIBLE),
        ("2027-03-28 02:30", DateProblem.NONEXISTENT_TIME),
        ("2026-11-29 14:00", DateProblem.PAST),
        ("30/11/2026 10h00", DateProblem.PAST),
        ("0001-01-01 00:00", DateProblem.PAST),
        ("2037-01-14 14:00", DateProblem.TOO_FAR),
        ("9999-12-31 23:00", DateProblem.TOO_FAR),
    ],
)
def test_parse_session_datetime_refuses_with_reason(text, problem):
    with pytest.raises(DateInputError) as raised:
        parse_session_datetime(text, PARIS, NOW)

    assert raised.value.problem == problem


def test_parse_session_datetime_ambiguous_autumn_time_is_the_first():
    # 02:30 happens twice on 2027-10-31 in Paris; the first one is still summer time.
    assert parse_session_datetime("2027-10-31 02:30", PARIS, NOW) == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC
    )


future_minutes = st.datetimes(
    min_value=datetime(2027, 1, 1), max_value=datetime(2035, 12, 31, 23, 59)
).map(lambda d: d.replace(second=0, microsecond=0))


@given(local=future_minutes)
def test_parse_session_datetime_round_trips_every_existing_local_time(local):
    aware = local.replace(tzinfo=PARIS)
    exists = aware.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None) == local
    iso = f"{local:%Y-%m-%d %H:%M}"
    french = f"{local:%d/%m/%Y %H}h{local:%M}"

    for text in (iso, french):
        if exists:
            instant = parse_session_datetime(text, PARIS, NOW)
            assert instant.astimezone(PARIS).replace(tzinfo=None) == local
        else:
            with pytest.raises(DateInputError):
                parse_session_datetime(text, PARIS, NOW)


@given(delta=st.integers(min_value=0, max_value=60 * 24 * 400))
def test_parse_session_datetime_refuses_any_past_minute(delta):
    moment = (NOW - timedelta(minutes=delta)).astimezone(PARIS)

    with pytest.raises(DateInputError) as raised:
        parse_session_datetime(f"{moment:%Y-%m-%d %H:%M}", PARIS, NOW)

    assert raised.value.problem in (DateProblem.PAST, DateProblem.NONEXISTENT_TIME)


@given(text=st.text(max_size=40))
def test_parse_session_datetime_never_crashes_on_garbage(text):
    try:
        instant = parse_session_datetime(text, PARIS, NOW)
    except DateInputError:
        return
    assert instant > NOW


@pytest.mark.parametrize(
    ("argument", "action"),
    [
        ("", PollAction.OPEN),
        ("clore", PollAction.CLOSE),
        ("  Close ", PollAction.CLOSE),
        ("annuler", PollAction.CANCEL),
        ("CANCEL", PollAction.CANCEL),
        ("demain", None),
    ],
)
def test_parse_poll_action_knows_close_and_cancel_in_both_languages(argument, action):
    assert parse_poll_action(argument) == action
