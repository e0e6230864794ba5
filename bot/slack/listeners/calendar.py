"""Sessions in members' calendars: the "Ajouter à mon agenda" button, and
`/partage calendrier` (`calendar`), which gives the group's feed URL or, with `nouveau`
(`new`), rotates its token.

The button queues the `.ics` for the clicker in one transaction (idempotent per member
and session version), then, after the ack, runs that delivery at once: the file goes
through the outbox like every other message. The member is told over `response_url`.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.db.engine import read_transaction, transaction
from bot.deps import Deps
from bot.domain import calendar as calendar_domain
from bot.domain.errors import DomainError
from bot.domain.groups import ensure_group
from bot.domain.roles import SessionGone
from bot.enums import DeliveryStatus
from bot.i18n import t
from bot.slack.blocks.common import Message, text_message
from bot.slack.ids import ActionId
from bot.slack.listeners.context import CommandContext, Reply, refusal
from bot.slack.listeners.roles import target_meeting
from bot.slack.parsing import ParsedCommand
from bot.slack.view_parsing import parse_meeting_id

logger = logging.getLogger(__name__)

ROTATE_WORDS = frozenset({"nouveau", "nouvelle", "new", "rotate"})


def feed_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/calendar/{token}.ics"


# --- the button ------------------------------------------------------------------------


def handle_ics_button(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    *,
    deps: Deps,
) -> None:
    ack()
    ctx = CommandContext.from_interaction(
        deps, body, channel_id=(body.get("channel") or {}).get("id", "")
    )
    if (body.get("container") or {}).get("type") == "view":
        # From the App Home: no response_url to answer on; the `.ics` arrives by DM.
        respond = _unanswered  # type: ignore[assignment]
    meeting_id = parse_meeting_id(action.get("value"))
    try:
        if meeting_id is None:
            raise SessionGone()
        request = request_invite(ctx, meeting_id)
    except DomainError as error:
        deps.after_ack(partial(tell, respond, refusal(ctx, error)))
        return
    deps.after_ack(partial(send_invite_now, ctx, request, respond))


def _unanswered(**_message: Any) -> None:
    """The App Home's stand-in for `respond`: nothing to answer on."""


def tell(respond: Respond, message: Message) -> None:
    respond(response_type="ephemeral", replace_original=False, **message)


def request_invite(ctx: CommandContext, meeting_id: int) -> calendar_domain.InviteRequest:
    with transaction(ctx.deps.db) as session:
        _group, meeting = target_meeting(ctx, session, meeting_id)
        return calendar_domain.request_invite(
            session, meeting=meeting, user_id=ctx.user_id, now=ctx.now
        )


def send_invite_now(
    ctx: CommandContext, request: calendar_domain.InviteRequest, respond: Respond
) -> None:
    """Run the invite's delivery now (the next tick would otherwise), then tell the
    member what became of it."""
    if not request.new:
        key = "calendar.invite.already"
    elif ctx.deps.deliveries is None:
        key = "calendar.invite.sending"
    else:
        state = ctx.deps.deliveries.run_now(request.delivery_id)
        with read_transaction(ctx.deps.db) as session:
            received = calendar_domain.received_sequence(
                session, meeting_id=request.meeting_id, user_id=ctx.user_id
            )
        if received is not None and received >= request.sequence:
            key = "calendar.invite.sending"
        elif state.status in (DeliveryStatus.PLANNED, DeliveryStatus.CLAIMED):
            key = "calendar.invite.delayed"
        else:
            key = "calendar.invite.failed"
    tell(respond, text_message(t(ctx.lang, key)))


def ack_url_button(ack: Ack) -> None:
    """Google Calendar and Outlook buttons open a page; Slack still reports the click."""
    ack()


# --- /partage calendrier ---------------------------------------------------------------


def calendar_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    word = parsed.argument.split()[0].casefold() if parsed.argument.split() else ""
    if word and word not in ROTATE_WORDS:
        raise DomainError("calendar.error.usage", word=parsed.argument.split()[0])
    public_url = ctx.deps.settings.public_url
    with transaction(ctx.deps.db) as session:
        group = ensure_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id, now=ctx.now)
        ctx.use_group(group)
        if public_url is None:
            return Reply(text_message(t(ctx.lang, "calendar.feed.unavailable")))
        if word:
            token = calendar_domain.rotate_feed_token(
                session, group=group, user_id=ctx.user_id, is_admin=ctx.is_admin
            )
            key = "calendar.feed.rotated"
        else:
            token = calendar_domain.ensure_feed_token(session, group=group)
            key = "calendar.feed.url"
    return Reply(text_message(t(ctx.lang, key, url=feed_url(public_url, token))))


def register(app: App, deps: Deps) -> None:
    app.action(ActionId.CALENDAR_ICS.value)(partial(handle_ics_button, deps=deps))
    for action_id in (ActionId.CALENDAR_GOOGLE, ActionId.CALENDAR_OUTLOOK):
        app.action(action_id.value)(ack_url_button)
