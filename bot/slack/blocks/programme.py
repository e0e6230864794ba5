"""The next session as a message: date, theme, roles, contributions, budget, run-of-show."""

from __future__ import annotations

from datetime import datetime

from bot.domain.agenda import TOUR_QUESTIONS, Phase
from bot.domain.programme import ContributionLine, Programme
from bot.enums import Language
from bot.i18n import format_time, format_when, t
from bot.slack.blocks.common import Block, Message, header, message, section
from bot.slack.text import NEWLINE, Mrkdwn, link


def kind_label(lang: Language, line: ContributionLine) -> Mrkdwn:
    return t(lang, f"kind.{line.kind.value}")


def contribution_lines(programme: Programme, lang: Language) -> list[Mrkdwn]:
    lines = []
    for index, c in enumerate(programme.contributions, start=1):
        state = t(lang, "programme.ready" if c.ready else "programme.not_ready")
        title = link(c.link, c.title)
        params = {
            "index": index,
            "kind": kind_label(lang, c),
            "title": title,
            "author": c.author_user_id,
            "minutes": c.duration_minutes,
            "state": state,
        }
        if c.guest_name:
            lines.append(t(lang, "programme.contribution.guest", guest=c.guest_name, **params))
        else:
            lines.append(t(lang, "programme.contribution", **params))
    return lines


def contributions_text(programme: Programme, lang: Language, command: str) -> Mrkdwn:
    """The numbered contributions under their heading, or how to submit the first one."""
    if not programme.contributions:
        return t(lang, "programme.contributions.none", cmd=command)
    return NEWLINE.join([t(lang, "programme.contributions"), *contribution_lines(programme, lang)])


def budget_line(programme: Programme, lang: Language) -> Mrkdwn:
    if programme.over_budget:
        return t(
            lang,
            "programme.budget.over",
            used=programme.budget_used,
            budget=programme.budget,
            over=programme.over_budget,
        )
    return t(lang, "programme.budget", used=programme.budget_used, budget=programme.budget)


def run_of_show_lines(
    phases: tuple[Phase, ...], ends_at: datetime, tz: str, lang: Language
) -> list[Mrkdwn]:
    """One line per phase with its clock times, sub-phases indented, then the end time."""
    lines = []
    for phase in phases:
        lines.append(
            t(
                lang,
                "phase.line",
                start=format_time(phase.start, tz, lang),
                end=format_time(phase.end, tz, lang),
                label=t(lang, phase.key),
            )
        )
        if phase.key == "phase.tour":
            # The four tour-de-table questions sit right under the tour de table line.
            lines.append(tour_questions(lang))
        lines.extend(
            t(
                lang,
                "phase.subline",
                start=format_time(part.start, tz, lang),
                end=format_time(part.end, tz, lang),
                label=t(lang, part.key),
            )
            for part in phase.parts
        )
    lines.append(
        t(lang, "phase.end.line", time=format_time(ends_at, tz, lang), label=t(lang, "phase.end"))
    )
    return lines


def tour_questions(lang: Language) -> Mrkdwn:
    return NEWLINE.join(Mrkdwn("      ◦ ") + t(lang, key) for key in TOUR_QUESTIONS)


def build_programme(programme: Programme, lang: Language, tz: str, command: str) -> Message:
    when = format_when(programme.starts_at, tz, lang)
    title = t(lang, "programme.title", when=when)
    theme = (
        t(lang, "programme.theme", theme=programme.theme)
        if programme.theme
        else t(lang, "programme.theme.none", cmd=command)
    )
    guide = (
        t(lang, "programme.guide", user=programme.guide_user_id)
        if programme.guide_user_id
        else t(lang, "programme.guide.none", cmd=command)
    )
    contributions = contributions_text(programme, lang, command)
    people = NEWLINE.join(
        [
            t(lang, "programme.participants", count=programme.participant_count),
            budget_line(programme, lang),
        ]
    )
    phases = run_of_show_lines(programme.phases, programme.ends_at, tz, lang)
    blocks: list[Block] = [
        header(title),
        section(NEWLINE.join([theme, guide])),
        section(contributions),
        section(people),
        section(NEWLINE.join([t(lang, "programme.run_of_show"), *phases])),
    ]
    return message(title, blocks)
