"""Role buttons on the bot's messages: "Je serai guide", "Je contribue", "Ma contribution
est prête", "Je participe", and a reminder's "Modifier" and "Retirer".

Each button acks at once, then runs the same flow as its slash command for the meeting id
in its `value`. The answer goes to `response_url`, which reaches the clicker both in a
channel and in the bot's DMs; what the group sees goes through the outbox (the session's
thread, the messages refreshed). A click on a button someone else beat says who did and
refreshes the message.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.domain.errors import DomainError
from bot.domain.roles import GuideTaken, SessionGone
from bot.slack.ids import ActionId
from bot.slack.listeners import roles
from bot.slack.listeners.context import CommandContext, Reply, refusal
from bot.slack.view_parsing import parse_meeting_id

Flow = Callable[[CommandContext, int], Reply]

FLOWS: dict[ActionId, Flow] = {
    ActionId.CLAIM_GUIDE: roles.claim_guide,
    ActionId.OPEN_CONTRIBUTION: roles.open_contribution,
    ActionId.MARK_READY: roles.mark_ready,
    ActionId.JOIN: roles.join,
    # The contributor's reminder DM: the one contribution form, prefilled, and withdrawing.
    ActionId.EDIT_CONTRIBUTION: roles.open_contribution,
    ActionId.WITHDRAW_CONTRIBUTION: roles.withdraw_contribution,
    # The guide's last overview: "Relancer" (its value is the contribution's id).
    ActionId.NUDGE_CONTRIBUTOR: roles.nudge,
}


def handle_role_button(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    *,
    deps: Deps,
    flow: Flow,
) -> None:
    ack()
    ctx = CommandContext.from_interaction(
        deps, body, channel_id=(body.get("channel") or {}).get("id", "")
    )
    meeting_id = parse_meeting_id(action.get("value"))
    try:
        if meeting_id is None:
            raise SessionGone()
        reply = ctx.run(lambda: flow(ctx, meeting_id))
    except GuideTaken as error:
        assert meeting_id is not None
        reply = roles.outdated_click(ctx, meeting_id, error)
    except DomainError as error:
        reply = Reply(refusal(ctx, error))
    deps.after_ack(partial(answer_click, reply, client, ctx, respond))


def answer_click(reply: Reply, client: WebClient, ctx: CommandContext, respond: Respond) -> None:
    for follow_up in reply.after_ack:  # views.open first: its trigger expires in 3 s
        follow_up(client)
    if reply.message is not None:
        respond(response_type="ephemeral", replace_original=False, **reply.message)


def register(app: App, deps: Deps) -> None:
    for action_id, flow in FLOWS.items():
        app.action(action_id.value)(partial(handle_role_button, deps=deps, flow=flow))
