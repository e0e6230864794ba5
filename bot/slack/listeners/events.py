"""Events API listeners: reactions on an open poll are recorded as votes.

`reactions.get` at close time is the tally's source; these records are the fallback when
the poll message is deleted or Slack fails then, and the live counts its message shows
(each vote recorded or removed is a `PollVoted`: one coalesced refresh rewrites the
message, however many votes came in the meantime). Slack gets its 200 when the listener
returns: one short transaction for a vote (idempotent, so Slack's retries are harmless),
none at all for the many reactions that are not poll votes.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import App, BoltContext

from bot.db.engine import transaction
from bot.deps import Deps
from bot.domain.polls import record_vote, remove_vote
from bot.domain.tally import OPTION_EMOJIS, fold_emoji


def _bot_user_id(context: BoltContext, body: dict[str, Any]) -> str | None:
    """Bolt's cached auth.test answer, else the event's own authorizations."""
    if context.bot_user_id:
        return context.bot_user_id
    for authorization in body.get("authorizations") or ():
        if authorization.get("is_bot") and authorization.get("user_id"):
            return str(authorization["user_id"])
    return None


def _vote(event: dict[str, Any]) -> tuple[str, str, str, str] | None:
    """(channel, message ts, user, reaction) if this could be a vote on a poll."""
    item = event.get("item") or {}
    reaction = str(event.get("reaction") or "")
    if item.get("type") != "message" or fold_emoji(reaction) not in OPTION_EMOJIS:
        return None
    channel, ts, user = item.get("channel"), item.get("ts"), event.get("user")
    if not (channel and ts and user):
        return None
    return str(channel), str(ts), str(user), reaction


def handle_reaction_added(
    event: dict[str, Any], body: dict[str, Any], context: BoltContext, *, deps: Deps
) -> None:
    vote = _vote(event)
    if vote is None:
        return
    channel, ts, user, reaction = vote
    with transaction(deps.db) as session:
        record_vote(
            session,
            channel_id=channel,
            message_ts=ts,
            user_id=user,
            emoji=reaction,
            bot_user_id=_bot_user_id(context, body),
            now=deps.clock.now(),
        )


def handle_reaction_removed(event: dict[str, Any], *, deps: Deps) -> None:
    vote = _vote(event)
    if vote is None:
        return
    channel, ts, user, reaction = vote
    with transaction(deps.db) as session:
        remove_vote(
            session,
            channel_id=channel,
            message_ts=ts,
            user_id=user,
            emoji=reaction,
            now=deps.clock.now(),
        )


def register(app: App, deps: Deps) -> None:
    app.event("reaction_added")(partial(handle_reaction_added, deps=deps))
    app.event("reaction_removed")(partial(handle_reaction_removed, deps=deps))
