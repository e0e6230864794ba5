"""`/partage historique`: the group's past sessions, a page at a time, read only."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.db.engine import read_transaction
from bot.deps import Deps
from bot.domain.errors import InvalidInput
from bot.domain.groups import find_group
from bot.domain.recap import HistoryPage, history
from bot.slack.blocks.common import Message
from bot.slack.blocks.history import build_history
from bot.slack.ids import ActionId
from bot.slack.listeners.context import CommandContext, Reply
from bot.slack.parsing import ParsedCommand

MAX_PAGE = 10_000


def parse_page(argument: str) -> int | None:
    """`historique` is page 1, `historique 2` the next one; None for anything else."""
    text = argument.strip()
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        return None
    return int(text)


def history_message(ctx: CommandContext, page: int) -> Message:
    with read_transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id)
        ctx.use_group(group)
        found = (
            history(session, group_id=group.id, page=page)
            if group is not None
            else HistoryPage((), page, False)
        )
    return build_history(found, ctx.lang, ctx.tz, ctx.cmd)


def history_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    page = parse_page(parsed.argument)
    if page is None:
        raise InvalidInput("history.error.page", cmd=ctx.cmd)
    return Reply(dict(history_message(ctx, page)))


def handle_older(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, *, deps: Deps
) -> None:
    """ "Plus anciennes": the next page replaces the ephemeral one."""
    ack()
    ctx = CommandContext.from_interaction(
        deps, body, channel_id=(body.get("channel") or {}).get("id", "")
    )
    page = parse_page(str(action.get("value") or "")) or 1
    deps.after_ack(partial(show_page, respond, history_message(ctx, page)))


def show_page(respond: Respond, message: Message) -> None:
    respond(response_type="ephemeral", replace_original=True, **message)


def register(app: App, deps: Deps) -> None:
    app.action(ActionId.HISTORY_OLDER.value)(partial(handle_older, deps=deps))
