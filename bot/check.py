"""`python -m bot check`: is this install right? One line per check, ✓ or ✗ with the fix.

An organiser learns of a missing scope, a channel the bot was never invited to or a
database left at an old revision on the day a reminder should have gone out. This
command asks now, with the settings the bot itself would use:

- the settings (`load_settings`: a malformed one is named);
- the bot token (`auth.test`) and, when set, the app token (`apps.connections.open`
  hands out a Socket Mode URL for a valid one; it is not opened);
- the scopes Slack granted (the `x-oauth-scopes` header of `auth.test`'s answer) against
  those `manifest.yml` asks for;
- the database: it answers, it takes a write (made in a transaction rolled back), it is
  at Alembic's latest revision;
- each group's channel (`conversations.info`): the bot is a member, the channel is not
  archived, and `chat:write` is granted;
- `PUBLIC_URL`, when set: `GET /healthz` answers 200.

It changes nothing: no migration, no SQLite file created, no message posted, no
connection kept. A token is never printed; a refused one is named by its variable. The
exit code is 0 when every line is ✓, 1 otherwise. French or English per BOT_LANGUAGE.
"""

from __future__ import annotations

import logging
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.pool import NullPool

from bot.config import ConfigError, Settings, load_settings
from bot.db.engine import WRITE_PROBE, alembic_config, postgres_connect_args
from bot.enums import Language
from bot.i18n.messages import CATALOGS
from bot.timeouts import DB_LOCK_TIMEOUT_SECONDS

MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"
# Each Web API call and the public URL's answer: an operator waits at the terminal.
TIMEOUT_SECONDS = 10.0
# Slack's answers that mean a token itself is wrong (see bot.bootstrap).
REFUSED_TOKEN = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "invalid_token",
    }
)
PASSED, FAILED = "✓", "✗"


@dataclass(frozen=True)
class Line:
    ok: bool
    text: str

    def __str__(self) -> str:
        return f"{PASSED if self.ok else FAILED} {self.text}"


@dataclass
class Checklist:
    lang: Language
    lines: list[Line] = field(default_factory=list)

    def say(self, key: str, **params: object) -> str:
        """A catalog line for the terminal: `str.format`, no mrkdwn escaping."""
        return CATALOGS[self.lang][key].format(**params)

    def passed(self, key: str, **params: object) -> None:
        self.lines.append(Line(True, self.say(key, **params)))

    def failed(self, key: str, **params: object) -> None:
        self.lines.append(Line(False, self.say(key, **params)))

    def not_checked(self, what: str, why: str) -> None:
        self.failed("check.not_checked", what=self.say(what), why=self.say(why))

    @property
    def ok(self) -> bool:
        return all(line.ok for line in self.lines)


def wanted_scopes(manifest: Path = MANIFEST) -> list[str]:
    """The bot scopes `manifest.yml` asks for (oauth_config.scopes.bot), in its order."""
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    return [str(scope) for scope in data["oauth_config"]["scopes"]["bot"]]


def granted_scopes(response: SlackResponse) -> set[str] | None:
    """The `x-oauth-scopes` header of a Web API answer; None when absent."""
    for name, value in (response.headers or {}).items():
        if name.lower() == "x-oauth-scopes":
            raw = value[0] if isinstance(value, list | tuple) else value
            return {scope.strip() for scope in str(raw).split(",") if scope.strip()}
    return None


def _reason(error: BaseException) -> str:
    """The first line of a failure, without its traceback."""
    cause = getattr(error, "orig", None) or getattr(error, "reason", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _language(environ: Mapping[str, str], *, dotenv: bool) -> Language:
    """BOT_LANGUAGE as far as it can be read (the environment, then `.env`, as
    `load_settings` reads them), for a checklist whose settings fail."""
    raw = environ.get("BOT_LANGUAGE")
    if raw is None and dotenv:
        from dotenv import dotenv_values

        raw = dotenv_values(".env").get("BOT_LANGUAGE")
    value = (raw or "").strip().lower()
    return Language.EN if value == Language.EN.value else Language.FR


@dataclass
class SlackFacts:
    """What the bot token's check learnt, for the checks after it."""

    token_ok: bool = False
    bot_name: str = "partage"
    granted: set[str] | None = None


def check_bot_token(checks: Checklist, settings: Settings, client: WebClient) -> SlackFacts:
    facts = SlackFacts()
    try:
        response = client.auth_test()
    except SlackApiError as error:
        code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        key = "check.bot_token.refused" if code in REFUSED_TOKEN else "check.bot_token.failed"
        checks.failed(key, code=code)
        return facts
    except OSError as error:
        checks.failed("check.slack.unreachable", url=settings.slack_api_url, reason=_reason(error))
        return facts
    facts.token_ok = True
    facts.bot_name = str(response.get("user") or facts.bot_name)
    facts.granted = granted_scopes(response)
    checks.passed("check.bot_token.ok", team=response.get("team") or "?", user=facts.bot_name)
    return facts


def check_app_token(checks: Checklist, app_token: str, client: WebClient) -> None:
    """`apps.connections.open` answers a WebSocket URL for a valid app-level token: the
    URL is dropped, never opened, so no connection is kept."""
    try:
        client.apps_connections_open(app_token=app_token)
    except SlackApiError as error:
        code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        key = "check.app_token.refused" if code in REFUSED_TOKEN else "check.app_token.failed"
        checks.failed(key, code=code)
        return
    except OSError as error:
        checks.failed("check.app_token.failed", code=_reason(error))
        return
    checks.passed("check.app_token.ok")


def check_scopes(checks: Checklist, facts: SlackFacts, wanted: list[str]) -> None:
    if not facts.token_ok:
        checks.not_checked("check.scopes.what", "check.why.token")
        return
    if facts.granted is None:
        checks.failed("check.scopes.unknown")
        return
    missing = [scope for scope in wanted if scope not in facts.granted]
    if missing:
        checks.failed("check.scopes.missing", missing=", ".join(f"`{s}`" for s in missing))
    else:
        checks.passed("check.scopes.ok", count=len(wanted))


def _engine(url: str) -> Engine:
    """An engine that waits for nothing long and keeps no connection: the bot's own
    engine would switch a SQLite file to WAL on connect, which is a change."""
    if url.startswith("sqlite"):
        return create_engine(
            url, poolclass=NullPool, connect_args={"timeout": DB_LOCK_TIMEOUT_SECONDS}
        )
    return create_engine(url, poolclass=NullPool, connect_args=postgres_connect_args())


def _sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for an in-memory database or another backend)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    name = parsed.database
    if name == ":memory:" or "mode=memory" in name:
        return None
    return Path(name.removeprefix("file:").split("?", 1)[0])


def check_database(checks: Checklist, url: str) -> list[str] | None:
    """Reachable, writable, at head: three lines. Returns the groups' channel ids when
    the database could be read, None otherwise."""
    path = _sqlite_file(url)
    if path is not None and not path.exists():
        checks.failed("check.database.missing", path=path)
        checks.not_checked("check.database.writable.what", "check.why.database")
        checks.not_checked("check.database.revision.what", "check.why.database")
        return None
    engine = _engine(url)
    try:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                revision = MigrationContext.configure(conn).get_current_revision()
        except Exception as error:
            checks.failed("check.database.unreachable", reason=_reason(error))
            checks.not_checked("check.database.writable.what", "check.why.database")
            checks.not_checked("check.database.revision.what", "check.why.database")
            return None
        checks.passed("check.database.reachable")
        if revision is None:
            checks.not_checked("check.database.writable.what", "check.why.database")
            checks.failed("check.database.empty")
            return None
        _check_writable(checks, engine)
        _check_revision(checks, url, revision)
        try:
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT channel_id FROM groups ORDER BY id")).all()
        except Exception:  # a schema this version does not know: the revision line says so
            return None
        return [str(row[0]) for row in rows]
    finally:
        engine.dispose()


def _check_writable(checks: Checklist, engine: Engine) -> None:
    """The health probe's write, rolled back: it fails as the bot's writes would (a
    read-only file or server, no permission), and leaves nothing behind."""
    try:
        with engine.connect() as conn:
            transaction = conn.begin()
            try:
                conn.execute(text(WRITE_PROBE))
            finally:
                transaction.rollback()
    except Exception as error:
        checks.failed("check.database.read_only", reason=_reason(error))
        return
    checks.passed("check.database.writable")


def _check_revision(checks: Checklist, url: str, revision: str) -> None:
    script = ScriptDirectory.from_config(alembic_config(url))
    heads = script.get_heads()
    if revision in heads:
        checks.passed("check.database.at_head", revision=revision)
        return
    try:
        known = script.get_revision(revision) is not None
    except Exception:  # alembic raises for an id it has no script for
        known = False
    if known:
        checks.failed("check.database.behind", revision=revision, head=", ".join(heads))
    else:
        checks.failed("check.database.ahead", revision=revision)


def check_channels(
    checks: Checklist, channels: list[str], client: WebClient, facts: SlackFacts
) -> None:
    if not channels:
        checks.passed("check.groups.none")
        return
    if not facts.token_ok:
        checks.not_checked("check.groups.what", "check.why.token")
        return
    can_write = facts.granted is None or "chat:write" in facts.granted
    for channel_id in channels:
        _check_channel(checks, channel_id, client, bot=facts.bot_name, can_write=can_write)


def _check_channel(
    checks: Checklist, channel_id: str, client: WebClient, *, bot: str, can_write: bool
) -> None:
    shown = channel_id
    try:
        response = client.conversations_info(channel=channel_id)
    except SlackApiError as error:
        code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        key = "check.channel.not_found" if code == "channel_not_found" else "check.channel.failed"
        checks.failed(key, channel=shown, code=code, bot=bot)
        return
    except OSError as error:
        checks.failed("check.channel.failed", channel=shown, code=_reason(error))
        return
    info: dict[str, Any] = dict(response.get("channel") or {})
    if info.get("name"):
        shown = f"#{info['name']} ({channel_id})"
    if info.get("is_archived"):
        checks.failed("check.channel.archived", channel=shown)
    elif not info.get("is_member"):
        checks.failed("check.channel.not_member", channel=shown, bot=bot)
    elif not can_write:
        checks.failed("check.channel.cannot_write", channel=shown)
    else:
        checks.passed("check.channel.ok", channel=shown)


def check_public_url(checks: Checklist, public_url: str) -> None:
    try:
        with urllib.request.urlopen(f"{public_url}/healthz", timeout=TIMEOUT_SECONDS) as reply:
            status = reply.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError, ValueError) as error:
        answer = checks.say("check.public_url.unreachable", reason=_reason(error))
        checks.failed("check.public_url.bad", url=public_url, answer=answer)
        return
    if status == 200:
        checks.passed("check.public_url.ok", url=public_url)
    else:
        answer = checks.say("check.public_url.status", status=status)
        checks.failed("check.public_url.bad", url=public_url, answer=answer)


def run_checks(
    environ: Mapping[str, str] | None = None,
    *,
    dotenv: bool = True,
    manifest: Path = MANIFEST,
    on_line: Callable[[Line], None] | None = None,
) -> Checklist:
    """Every check, in order; `on_line` sees each line as soon as it is known."""
    env = os.environ if environ is None else environ
    try:
        settings = load_settings(env, dotenv=dotenv)
    except ConfigError as error:
        checks = Checklist(_language(env, dotenv=dotenv))
        checks.failed("check.settings.bad", error=str(error))
        if on_line is not None:
            on_line(checks.lines[-1])
        return checks
    checks = Checklist(settings.bot_language)
    shown = 0

    def flush() -> None:
        nonlocal shown
        if on_line is not None:
            for line in checks.lines[shown:]:
                on_line(line)
        shown = len(checks.lines)

    mode = (
        checks.say("check.settings.mode.socket")
        if settings.socket_mode
        else checks.say("check.settings.mode.http", port=settings.port)
    )
    checks.passed("check.settings.ok", mode=mode)
    flush()
    # slack_sdk logs each failed call itself; every failure here is one line already.
    quiet = logging.getLogger("bot.check.web_api")
    quiet.setLevel(logging.CRITICAL)
    client = WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=int(TIMEOUT_SECONDS),
        logger=quiet,
    )
    facts = check_bot_token(checks, settings, client)
    flush()
    if settings.slack_app_token is not None:
        check_app_token(checks, settings.slack_app_token, client)
        flush()
    check_scopes(checks, facts, wanted_scopes(manifest))
    flush()
    channels = check_database(checks, settings.database_url)
    flush()
    if channels is None:
        checks.not_checked("check.groups.what", "check.why.database")
    else:
        check_channels(checks, channels, client, facts)
    flush()
    if settings.public_url is not None:
        check_public_url(checks, settings.public_url)
        flush()
    return checks


def main(out: TextIO | None = None) -> int:
    """`python -m bot check`: prints the checklist as it goes; 0 when all is ✓."""
    stream = out or sys.stdout

    def show(line: Line) -> None:
        print(line, file=stream, flush=True)

    checks = run_checks(on_line=show)
    return 0 if checks.ok else 1
