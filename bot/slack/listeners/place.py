"""`/partage lieu <texte ou lien>` and the "Rejoindre" button of a video-call place."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App

from bot.db.engine import transaction
from bot.deps import Deps
from bot.domain.errors import DomainError
from bot.domain.groups import find_group
from bot.domain.place import set_place
from bot.i18n import format_when, t
from bot.slack.blocks.common import text_message
from bot.slack.blocks.programme import place_value
from bot.slack.ids import ActionId
from bot.slack.listeners.context import CommandContext, Reply
from bot.slack.parsing import ParsedCommand


def place_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    """Set the place, answer the member and tell the channel, as `theme` does."""
    with transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id)
        ctx.use_group(group)
        if group is None:
            raise DomainError("error.no_session")
        meeting = set_place(
            session,
            group=group,
            user_id=ctx.user_id,
            place=parsed.argument,
            now=ctx.now,
            is_admin=ctx.is_admin,
        )
        place = place_value(meeting.place or "", ctx.lang)
    when = format_when(meeting.starts_at, ctx.tz, ctx.lang)
    return Reply(text_message(t(ctx.lang, "place.set", when=when, place=place)))


def acknowledge_join_call(ack: Ack, body: dict[str, Any]) -> None:
    """The url button opens the call in the browser; Slack still sends the click, which
    must be acknowledged or the member sees a warning."""
    ack()


def register(app: App, deps: Deps) -> None:
    app.action(ActionId.JOIN_CALL.value)(partial(acknowledge_join_call))
