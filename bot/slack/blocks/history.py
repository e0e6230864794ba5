"""The recap of a held session and the pages of the group's history (pure builders)."""

from __future__ import annotations

from bot.domain.recap import HistoryPage, RecapItem, RecapView
from bot.enums import Language
from bot.i18n import format_when, t
from bot.slack.blocks.common import (
    Block,
    Message,
    actions,
    button,
    context,
    divider,
    header,
    message,
    section,
    sections,
)
from bot.slack.ids import ActionId, BlockId
from bot.slack.text import Mrkdwn, escape, link


def _item_line(item: RecapItem, lang: Language) -> Mrkdwn:
    title = link(item.link, item.title)
    if item.guest_name:
        return t(
            lang,
            "history.recap.item_guest",
            title=title,
            guest=item.guest_name,
            user=item.author_user_id,
        )
    return t(lang, "history.recap.item", title=title, user=item.author_user_id)


def _theme(recap: RecapView, lang: Language) -> Mrkdwn:
    if recap.theme:
        return t(lang, "history.recap.theme", theme=recap.theme)
    return t(lang, "history.recap.no_theme")


def _guide(recap: RecapView, lang: Language) -> Mrkdwn:
    if recap.guide_user_id:
        return t(lang, "history.recap.guide", user=recap.guide_user_id)
    return t(lang, "history.recap.no_guide")


def recap_lines(recap: RecapView, lang: Language) -> list[Mrkdwn]:
    """Theme, guide, participants, contributions and the next theme chosen, one a line."""
    out = [
        _theme(recap, lang),
        _guide(recap, lang),
        t(lang, "history.recap.participants", count=recap.participants),
        t(lang, "history.recap.contributions"),
    ]
    if recap.contributions:
        out += [_item_line(item, lang) for item in recap.contributions]
    else:
        out.append(t(lang, "history.recap.no_contributions"))
    if recap.poll_winner:
        out.append(t(lang, "history.recap.poll", theme=recap.poll_winner))
    return out


def build_recap(recap: RecapView, lang: Language, tz: str) -> Message:
    """The reply posted in the session's thread once it is held."""
    title = t(lang, "history.recap.title", when=format_when(recap.starts_at, tz, lang))
    return message(
        title, [section(Mrkdwn("*") + title + Mrkdwn("*")), *sections(recap_lines(recap, lang))]
    )


def _entry(recap: RecapView, lang: Language, tz: str) -> list[Mrkdwn]:
    theme = escape(recap.theme) if recap.theme else t(lang, "history.recap.no_theme")
    head = t(lang, "history.entry", when=format_when(recap.starts_at, tz, lang), theme=theme)
    lines = [head, _guide(recap, lang)]
    lines += [_item_line(item, lang) for item in recap.contributions]
    return lines


def build_history(page: HistoryPage, lang: Language, tz: str, cmd: str) -> Message:
    """One page of past sessions, newest first, with a button to the older ones."""
    title = t(lang, "history.title")
    blocks: list[Block] = [header(title), context(t(lang, "history.page", page=page.page))]
    if not page.recaps:
        key = "history.empty" if page.page == 1 else "history.empty_page"
        blocks.append(section(t(lang, key)))
        return message(t(lang, key), blocks)
    for recap in page.recaps:
        blocks.append(divider())
        blocks += sections(_entry(recap, lang, tz))
    if page.has_more:
        blocks.append(context(t(lang, "history.more_hint", cmd=cmd, page=page.page + 1)))
        blocks.append(
            actions(
                BlockId.HISTORY.value,
                button(t(lang, "history.more"), ActionId.HISTORY_OLDER.value, str(page.page + 1)),
            )
        )
    return message(title, blocks)


def home_history(recaps: tuple[RecapView, ...], lang: Language, tz: str) -> list[Block]:
    """The App Home's short history: the last sessions, nothing when there is none."""
    if not recaps:
        return []
    blocks: list[Block] = [section(t(lang, "history.home.title"))]
    for recap in recaps:
        blocks += sections(_entry(recap, lang, tz))
    blocks.append(divider())
    return blocks
