"""The async tour de table's buttons and modal.

From the invitation DM: "Répondre" (or "Modifier") opens the modal prefilled with what the
member saved; "Supprimer mes réponses" deletes them; "Ne plus recevoir ces invitations
pour ce groupe" opts out of the
invitation in that group, and the answer carries "Recevoir à nouveau". From the thread:
"Je peux aider" records the offer and queues the DM to the asker in one transaction,
then runs that delivery right after the ack (the outbox sends it once), and tells the
helper ephemerally. Every answer to a click goes over its `response_url`.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from sqlalchemy.orm import Session

from bot.db.engine import read_transaction, transaction
from bot.db.models import Group, Meeting
from bot.deps import Deps
from bot.domain import tour as tour_domain
from bot.domain.errors import DomainError
from bot.domain.roles import SessionGone
from bot.enums import DeliveryStatus
from bot.i18n import t
from bot.outages import outages
from bot.slack.blocks.common import Message, text_message
from bot.slack.blocks.tour import (
    TourSession,
    build_help_dm,
    build_opted_out,
    build_tour_modal,
    build_tour_saved,
    input_block,
    read_tour_state,
    tour_metadata,
)
from bot.slack.ids import ActionId, CallbackId
from bot.slack.listeners.context import CommandContext, refusal, refusal_text
from bot.slack.notifier import SendFailure
from bot.slack.text import plain
from bot.slack.view_parsing import row_id

logger = logging.getLogger(__name__)


def _channel(body: dict[str, Any]) -> str:
    return str((body.get("channel") or {}).get("id") or "")


def tell(respond: Respond, message: Message) -> None:
    respond(response_type="ephemeral", replace_original=False, **message)


def _from_home(body: dict[str, Any]) -> bool:
    """A click in the App Home: no response_url to answer on, the Home itself shows it."""
    return (body.get("container") or {}).get("type") == "view"


def _answer_opt(
    ctx: CommandContext, body: dict[str, Any], respond: Respond, answer: Message
) -> None:
    """Tell the member over the DM's response_url; a click in the Home needs no answer:
    the Home itself follows the change (`bot.followups`)."""
    if not _from_home(body):
        ctx.deps.after_ack(partial(tell, respond, answer))


def _meeting(ctx: CommandContext, session: Session, meeting_id: int | None) -> Meeting:
    """The session a button points at, in the clicker's workspace; the group's language
    is set on `ctx`."""
    meeting = session.get(Meeting, meeting_id) if meeting_id is not None else None
    group = session.get(Group, meeting.group_id) if meeting is not None else None
    if meeting is None or group is None or (ctx.team_id and group.team_id != ctx.team_id):
        raise SessionGone()
    ctx.use_group(group)
    return meeting


def _group(ctx: CommandContext, session: Session, group_id: int | None) -> Group:
    group = session.get(Group, group_id) if group_id is not None else None
    if group is None or (ctx.team_id and group.team_id != ctx.team_id):
        raise SessionGone()
    ctx.use_group(group)
    return group


def _where(ctx: CommandContext, meeting: Meeting, group: Group) -> TourSession:
    return TourSession(
        meeting_id=meeting.id,
        group_id=group.id,
        channel_id=group.channel_id,
        starts_at=meeting.starts_at,
        lang=ctx.lang,
        tz=ctx.tz,
    )


# --- the invitation's buttons ----------------------------------------------------------


def handle_answer(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, *, deps: Deps
) -> None:
    """Open the modal, prefilled; refused once the session has started."""
    ack()
    ctx = CommandContext.from_interaction(deps, body, channel_id=_channel(body))
    try:
        with read_transaction(deps.db) as session:
            meeting = _meeting(ctx, session, row_id(action.get("value")))
            tour_domain.open_meeting(session, meeting_id=meeting.id, now=ctx.now)
            group = session.get(Group, meeting.group_id)
            assert group is not None
            existing = tour_domain.answer_of(session, meeting_id=meeting.id, user_id=ctx.user_id)
            view = build_tour_modal(
                _where(ctx, meeting, group), existing.answers if existing else None
            )
    except DomainError as error:
        deps.after_ack(partial(tell, respond, refusal(ctx, error)))
        return
    deps.after_ack(partial(_open, ctx, view, respond))


def _open(ctx: CommandContext, view: dict[str, Any], respond: Respond) -> None:
    """The trigger id lives 3 s: opened first after the ack; if Slack refuses, the member
    is told to click again."""
    try:
        ctx.deps.notifier.open_view(ctx.trigger_id, view)
    except SendFailure as failure:
        outages().warn_or_count(
            logger,
            failure,
            "views.open (tour de table) failed: %s",
            failure.code,
            effect="replies to members not shown",
        )
        tell(respond, text_message(t(ctx.lang, "tour.modal.failed")))


def handle_delete(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, *, deps: Deps
) -> None:
    """Delete the member's answers to that session (any time: they are theirs)."""
    ack()
    ctx = CommandContext.from_interaction(deps, body, channel_id=_channel(body))
    try:
        with transaction(deps.db) as session:
            meeting = _meeting(ctx, session, row_id(action.get("value")))
            deleted = tour_domain.delete_answers(
                session, meeting_id=meeting.id, user_id=ctx.user_id, now=ctx.now
            )
    except DomainError as error:
        deps.after_ack(partial(tell, respond, refusal(ctx, error)))
        return
    key = "tour.deleted" if deleted else "tour.deleted.none"
    deps.after_ack(partial(tell, respond, text_message(t(ctx.lang, key))))


def handle_opt_out(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, *, deps: Deps
) -> None:
    ack()
    ctx = CommandContext.from_interaction(deps, body, channel_id=_channel(body))
    try:
        with transaction(deps.db) as session:
            group = _group(ctx, session, row_id(action.get("value")))
            new = tour_domain.opt_out(session, group_id=group.id, user_id=ctx.user_id, now=ctx.now)
            answer = build_opted_out(
                ctx.lang, channel_id=group.channel_id, group_id=group.id, new=new
            )
    except DomainError as error:
        deps.after_ack(partial(tell, respond, refusal(ctx, error)))
        return
    _answer_opt(ctx, body, respond, answer)


def handle_opt_in(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, *, deps: Deps
) -> None:
    ack()
    ctx = CommandContext.from_interaction(deps, body, channel_id=_channel(body))
    try:
        with transaction(deps.db) as session:
            group = _group(ctx, session, row_id(action.get("value")))
            back = tour_domain.opt_in(session, group_id=group.id, user_id=ctx.user_id, now=ctx.now)
            key = "tour.opted_in" if back else "tour.opted_in.already"
            answer = text_message(t(ctx.lang, key, channel=group.channel_id))
    except DomainError as error:
        if not _from_home(body):
            deps.after_ack(partial(tell, respond, refusal(ctx, error)))
        return
    _answer_opt(ctx, body, respond, answer)


# --- the modal ---------------------------------------------------------------------------


def handle_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], *, deps: Deps) -> None:
    """Save (insert or update) before the start; errors under the inputs otherwise. The
    answer to a submission is the HTTP response itself."""
    metadata = tour_metadata(view)
    ctx = CommandContext.from_interaction(deps, body, channel_id=metadata[1] if metadata else "")
    raw = read_tour_state((view.get("state") or {}).get("values") or {})
    first = input_block("feeling")
    try:
        with transaction(deps.db) as session:
            meeting = _meeting(ctx, session, metadata[0] if metadata else None)
            answers = tour_domain.read_answers(raw)
            result = tour_domain.save_answers(
                session, meeting_id=meeting.id, user_id=ctx.user_id, answers=answers, now=ctx.now
            )
            group = session.get(Group, meeting.group_id)
            lead = group.run_of_show_lead_minutes if group is not None else 15
    except tour_domain.InvalidAnswers as error:
        ack(
            response_action="errors",
            errors={
                input_block(name): plain(t(ctx.lang, key, **params))
                for name, (key, params) in error.problems.items()
            },
        )
        return
    except DomainError as error:
        # Empty, started, or gone: said on the first input, the modal has no other slot.
        ack(response_action="errors", errors={first: plain(refusal_text(ctx, error))})
        return
    ack(
        response_action="update",
        view=build_tour_saved(
            ctx.lang,
            created=result.created,
            shared=result.answer.share_with_group,
            lead_minutes=lead,
        ),
    )


# --- "Je peux aider" -----------------------------------------------------------------


def handle_help(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, *, deps: Deps
) -> None:
    ack()
    ctx = CommandContext.from_interaction(deps, body, channel_id=_channel(body))
    answer_id = row_id(action.get("value"))
    try:
        with transaction(deps.db) as session:
            if answer_id is None:
                raise tour_domain.NeedGone()
            need = tour_domain.need_of(session, answer_id=answer_id)
            meeting = _meeting(ctx, session, need.meeting_id)
            group = session.get(Group, meeting.group_id)
            assert group is not None
            dm = build_help_dm(
                ctx.lang, helper_user_id=ctx.user_id, channel_id=group.channel_id, need=need.needs
            )
            request = tour_domain.offer_help(
                session,
                answer_id=answer_id,
                helper_user_id=ctx.user_id,
                message=dict(dm),
                now=ctx.now,
            )
    except DomainError as error:
        deps.after_ack(partial(tell, respond, refusal(ctx, error)))
        return
    deps.after_ack(partial(_send_help_now, ctx, request, respond))


def _send_help_now(ctx: CommandContext, request: tour_domain.HelpRequest, respond: Respond) -> None:
    """Tell the asker now rather than at the next tick, then tell the helper."""
    if request.delivery_id is None:
        key = "tour.help.already"
    elif ctx.deps.deliveries is None:
        key = "tour.help.sent"
    else:
        state = ctx.deps.deliveries.run_now(request.delivery_id)
        delayed = state.status in (DeliveryStatus.PLANNED, DeliveryStatus.CLAIMED)
        key = "tour.help.delayed" if delayed else "tour.help.sent"
        if state.last_error and not delayed:
            logger.warning("tour help %s: %s", request.delivery_id, state.last_error)
    tell(respond, text_message(t(ctx.lang, key, user=request.asker_user_id)))


def register(app: App, deps: Deps) -> None:
    app.action(ActionId.TOUR_ANSWER.value)(partial(handle_answer, deps=deps))
    app.action(ActionId.TOUR_DELETE.value)(partial(handle_delete, deps=deps))
    app.action(ActionId.TOUR_OPT_OUT.value)(partial(handle_opt_out, deps=deps))
    app.action(ActionId.TOUR_OPT_IN.value)(partial(handle_opt_in, deps=deps))
    app.action(ActionId.TOUR_HELP.value)(partial(handle_help, deps=deps))
    app.view(CallbackId.TOUR_MODAL.value)(partial(handle_submission, deps=deps))
