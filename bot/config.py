"""One frozen Settings object, read once from the environment and `.env`.

The table `SETTINGS` declares every variable with its default and its validator, so that
`.env.example`, the README and the start-up check cannot drift apart: a missing or
malformed value stops the bot with one line naming the variable and what it expects.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.enums import Language


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line meant for the operator."""


@dataclass(frozen=True)
class Settings:
    """Everything the process needs from its environment, validated.

    The process serves Slack when SLACK_BOT_TOKEN is set ("" otherwise), Matrix when
    MATRIX_HOMESERVER is set, or both."""

    slack_bot_token: str
    slack_signing_secret: str | None
    slack_app_token: str | None
    slack_api_url: str
    database_url: str
    bot_timezone: str
    bot_language: Language
    port: int
    slash_command: str
    log_level: str
    dispatch_interval_seconds: float
    dispatch_lease_seconds: int
    startup_timeout_seconds: float
    slack_timeout_seconds: float = 10.0
    # The bot's public base URL (https://bot.example.org): the calendar feed is served
    # under it. None: no feed is offered.
    public_url: str | None = None
    outbox_verify_after_seconds: float = 60.0
    home_refresh_delay_seconds: float = 0.5
    # Matrix (Tchap): the homeserver's base URL, the bot's account and its access token
    # (made once, never a password login per start); None when Matrix is not served.
    matrix_homeserver: str | None = None
    matrix_user_id: str | None = None
    matrix_access_token: str | None = None
    # The device the access token belongs to; None: asked of the homeserver (whoami).
    matrix_device_id: str | None = None
    # The end-to-end crypto store (keys, megolm sessions) and the sync token live here:
    # losing it loses the ability to read the encrypted rooms' history.
    matrix_store_path: str = "matrix-store"
    # At least this long between two calls to the homeserver (Tchap asks about 1 s).
    matrix_pace_seconds: float = 1.0

    @property
    def serves_slack(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def serves_matrix(self) -> bool:
        return self.matrix_homeserver is not None

    @property
    def socket_mode(self) -> bool:
        """Socket Mode when an app-level token is configured, HTTP otherwise."""
        return self.slack_app_token is not None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)


def _required(name: str, raw: str | None, expected: str) -> str:
    if raw is None or not raw.strip():
        raise ConfigError(f"{name} is missing: set it to {expected}.")
    return raw.strip()


# Values that stand for "fill me in": the ones .env.example and the docs show, and the
# usual stand-ins. They are matched as whole dash- or underscore-separated words, so a
# real (random) credential cannot trip them by chance.
_PLACEHOLDER_WORDS = frozenset({"your", "changeme", "replaceme", "placeholder", "example", "todo"})


def _is_placeholder(value: str) -> bool:
    lowered = value.lower()
    if any(mark in lowered for mark in ("...", "<", ">", "change_me", "change-me")):
        return True
    words = re.split(r"[-_.\s]+", lowered)
    return any(word in _PLACEHOLDER_WORDS or re.fullmatch(r"x{3,}", word) for word in words)


def _reject_placeholder(name: str, value: str, expected: str) -> str:
    if _is_placeholder(value):
        raise ConfigError(
            f"{name} is still a placeholder ({value!r}, as in .env.example): set it to {expected}."
        )
    return value


def _token(prefix: str, expected: str) -> Callable[[str, str | None], str]:
    def check(name: str, raw: str | None) -> str:
        value = _required(name, raw, expected)
        if not value.startswith(prefix) or re.search(r"\s", value):
            raise ConfigError(f"{name} is malformed: expected {expected}.")
        return _reject_placeholder(name, value, expected)

    return check


def _optional_token(prefix: str, expected: str) -> Callable[[str, str | None], str | None]:
    check = _token(prefix, expected)

    def optional(name: str, raw: str | None) -> str | None:
        if raw is None or not raw.strip():
            return None
        return check(name, raw)

    return optional


def _slack_bot_token(name: str, raw: str | None) -> str:
    """Optional here: required in `load_settings` unless Matrix is served. "" when unset."""
    if raw is None or not raw.strip():
        return ""
    return _token("xoxb-", "the bot token (xoxb-...)")(name, raw)


def _secret(name: str, raw: str | None) -> str | None:
    # Required only in HTTP mode; checked in `load_settings` once the mode is known.
    if raw is None or not raw.strip():
        return None
    return _reject_placeholder(
        name, raw.strip(), "the signing secret from your Slack app's Basic Information page"
    )


def _api_url(name: str, raw: str | None) -> str:
    value = (raw or "").strip() or "https://slack.com/api/"
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(
            f"{name} is malformed: expected an http(s) URL such as https://slack.com/api/."
        )
    return value if value.endswith("/") else value + "/"


def _database_url(name: str, raw: str | None) -> str:
    value = (raw or "").strip()
    if not value:
        return f"sqlite:///{Path.cwd() / 'partage.db'}"
    if value.startswith(("postgres://", "postgresql://")):
        # Heroku-style and bare URLs: use the psycopg 3 driver we ship.
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    if not value.startswith(("sqlite://", "postgresql+psycopg://")):
        raise ConfigError(
            f"{name} is malformed: expected sqlite:///path/to/file.db or "
            "postgresql://user:password@host:5432/database."
        )
    return value


def _timezone(name: str, raw: str | None) -> str:
    value = (raw or "").strip() or "Europe/Paris"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{name} is malformed: expected an IANA time zone such as Europe/Paris, got {value!r}."
        ) from None
    return value


def _language(name: str, raw: str | None) -> Language:
    value = (raw or "").strip().lower() or Language.FR.value
    try:
        return Language(value)
    except ValueError:
        raise ConfigError(f"{name} is malformed: expected fr or en, got {value!r}.") from None


def _port(name: str, raw: str | None) -> int:
    value = (raw or "").strip() or "3000"
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigError(f"{name} is malformed: expected a port number 1-65535, got {value!r}.")
    return int(value)


def _slash_command(name: str, raw: str | None) -> str:
    value = (raw or "").strip() or "/partage"
    if not re.fullmatch(r"/[a-z0-9_\-àâäéèêëîïôöùûüç]{1,31}", value):
        raise ConfigError(
            f"{name} is malformed: expected a lower-case slash command such as /partage, "
            f"got {value!r}."
        )
    return value


def _log_level(name: str, raw: str | None) -> str:
    value = (raw or "").strip().upper() or "INFO"
    if value not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ConfigError(
            f"{name} is malformed: expected DEBUG, INFO, WARNING, ERROR or CRITICAL, got {value!r}."
        )
    return value


def _dispatch_interval(name: str, raw: str | None) -> float:
    """How often each process looks for due deliveries. 15 s keeps a reminder within a
    quarter of a minute of its time at the cost of one indexed query per tick; tests of
    real processes set it well under a second."""
    value = (raw or "").strip() or "15"
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0.05 <= seconds <= 3600:
        raise ConfigError(
            f"{name} is malformed: expected a number of seconds between 0.05 and 3600, "
            f"got {value!r}."
        )
    return seconds


def _dispatch_lease(name: str, raw: str | None) -> int:
    """How long a claim by a process that died keeps its deliveries from the others.

    A live process renews its claim while it works and before each call, and the lease
    must outlast one Web API call at its worst (checked at start); shorter means a
    crashed process's work is taken over sooner. Messages that may have left are never
    resent blindly, whatever the lease: a post is first looked for on Slack.
    """
    value = (raw or "").strip() or "120"
    if not value.isdigit() or not 2 <= int(value) <= 3600:
        raise ConfigError(
            f"{name} is malformed: expected a whole number of seconds between 2 and 3600, "
            f"got {value!r}."
        )
    return int(value)


def _seconds_between(default: str, low: float, high: float) -> Callable[[str, str | None], float]:
    """A number of seconds in [low, high], `default` when unset."""

    def parse(name: str, raw: str | None) -> float:
        value = (raw or "").strip() or default
        try:
            seconds = float(value)
        except ValueError:
            seconds = -1.0
        if not low <= seconds <= high:
            raise ConfigError(
                f"{name} is malformed: expected a number of seconds between {low:g} and "
                f"{high:g}, got {value!r}."
            )
        return seconds

    return parse


def _public_url(name: str, raw: str | None) -> str | None:
    """Where members' calendars reach the bot (`<PUBLIC_URL>/calendar/<token>.ics`): an
    http(s) base URL with a host, no query or fragment; unset, no feed is offered."""
    value = (raw or "").strip()
    if not value:
        return None
    parsed = urlparse(value)
    if (
        parsed.scheme not in ("http", "https")
        or not parsed.hostname
        or parsed.query
        or parsed.fragment
        or re.search(r"\s", value)
    ):
        raise ConfigError(
            f"{name} is malformed: expected the bot's public http(s) base URL such as "
            f"https://partage.example.org, got {value!r}."
        )
    return _reject_placeholder(name, value.rstrip("/"), "the bot's public http(s) base URL")


# How long one Web API call may wait for Slack's answer. A Retry-After up to this long is
# waited in place; a longer one sends the delivery back to the queue. The dispatch lease
# must outlast a call's worst case (checked at start).
_slack_timeout = _seconds_between("10", 0.1, 60)
# How long after an attempt a post that may have gone out (a crash mid-call, a read
# timeout) is looked for in Slack's history, to record it or send it. It must outlast one
# call's worst case (checked at start), so a request still on its way has landed.
_outbox_verify_after = _seconds_between("60", 1, 3600)
# How long start-up keeps retrying while Slack cannot be reached (a host whose network
# comes up after the bot) before it gives up with one line and exit code 2.
_startup_timeout = _seconds_between("30", 0, 600)
# How long a member's App Home waits after a change before it is republished, so that a
# burst of changes costs one views.publish (0 publishes at once; folding still applies
# while a refresh waits for a worker).
_home_refresh_delay = _seconds_between("0.5", 0, 5)


def _matrix_homeserver(name: str, raw: str | None) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.hostname or re.search(r"\s", value):
        raise ConfigError(
            f"{name} is malformed: expected the homeserver's base URL such as "
            f"https://matrix.agent.tchap.gouv.fr, got {value!r}."
        )
    return _reject_placeholder(name, value.rstrip("/"), "the homeserver's base URL")


def _matrix_user_id(name: str, raw: str | None) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"@[^\s:]+:[^\s]+", value) or len(value) > 255:
        raise ConfigError(
            f"{name} is malformed: expected the bot's full Matrix id such as "
            f"@partage:agent.tchap.gouv.fr, got {value!r}."
        )
    return _reject_placeholder(name, value, "the bot's full Matrix id")


def _matrix_secret(expected: str) -> Callable[[str, str | None], str | None]:
    def check(name: str, raw: str | None) -> str | None:
        value = (raw or "").strip()
        if not value:
            return None
        if re.search(r"\s", value):
            raise ConfigError(f"{name} is malformed: expected {expected}.")
        return _reject_placeholder(name, value, expected)

    return check


def _store_path(name: str, raw: str | None) -> str:
    return (raw or "").strip() or str(Path.cwd() / "matrix-store")


# Tchap's bot guide asks for about one call a second; tests go faster.
_matrix_pace = _seconds_between("1.0", 0, 60)


# The declared table: (environment variable, Settings field, validator).
SETTINGS: tuple[tuple[str, str, Callable[[str, str | None], object]], ...] = (
    ("SLACK_BOT_TOKEN", "slack_bot_token", _slack_bot_token),
    ("SLACK_SIGNING_SECRET", "slack_signing_secret", _secret),
    (
        "SLACK_APP_TOKEN",
        "slack_app_token",
        _optional_token("xapp-", "an app-level token (xapp-...) with connections:write"),
    ),
    ("SLACK_API_URL", "slack_api_url", _api_url),
    ("DATABASE_URL", "database_url", _database_url),
    ("BOT_TIMEZONE", "bot_timezone", _timezone),
    ("BOT_LANGUAGE", "bot_language", _language),
    ("PORT", "port", _port),
    ("SLASH_COMMAND", "slash_command", _slash_command),
    ("LOG_LEVEL", "log_level", _log_level),
    ("DISPATCH_INTERVAL_SECONDS", "dispatch_interval_seconds", _dispatch_interval),
    ("DISPATCH_LEASE_SECONDS", "dispatch_lease_seconds", _dispatch_lease),
    ("SLACK_TIMEOUT_SECONDS", "slack_timeout_seconds", _slack_timeout),
    ("STARTUP_TIMEOUT_SECONDS", "startup_timeout_seconds", _startup_timeout),
    ("PUBLIC_URL", "public_url", _public_url),
    ("OUTBOX_VERIFY_AFTER_SECONDS", "outbox_verify_after_seconds", _outbox_verify_after),
    ("HOME_REFRESH_DELAY_SECONDS", "home_refresh_delay_seconds", _home_refresh_delay),
    ("MATRIX_HOMESERVER", "matrix_homeserver", _matrix_homeserver),
    ("MATRIX_USER_ID", "matrix_user_id", _matrix_user_id),
    (
        "MATRIX_ACCESS_TOKEN",
        "matrix_access_token",
        _matrix_secret("the bot account's access token (made once, see docs/matrix.md)"),
    ),
    ("MATRIX_DEVICE_ID", "matrix_device_id", _matrix_secret("the device id of that token")),
    ("MATRIX_STORE_PATH", "matrix_store_path", _store_path),
    ("MATRIX_PACE_SECONDS", "matrix_pace_seconds", _matrix_pace),
)

# Set together, or not at all: the account, its token and where it lives.
_MATRIX_REQUIRED = (
    ("MATRIX_HOMESERVER", "matrix_homeserver", "the homeserver's base URL"),
    ("MATRIX_USER_ID", "matrix_user_id", "the bot's full Matrix id (@partage:server)"),
    ("MATRIX_ACCESS_TOKEN", "matrix_access_token", "the bot account's access token"),
)


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Read and validate every setting; raise ConfigError on the first bad one.

    `.env` in the working directory fills in what the environment does not set (the real
    environment wins, as docker and systemd expect).
    """
    env: dict[str, str] = {}
    if dotenv:
        from dotenv import dotenv_values

        env.update({k: v for k, v in dotenv_values(".env").items() if v is not None})
    env.update(os.environ if environ is None else environ)

    values = {field: check(var, env.get(var)) for var, field, check in SETTINGS}
    settings = Settings(**values)  # type: ignore[arg-type]
    matrix_set = [var for var, field, _ in _MATRIX_REQUIRED if getattr(settings, field)]
    if matrix_set:
        for var, field, expected in _MATRIX_REQUIRED:
            if getattr(settings, field) is None:
                raise ConfigError(
                    f"{var} is missing: set it to {expected} ({matrix_set[0]} is set, so "
                    "the bot serves Matrix)."
                )
    elif not settings.serves_slack:
        raise ConfigError(
            "SLACK_BOT_TOKEN is missing: set it to the bot token (xoxb-...), "
            "or set MATRIX_HOMESERVER, MATRIX_USER_ID and MATRIX_ACCESS_TOKEN for Matrix."
        )
    if not settings.serves_slack:
        return settings
    if not settings.socket_mode and settings.slack_signing_secret is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is missing: set it to the signing secret from your Slack "
            "app's Basic Information page (required in HTTP mode, without SLACK_APP_TOKEN)."
        )
    return settings


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
