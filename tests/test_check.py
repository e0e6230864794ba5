"""`python -m bot check` against the fake Slack and real databases: every line ✓ on a
sound install, then each fault on its own turns exactly its line to ✗."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session, sessionmaker

from bot.check import run_checks, wanted_scopes
from bot.db.engine import alembic_config
from tests.conftest import POSTGRES_ADMIN_URL
from tests.support.clock import ManualClock
from tests.support.cycle import schedule
from tests.support.databases import postgres_database, sqlite_at
from tests.support.fake_slack import FakeSlack
from tests.support.server import BotServer

ROOT = Path(__file__).resolve().parent.parent
BOT_TOKEN = "xoxb-1111-2222-secretbotvalue"
APP_TOKEN = "xapp-1-A0001-3333-secretappvalue"
HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
PREVIOUS = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(HEAD).down_revision


def sound_lines(port: int) -> list[str]:
    return [
        "✓ Réglages\u202f: valides (Socket Mode)",
        "✓ Jeton du bot (SLACK_BOT_TOKEN)\u202f: accepté par Slack (espace Beta, bot @partage)",
        "✓ Jeton d’app (SLACK_APP_TOKEN)\u202f: accepté, Socket Mode ouvert par Slack",
        "✓ Permissions (scopes)\u202f: Slack accorde les 13 que manifest.yml demande",
        "✓ Base de données\u202f: joignable",
        "✓ Base de données\u202f: accepte les écritures",
        f"✓ Base de données\u202f: à jour (révision {HEAD})",
        "✓ Canal #partage-c0group (C0GROUP)\u202f: le bot en est membre et peut y écrire",
        f"✓ Adresse publique (PUBLIC_URL)\u202f: http://127.0.0.1:{port}/healthz répond 200",
    ]


@pytest.fixture
def install(
    database_url: str,
    db: sessionmaker[Session],
    fake_slack: FakeSlack,
    bot_server: BotServer,
    clock: ManualClock,
) -> dict[str, str]:
    """A sound install: the manifest's scopes granted, one group whose channel has the
    bot, the database at head, PUBLIC_URL leading to a running bot."""
    fake_slack.reset()
    fake_slack.scopes = wanted_scopes()
    schedule(db, starts_at=datetime(2027, 1, 14, 13, 0, tzinfo=UTC), now=clock.now())
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        "PUBLIC_URL": f"http://127.0.0.1:{bot_server.port}",
    }


def checked(env: dict[str, str]) -> list[str]:
    return [str(line) for line in run_checks(env, dotenv=False).lines]


def changed(port: int, index: int, line: str) -> list[str]:
    """The sound checklist with line `index` replaced."""
    lines = sound_lines(port)
    lines[index] = line
    return lines


def test_check_every_line_passes_on_a_sound_install(install, bot_server):
    checks = run_checks(install, dotenv=False)

    assert [str(line) for line in checks.lines] == sound_lines(bot_server.port)
    assert checks.ok


def test_check_missing_scope_is_the_one_failure(install, fake_slack, bot_server):
    fake_slack.scopes = [s for s in wanted_scopes() if s not in ("reactions:write", "im:write")]

    lines = checked(install)

    assert lines == changed(
        bot_server.port,
        3,
        "✗ Permissions (scopes)\u202f: il manque `im:write`, `reactions:write` — ajoutez-les "
        "dans OAuth & Permissions (ou recréez l’app depuis manifest.yml), puis réinstallez "
        "l’app",
    )


def test_check_bot_not_in_channel_is_the_one_failure(install, fake_slack, bot_server):
    fake_slack.not_member.add("C0GROUP")

    lines = checked(install)

    assert lines == changed(
        bot_server.port,
        7,
        "✗ Canal #partage-c0group (C0GROUP)\u202f: le bot n’en est pas membre — invitez-le\u202f: "
        "/invite @partage dans le canal",
    )


def test_check_archived_channel_is_the_one_failure(install, fake_slack, bot_server):
    fake_slack.archived.add("C0GROUP")

    lines = checked(install)

    assert lines[7].startswith("✗ Canal #partage-c0group (C0GROUP)\u202f: archivé")
    assert (
        lines[:7] + lines[8:] == sound_lines(bot_server.port)[:7] + sound_lines(bot_server.port)[8:]
    )


@pytest.fixture
def old_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A database of its own, migrated with Alembic to the revision before the latest."""
    if database_url.startswith("sqlite"):
        yield sqlite_at(tmp_path / "old.db", PREVIOUS)
        return
    with postgres_database(POSTGRES_ADMIN_URL) as url:
        command.upgrade(alembic_config(url), PREVIOUS)
        yield url


def test_check_old_revision_is_the_one_failure(install, old_database_url, bot_server):
    env = {**install, "DATABASE_URL": old_database_url}

    lines = checked(env)

    expected = sound_lines(bot_server.port)
    expected[6] = (
        f"✗ Base de données\u202f: révision {PREVIOUS}, la dernière est {HEAD} — démarrez le "
        "bot, il met la base à jour, ou lancez `alembic upgrade head`"
    )
    expected[7] = "✓ Groupes\u202f: aucun pour l’instant (un groupe naît avec la commande session "
    expected[7] += "dans son canal)"
    assert lines == expected


def test_check_read_only_database_is_the_one_failure(
    install, read_only_database_url, database_url, bot_server
):
    env = {**install, "DATABASE_URL": read_only_database_url}

    lines = checked(env)

    reason = (
        "attempt to write a readonly database"
        if database_url.startswith("sqlite")
        else "cannot execute UPDATE in a read-only transaction"
    )
    expected = sound_lines(bot_server.port)
    expected[5] = (
        f"✗ Base de données\u202f: refuse les écritures ({reason}) — donnez au bot le droit "
        "d’écrire (fichier et dossier de la base SQLite, ou rôle PostgreSQL), libérez de "
        "l’espace disque"
    )
    expected[7] = "✓ Groupes\u202f: aucun pour l’instant (un groupe naît avec la commande session "
    expected[7] += "dans son canal)"
    assert lines == expected


def test_check_writes_nothing_and_creates_no_sqlite_file(install, tmp_path):
    missing = tmp_path / "nowhere.db"
    env = {**install, "DATABASE_URL": f"sqlite:///{missing}"}

    lines = checked(env)

    assert lines[4] == (
        f"✗ Base de données\u202f: pas de fichier {missing} — corrigez DATABASE_URL, ou "
        "démarrez le bot une fois pour la créer"
    )
    assert not missing.exists()


def test_check_malformed_setting_is_named(install):
    env = {**install, "SLACK_BOT_TOKEN": "xoxp-not-a-bot-token"}

    checks = run_checks(env, dotenv=False)

    assert [str(line) for line in checks.lines] == [
        "✗ Réglages\u202f: SLACK_BOT_TOKEN is malformed: expected the bot token (xoxb-...)."
    ]
    assert not checks.ok


def test_check_public_url_not_answering_is_the_one_failure(install, bot_server):
    env = {**install, "PUBLIC_URL": "http://127.0.0.1:9"}

    lines = checked(env)

    assert lines[:8] == sound_lines(bot_server.port)[:8]
    assert lines[8].startswith("✗ Adresse publique (PUBLIC_URL)\u202f: http://127.0.0.1:9/healthz")
    assert "ne répond pas" in lines[8]


def test_check_speaks_english_when_the_bot_does(install):
    lines = checked({**install, "BOT_LANGUAGE": "en"})

    assert lines[:2] == [
        "✓ Settings: valid (Socket Mode)",
        "✓ Bot token (SLACK_BOT_TOKEN): accepted by Slack (workspace Beta, bot @partage)",
    ]


def run_command(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_python_m_bot_check_exits_0_when_every_line_passes(install, bot_server, tmp_path):
    result = run_command(install, tmp_path)

    assert result.stdout.splitlines() == sound_lines(bot_server.port)
    assert (result.returncode, result.stderr) == (0, "")


def test_python_m_bot_check_names_refused_tokens_without_showing_them(
    install, fake_slack, tmp_path
):
    fake_slack.fail("auth.test", "invalid_auth")
    fake_slack.fail("apps.connections.open", "invalid_auth")

    result = run_command(install, tmp_path)

    lines = result.stdout.splitlines()
    assert lines[1] == (
        "✗ Jeton du bot (SLACK_BOT_TOKEN)\u202f: refusé par Slack (invalid_auth) — copiez le "
        "«\u202fBot User OAuth Token\u202f» (xoxb-…) de la page OAuth & Permissions de l’app"
    )
    assert lines[2].startswith("✗ Jeton d’app (SLACK_APP_TOKEN)\u202f: refusé par Slack")
    assert lines[3] == (
        "✗ Permissions (scopes)\u202f: non vérifié, il faut d’abord que Slack accepte le jeton "
        "du bot"
    )
    assert lines[7] == (
        "✗ Canaux des groupes\u202f: non vérifié, il faut d’abord que Slack accepte le jeton du bot"
    )
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "secretbotvalue" not in output
    assert "secretappvalue" not in output


def test_scripts_check_runs_the_checklist(install, bot_server):
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "check")],
        env={"PATH": os.environ["PATH"], **install},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.stdout.splitlines() == sound_lines(bot_server.port)
    assert result.returncode == 0


def test_check_malformed_setting_in_english_when_bot_language_says_so(install):
    env = {**install, "SLACK_BOT_TOKEN": "xoxp-not-a-bot-token", "BOT_LANGUAGE": "en"}

    lines = checked(env)

    assert lines == ["✗ Settings: SLACK_BOT_TOKEN is malformed: expected the bot token (xoxb-...)."]
