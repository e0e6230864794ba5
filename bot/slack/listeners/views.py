"""Modal submissions: the contribution form.

The answer to a view_submission is the HTTP response itself: `response_action: errors`
keeps the modal open with a message under each offending input, in the group's language;
an empty ack closes it. Confirmations are sent after the ack (chat.postEphemeral has no
response_url to ride on here).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App

from bot.db.engine import transaction
from bot.deps import Deps
from bot.domain.contributions import (
    Field,
    FieldError,
    InvalidContribution,
    SubmitResult,
    submit_contribution,
)
from bot.domain.errors import DomainError
from bot.domain.roles import SessionGone
from bot.i18n import t
from bot.outages import outages
from bot.slack.blocks.common import Message, message, section
from bot.slack.blocks.contribution import build_contribution_confirmation
from bot.slack.ids import BlockId, CallbackId
from bot.slack.listeners.board import render_modal
from bot.slack.listeners.context import (
    NOT_IN_CHANNEL_ERRORS,
    CommandContext,
    refusal_text,
)
from bot.slack.listeners.roles import target_meeting
from bot.slack.notifier import SendFailure
from bot.slack.text import lines, plain
from bot.slack.view_parsing import (
    CONTRIBUTION_INPUTS,
    ContributionMetadata,
    parse_contribution_state,
)

logger = logging.getLogger(__name__)


def field_errors(ctx: CommandContext, errors: dict[Field, FieldError]) -> dict[str, str]:
    """Domain errors keyed by field -> Slack errors keyed by the input's block_id."""
    return {
        CONTRIBUTION_INPUTS[name][0].value: plain(
            t(ctx.lang, error.key, cmd=ctx.cmd, **error.params)
        )
        for name, error in errors.items()
    }


def handle_contribution_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], *, deps: Deps
) -> None:
    metadata = ContributionMetadata.decode(view.get("private_metadata"))
    ctx = CommandContext.from_interaction(
        deps, body, channel_id=metadata.channel_id if metadata else ""
    )
    data = parse_contribution_state((view.get("state") or {}).get("values") or {})
    try:
        if metadata is None:
            raise SessionGone()
        with transaction(deps.db) as session:
            target_meeting(ctx, session, metadata.meeting_id)
            result = submit_contribution(
                session, meeting_id=metadata.meeting_id, user_id=ctx.user_id, data=data, now=ctx.now
            )
    except InvalidContribution as error:
        ack(response_action="errors", errors=field_errors(ctx, error.errors))
        return
    except DomainError as error:
        # The session is gone: say so on the first input, the modal has no general slot.
        ack(
            response_action="errors",
            errors={BlockId.CONTRIBUTION_TITLE.value: plain(refusal_text(ctx, error))},
        )
        return
    ack()
    deps.after_ack(partial(announce_contribution, ctx, result))
    previous = view.get("previous_view_id")
    if isinstance(previous, str) and previous:
        # Pushed from the roles modal: the member goes back to it, showing the change.
        deps.after_ack(partial(refresh_roles_modal, ctx, previous, result.meeting.id))


def refresh_roles_modal(ctx: CommandContext, view_id: str, meeting_id: int) -> None:
    try:
        shown = render_modal(ctx, meeting_id)
        ctx.deps.notifier.update_view(view_id, shown)
    except SendFailure as failure:
        outages().warn_or_count(
            logger,
            failure,
            "views.update of the roles modal failed: %s",
            failure.code,
            effect="replies to members not shown",
        )


def announce_contribution(ctx: CommandContext, result: SubmitResult) -> None:
    """Confirm to the submitter, privately: what was saved and the budget, with the
    over-budget advice if any (nobody else reads it)."""
    when = ctx.when(result.meeting.starts_at)
    confirmation = build_contribution_confirmation(
        ctx.lang,
        when=when,
        contribution=result.contribution,
        created=result.created,
        budget_used=result.budget_used,
        command=ctx.cmd,
        budget=result.budget,
    )
    _confirm(ctx, confirmation)


def _confirm(ctx: CommandContext, confirmation: Message) -> None:
    """Ephemeral in the group's channel; by DM when Slack refuses (bot not invited)."""
    try:
        ctx.deps.notifier.post_ephemeral(ctx.channel_id, ctx.user_id, confirmation)
    except SendFailure as failure:
        outages().warn_or_count(
            logger,
            failure,
            "ephemeral confirmation in %s failed: %s",
            ctx.channel_id,
            failure.code,
            effect="replies to members not shown",
        )
        if failure.code in NOT_IN_CHANNEL_ERRORS:
            hint = t(ctx.lang, "error.not_in_channel")
            confirmation = message(
                lines(confirmation["text"], hint), [*confirmation["blocks"], section(hint)]
            )
        _send(ctx, ctx.user_id, confirmation)


def _send(ctx: CommandContext, channel: str, payload: Message) -> None:
    """Post to a channel or, with a user id, to the bot's DM with that member; a refusal
    is logged, not raised: the contribution is saved whatever Slack says."""
    try:
        ctx.deps.notifier.post(channel, payload)
    except SendFailure as failure:
        outages().warn_or_count(
            logger,
            failure,
            "could not post to %s: %s",
            channel,
            failure.code,
            effect="replies to members not shown",
        )


def register(app: App, deps: Deps) -> None:
    app.view(CallbackId.CONTRIBUTION_MODAL.value)(
        partial(handle_contribution_submission, deps=deps)
    )
