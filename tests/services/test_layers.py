"""The service layer sits between entry points and the domain: listeners reach the use
cases they share with jobs through it, never through `bot.jobs` (directly or not)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize(
    "package", ["slack/listeners", "services", "domain", "slack/blocks"], ids=str
)
def test_layer_never_imports_jobs(package):
    offenders = {
        str(path.relative_to(BOT)): sorted(
            m for m in imported_modules(path) if m.startswith("bot.jobs")
        )
        for path in sorted((BOT / package).rglob("*.py"))
    }

    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_services_and_domain_never_import_slack_or_the_scheduler():
    forbidden = ("slack_bolt", "slack_sdk", "apscheduler", "bot.slack")
    offenders = {
        str(path.relative_to(BOT)): sorted(
            m for m in imported_modules(path) if m.startswith(forbidden)
        )
        for package in ("services", "domain")
        for path in sorted((BOT / package).rglob("*.py"))
    }

    assert {path: mods for path, mods in offenders.items() if mods} == {}


# What follows a change is `bot.followups`' business alone: planning a refresh of the
# living messages, raising a calendar's SEQUENCE, republishing an App Home.
FOLLOW_UP_CODE = (
    "bot.followups",
    "bot.domain.changes",
    "bot.domain.calendar_changes",
    "bot.slack.home",
)


def follow_up_imports(path: Path) -> list[str]:
    return sorted(
        m
        for m in imported_modules(path)
        if any(m == name or m.startswith(f"{name}.") for name in FOLLOW_UP_CODE)
    )


@pytest.mark.parametrize("package", ["slack/listeners", "jobs"], ids=str)
def test_listeners_and_jobs_never_import_the_follow_up_code(package):
    offenders = {
        str(path.relative_to(BOT)): follow_up_imports(path)
        for path in sorted((BOT / package).rglob("*.py"))
    }

    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_follow_up_imports_finds_a_listener_that_plans_a_refresh(tmp_path):
    offender = tmp_path / "listener.py"
    offender.write_text(
        "from bot.domain import changes\nfrom bot.slack.home import HomeRefresher\n",
        encoding="utf-8",
    )

    assert follow_up_imports(offender) == [
        "bot.domain.changes",
        "bot.slack.home",
        "bot.slack.home.HomeRefresher",
    ]


def test_domain_never_imports_the_follow_up_table():
    offenders = {
        str(path.relative_to(BOT)): sorted(
            m for m in imported_modules(path) if m.startswith("bot.followups")
        )
        for path in sorted((BOT / "domain").rglob("*.py"))
    }

    assert {path: mods for path, mods in offenders.items() if mods} == {}
