"""The settings modal's submission: read the state, let the domain check and save it,
answer errors on the offending blocks in the group's language, or close and confirm."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

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
from bot.domain.groups import group_language
from bot.i18n import t
from bot.slack.blocks.config import FIELD_BLOCKS, group_id_of, read_config_state
from bot.slack.ids import CallbackId, ConfigBlockId
from bot.slack.listeners.context import mentions
from bot.slack.text import plain

logger = logging.getLogger(__name__)


def handle_config_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, *, deps: Deps
) -> None:
    user_id = str((body.get("user") or {}).get("id") or "")
    group_id = group_id_of(view)
    raw = read_config_state((view.get("state") or {}).get("values") or {})
    now = deps.clock.now()
    lang = deps.settings.bot_language
    try:
        with transaction(deps.db) as session:
            group = session.get(Group, group_id) if group_id is not None else None
            if group is None:
                ack(
                    response_action="errors",
                    errors={
                        ConfigBlockId.TIMEZONE: t(
                            lang, "config.error.gone", cmd=deps.settings.slash_command
                        )
                    },
                )
                return
            lang = group_language(group, deps.settings.bot_language)
            settings = read_settings(raw)
            update_group_settings(
                session,
                group=group,
                user_id=user_id,
                settings=settings,
                now=now,
                is_admin=lambda: deps.is_workspace_admin(user_id),
            )
            channel_id = group.channel_id
    except InvalidSettings as invalid:
        errors = {
            FIELD_BLOCKS[field]: plain(t(lang, key, **params))
            for field, (key, params) in invalid.problems.items()
        }
        ack(response_action="errors", errors=errors)
        return
    except NotAllowed as refused:
        organisers = refused.params.get("organisers")
        who = mentions(organisers if isinstance(organisers, list) else [], lang)
        ack(
            response_action="errors",
            errors={ConfigBlockId.TIMEZONE: plain(t(lang, refused.key, organisers=who))},
        )
        return
    ack()
    confirm(client, deps, channel_id=channel_id, user_id=user_id, settings=settings)


def confirm(
    client: WebClient, deps: Deps, *, channel_id: str, user_id: str, settings: GroupSettings
) -> None:
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
        client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)
    except SlackApiError as error:
        logger.warning(
            "could not confirm settings to %s in %s: %s",
            user_id,
            channel_id,
            error.response.get("error"),
        )


def register(app: App, deps: Deps) -> None:
    app.view(CallbackId.CONFIG_MODAL)(partial(handle_config_submission, deps=deps))
