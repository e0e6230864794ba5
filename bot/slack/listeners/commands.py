"""The slash command: parse, call one domain function, answer.

Every subcommand returns a `Reply`: the ephemeral answer (sent in the ack itself, so the
member sees it at once and Slack gets its answer well within 3 s), notices for the channel
and follow-up calls, made after the ack. A DomainError becomes a refusal in the member's
language; the transaction is rolled back, so a refused command changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient
from sqlalchemy import Connection

from bot import commands
from bot.db.engine import read_connection, read_transaction, transaction
from bot.deps import CachedReply, Deps
from bot.domain import meetings
from bot.domain.errors import DomainError, NoUpcomingSession
from bot.domain.group_settings import settings_for_edit
from bot.domain.groups import ensure_group, find_group
from bot.domain.planning import upcoming_deliveries
from bot.domain.polls import open_poll_of
from bot.domain.programme import channel_access, channel_programme
from bot.domain.proposals import propose_theme
from bot.enums import DeliveryStatus
from bot.i18n import format_when, t
from bot.services import polls as poll_service
from bot.slack.blocks.common import text_message
from bot.slack.blocks.config import build_config_modal
from bot.slack.blocks.help import build_help
from bot.slack.blocks.planning import PlanningEntry, build_planning
from bot.slack.blocks.programme import build_programme
from bot.slack.listeners import board, calendar, history, my_data, place, roles, stats
from bot.slack.listeners.context import (
    CommandContext,
    Reply,
    SubcommandHandler,
    ephemeral_body,
    is_direct_message,
    open_modal,
    out_of_place,
    refusal,
)
from bot.slack.parsing import (
    DateInputError,
    ParsedCommand,
    PollAction,
    Subcommand,
    nearest_subcommand,
    parse_command,
    parse_poll_action,
)
from bot.slack.parsing import parse_session_datetime as parse_when

logger = logging.getLogger(__name__)


# --- subcommands ----------------------------------------------------------------------


# What makes sense outside a group channel (declared with each subcommand); everything
# else is about a group.
ANYWHERE = commands.ANYWHERE


def out_of_place_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    return Reply(out_of_place(ctx))


def help_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    with read_transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id)
        ctx.use_group(group)
        upcoming = meetings.upcoming_meeting(session, group_id=group.id) if group else None
        # Anyone may start a group; in one, the organisers' commands are shown to those
        # who may run them (an admin only when already known as one: no Slack call here).
        manage = group is None or meetings.may_manage(
            session,
            group=group,
            meeting=upcoming,
            user_id=ctx.user_id,
            is_admin=lambda: bool(ctx.deps.admins.known(ctx.user_id)),
        )
    if parsed.subcommand is Subcommand.UNKNOWN:
        suggestion = nearest_subcommand(parsed.word, ctx.lang)
        return Reply(build_help(ctx.lang, ctx.cmd, parsed.word, suggestion=suggestion))
    meeting_id = upcoming.id if upcoming is not None else None
    return Reply(build_help(ctx.lang, ctx.cmd, meeting_id=meeting_id, manage=manage))


def programme_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    """The answer built for the group's current revision, else a fresh read: an
    unchanged programme (a group checking before the session) costs one indexed read
    of the group's row instead of the programme's query, its building and its JSON.
    Members read it as the channel does; the guide, the organisers and workspace admins
    already known as such also read who is ready and the presentation time."""
    key = (ctx.team_id, ctx.channel_id)
    cached = ctx.deps.programmes.get(key)
    access = channel_access(
        ctx.deps.db, team_id=ctx.team_id, channel_id=ctx.channel_id, user_id=ctx.user_id
    )
    if cached is None or access is None or cached.version != access[0]:
        with read_connection(ctx.deps.db) as connection:
            cached = _read_programme(ctx, connection)
        ctx.deps.programmes.put(key, cached)
    ctx.use_settings(cached.language, cached.timezone)
    organiser = access is not None and access[1]
    if cached.manage_body is not None and _manages(ctx, cached, organiser=organiser):
        return Reply(body=cached.manage_body)
    return Reply(body=cached.body)


def _manages(ctx: CommandContext, cached: CachedReply, *, organiser: bool) -> bool:
    """An organiser, the guide (known from the programme), or a workspace admin whose
    status is already known (never a Slack call on this path: unknown reads as a
    member)."""
    return organiser or ctx.user_id in cached.managers or bool(ctx.deps.admins.known(ctx.user_id))


def _read_programme(ctx: CommandContext, connection: Connection) -> CachedReply:
    found = channel_programme(connection, team_id=ctx.team_id, channel_id=ctx.channel_id)
    if found is None:
        raise NoUpcomingSession()
    ctx.use_settings(found.language, found.timezone)
    if found.programme is None:
        raise NoUpcomingSession()
    programme = found.programme
    message = build_programme(programme, ctx.lang, ctx.tz, ctx.cmd)
    managed = build_programme(programme, ctx.lang, ctx.tz, ctx.cmd, manage=True)
    return CachedReply(
        found.version,
        found.language,
        found.timezone,
        ephemeral_body(message),
        manage_body=ephemeral_body(managed),
        managers=frozenset([programme.guide_user_id] if programme.guide_user_id else []),
    )


def schedule_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    with transaction(ctx.deps.db) as session:
        group = ensure_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id, now=ctx.now)
        ctx.use_group(group)
        try:
            starts_at = parse_when(parsed.argument, ZoneInfo(ctx.tz), ctx.now)
        except DateInputError as error:
            raise DomainError(
                error.problem.value, text=error.text, formats=t(ctx.lang, "session.formats")
            ) from None
        result = meetings.schedule_meeting(
            session,
            group=group,
            user_id=ctx.user_id,
            starts_at=starts_at,
            now=ctx.now,
            is_admin=ctx.is_admin,
        )
        when = format_when(result.meeting.starts_at, ctx.tz, ctx.lang)
        if result.created:
            # Nothing for the channel yet: the guide call and the announcement, when
            # due, tell the group (see "What the channel sees" in the README).
            lines = [t(ctx.lang, "session.created", when=when)]
        elif result.previous_starts_at == result.meeting.starts_at:
            return Reply(text_message(t(ctx.lang, "session.unchanged", when=when)))
        else:
            # The thread and those who count on the session hear of it too: the
            # move's follow-ups (`bot.followups`).
            previous = format_when(result.previous_starts_at, ctx.tz, ctx.lang)  # type: ignore[arg-type]
            lines = [t(ctx.lang, "session.moved", when=when, previous=previous)]
    if result.became_organiser:
        lines.append(t(ctx.lang, "session.created.organiser"))
    return Reply(text_message("\n".join(lines)))


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
        theme = meeting.theme or ""
    when = format_when(meeting.starts_at, ctx.tz, ctx.lang)
    return Reply(text_message(t(ctx.lang, "theme.set", when=when, theme=theme)))


def propose_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    with transaction(ctx.deps.db) as session:
        group = ensure_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id, now=ctx.now)
        ctx.use_group(group)
        proposal = propose_theme(
            session,
            group=group,
            user_id=ctx.user_id,
            text=parsed.argument,
            now=ctx.now,
        )
        running = open_poll_of(session, group_id=group.id)
        # Acknowledged to its author here; listed in the next session's thread.
        text = proposal.text
    if running is not None:
        when = format_when(running.closes_at, ctx.tz, ctx.lang)
        answer = t(ctx.lang, "proposal.added.poll_running", text=text, when=when)
    else:
        answer = t(ctx.lang, "proposal.added", text=text)
    return Reply(text_message(answer))


def poll_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    """`sondage` opens the theme poll now; `sondage clore` closes it, `sondage annuler`
    cancels it. Whatever goes to the channel goes through the outbox, run right after the
    ack (reactions take a few calls, too slow for Slack's 3 seconds)."""
    action = parse_poll_action(parsed.argument)
    if action is None:
        raise DomainError("poll.error.usage", word=parsed.argument.split()[0])
    with transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id)
        ctx.use_group(group)
        if action is PollAction.CLOSE:
            delivery_id = poll_service.close_poll_now(
                session, group=group, user_id=ctx.user_id, is_admin=ctx.is_admin, now=ctx.now
            )
            answer = t(ctx.lang, "poll.closing")
        elif action is PollAction.CANCEL:
            delivery_id = poll_service.cancel_poll(
                session, group=group, user_id=ctx.user_id, is_admin=ctx.is_admin, now=ctx.now
            )
            answer = t(ctx.lang, "poll.cancel.done")
        else:
            if group is None:
                raise DomainError("poll.error.no_proposals")
            opened = poll_service.open_poll(
                session,
                group=group,
                user_id=ctx.user_id,
                is_admin=ctx.is_admin,
                now=ctx.now,
                timezone=ctx.tz,
            )
            delivery_id = opened.post_delivery_id
            answer = t(
                ctx.lang, "poll.opened", when=format_when(opened.poll.closes_at, ctx.tz, ctx.lang)
            )
    follow: list[Callable[[WebClient], None]] = (
        [partial(run_poll_delivery, ctx=ctx, delivery_id=delivery_id)] if delivery_id else []
    )
    return Reply(text_message(answer), after_ack=follow)


def run_poll_delivery(_client: WebClient, *, ctx: CommandContext, delivery_id: int) -> None:
    """Send the poll's delivery now rather than at the next tick. If Slack refused the
    poll (bot not in the channel) it was removed; if Slack is failing it will be posted
    later: the member is told either way over the command's response_url."""
    if ctx.deps.deliveries is None:
        return
    state = ctx.deps.deliveries.run_now(delivery_id)
    if state.status is None or (state.status == DeliveryStatus.DONE and state.last_error):
        # Refused: the poll was removed (its deliveries with it).
        key = "poll.error.post_failed"
    elif state.status == DeliveryStatus.PLANNED:
        key = "poll.post_delayed"
    else:
        return
    logger.warning("poll delivery %s: %s (%s)", delivery_id, key, state.last_error)
    if ctx.response_url:
        WebhookClient(ctx.response_url).send(
            response_type="ephemeral", text=t(ctx.lang, key, cmd=ctx.cmd)
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
    failed = t(ctx.lang, "error.modal_failed", cmd=ctx.cmd, command="config")
    return Reply(after_ack=[open_modal(ctx, view, failed=failed)])


HANDLERS: dict[Subcommand, SubcommandHandler] = {
    Subcommand.HELP: help_reply,
    Subcommand.UNKNOWN: help_reply,
    Subcommand.PROGRAMME: programme_reply,
    Subcommand.SCHEDULE: schedule_reply,
    Subcommand.THEME: theme_reply,
    Subcommand.GUIDE: board.guide_reply,
    Subcommand.JOIN: roles.join_reply,
    Subcommand.CONTRIBUTE: roles.contribute_reply,
    Subcommand.READY: roles.ready_reply,
    Subcommand.WITHDRAW: roles.withdraw_reply,
    Subcommand.PROPOSE: propose_reply,
    Subcommand.POLL: poll_reply,
    Subcommand.PLANNING: planning_reply,
    Subcommand.CONFIG: config_reply,
    Subcommand.PLACE: place.place_reply,
    Subcommand.CALENDAR: calendar.calendar_reply,
    Subcommand.ROLES: board.roles_reply,
    Subcommand.CANCEL: board.cancel_reply,
    Subcommand.ORGANISER: board.organiser_reply,
    Subcommand.HISTORY: history.history_reply,
    Subcommand.STATS: stats.stats_reply,
    Subcommand.MY_DATA: my_data.my_data_reply,
}


# --- the listener ---------------------------------------------------------------------


def handle_command(
    ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, *, deps: Deps
) -> None:
    parsed = parse_command(command.get("text"))
    ctx = CommandContext.begin(
        deps,
        team_id=command.get("team_id", ""),
        channel_id=command.get("channel_id", ""),
        user_id=command.get("user_id", ""),
        trigger_id=command.get("trigger_id", ""),
        response_url=command.get("response_url", ""),
    )
    handler = HANDLERS.get(parsed.subcommand, help_reply)
    if is_direct_message(ctx.channel_id) and parsed.subcommand not in ANYWHERE:
        handler = out_of_place_reply
    try:
        reply = ctx.run(lambda: handler(ctx, parsed))
    except DomainError as error:
        reply = Reply(refusal(ctx, error))
    if reply.body is not None:
        # What `ack()` would set, without serializing the message again.
        ack.response = BoltResponse(status=200, body=reply.body)
    elif reply.message is not None:
        ack(response_type="ephemeral", **reply.message)
    else:
        ack()
    if reply.after_ack:
        deps.after_ack(partial(follow_up, reply, client))


def follow_up(reply: Reply, client: WebClient) -> None:
    """Follow-up calls (a modal's trigger_id expires 3 s after the command)."""
    for action in reply.after_ack:
        action(client)


def register(app: App, deps: Deps) -> None:
    app.command(deps.settings.slash_command)(partial(handle_command, deps=deps))
