"""`!partage <sous-commande>` typed in a Matrix room: the same parser as Slack's slash
command, the same domain functions, the same strings; only where the answer goes differs.

Matrix has no ephemeral messages: what Slack shows to the member alone goes to their
direct room with the bot (`Audience.MEMBER`); what concerns the group goes to the room
(`Audience.ROOM`), where Slack posts it in the channel or the session's thread. The room
plays the channel (its id is the group's `channel_id`, under the workspace id
`MATRIX_TEAM`) and the member's Matrix id plays the Slack user id.

Synchronous and free of nio: the transport runs it in a worker thread and sends what it
returns. The answers are the Block Kit messages Slack's listeners build, drawn for
Matrix by `bot.matrix.render`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.commands import Subcommand
from bot.config import Settings
from bot.db.engine import read_connection, read_transaction, transaction
from bot.db.models import Group, Meeting
from bot.domain import groups, meetings
from bot.domain import roles as domain_roles
from bot.domain.errors import DomainError, NoUpcomingSession
from bot.domain.groups import ensure_group, find_group, group_language, group_timezone
from bot.domain.participants import participant_count
from bot.domain.programme import channel_programme
from bot.domain.proposals import propose_theme
from bot.enums import Language
from bot.i18n import format_when, t
from bot.slack.blocks.common import Message, text_message
from bot.slack.blocks.help import build_help
from bot.slack.blocks.programme import build_programme
from bot.slack.parsing import (
    DateInputError,
    ParsedCommand,
    nearest_subcommand,
    parse_command,
    parse_session_datetime,
)
from bot.slack.text import Mrkdwn, mention

logger = logging.getLogger(__name__)

# The workspace id of every Matrix group (declared with the groups: `bot.domain.groups`).
MATRIX_TEAM = groups.MATRIX_TEAM

# Moderator and above: counts as a workspace admin does on Slack (organiser rights).
ADMIN_POWER_LEVEL = 50


def counts_as_admin(power_level: int) -> bool:
    """A member with power level 50 (moderator) or more in the room."""
    return power_level >= ADMIN_POWER_LEVEL


def command_word(settings: Settings) -> str:
    """`!partage` for the slash command `/partage` (SLASH_COMMAND renames both)."""
    return "!" + settings.slash_command.lstrip("/")


def command_text(body: str, word: str) -> str | None:
    """What follows the command word in a message body; None when the body is not a
    command (`!partagez`, a quote of one, any other text)."""
    stripped = body.strip()
    head, _, rest = stripped.partition(" ")
    if "\n" in head:
        head, _, more = head.partition("\n")
        rest = f"{more} {rest}".strip()
    if head.casefold() != word.casefold():
        return None
    return rest.strip()


class Audience(StrEnum):
    MEMBER = "member"  # the member's direct room with the bot
    ROOM = "room"  # the room the command was typed in


@dataclass(frozen=True)
class MatrixReply:
    audience: Audience
    message: Message


@dataclass(frozen=True)
class MatrixCommand:
    """One `!partage` message: where, who, what, and the sender's power level there."""

    room_id: str
    sender: str
    text: str
    power_level: int = 0
    # A direct room with the bot: no group lives there.
    in_direct_room: bool = False
    # How the room names the sender, kept with a theme they propose (named without a ping).
    sender_name: str = ""


@dataclass(frozen=True)
class CommandDeps:
    settings: Settings
    db: sessionmaker[Session]
    clock: Clock


@dataclass
class _Context:
    deps: CommandDeps
    command: MatrixCommand
    now: datetime
    lang: Language
    tz: str
    replies: list[MatrixReply] = field(default_factory=list)

    @property
    def cmd(self) -> str:
        return command_word(self.deps.settings)

    @property
    def room_id(self) -> str:
        return self.command.room_id

    @property
    def user_id(self) -> str:
        return self.command.sender

    def is_admin(self) -> bool:
        return counts_as_admin(self.command.power_level)

    def use_group(self, group: Group | None) -> None:
        self.lang = group_language(group, self.deps.settings.bot_language)
        self.tz = group_timezone(group, self.deps.settings.bot_timezone)

    def when(self, moment: datetime) -> Mrkdwn:
        return format_when(moment, self.tz, self.lang)

    def to_member(self, message: Message) -> None:
        self.replies.append(MatrixReply(Audience.MEMBER, message))

    def to_room(self, message: Message) -> None:
        self.replies.append(MatrixReply(Audience.ROOM, message))

    def upcoming(self, session: Session) -> tuple[Group, Meeting]:
        group = find_group(session, team_id=MATRIX_TEAM, channel_id=self.room_id)
        self.use_group(group)
        if group is None:
            raise NoUpcomingSession()
        return group, meetings.require_upcoming_meeting(session, group_id=group.id)


Handler = Callable[[_Context, ParsedCommand], None]


def _help(ctx: _Context, parsed: ParsedCommand) -> None:
    with read_transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=MATRIX_TEAM, channel_id=ctx.room_id)
        ctx.use_group(group)
        upcoming = meetings.upcoming_meeting(session, group_id=group.id) if group else None
    if parsed.subcommand is Subcommand.UNKNOWN:
        suggestion = nearest_subcommand(parsed.word, ctx.lang)
        ctx.to_member(build_help(ctx.lang, ctx.cmd, parsed.word, suggestion=suggestion))
        return
    meeting_id = upcoming.id if upcoming is not None else None
    ctx.to_member(build_help(ctx.lang, ctx.cmd, meeting_id=meeting_id))


def _programme(ctx: _Context, parsed: ParsedCommand) -> None:
    with read_connection(ctx.deps.db) as connection:
        found = channel_programme(connection, team_id=MATRIX_TEAM, channel_id=ctx.room_id)
    if found is None:
        raise NoUpcomingSession()
    ctx.lang = found.language or ctx.deps.settings.bot_language
    ctx.tz = found.timezone or ctx.deps.settings.bot_timezone
    if found.programme is None:
        raise NoUpcomingSession()
    ctx.to_member(build_programme(found.programme, ctx.lang, ctx.tz, ctx.cmd))


def _schedule(ctx: _Context, parsed: ParsedCommand) -> None:
    with transaction(ctx.deps.db) as session:
        group = ensure_group(session, team_id=MATRIX_TEAM, channel_id=ctx.room_id, now=ctx.now)
        ctx.use_group(group)
        try:
            starts_at = parse_session_datetime(parsed.argument, ZoneInfo(ctx.tz), ctx.now)
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
    when = ctx.when(result.meeting.starts_at)
    if result.created:
        lines = [t(ctx.lang, "session.created", when=when)]
    elif result.previous_starts_at == result.meeting.starts_at:
        ctx.to_member(text_message(t(ctx.lang, "session.unchanged", when=when)))
        return
    else:
        previous = ctx.when(result.previous_starts_at)  # type: ignore[arg-type]
        lines = [t(ctx.lang, "session.moved", when=when, previous=previous)]
        ctx.to_room(
            text_message(
                t(ctx.lang, "living.moved.notice", user=ctx.user_id, when=when, previous=previous)
            )
        )
    if result.became_organiser:
        lines.append(t(ctx.lang, "session.created.organiser"))
    ctx.to_member(text_message("\n".join(lines)))


def _guide(ctx: _Context, parsed: ParsedCommand) -> None:
    if parsed.argument:
        # Handing the role to someone names a member: not on Matrix yet.
        _not_yet(ctx, parsed)
        return
    with transaction(ctx.deps.db) as session:
        _group, meeting = ctx.upcoming(session)
        claim = domain_roles.claim_guide(session, meeting=meeting, user_id=ctx.user_id, now=ctx.now)
    when = ctx.when(meeting.starts_at)
    if claim.already:
        ctx.to_member(text_message(t(ctx.lang, "guide.already", when=when, cmd=ctx.cmd)))
        return
    ctx.to_member(text_message(t(ctx.lang, "guide.claimed", when=when)))
    ctx.to_room(text_message(t(ctx.lang, "guide.notice", user=ctx.user_id, when=when)))


def _join(ctx: _Context, parsed: ParsedCommand) -> None:
    with transaction(ctx.deps.db) as session:
        _group, meeting = ctx.upcoming(session)
        joined = domain_roles.join_meeting(
            session, meeting=meeting, user_id=ctx.user_id, now=ctx.now
        )
        count = participant_count(session, meeting_id=meeting.id)
    when = ctx.when(meeting.starts_at)
    key = "join.done" if joined else "join.already"
    ctx.to_member(text_message(t(ctx.lang, key, when=when, count=count, cmd=ctx.cmd)))


def _theme(ctx: _Context, parsed: ParsedCommand) -> None:
    with transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=MATRIX_TEAM, channel_id=ctx.room_id)
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
    when = ctx.when(meeting.starts_at)
    ctx.to_member(text_message(t(ctx.lang, "theme.set", when=when, theme=theme)))
    ctx.to_room(text_message(t(ctx.lang, "theme.notice", user=ctx.user_id, theme=theme)))


def _propose(ctx: _Context, parsed: ParsedCommand) -> None:
    with transaction(ctx.deps.db) as session:
        group = ensure_group(session, team_id=MATRIX_TEAM, channel_id=ctx.room_id, now=ctx.now)
        ctx.use_group(group)
        proposal = propose_theme(
            session,
            group=group,
            user_id=ctx.user_id,
            text=parsed.argument,
            now=ctx.now,
        )
        text = proposal.text
        upcoming = meetings.upcoming_meeting(session, group_id=group.id)
    ctx.to_member(text_message(t(ctx.lang, "proposal.added", text=text)))
    if upcoming is not None:
        notice = t(ctx.lang, "proposal.notice", user=ctx.user_id, text=text, cmd=ctx.cmd)
        ctx.to_room(text_message(notice))


def _not_yet(ctx: _Context, parsed: ParsedCommand) -> None:
    with read_transaction(ctx.deps.db) as session:
        ctx.use_group(find_group(session, team_id=MATRIX_TEAM, channel_id=ctx.room_id))
    ctx.to_member(text_message(t(ctx.lang, "matrix.not_yet", cmd=ctx.cmd, word=parsed.word)))


def _out_of_place(ctx: _Context, parsed: ParsedCommand) -> None:
    ctx.to_member(text_message(t(ctx.lang, "matrix.out_of_place", cmd=ctx.cmd)))


HANDLERS: dict[Subcommand, Handler] = {
    Subcommand.HELP: _help,
    Subcommand.UNKNOWN: _help,
    Subcommand.PROGRAMME: _programme,
    Subcommand.SCHEDULE: _schedule,
    Subcommand.GUIDE: _guide,
    Subcommand.JOIN: _join,
    Subcommand.THEME: _theme,
    Subcommand.PROPOSE: _propose,
}

# What makes sense in a direct room with the bot, where no group lives.
ANYWHERE = frozenset({Subcommand.HELP, Subcommand.UNKNOWN})


def _mentions(user_ids: list[str], lang: Language) -> Mrkdwn:
    return (
        Mrkdwn(", ").join(mention(u) for u in user_ids) if user_ids else t(lang, "organisers.none")
    )


def refusal(ctx: _Context, error: DomainError) -> Message:
    """A domain refusal in the member's language, as Slack words it."""
    params: dict[str, Any] = {"cmd": ctx.cmd}
    for name, value in error.params.items():
        if isinstance(value, list):
            params[name] = _mentions(value, ctx.lang)
        elif isinstance(value, datetime):
            params[name] = format_when(value, ctx.tz, ctx.lang)
        else:
            params[name] = value
    return text_message(t(ctx.lang, error.key, **params))


def run_command(deps: CommandDeps, command: MatrixCommand) -> list[MatrixReply]:
    """Parse and run one command in its own transaction; a refusal rolls it back and is
    told to the member."""
    parsed = parse_command(command.text)
    ctx = _Context(
        deps=deps,
        command=command,
        now=deps.clock.now(),
        lang=deps.settings.bot_language,
        tz=deps.settings.bot_timezone,
    )
    handler = HANDLERS.get(parsed.subcommand, _not_yet)
    if command.in_direct_room and parsed.subcommand not in ANYWHERE:
        handler = _out_of_place
    try:
        handler(ctx, parsed)
    except DomainError as error:
        return [MatrixReply(Audience.MEMBER, refusal(ctx, error))]
    return ctx.replies
