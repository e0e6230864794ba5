"""`/partage planning`: what the group will receive next, in due order, in its zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.enums import DeliveryKind, Language
from bot.i18n import format_short, format_when, t
from bot.slack.blocks.common import Block, Message, context, header, message, section
from bot.slack.text import NEWLINE

LINES_PER_SECTION = 15  # keeps each section far below the 3000-character limit


@dataclass(frozen=True)
class PlanningEntry:
    kind: DeliveryKind
    at: datetime  # when it will go (a late item goes at the next tick)


def build_planning(
    entries: list[PlanningEntry],
    *,
    session_starts_at: datetime | None,
    now: datetime,
    lang: Language,
    tz: str,
    command: str,
) -> Message:
    title = t(lang, "planning.title")
    if not entries:
        text = t(lang, "planning.empty", cmd=command)
        return message(text, [header(title), section(text)])
    lines = [
        t(
            lang,
            "planning.line",
            when=t(lang, "planning.now") if e.at <= now else format_short(e.at, tz, lang),
            label=t(lang, f"planning.kind.{e.kind.value}"),
        )
        for e in entries
    ]
    blocks: list[Block] = [header(title)]
    if session_starts_at is not None:
        blocks.append(
            section(t(lang, "planning.session", when=format_when(session_starts_at, tz, lang)))
        )
    blocks += [
        section(NEWLINE.join(lines[i : i + LINES_PER_SECTION]))
        for i in range(0, len(lines), LINES_PER_SECTION)
    ]
    blocks.append(context(t(lang, "planning.footer", tz=tz, cmd=command)))
    return message(title, blocks)
