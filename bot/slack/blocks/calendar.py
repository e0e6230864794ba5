"""The "Ajouter à mon agenda" row: the `.ics` by DM, and Google Calendar and Outlook
links that need no server. One builder, so the announcement, the contributors' and
guide's DMs (and later the App Home) offer the same three buttons."""

from __future__ import annotations

from datetime import datetime

from bot.calendar.ics import summary
from bot.calendar.links import google_link, outlook_link
from bot.enums import Language
from bot.i18n import t
from bot.slack.blocks.common import Block, actions, button, plain_object
from bot.slack.ids import ActionId, BlockId
from bot.slack.text import plain


def url_button(text: str, action_id: str, url: str) -> Block:
    return {
        "type": "button",
        "text": plain_object(text, 75),
        "action_id": action_id,
        "url": url,
    }


def calendar_actions(
    *,
    meeting_id: int,
    starts_at: datetime,
    ends_at: datetime,
    theme: str | None,
    lang: Language,
    tz: str,
    channel_id: str,
    block_id: str = BlockId.CALENDAR.value,
) -> Block:
    title = summary(theme, lang)
    details = plain(
        t(
            lang,
            "calendar.description.channel",
            url=f"https://slack.com/app_redirect?channel={channel_id}",
        )
    )
    if theme:
        details = plain(t(lang, "calendar.description.theme", theme=theme)) + "\n" + details
    return actions(
        block_id,
        button(t(lang, "calendar.button.ics"), ActionId.CALENDAR_ICS, str(meeting_id)),
        url_button(
            plain(t(lang, "calendar.button.google")),
            ActionId.CALENDAR_GOOGLE,
            google_link(
                title=title, details=details, starts_at=starts_at, ends_at=ends_at, timezone=tz
            ),
        ),
        url_button(
            plain(t(lang, "calendar.button.outlook")),
            ActionId.CALENDAR_OUTLOOK,
            outlook_link(title=title, details=details, starts_at=starts_at, ends_at=ends_at),
        ),
    )
