"""`/partage mes-donnees` (`my-data`): what the bot stores about the member, ephemerally,
and the "Supprimer mes données" button that erases it in one transaction.

The listing reads every group of the workspace, so it answers in a DM too. The button
erases the data of whoever clicks it: the payload's acting user, never a value the
message carries.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.db.engine import read_transaction, transaction
from bot.deps import Deps
from bot.domain.groups import find_group
from bot.domain.personal_data import Member, describe_member, erase_member, group_channels
from bot.domain.pseudonyms import new_pseudonym
from bot.slack.blocks.common import Message
from bot.slack.blocks.privacy import build_erased, build_my_data
from bot.slack.ids import ActionId
from bot.slack.listeners.context import CommandContext, Reply, is_direct_message
from bot.slack.parsing import ParsedCommand

logger = logging.getLogger(__name__)


def _use_channel_language(ctx: CommandContext) -> None:
    """In a group's channel, the group's language; elsewhere the deployment's."""
    if is_direct_message(ctx.channel_id) or not ctx.channel_id:
        return
    with read_transaction(ctx.deps.db) as session:
        ctx.use_group(find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id))


def my_data_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    _use_channel_language(ctx)
    member = Member(ctx.team_id, ctx.user_id)
    with read_transaction(ctx.deps.db) as session:
        entries = describe_member(session, member=member)
        channels = group_channels(session, member=member)
    return Reply(build_my_data(entries, channels, ctx.lang, ctx.tz))


def handle_erase(ack: Ack, body: dict[str, Any], respond: Respond, *, deps: Deps) -> None:
    """The member confirmed: delete or anonymise everything, then say what was done in
    place of the listing. A failure rolls the whole erasure back (the error handler
    apologises); the listing stays, so the member can try again."""
    ack()
    ctx = CommandContext.from_interaction(
        deps, body, channel_id=(body.get("channel") or {}).get("id", "")
    )
    _use_channel_language(ctx)
    member = Member(ctx.team_id, ctx.user_id)
    with transaction(deps.db) as session:
        outcome = erase_member(session, member=member, pseudonym=new_pseudonym(), now=ctx.now)
    logger.info(
        "erased the data of a member: deleted %s, anonymised %s",
        outcome.deleted,
        outcome.anonymised,
    )
    deps.after_ack(partial(show, respond, build_erased(outcome, ctx.lang)))


def show(respond: Respond, message: Message) -> None:
    respond(response_type="ephemeral", replace_original=True, **message)


def register(app: App, deps: Deps) -> None:
    app.action(ActionId.MY_DATA_ERASE.value)(partial(handle_erase, deps=deps))
