"""What every interaction handler shares: who acts where and when, what to answer, and
how a domain refusal becomes a message.

Slash commands, buttons and modal submissions all build a `CommandContext` and return a
`Reply`, so a button and the command it stands for run the same code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.models import Group
from bot.deps import Deps
from bot.domain.errors import DomainError
from bot.domain.groups import group_language, group_timezone
from bot.enums import Language
from bot.i18n import format_when, t
from bot.slack.blocks.common import Message, text_message
from bot.slack.parsing import ParsedCommand
from bot.slack.text import Mrkdwn, mention

logger = logging.getLogger(__name__)

# Slack's answers when the bot cannot post in a channel it was not invited to.
NOT_IN_CHANNEL_ERRORS = ("not_in_channel", "channel_not_found")


@dataclass
class CommandContext:
    """One invocation: who, where, when, and the group's language once it is known."""

    deps: Deps
    team_id: str
    channel_id: str
    user_id: str
    trigger_id: str
    now: datetime
    lang: Language
    tz: str
    # Where Slack accepts follow-up answers to this command (after the ack).
    response_url: str = ""

    @classmethod
    def begin(
        cls,
        deps: Deps,
        *,
        team_id: str,
        channel_id: str,
        user_id: str,
        trigger_id: str = "",
        response_url: str = "",
    ) -> CommandContext:
        """Now, in the deployment's language and zone until `use_group` knows better."""
        return cls(
            deps=deps,
            team_id=team_id,
            channel_id=channel_id,
            user_id=user_id,
            trigger_id=trigger_id,
            now=deps.clock.now(),
            lang=deps.settings.bot_language,
            tz=deps.settings.bot_timezone,
            response_url=response_url,
        )

    @classmethod
    def from_interaction(
        cls, deps: Deps, body: dict[str, Any], *, channel_id: str
    ) -> CommandContext:
        """A `block_actions` or `view_submission` payload (ids nested, unlike commands)."""
        return cls.begin(
            deps,
            team_id=(body.get("team") or {}).get("id", ""),
            channel_id=channel_id,
            user_id=(body.get("user") or {}).get("id", ""),
            trigger_id=body.get("trigger_id", ""),
        )

    @property
    def cmd(self) -> str:
        return self.deps.settings.slash_command

    def use_group(self, group: Group | None) -> None:
        self.lang = group_language(group, self.deps.settings.bot_language)
        self.tz = group_timezone(group, self.deps.settings.bot_timezone)

    def use_settings(self, language: Language | None, timezone: str | None) -> None:
        """The group's own language and zone, when read as plain columns."""
        self.lang = language or self.deps.settings.bot_language
        self.tz = timezone or self.deps.settings.bot_timezone

    def is_admin(self) -> bool:
        return self.deps.is_workspace_admin(self.user_id)

    def when(self, moment: datetime) -> str:
        """A session's date and time as the group reads it."""
        return format_when(moment, self.tz, self.lang)


@dataclass
class Reply:
    message: Message | None = None
    notices: list[Message] = field(default_factory=list)
    after_ack: list[Callable[[WebClient], None]] = field(default_factory=list)


SubcommandHandler = Callable[[CommandContext, ParsedCommand], Reply]


def mentions(user_ids: list[str], lang: Language) -> Mrkdwn:
    return (
        Mrkdwn(", ").join(mention(u) for u in user_ids) if user_ids else t(lang, "organisers.none")
    )


def refusal_text(ctx: CommandContext, error: DomainError) -> Mrkdwn:
    params: dict[str, Any] = {"cmd": ctx.cmd}
    for name, value in error.params.items():
        if isinstance(value, list):
            params[name] = mentions(value, ctx.lang)
        elif isinstance(value, datetime):
            params[name] = format_when(value, ctx.tz, ctx.lang)
        else:
            params[name] = value
    return t(ctx.lang, error.key, **params)


def refusal(ctx: CommandContext, error: DomainError) -> Message:
    return text_message(refusal_text(ctx, error))


def post_notice(client: WebClient, ctx: CommandContext, notice: Message, respond: Respond) -> None:
    """Post to the group's channel; if the bot is not in it, tell the member how to fix it."""
    try:
        client.chat_postMessage(channel=ctx.channel_id, **notice)
    except SlackApiError as error:
        code = error.response.get("error")
        logger.warning("could not post in %s: %s", ctx.channel_id, code)
        if code in NOT_IN_CHANNEL_ERRORS:
            respond(response_type="ephemeral", text=t(ctx.lang, "error.not_in_channel"))
