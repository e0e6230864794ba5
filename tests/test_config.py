"""Settings: defaults, validation, one clear line and exit code 2 on a bad value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.enums import Language

ROOT = Path(__file__).resolve().parent.parent
VALID = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "secret"}


def test_settings_defaults_when_only_tokens_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    settings = load_settings(VALID, dotenv=False)

    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == f"sqlite:///{tmp_path / 'partage.db'}"
    assert settings.bot_timezone == "Europe/Paris"
    assert settings.bot_language is Language.FR
    assert settings.port == 3000
    assert settings.slash_command == "/partage"
    assert settings.log_level == "INFO"
    assert settings.socket_mode is False


def test_settings_dotenv_fills_what_environment_lacks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-file\nPORT=4000\n")
    monkeypatch.setenv("PORT", "5000")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)

    settings = load_settings()

    assert settings.slack_bot_token == "xoxb-from-file"
    assert settings.port == 5000


def test_settings_api_url_gets_trailing_slash():
    settings = load_settings({**VALID, "SLACK_API_URL": "http://127.0.0.1:9/api"}, dotenv=False)

    assert settings.slack_api_url == "http://127.0.0.1:9/api/"


def test_settings_postgres_url_uses_psycopg_driver():
    settings = load_settings({**VALID, "DATABASE_URL": "postgresql://u@h/db"}, dotenv=False)

    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_settings_socket_mode_needs_no_signing_secret():
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1-A-1-x"}

    settings = load_settings(env, dotenv=False)

    assert settings.socket_mode is True


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SLACK_BOT_TOKEN", "", "SLACK_BOT_TOKEN is missing"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token", "SLACK_BOT_TOKEN is malformed"),
        ("SLACK_SIGNING_SECRET", "", "SLACK_SIGNING_SECRET is missing"),
        ("SLACK_APP_TOKEN", "xoxb-wrong", "SLACK_APP_TOKEN is malformed"),
        ("SLACK_API_URL", "ftp://x", "SLACK_API_URL is malformed"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL is malformed"),
        ("BOT_TIMEZONE", "Europe/Pariss", "BOT_TIMEZONE is malformed"),
        ("BOT_LANGUAGE", "de", "BOT_LANGUAGE is malformed"),
        ("PORT", "70000", "PORT is malformed"),
        ("PORT", "abc", "PORT is malformed"),
        ("SLASH_COMMAND", "partage", "SLASH_COMMAND is malformed"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL is malformed"),
        ("PUBLIC_URL", "partage.example.org", "PUBLIC_URL is malformed"),
        ("PUBLIC_URL", "ftp://partage.example.org", "PUBLIC_URL is malformed"),
        ("PUBLIC_URL", "https://partage.example.org/?a=1", "PUBLIC_URL is malformed"),
        ("PUBLIC_URL", "https://your-bot.example.org", "PUBLIC_URL is still a placeholder"),
    ],
)
def test_settings_bad_value_names_variable(variable, value, expected):
    with pytest.raises(ConfigError) as raised:
        load_settings({**VALID, variable: value}, dotenv=False)

    assert str(raised.value).startswith(expected)
    assert "\n" not in str(raised.value)


def _run_bot(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_main_without_tokens_prints_one_line_and_exits_2(tmp_path):
    result = _run_bot({}, tmp_path)

    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SLACK_BOT_TOKEN is missing" in lines[0]
    assert "Traceback" not in result.stderr


def test_main_with_malformed_port_exits_2_naming_it(tmp_path):
    result = _run_bot({**VALID, "PORT": "http"}, tmp_path)

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "partage-bot: PORT is malformed: expected a port number 1-65535, got 'http'."
    ]


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


def test_outbox_verify_after_defaults_to_a_minute_and_accepts_seconds():
    default = load_settings(BASE, dotenv=False)
    set_to = load_settings({**BASE, "OUTBOX_VERIFY_AFTER_SECONDS": "3"}, dotenv=False)

    assert (default.outbox_verify_after_seconds, set_to.outbox_verify_after_seconds) == (60, 3)


@pytest.mark.parametrize("value", ["0", "-5", "soon", "7200"])
def test_outbox_verify_after_malformed_names_the_variable(value):
    with pytest.raises(ConfigError) as raised:
        load_settings({**BASE, "OUTBOX_VERIFY_AFTER_SECONDS": value}, dotenv=False)

    assert str(raised.value).startswith("OUTBOX_VERIFY_AFTER_SECONDS is malformed: expected")


@pytest.mark.parametrize("value", ["1", "1.5", "x", "99999"])
def test_dispatch_lease_malformed_names_the_variable(value):
    with pytest.raises(ConfigError) as raised:
        load_settings({**BASE, "DISPATCH_LEASE_SECONDS": value}, dotenv=False)

    assert str(raised.value).startswith("DISPATCH_LEASE_SECONDS is malformed: expected")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SLACK_BOT_TOKEN", "xoxb-your-bot-token"),
        ("SLACK_BOT_TOKEN", "xoxb-..."),
        ("SLACK_BOT_TOKEN", "xoxb-xxxx-xxxx"),
        ("SLACK_BOT_TOKEN", "xoxb-<token>"),
        ("SLACK_SIGNING_SECRET", "your-signing-secret"),
        ("SLACK_SIGNING_SECRET", "CHANGE_ME"),
        ("SLACK_SIGNING_SECRET", "changeme"),
        ("SLACK_SIGNING_SECRET", "<signing secret>"),
        ("SLACK_APP_TOKEN", "xapp-your-app-token"),
        ("SLACK_APP_TOKEN", "xapp-1-placeholder"),
    ],
)
def test_settings_placeholder_credential_names_variable(variable, value):
    with pytest.raises(ConfigError) as raised:
        load_settings({**VALID, variable: value}, dotenv=False)

    assert str(raised.value).startswith(f"{variable} is still a placeholder")
    assert "\n" not in str(raised.value)


def test_settings_real_looking_credentials_are_accepted():
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1234567890-0987654321-AbCdEfyourXxXtodo1234",
        "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyyef0ee",
        "SLACK_APP_TOKEN": "xapp-1-A0123456789-1234567890123-0a1b2c3d4e5f",
    }

    settings = load_settings(env, dotenv=False)

    assert (settings.slack_bot_token, settings.slack_app_token) == (
        env["SLACK_BOT_TOKEN"],
        env["SLACK_APP_TOKEN"],
    )


def test_settings_env_example_leaves_http_mode_and_rejects_its_placeholders():
    example = (ROOT / ".env.example").read_text()
    env = {
        line.split("=", 1)[0]: line.split("=", 1)[1]
        for line in example.splitlines()
        if "=" in line and not line.startswith("#")
    }

    with pytest.raises(ConfigError) as raised:
        load_settings(env, dotenv=False)

    assert env["SLACK_APP_TOKEN"] == ""
    assert str(raised.value).startswith("SLACK_BOT_TOKEN is still a placeholder")


def test_startup_timeout_defaults_to_thirty_seconds():
    settings = load_settings(BASE, dotenv=False)

    assert settings.startup_timeout_seconds == 30.0


@pytest.mark.parametrize("value", ["-1", "abc", "601"])
def test_startup_timeout_malformed_names_the_variable(value):
    with pytest.raises(ConfigError) as raised:
        load_settings({**BASE, "STARTUP_TIMEOUT_SECONDS": value}, dotenv=False)

    assert str(raised.value).startswith("STARTUP_TIMEOUT_SECONDS is malformed: expected")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("https://partage.gouv.test/", "https://partage.gouv.test"),
        ("http://127.0.0.1:3000/bot", "http://127.0.0.1:3000/bot"),
    ],
)
def test_public_url_is_optional_and_loses_its_trailing_slash(value, expected):
    settings = load_settings({**VALID, "PUBLIC_URL": value}, dotenv=False)

    assert settings.public_url == expected


def test_home_refresh_delay_defaults_to_half_a_second():
    settings = load_settings(BASE, dotenv=False)

    assert settings.home_refresh_delay_seconds == 0.5


@pytest.mark.parametrize("value", ["-0.1", "soon", "6"])
def test_home_refresh_delay_malformed_names_the_variable(value):
    with pytest.raises(ConfigError) as raised:
        load_settings({**BASE, "HOME_REFRESH_DELAY_SECONDS": value}, dotenv=False)

    assert str(raised.value).startswith("HOME_REFRESH_DELAY_SECONDS is malformed: expected")


# --- Matrix ---------------------------------------------------------------------------

MATRIX = {
    "MATRIX_HOMESERVER": "https://matrix.partage.test/",
    "MATRIX_USER_ID": "@partage:partage.test",
    "MATRIX_ACCESS_TOKEN": "syt_cGFydGFnZQ_AbCdEf_0a1b2c",
}


def test_settings_matrix_only_needs_no_slack_setting():
    settings = load_settings(MATRIX, dotenv=False)

    assert (settings.serves_slack, settings.serves_matrix) == (False, True)
    assert settings.matrix_homeserver == "https://matrix.partage.test"
    assert (settings.matrix_device_id, settings.matrix_pace_seconds) == (None, 1.0)
    assert settings.matrix_store_path == str(Path.cwd() / "matrix-store")


def test_settings_both_messengers_serve_both():
    settings = load_settings(
        {**VALID, **MATRIX, "MATRIX_DEVICE_ID": "PARTAGEBOT", "MATRIX_PACE_SECONDS": "0.2"},
        dotenv=False,
    )

    assert (settings.serves_slack, settings.serves_matrix) == (True, True)
    assert (settings.matrix_device_id, settings.matrix_pace_seconds) == ("PARTAGEBOT", 0.2)


def test_settings_slack_only_serves_no_matrix():
    settings = load_settings(VALID, dotenv=False)

    assert (settings.serves_slack, settings.serves_matrix) == (True, False)


def test_settings_matrix_with_slack_token_still_needs_signing_secret():
    with pytest.raises(ConfigError) as raised:
        load_settings({**MATRIX, "SLACK_BOT_TOKEN": "xoxb-1"}, dotenv=False)

    assert str(raised.value).startswith("SLACK_SIGNING_SECRET is missing")


@pytest.mark.parametrize("missing", ["MATRIX_HOMESERVER", "MATRIX_USER_ID", "MATRIX_ACCESS_TOKEN"])
def test_settings_matrix_partly_set_names_the_missing_variable(missing):
    env = {name: value for name, value in MATRIX.items() if name != missing}

    with pytest.raises(ConfigError) as raised:
        load_settings(env, dotenv=False)

    assert str(raised.value).startswith(f"{missing} is missing")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("MATRIX_HOMESERVER", "matrix.partage.test", "MATRIX_HOMESERVER is malformed"),
        ("MATRIX_USER_ID", "partage", "MATRIX_USER_ID is malformed"),
        ("MATRIX_USER_ID", "@partage", "MATRIX_USER_ID is malformed"),
        ("MATRIX_ACCESS_TOKEN", "two words", "MATRIX_ACCESS_TOKEN is malformed"),
        ("MATRIX_ACCESS_TOKEN", "your-access-token", "MATRIX_ACCESS_TOKEN is still a placeholder"),
        ("MATRIX_PACE_SECONDS", "fast", "MATRIX_PACE_SECONDS is malformed"),
        ("MATRIX_PACE_SECONDS", "-1", "MATRIX_PACE_SECONDS is malformed"),
    ],
)
def test_settings_bad_matrix_value_names_variable(variable, value, expected):
    with pytest.raises(ConfigError) as raised:
        load_settings({**MATRIX, variable: value}, dotenv=False)

    assert str(raised.value).startswith(expected)
    assert "\n" not in str(raised.value)


def test_settings_neither_messenger_names_both_ways():
    with pytest.raises(ConfigError) as raised:
        load_settings({}, dotenv=False)

    assert str(raised.value) == (
        "SLACK_BOT_TOKEN is missing: set it to the bot token (xoxb-...), "
        "or set MATRIX_HOMESERVER, MATRIX_USER_ID and MATRIX_ACCESS_TOKEN for Matrix."
    )
