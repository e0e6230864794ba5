"""What every interaction handler shares: who acts where and when, what to answer, and
how a domain refusal becomes a message.

Slash commands, buttons and modal submissions all build a `CommandContext` and return a
`Reply`, so a button and the command it stands for run the same code.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from slack_sdk import WebClient

from bot.db.engine import read_transaction
from bot.db.models import Group
from bot.deps import Deps
from bot.domain.errors import DomainError
from bot.domain.groups import channels_of_member, group_language, group_timezone
from bot.enums import Language
from bot.i18n import format_when, t
from bot.outages import outages
from bot.slack.blocks.common import Message, text_message
from bot.slack.notifier import SendFailure
from bot.slack.parsing import ParsedCommand
from bot.slack.text import Mrkdwn, channel_mention, mention

logger = logging.getLogger(__name__)

T = TypeVar("T")

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
    # Workspace admin or owner: None until the cache or Slack has told (see `is_admin`).
    admin: bool | None = field(default=None, repr=False)

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
        self.deps.languages.remember(self.user_id, self.lang)

    def use_settings(self, language: Language | None, timezone: str | None) -> None:
        """The group's own language and zone, when read as plain columns."""
        self.lang = language or self.deps.settings.bot_language
        self.tz = timezone or self.deps.settings.bot_timezone
        self.deps.languages.remember(self.user_id, self.lang)

    def is_admin(self) -> bool:
        """The domain's last organiser check, called inside a unit of work: it never calls
        Slack there. Unless the answer is already known, it aborts the unit of work with
        `AdminStatusNeeded`, which `run` answers outside of it."""
        if self.admin is None:
            self.admin = self.deps.admins.known(self.user_id)
        if self.admin is None:
            raise AdminStatusNeeded(self.user_id)
        return self.admin

    def run(self, work: Callable[[], T]) -> T:
        """Run `work`, whose units of work may ask `is_admin`. When Slack must be asked,
        the aborted unit of work has rolled back and released its locks: ask now, between
        units of work (bounded, see `bot.timeouts`), then run `work` again, once, with
        the answer."""
        try:
            return work()
        except AdminStatusNeeded:
            self.admin = self.deps.admins.look_up(self.user_id)
            return work()

    def when(self, moment: datetime) -> str:
        """A session's date and time as the group reads it."""
        return format_when(moment, self.tz, self.lang)


class AdminStatusNeeded(Exception):
    """Raised inside a unit of work that needs a workspace-admin answer only Slack has."""


# Work after the ack. New follow-ups talk to Slack through `ctx.deps.notifier`.
FollowUp = Callable[[WebClient], None]


@dataclass
class Reply:
    """The ephemeral answer, and the work after the ack (a modal). What the group sees
    of a change is not here: it follows the change (`bot.followups`).

    `body` is an ephemeral answer already serialized (`ephemeral_body`), for an answer
    reused from a cache: Bolt's `ack()` would serialize it again on every request."""

    message: Message | None = None
    after_ack: list[FollowUp] = field(default_factory=list)
    body: str | None = None


def ephemeral_body(message: Message) -> str:
    """The acknowledgement's JSON for `message`, as `ack(response_type="ephemeral",
    **message)` writes it."""
    return json.dumps({"text": message["text"], "response_type": "ephemeral", **message})


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


def is_direct_message(channel_id: str) -> bool:
    """A DM with the bot (`D…`): no group lives there, and none may be started there."""
    return channel_id.startswith("D")


def out_of_place(ctx: CommandContext) -> Message:
    """A group command typed where no group lives: name the member's group channels,
    or say how a group starts (in a channel). Never offers to start one here."""
    with read_transaction(ctx.deps.db) as session:
        channels = channels_of_member(session, team_id=ctx.team_id, user_id=ctx.user_id)
    if channels:
        named = Mrkdwn(", ").join(channel_mention(c) for c in channels)
        return text_message(t(ctx.lang, "living.out_of_place.channels", channels=named))
    return text_message(t(ctx.lang, "living.out_of_place.none", cmd=ctx.cmd))


def open_modal(ctx: CommandContext, view: dict[str, Any], *, failed: str) -> FollowUp:
    """A follow-up opening `view` with this invocation's trigger id (it lives 3 s, hence
    first after the ack). If Slack refuses, most often for an expired trigger, the member
    is told `failed` (how to try again) in the channel, ephemerally."""
    notifier, trigger_id = ctx.deps.notifier, ctx.trigger_id
    channel_id, user_id = ctx.channel_id, ctx.user_id

    def follow_up(_client: WebClient) -> None:
        try:
            notifier.open_view(trigger_id, view)
        except SendFailure as failure:
            outages().warn_or_count(
                logger,
                failure,
                "views.open failed: %s",
                failure.code,
                effect="replies to members not shown",
            )
            try:
                notifier.post_ephemeral(channel_id, user_id, text_message(failed))
            except SendFailure as second:
                outages().warn_or_count(
                    logger,
                    second,
                    "could not tell %s in %s: %s",
                    user_id,
                    channel_id,
                    second.code,
                    effect=None,  # the same reply, counted above
                )

    return follow_up
