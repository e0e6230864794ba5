"""The recap of a held session and the pages of the group's history (pure builders)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.recap import HistoryPage, RecapItem, RecapView
from bot.domain.summary import SessionSummary
from bot.domain.tour import AnswerView
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
from bot.slack.ids import ActionId, BlockId, tour_need_block_id
from bot.slack.text import NEWLINE, Mrkdwn, escape, link


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


def _entry(recap: RecapView, lang: Language, tz: str) -> list[Mrkdwn]:
    theme = escape(recap.theme) if recap.theme else t(lang, "history.recap.no_theme")
    head = t(lang, "history.entry", when=format_when(recap.starts_at, tz, lang), theme=theme)
    lines = [head, _guide(recap, lang)]
    lines += [_item_line(item, lang) for item in recap.contributions]
    return lines


# --- the recap the channel reads at the session's end ------------------------------------

# An answer is quoted up to this many characters in the recap; the thread has it whole.
RECAP_ANSWER_CHARS = 280
# Room the recap takes in the end message, which also carries the poll and the role call.
RECAP_MAX_BLOCKS = 20
RECAP_MAX_NEEDS = 8


def _name(names: Mapping[str, str], user_id: str, lang: Language) -> str:
    """The member's Slack name, never a mention (nobody is pinged by a recap)."""
    return names.get(user_id) or t(lang, "recap.a_member")


def _named_item(item: RecapItem, names: Mapping[str, str], lang: Language) -> Mrkdwn:
    title = link(item.link, item.title)
    name = _name(names, item.author_user_id, lang)
    if item.guest_name:
        return t(lang, "recap.item_guest", title=title, guest=item.guest_name, name=name)
    return t(lang, "recap.item", title=title, name=name)


def _shared_text(answer: AnswerView) -> str:
    """What a member shared, on one line (the need goes to the needs)."""
    parts = [" ".join(p.split()) for p in (answer.feeling, answer.doing, answer.learned) if p]
    text = " · ".join(parts)
    return text if len(text) <= RECAP_ANSWER_CHARS else text[: RECAP_ANSWER_CHARS - 1] + "…"


def recap_blocks(
    summary: SessionSummary, names: Mapping[str, str], lang: Language, tz: str
) -> list[Block]:
    """What the session was, for the whole channel and without a ping: its theme, guide,
    contributions with their links (the slides), who came, the tour de table answers
    shared with the group and the needs still open, each with "Je peux aider"."""
    recap = summary.recap
    when = format_when(recap.starts_at, tz, lang)
    guide = (
        t(lang, "recap.guide", name=_name(names, recap.guide_user_id, lang))
        if recap.guide_user_id
        else t(lang, "history.recap.no_guide")
    )
    head = [t(lang, "recap.intro", when=when), _theme(recap, lang), guide]
    if recap.contributions:
        head.append(t(lang, "history.recap.contributions"))
        head += [_named_item(item, names, lang) for item in recap.contributions]
    else:
        head.append(t(lang, "history.recap.no_contributions"))
    if summary.participants:
        people = ", ".join(_name(names, u, lang) for u in summary.participants)
        head.append(t(lang, "recap.participants", count=len(summary.participants), names=people))
    else:
        head.append(t(lang, "recap.participants.none"))
    if recap.poll_winner:
        head.append(t(lang, "history.recap.poll", theme=recap.poll_winner))
    blocks: list[Block] = [section(NEWLINE.join(head))]
    answered = [a for a in summary.shared if _shared_text(a)]
    if answered:
        lines = [t(lang, "recap.tour", count=len(answered))]
        lines += [
            t(lang, "recap.tour.answer", name=_name(names, a.user_id, lang), text=_shared_text(a))
            for a in answered
        ]
        room = RECAP_MAX_BLOCKS - RECAP_MAX_NEEDS - 2
        blocks += sections(lines, max_blocks=room, more=lambda n: t(lang, "recap.more", count=n))
    needs = summary.needs
    if needs:
        blocks.append(section(t(lang, "recap.needs", count=len(needs))))
        for answer in needs[:RECAP_MAX_NEEDS]:
            text = " ".join(answer.needs.split())
            block = section(
                t(lang, "recap.need", name=_name(names, answer.user_id, lang), text=text),
                block_id=tour_need_block_id(answer.id),
            )
            block["accessory"] = button(
                t(lang, "tour.thread.help"), ActionId.TOUR_HELP, str(answer.id)
            )
            blocks.append(block)
        if len(needs) > RECAP_MAX_NEEDS:
            blocks.append(context(t(lang, "recap.more", count=len(needs) - RECAP_MAX_NEEDS)))
    return blocks


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
