"""The settings modal's submission: read the state, let the domain check and save it,
answer errors on the offending blocks in the group's language, or close and confirm."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App

from bot.db.engine import transaction
from bot.db.models import Group
from bot.deps import Deps
from bot.domain.errors import NotAllowed
from bot.domain.group_settings import (
    GroupSettings,
    InvalidSettings,
    read_settings,
    update_group_settings,
)
from bot.i18n import t
from bot.outages import outages
from bot.slack.blocks.config import config_block_id, group_id_of, read_config_state
from bot.slack.ids import CallbackId, ConfigBlockId
from bot.slack.listeners.context import CommandContext, mentions
from bot.slack.notifier import SendFailure
from bot.slack.text import plain

logger = logging.getLogger(__name__)


def handle_config_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], *, deps: Deps
) -> None:
    ctx = CommandContext.from_interaction(deps, body, channel_id="")
    group_id = group_id_of(view)
    raw = read_config_state((view.get("state") or {}).get("values") or {})

    def save() -> tuple[str, GroupSettings] | None:
        """The group's channel and the saved settings; None when the group is gone."""
        with transaction(deps.db) as session:
            group = session.get(Group, group_id) if group_id is not None else None
            if group is None:
                return None
            ctx.use_group(group)
            settings = read_settings(raw)
            update_group_settings(
                session,
                group=group,
                user_id=ctx.user_id,
                settings=settings,
                now=ctx.now,
                is_admin=ctx.is_admin,
            )
            return group.channel_id, settings

    try:
        saved = ctx.run(save)
    except InvalidSettings as invalid:
        errors = {
            config_block_id(field): plain(t(ctx.lang, key, **params))
            for field, (key, params) in invalid.problems.items()
        }
        ack(response_action="errors", errors=errors)
        return
    except NotAllowed as refused:
        organisers = refused.params.get("organisers")
        who = mentions(organisers if isinstance(organisers, list) else [], ctx.lang)
        ack(
            response_action="errors",
            errors={ConfigBlockId.TIMEZONE.value: plain(t(ctx.lang, refused.key, organisers=who))},
        )
        return
    if saved is None:
        gone = plain(t(ctx.lang, "config.error.gone", cmd=ctx.cmd))
        ack(response_action="errors", errors={ConfigBlockId.TIMEZONE.value: gone})
        return
    channel_id, settings = saved
    ack()
    deps.after_ack(
        partial(confirm, deps, channel_id=channel_id, user_id=ctx.user_id, settings=settings)
    )


def confirm(deps: Deps, *, channel_id: str, user_id: str, settings: GroupSettings) -> None:
    """An ephemeral summary in the channel, in the language just chosen."""
    lang = settings.language
    hour = t(lang, "config.hour.option", hour=settings.reminder_hour)
    text = "\n".join(
        [
            t(
                lang,
                "config.saved",
                tz=settings.timezone,
                language=t(lang, f"config.language.name.{settings.language.value}"),
                hour=hour,
                poll=settings.poll_duration_hours,
                session=settings.session_minutes,
                presentation=settings.presentation_minutes,
            ),
            t(lang, "config.saved.replanned", cmd=deps.settings.slash_command),
        ]
    )
    try:
        deps.notifier.post_ephemeral(channel_id, user_id, {"text": text})
    except SendFailure as failure:
        outages().warn_or_count(
            logger,
            failure,
            "could not confirm settings to %s in %s: %s",
            user_id,
            channel_id,
            failure.code,
            effect="replies to members not shown",
        )


def register(app: App, deps: Deps) -> None:
    app.view(CallbackId.CONFIG_MODAL)(partial(handle_config_submission, deps=deps))
