"""The help message: every subcommand with an example."""

from __future__ import annotations

from bot.enums import Language
from bot.i18n import t
from bot.slack.blocks.common import Message, context, header, message, section
from bot.slack.text import NEWLINE, Mrkdwn

HELP_LINES = (
    "help.line.programme",
    "help.line.roles",
    "help.line.guide",
    "help.line.guide_assign",
    "help.line.contribuer",
    "help.line.participer",
    "help.line.prete",
    "help.line.retirer",
    "help.line.session",
    "help.line.theme",
    "help.line.proposer",
    "help.line.sondage",
    "help.line.sondage_gerer",
    "help.line.planning",
    "help.line.config",
    "help.line.annuler",
    "help.line.organisateur",
    "help.line.aide",
)


def build_help(lang: Language, command: str, unknown_word: str | None = None) -> Message:
    lines = NEWLINE.join(Mrkdwn("• ") + t(lang, key, cmd=command) for key in HELP_LINES)
    blocks = [header(t(lang, "help.title"))]
    if unknown_word is not None:
        blocks.append(section(t(lang, "help.unknown", word=unknown_word)))
    blocks += [
        section(t(lang, "help.intro")),
        section(lines),
        context(t(lang, "help.footer", cmd=command)),
    ]
    return message(t(lang, "help.title"), blocks)
