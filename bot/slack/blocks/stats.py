"""Organisers' statistics, as an ephemeral answer (pure builder)."""

from __future__ import annotations

from bot.domain.stats import GroupStats
from bot.enums import Language
from bot.i18n import format_short, t
from bot.slack.blocks.common import Block, Message, context, header, message, sections
from bot.slack.text import Mrkdwn

# The latest sessions listed; the CSV holds them all.
SHOWN_SESSIONS = 12


def _contributions(stats: GroupStats, lang: Language) -> list[Mrkdwn]:
    lines = [t(lang, "stats.contributions")]
    if not stats.contributions_per_member:
        return [*lines, t(lang, "stats.none")]
    return lines + [
        t(lang, "stats.contribution_line", user=user, count=count)
        for user, count in stats.contributions_per_member
    ]


def _guides(stats: GroupStats, lang: Language, tz: str) -> list[Mrkdwn]:
    lines = [t(lang, "stats.guides")]
    if not stats.guides:
        return [*lines, t(lang, "stats.none")]
    return lines + [
        t(lang, "stats.guide_line", when=format_short(when, tz, lang), user=user)
        for when, user in reversed(stats.guides[-SHOWN_SESSIONS:])
    ]


def _sessions(stats: GroupStats, lang: Language, tz: str) -> list[Mrkdwn]:
    if not stats.sessions:
        return []
    return [t(lang, "stats.sessions")] + [
        t(
            lang,
            "stats.session_line",
            when=format_short(s.starts_at, tz, lang),
            theme=s.theme or t(lang, "stats.no_theme"),
            participants=s.participants,
            count=len(s.contributions),
        )
        for s in reversed(stats.sessions[-SHOWN_SESSIONS:])
    ]


def build_stats(stats: GroupStats, lang: Language, tz: str, *, export_note: Mrkdwn) -> Message:
    title = t(lang, "stats.title")
    blocks: list[Block] = [header(title)]
    blocks += sections(
        [
            t(lang, "stats.held", count=stats.held),
            t(lang, "stats.participants", count=stats.participants),
            *_contributions(stats, lang),
            *_guides(stats, lang, tz),
            *_sessions(stats, lang, tz),
        ],
        max_blocks=40,
    )
    blocks.append(context(export_note))
    return message(title, blocks)
