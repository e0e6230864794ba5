"""`/partage lieu <texte ou lien>`, the "Indiquer le lieu" button and its form, and the
"Rejoindre" button of a video-call place.

The button is shown to the organisers and the guide only (their overview DMs, their App
Home); the form does what the command does, with the same checks and the same refusals.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.db.engine import read_transaction, transaction
from bot.deps import Deps
from bot.domain.errors import DomainError
from bot.domain.groups import find_group
from bot.domain.place import PlaceForm, place_form, set_place, set_place_of
from bot.i18n import format_when, t
from bot.slack.blocks.common import text_message
from bot.slack.blocks.place import (
    build_place_modal,
    build_place_saved,
    place_metadata,
    read_place_state,
)
from bot.slack.blocks.programme import place_value
from bot.slack.ids import ActionId, BlockId, CallbackId
from bot.slack.listeners.context import CommandContext, Reply, refusal, refusal_text
from bot.slack.notifier import SendFailure
from bot.slack.parsing import ParsedCommand
from bot.slack.text import plain
from bot.slack.view_parsing import row_id

logger = logging.getLogger(__name__)


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


def _from_home(body: dict[str, Any]) -> bool:
    """A click in the App Home: no message to answer under."""
    return (body.get("container") or {}).get("type") == "view"


def _tell(respond: Respond, body: dict[str, Any], text: str) -> None:
    """An ephemeral answer under the clicked message; a Home has none to give."""
    if not _from_home(body):
        respond(response_type="ephemeral", replace_original=False, text=text)


def handle_set_place(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, *, deps: Deps
) -> None:
    """ "Indiquer le lieu": the form, prefilled with the place in force."""
    ack()
    channel = str((body.get("channel") or {}).get("id") or "")
    ctx = CommandContext.from_interaction(deps, body, channel_id=channel)

    def read() -> PlaceForm:
        with read_transaction(deps.db) as session:
            return place_form(
                session,
                meeting_id=row_id(action.get("value")),
                team_id=ctx.team_id,
                user_id=ctx.user_id,
                is_admin=ctx.is_admin,
            )

    try:
        form = ctx.run(read)
    except DomainError as error:
        deps.after_ack(partial(_tell, respond, body, refusal(ctx, error)["text"]))
        return
    ctx.use_settings(form.language, form.timezone)
    view = build_place_modal(
        ctx.lang,
        meeting_id=form.meeting_id,
        channel_id=form.channel_id,
        when=format_when(form.starts_at, ctx.tz, ctx.lang),
        current=form.place,
    )
    deps.after_ack(partial(_open, ctx, view, respond, body))


def _open(
    ctx: CommandContext, view: dict[str, Any], respond: Respond, body: dict[str, Any]
) -> None:
    """The trigger id lives 3 s: opened first after the ack; if Slack refuses, the
    member is told the command that does the same."""
    try:
        ctx.deps.notifier.open_view(ctx.trigger_id, view)
    except SendFailure as failure:
        logger.warning("views.open (place) failed: %s", failure.code)
        _tell(respond, body, t(ctx.lang, "error.modal_failed", cmd=ctx.cmd, command="lieu"))


def handle_place_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], *, deps: Deps
) -> None:
    """Save the place, or say what is wrong under the input; the answer to a submission
    is the HTTP response itself."""
    ctx = CommandContext.from_interaction(deps, body, channel_id="")
    raw = read_place_state((view.get("state") or {}).get("values") or {})

    def save() -> PlaceForm:
        with transaction(deps.db) as session:
            return set_place_of(
                session,
                meeting_id=place_metadata(view),
                team_id=ctx.team_id,
                user_id=ctx.user_id,
                place=raw,
                now=ctx.now,
                is_admin=ctx.is_admin,
            )

    try:
        saved = ctx.run(save)
    except DomainError as error:
        ack(response_action="errors", errors={BlockId.PLACE_INPUT: plain(refusal_text(ctx, error))})
        return
    ctx.use_settings(saved.language, saved.timezone)
    text = t(
        ctx.lang,
        "place.set",
        when=format_when(saved.starts_at, ctx.tz, ctx.lang),
        place=place_value(saved.place or "", ctx.lang),
    )
    ack(response_action="update", view=build_place_saved(ctx.lang, text))


def register(app: App, deps: Deps) -> None:
    app.action(ActionId.JOIN_CALL.value)(partial(acknowledge_join_call))
    app.action(ActionId.SET_PLACE.value)(partial(handle_set_place, deps=deps))
    app.view(CallbackId.PLACE_MODAL.value)(partial(handle_place_submission, deps=deps))
