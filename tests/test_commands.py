"""Every subcommand is declared once (`bot.commands`): what is derived from that
declaration, and what a test checks against it (its handler, its help, the READMEs)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from bot import commands
from bot.commands import SPECS, Subcommand
from bot.enums import Language
from bot.i18n import CATALOGS
from bot.slack.dedup import READ_ONLY_SUBCOMMANDS
from bot.slack.listeners.commands import HANDLERS
from bot.slack.parsing import parse_command

ROOT = Path(__file__).resolve().parents[1]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_commands_every_subcommand_is_declared_once():
    declared = [spec.subcommand for spec in SPECS]

    assert sorted(declared) == sorted(set(Subcommand) - {Subcommand.UNKNOWN})
    assert len(declared) == len(set(declared))


def test_commands_no_word_names_two_subcommands():
    words = [word for spec in SPECS for word in spec.words]

    assert len(words) == len(set(words))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.subcommand.value)
def test_commands_every_word_parses_to_its_subcommand(spec):
    assert {parse_command(f"{word} x").subcommand for word in spec.words if word} == {
        spec.subcommand
    }


def test_commands_every_subcommand_has_a_handler():
    assert set(HANDLERS) == set(Subcommand)


def test_commands_the_ledger_reads_which_only_show_from_the_declaration():
    assert READ_ONLY_SUBCOMMANDS == commands.READ_ONLY
    assert {s for s in commands.READ_ONLY if s is not Subcommand.UNKNOWN} == {
        Subcommand.HELP,
        Subcommand.PROGRAMME,
        Subcommand.PLANNING,
        Subcommand.HISTORY,
        Subcommand.MY_DATA,
    }


@pytest.mark.parametrize("lang", list(Language), ids=str)
def test_commands_every_help_line_is_in_the_catalogue(lang):
    keys = commands.MEMBER_HELP + commands.ORGANISER_HELP

    assert [k for k in keys if k not in CATALOGS[lang]] == []
    assert all(spec.member_help or spec.organiser_help for spec in SPECS)


def command_rows(readme: Path) -> list[str]:
    """The rows of the README's commands table(s): those that start with the command."""
    return [
        fold(line)
        for line in readme.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\| `/partage", line)
    ]


@pytest.mark.parametrize("readme", ["README.md", "README.fr.md"])
def test_commands_every_subcommand_has_a_row_in_the_readme(readme):
    rows = command_rows(ROOT / readme)

    missing = [
        spec.french[-1] if spec.subcommand is Subcommand.HELP else spec.french[0]
        for spec in SPECS
        if not any(
            f"/partage {word}" in r
            for r in rows
            for word in spec.words
            if word or spec.subcommand is Subcommand.HELP
        )
    ]

    assert missing == []
