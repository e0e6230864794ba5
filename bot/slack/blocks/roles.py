"""Role buttons and the messages of the role subcommands.

`role_buttons` is the one way to put "Je serai guide", "Je contribue", "Ma contribution
est prête" or "Je participe" on a message: the announcement, the reminders and the
notices here all use it, so every button carries the meeting id the listeners expect.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from bot.domain.roles import Withdrawal
from bot.enums import Language
from bot.i18n import t
from bot.slack.blocks.common import Block, Message, actions, button, message, section
from bot.slack.ids import ActionId, BlockId
from bot.slack.text import NEWLINE, Mrkdwn


class RoleButton(StrEnum):
    GUIDE = "guide"
    CONTRIBUTE = "contribute"
    READY = "ready"
    JOIN = "join"


# action_id, label key, style
_BUTTONS: dict[RoleButton, tuple[ActionId, str, str | None]] = {
    RoleButton.GUIDE: (ActionId.CLAIM_GUIDE, "button.guide", "primary"),
    RoleButton.CONTRIBUTE: (ActionId.OPEN_CONTRIBUTION, "button.contribute", None),
    RoleButton.READY: (ActionId.MARK_READY, "button.ready", "primary"),
    RoleButton.JOIN: (ActionId.JOIN, "button.join", None),
}


def role_button(lang: Language, meeting_id: int, which: RoleButton) -> Block:
    action_id, label, style = _BUTTONS[which]
    return button(t(lang, label), action_id.value, value=str(meeting_id), style=style)


def role_buttons(
    lang: Language,
    meeting_id: int,
    which: Sequence[RoleButton] = tuple(RoleButton),
    block_id: str = BlockId.ACTIONS.value,
) -> Block:
    """An actions block with the chosen buttons, in the order given.

    Give each actions block of one message its own `block_id`.
    """
    return actions(block_id, *(role_button(lang, meeting_id, w) for w in which))


def build_withdraw_reply(lang: Language, when: str, withdrawal: Withdrawal) -> Message:
    """What the member gave up, one line each."""
    lines = []
    if withdrawal.released_guide:
        lines.append(t(lang, "withdraw.done.guide"))
    if withdrawal.contribution is not None:
        lines.append(t(lang, "withdraw.done.contribution", title=withdrawal.contribution.title))
    if withdrawal.left_participants:
        lines.append(t(lang, "withdraw.done.participation"))
    head = t(lang, "withdraw.done", when=when)
    text = NEWLINE.join([head, *(Mrkdwn("• ") + line for line in lines)])
    return message(text, [section(text)])


def build_withdraw_notice(
    lang: Language,
    *,
    when: str,
    user_id: str,
    meeting_id: int,
    released_guide: bool,
    contribution_title: str | None,
) -> Message | None:
    """Tell the group when it lost its guide (with a button to replace them) or a
    contribution; an RSVP withdrawn is nobody else's business."""
    lines = []
    if released_guide:
        lines.append(t(lang, "withdraw.notice.guide", user=user_id, when=when))
    if contribution_title is not None:
        title = contribution_title
        lines.append(t(lang, "withdraw.notice.contribution", user=user_id, when=when, title=title))
    if not lines:
        return None
    text = NEWLINE.join(lines)
    blocks = [section(text)]
    if released_guide:
        blocks.append(role_buttons(lang, meeting_id, [RoleButton.GUIDE]))
    return message(text, blocks)
