"""`/partage stats` and the App Home's statistics button: organisers only.

The command answers with the statistics (ephemeral) and queues the CSV export, sent by
DM right after the ack through the export's delivery. The Home has no ephemeral answer:
its button queues the summary and the CSV, both by DM, in the same delivery.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.db.engine import transaction
from bot.db.models import Group
from bot.deps import Deps
from bot.domain import stats as stats_domain
from bot.domain.errors import DomainError, NotAllowed
from bot.domain.groups import find_group
from bot.enums import DeliveryStatus
from bot.i18n import t
from bot.outages import outages
from bot.slack.blocks.board import build_notice_modal
from bot.slack.blocks.common import Message
from bot.slack.blocks.stats import build_stats
from bot.slack.ids import ActionId
from bot.slack.listeners.context import CommandContext, Reply, refusal_text
from bot.slack.notifier import SendFailure
from bot.slack.parsing import ParsedCommand
from bot.slack.view_parsing import row_id

logger = logging.getLogger(__name__)


def _summary(ctx: CommandContext, stats: stats_domain.GroupStats) -> Message:
    return build_stats(stats, ctx.lang, ctx.tz, export_note=t(ctx.lang, "stats.export_sent"))


def stats_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    with transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id)
        ctx.use_group(group)
        if group is None:
            raise NotAllowed("organise.error.not_allowed", organisers=[])
        delivery_id = stats_domain.request_export(
            session, group=group, user_id=ctx.user_id, is_admin=ctx.is_admin, now=ctx.now
        )
        stats = stats_domain.group_stats(session, group_id=group.id)
    return Reply(
        dict(_summary(ctx, stats)),
        after_ack=[partial(run_export, ctx=ctx, delivery_id=delivery_id)],
    )


def run_export(_client: WebClient, *, ctx: CommandContext, delivery_id: int) -> None:
    """Send the CSV now rather than at the next tick; tell the organiser over the
    command's response_url when it is delayed or refused."""
    if ctx.deps.deliveries is None:
        return
    state = ctx.deps.deliveries.run_now(delivery_id)
    if state.status == DeliveryStatus.DONE and not state.last_error:
        return
    key = (
        "stats.export_delayed" if state.status == DeliveryStatus.PLANNED else "stats.export_failed"
    )
    logger.warning("stats export %s: %s (%s)", delivery_id, key, state.last_error)
    if ctx.response_url:
        WebhookClient(ctx.response_url).send(response_type="ephemeral", text=t(ctx.lang, key))


def handle_home_button(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], *, deps: Deps
) -> None:
    """From the App Home (value: the group id): the summary and the CSV by DM."""
    ack()
    ctx = CommandContext.from_interaction(deps, body, channel_id="")
    group_id = row_id(str(action.get("value") or ""))
    try:
        delivery_id: int | None = ctx.run(lambda: _request_from_home(ctx, group_id))
        notice = t(ctx.lang, "stats.export_sent")
    except DomainError as error:
        delivery_id, notice = None, refusal_text(ctx, error)
    deps.after_ack(partial(_answer_home, ctx, delivery_id, notice))


def _answer_home(ctx: CommandContext, delivery_id: int | None, notice: str) -> None:
    """The Home has no place for an answer: a small modal gives it, as for the board's
    buttons; then the export's delivery runs."""
    try:
        ctx.deps.notifier.open_view(ctx.trigger_id, build_notice_modal(ctx.lang, notice))
    except SendFailure as failure:
        outages().warn_or_count(
            logger,
            failure,
            "views.open (stats notice) failed: %s",
            failure.code,
            effect="replies to members not shown",
        )
    if delivery_id is not None and ctx.deps.deliveries is not None:
        ctx.deps.deliveries.run_now(delivery_id)


def _request_from_home(ctx: CommandContext, group_id: int | None) -> int:
    with transaction(ctx.deps.db) as session:
        group = session.get(Group, group_id) if group_id is not None else None
        if group is None or group.team_id != ctx.team_id:
            raise NotAllowed("organise.error.not_allowed", organisers=[])
        ctx.use_group(group)
        stats_domain.check_organiser(
            session, group=group, user_id=ctx.user_id, is_admin=ctx.is_admin
        )
        stats = stats_domain.group_stats(session, group_id=group.id)
        return stats_domain.request_export(
            session,
            group=group,
            user_id=ctx.user_id,
            is_admin=ctx.is_admin,
            now=ctx.now,
            summary=dict(_summary(ctx, stats)),
        )


def register(app: App, deps: Deps) -> None:
    app.action(ActionId.STATS_OPEN.value)(partial(handle_home_button, deps=deps))
