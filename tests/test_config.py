"""The dispatcher's settings: defaults, accepted values and one-line refusals."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}


def test_dispatch_settings_default_to_fifteen_seconds_and_two_minutes():
    settings = load_settings(BASE, dotenv=False)

    assert (settings.dispatch_interval_seconds, settings.dispatch_lease_seconds) == (15.0, 120)


def test_dispatch_interval_accepts_fractions_of_a_second():
    settings = load_settings(
        {**BASE, "DISPATCH_INTERVAL_SECONDS": "0.2", "DISPATCH_LEASE_SECONDS": "5"}, dotenv=False
    )

    assert (settings.dispatch_interval_seconds, settings.dispatch_lease_seconds) == (0.2, 5)


@pytest.mark.parametrize("value", ["0", "-1", "abc", "7200", "nan"])
def test_dispatch_interval_malformed_names_the_variable(value):
    with pytest.raises(ConfigError) as raised:
        load_settings({**BASE, "DISPATCH_INTERVAL_SECONDS": value}, dotenv=False)

    assert str(raised.value).startswith("DISPATCH_INTERVAL_SECONDS is malformed: expected")


@pytest.mark.parametrize("value", ["1", "1.5", "x", "99999"])
def test_dispatch_lease_malformed_names_the_variable(value):
    with pytest.raises(ConfigError) as raised:
        load_settings({**BASE, "DISPATCH_LEASE_SECONDS": value}, dotenv=False)

    assert str(raised.value).startswith("DISPATCH_LEASE_SECONDS is malformed: expected")
