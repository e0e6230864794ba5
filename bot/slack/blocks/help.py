"""The help message: member commands first, the organisers' in their own section, each
with an example, and buttons for the three commonest actions. An unknown word gets a
short answer naming the nearest subcommand, not the whole list."""

from __future__ import annotations

from bot.commands import MEMBER_HELP, ORGANISER_HELP
from bot.enums import Language
from bot.i18n import t
from bot.slack.blocks.common import Block, Message, context, header, message, section
from bot.slack.blocks.roles import RoleButton, role_buttons
from bot.slack.text import NEWLINE, Mrkdwn

# Declared with each subcommand (`bot.commands`), in the help's order.
MEMBER_LINES = MEMBER_HELP
ORGANISER_LINES = ORGANISER_HELP
HELP_LINES = MEMBER_LINES + ORGANISER_LINES
# What members do most, as buttons when the channel has a next session.
COMMON_ACTIONS = (RoleButton.JOIN, RoleButton.CONTRIBUTE, RoleButton.GUIDE)


def _lines(lang: Language, command: str, keys: tuple[str, ...]) -> Mrkdwn:
    return NEWLINE.join(Mrkdwn("• ") + t(lang, key, cmd=command) for key in keys)


def build_help(
    lang: Language,
    command: str,
    unknown_word: str | None = None,
    *,
    suggestion: str | None = None,
    meeting_id: int | None = None,
    manage: bool = True,
) -> Message:
    """The whole help; the organisers' commands only for a reader who may run them
    (`manage`: an organiser, the guide, an admin, or anyone where no group exists yet)."""
    if unknown_word is not None:
        return build_unknown(lang, command, unknown_word, suggestion)
    title = t(lang, "help.title")
    blocks: list[Block] = [
        header(title),
        section(t(lang, "help.intro")),
        section(
            NEWLINE.join([t(lang, "living.help.members"), _lines(lang, command, MEMBER_LINES)])
        ),
    ]
    if meeting_id is not None:
        blocks.append(role_buttons(lang, meeting_id, COMMON_ACTIONS))
    if manage:
        blocks.append(
            section(
                NEWLINE.join(
                    [t(lang, "living.help.organisers"), _lines(lang, command, ORGANISER_LINES)]
                )
            )
        )
    else:
        blocks.append(context(t(lang, "living.help.organisers.hidden")))
    blocks.append(context(t(lang, "help.footer", cmd=command)))
    return message(title, blocks)


def build_unknown(lang: Language, command: str, word: str, suggestion: str | None) -> Message:
    """Two lines: the nearest subcommand if one is close, and where the full help is."""
    first = (
        t(lang, "living.help.did_you_mean", word=word, suggestion=suggestion, cmd=command)
        if suggestion
        else t(lang, "help.unknown.short", word=word)
    )
    text = NEWLINE.join([first, t(lang, "living.help.see_all", cmd=command)])
    return message(text, [section(text)])
