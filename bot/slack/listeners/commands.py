"""The slash command: parse, call one domain function, answer.

Every subcommand returns a `Reply`: the ephemeral answer (sent in the ack itself, so the
member sees it at once and Slack gets its answer well within 3 s), notices for the channel
and follow-up calls, made after the ack. A DomainError becomes a refusal in the member's
language; the transaction is rolled back, so a refused command changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.engine import transaction
from bot.db.models import Group
from bot.deps import Deps
from bot.domain import meetings
from bot.domain.errors import DomainError
from bot.domain.group_settings import settings_for_edit
from bot.domain.groups import ensure_group, find_group, group_language, group_timezone
from bot.domain.planning import upcoming_deliveries
from bot.domain.programme import load_programme
from bot.enums import Language
from bot.i18n import format_when, t
from bot.slack.blocks.common import Message, escape, text_message
from bot.slack.blocks.config import build_config_modal
from bot.slack.blocks.help import build_help
from bot.slack.blocks.planning import PlanningEntry, build_planning
from bot.slack.blocks.programme import build_programme
from bot.slack.parsing import DateInputError, ParsedCommand, Subcommand, parse_command
from bot.slack.parsing import parse_session_datetime as parse_when

logger = logging.getLogger(__name__)


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

    @property
    def cmd(self) -> str:
        return self.deps.settings.slash_command

    def use_group(self, group: Group | None) -> None:
        self.lang = group_language(group, self.deps.settings.bot_language)
        self.tz = group_timezone(group, self.deps.settings.bot_timezone)

    def is_admin(self) -> bool:
        return self.deps.is_workspace_admin(self.user_id)


@dataclass
class Reply:
    message: Message | None = None
    notices: list[Message] = field(default_factory=list)
    after_ack: list[Callable[[WebClient], None]] = field(default_factory=list)


SubcommandHandler = Callable[[CommandContext, ParsedCommand], Reply]


def mentions(user_ids: list[str], lang: Language) -> str:
    return ", ".join(f"<@{u}>" for u in user_ids) if user_ids else t(lang, "organisers.none")


def refusal(ctx: CommandContext, error: DomainError) -> Message:
    params: dict[str, Any] = {"cmd": ctx.cmd}
    for name, value in error.params.items():
        params[name] = mentions(value, ctx.lang) if isinstance(value, list) else value
    return text_message(t(ctx.lang, error.key, **params))


# --- subcommands ----------------------------------------------------------------------


def help_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    with transaction(ctx.deps.db) as session:
        ctx.use_group(find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id))
    unknown = parsed.word if parsed.subcommand is Subcommand.UNKNOWN else None
    return Reply(build_help(ctx.lang, ctx.cmd, unknown_word=unknown))


def programme_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    with transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id)
        ctx.use_group(group)
        if group is None:
            raise DomainError("error.no_session")
        meeting = meetings.require_upcoming_meeting(session, group_id=group.id)
        programme = load_programme(session, meeting=meeting)
    return Reply(build_programme(programme, ctx.lang, ctx.tz, ctx.cmd))


def schedule_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    with transaction(ctx.deps.db) as session:
        group = ensure_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id, now=ctx.now)
        ctx.use_group(group)
        try:
            starts_at = parse_when(parsed.argument, ZoneInfo(ctx.tz), ctx.now)
        except DateInputError as error:
            raise DomainError(
                error.problem.value, text=escape(error.text), formats=t(ctx.lang, "session.formats")
            ) from None
        result = meetings.schedule_meeting(
            session,
            group=group,
            user_id=ctx.user_id,
            starts_at=starts_at,
            now=ctx.now,
            is_admin=ctx.is_admin,
            timezone=ctx.tz,
        )
    when = format_when(result.meeting.starts_at, ctx.tz, ctx.lang)
    if result.created:
        lines = [t(ctx.lang, "session.created", when=when)]
        notice = t(ctx.lang, "session.notice.created", user=ctx.user_id, when=when)
    elif result.previous_starts_at == result.meeting.starts_at:
        return Reply(text_message(t(ctx.lang, "session.unchanged", when=when)))
    else:
        previous = format_when(result.previous_starts_at, ctx.tz, ctx.lang)  # type: ignore[arg-type]
        lines = [t(ctx.lang, "session.moved", when=when, previous=previous)]
        notice = t(ctx.lang, "session.notice.moved", user=ctx.user_id, when=when)
    if result.became_organiser:
        lines.append(t(ctx.lang, "session.created.organiser"))
    return Reply(text_message("\n".join(lines)), notices=[text_message(notice)])


def theme_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    with transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id)
        ctx.use_group(group)
        if group is None:
            raise DomainError("error.no_session")
        meeting = meetings.set_theme(
            session,
            group=group,
            user_id=ctx.user_id,
            theme=parsed.argument,
            now=ctx.now,
            is_admin=ctx.is_admin,
        )
    theme = escape(meeting.theme or "")
    when = format_when(meeting.starts_at, ctx.tz, ctx.lang)
    return Reply(
        text_message(t(ctx.lang, "theme.set", when=when, theme=theme)),
        notices=[text_message(t(ctx.lang, "theme.notice", user=ctx.user_id, theme=theme))],
    )


def planning_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    with transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id)
        ctx.use_group(group)
        deliveries = upcoming_deliveries(session, group_id=group.id) if group else []
        meeting = meetings.upcoming_meeting(session, group_id=group.id) if group else None
    entries = [PlanningEntry(d.kind, d.available_at) for d in deliveries]
    return Reply(
        build_planning(
            entries,
            session_starts_at=meeting.starts_at if meeting else None,
            now=ctx.now,
            lang=ctx.lang,
            tz=ctx.tz,
            command=ctx.cmd,
        )
    )


def config_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    """Open the settings modal (after the ack: the trigger id lives 3 s)."""
    with transaction(ctx.deps.db) as session:
        group = ensure_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id, now=ctx.now)
        ctx.use_group(group)
        settings = settings_for_edit(
            session,
            group=group,
            user_id=ctx.user_id,
            is_admin=ctx.is_admin,
            default_language=ctx.deps.settings.bot_language,
            default_timezone=ctx.deps.settings.bot_timezone,
        )
        view = build_config_modal(settings, ctx.lang, group_id=group.id, channel_id=ctx.channel_id)

    def open_modal(client: WebClient) -> None:
        client.views_open(trigger_id=ctx.trigger_id, view=view)

    return Reply(after_ack=[open_modal])


HANDLERS: dict[Subcommand, SubcommandHandler] = {
    Subcommand.HELP: help_reply,
    Subcommand.UNKNOWN: help_reply,
    Subcommand.PROGRAMME: programme_reply,
    Subcommand.SCHEDULE: schedule_reply,
    Subcommand.THEME: theme_reply,
    Subcommand.PLANNING: planning_reply,
    Subcommand.CONFIG: config_reply,
}


# --- the listener ---------------------------------------------------------------------


def post_notice(client: WebClient, ctx: CommandContext, notice: Message, respond: Respond) -> None:
    """Post to the group's channel; if the bot is not in it, tell the member how to fix it."""
    try:
        client.chat_postMessage(channel=ctx.channel_id, **notice)
    except SlackApiError as error:
        code = error.response.get("error")
        logger.warning("could not post in %s: %s", ctx.channel_id, code)
        if code in ("not_in_channel", "channel_not_found"):
            respond(response_type="ephemeral", text=t(ctx.lang, "error.not_in_channel"))


def handle_command(
    ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, *, deps: Deps
) -> None:
    parsed = parse_command(command.get("text"))
    ctx = CommandContext(
        deps=deps,
        team_id=command.get("team_id", ""),
        channel_id=command.get("channel_id", ""),
        user_id=command.get("user_id", ""),
        trigger_id=command.get("trigger_id", ""),
        now=deps.clock.now(),
        lang=deps.settings.bot_language,
        tz=deps.settings.bot_timezone,
    )
    handler = HANDLERS.get(parsed.subcommand, help_reply)
    try:
        reply = handler(ctx, parsed)
    except DomainError as error:
        reply = Reply(refusal(ctx, error))
    if reply.message is not None:
        ack(response_type="ephemeral", **reply.message)
    else:
        ack()
    for notice in reply.notices:
        post_notice(client, ctx, notice, respond)
    for action in reply.after_ack:
        action(client)


def register(app: App, deps: Deps) -> None:
    app.command(deps.settings.slash_command)(partial(handle_command, deps=deps))
