"""The next session as a message: date, theme, place, roles, contributions with their
slots, budget, run-of-show. The pieces here are shared by the cycle's messages, so a
contribution (a guest's above all) reads the same in every message."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

from bot.domain.agenda import TOUR_QUESTIONS, Phase, RunOfShow
from bot.domain.place import is_call_link
from bot.domain.programme import ContributionLine, Programme
from bot.enums import Language
from bot.i18n import format_time, format_when, t
from bot.slack.blocks.common import (
    MESSAGE_BLOCK_LIMIT,
    SECTION_TEXT_LIMIT,
    Block,
    Message,
    actions,
    header,
    message,
    section,
    sections,
    url_button,
)
from bot.slack.blocks.contribution import contribution_label
from bot.slack.ids import ActionId, BlockId
from bot.slack.text import NEWLINE, Mrkdwn, escape, link


def kind_label(lang: Language, line: ContributionLine) -> Mrkdwn:
    return t(lang, f"kind.{line.kind.value}")


def slot_text(slot: Phase | None, tz: str, lang: Language) -> Mrkdwn:
    """`14 h 30 – 14 h 42`, the contribution's time in the run-of-show."""
    if slot is None:
        return Mrkdwn("")
    return t(
        lang,
        "slot.time",
        start=format_time(slot.start, tz, lang),
        end=format_time(slot.end, tz, lang),
    )


def fitted(render: Callable[[object], Mrkdwn], c: ContributionLine) -> list[Mrkdwn]:
    """`render(title)` with the title as its link; a line too long for a section (a very
    long link, escaped) is written with the plain title, and the link goes whole on a
    line of its own, labelled with its host, rather than being cut."""
    line = render(link(c.link, c.title))
    if len(line) <= SECTION_TEXT_LIMIT or not c.link:
        return [line]
    host = urlsplit(c.link).hostname or c.link
    return [render(c.title), Mrkdwn("      ↳ ") + link(c.link, host)]


def contribution_lines(
    programme: Programme, lang: Language, tz: str, *, readiness: bool = True
) -> list[Mrkdwn]:
    """One numbered line per contribution: its slot, who, what, how long, and, for the
    organisers and the guide (`readiness`), how ready. Members never read who is late."""
    lines = []
    for index, c in enumerate(programme.contributions):
        state = (
            t(lang, "programme.ready" if c.ready else "programme.not_ready") if readiness else None
        )
        render = partial(
            _numbered,
            lang=lang,
            c=c,
            index=index + 1,
            slot=slot_text(programme.slot_of(index), tz, lang),
            state=state,
        )
        lines += fitted(render, c)
    return lines


def _numbered(
    title: object,
    *,
    lang: Language,
    c: ContributionLine,
    index: int,
    slot: Mrkdwn,
    state: Mrkdwn | None,
) -> Mrkdwn:
    label = contribution_label(lang, c, title=title)
    if state is None:
        return t(
            lang,
            "programme.contribution.public",
            index=index,
            slot=slot,
            label=label,
            minutes=c.duration_minutes,
        )
    return t(
        lang,
        "programme.contribution",
        index=index,
        slot=slot,
        label=label,
        minutes=c.duration_minutes,
        state=state,
    )


def _talk(title: object, *, lang: Language, c: ContributionLine, slot: Phase, tz: str) -> Mrkdwn:
    label = contribution_label(lang, c, title=title)
    return _phase_line("phase.subline", slot, tz, lang, label)


def more_line(lang: Language, command: str) -> Callable[[int], Mrkdwn]:
    """What closes a list cut at Slack's block limit: how many are left, and where to see
    them all."""
    return lambda count: t(lang, "programme.more", count=count, cmd=command)


def contributions_blocks(
    programme: Programme,
    lang: Language,
    tz: str,
    command: str,
    *,
    max_blocks: int,
    readiness: bool = True,
) -> list[Block]:
    """The numbered contributions under their heading, spread over as many sections as
    their length needs, or how to submit the first one. `readiness` False: what members
    read, without who is ready."""
    if not programme.contributions:
        return [section(t(lang, "programme.contributions.none", cmd=command))]
    lines = contribution_lines(programme, lang, tz, readiness=readiness)
    return sections(
        [t(lang, "programme.contributions"), *lines],
        max_blocks=max_blocks,
        more=more_line(lang, command),
    )


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


def over_budget_line(run: RunOfShow, over: int, tz: str, lang: Language) -> Mrkdwn | None:
    """Where the minutes over the budget come from: the discussion, the margin, a late end."""
    if not over:
        return None
    sources = []
    if run.discussion_cut:
        sources.append(t(lang, "run.over.discussion", minutes=run.discussion_cut))
    if run.margin_used:
        sources.append(t(lang, "run.over.margin", minutes=run.margin_used))
    if run.late_minutes:
        sources.append(
            t(
                lang,
                "run.over.late",
                minutes=run.late_minutes,
                time=format_time(run.ends_at, tz, lang),
            )
        )
    return t(lang, "run.over", over=over, sources=t(lang, "run.over.separator").join(sources))


def _phase_line(key: str, phase: Phase, tz: str, lang: Language, label: Mrkdwn) -> Mrkdwn:
    return t(
        lang,
        key,
        start=format_time(phase.start, tz, lang),
        end=format_time(phase.end, tz, lang),
        label=label,
    )


def run_of_show_lines(
    programme: Programme, tz: str, lang: Language, *, talks: bool = True, budget: bool = True
) -> list[Mrkdwn]:
    """One line per phase with its clock times, then the end time. Under the échange, a
    line per contribution slot (`talks`) or one line for all the talks, then the
    discussion and, for the organisers and the guide (`budget`), when over the budget,
    where the time comes from."""
    head, tail = run_of_show_parts(programme, tz, lang, talks=talks, budget=budget)
    return [*head, *tail]


def run_of_show_parts(
    programme: Programme, tz: str, lang: Language, *, talks: bool = True, budget: bool = True
) -> tuple[list[Mrkdwn], list[Mrkdwn]]:
    """`run_of_show_lines` split after the last talk slot: a list too long for a message
    may lose talk lines, never the discussion, the anticipation or the end."""
    run = programme.run
    lines: list[Mrkdwn] = []
    split = 0
    for phase in run.phases:
        lines.append(_phase_line("phase.line", phase, tz, lang, t(lang, phase.key)))
        if phase.key == "phase.tour":
            # The four tour-de-table questions sit right under the tour de table line.
            lines.append(tour_questions(lang))
        slots = [p for p in phase.parts if p.key == "phase.exchange.talk"]
        if slots and talks:
            for slot in slots:
                assert slot.contribution is not None
                c = programme.contributions[slot.contribution]
                lines += fitted(partial(_talk, lang=lang, c=c, slot=slot, tz=tz), c)
            split = len(lines)
        elif slots:
            together = Phase("phase.exchange.talks", slots[0].start, slots[-1].end)
            label = t(lang, "phase.exchange.talks", count=len(slots))
            lines.append(_phase_line("phase.subline", together, tz, lang, label))
        for part in phase.parts:
            if part.key == "phase.exchange.discussion":
                label = t(lang, part.key)
                lines.append(_phase_line("phase.subline", part, tz, lang, label))
        if phase.key == "phase.exchange" and budget:
            over = over_budget_line(run, programme.over_budget, tz, lang)
            if over is not None:
                lines.append(over)
    lines.append(
        t(
            lang,
            "phase.end.line",
            time=format_time(run.ends_at, tz, lang),
            label=t(lang, "phase.end"),
        )
    )
    split = split or len(lines)
    return lines[:split], lines[split:]


def tour_questions(lang: Language) -> Mrkdwn:
    return NEWLINE.join(Mrkdwn("      ◦ ") + t(lang, key) for key in TOUR_QUESTIONS)


def place_value(place: str, lang: Language) -> Mrkdwn:
    """The place as text, or a video-call link under a short label (the link kept whole;
    the URL itself is on the "Rejoindre" button)."""
    if is_call_link(place):
        return link(place, t(lang, "place.link.label"))
    return escape(place)


def place_line(
    programme: Programme, lang: Language, command: str, *, manage: bool = False
) -> Mrkdwn:
    """Where the session takes place, or "à préciser"; for a reader who may set it
    (`manage`: an organiser, the guide), with the command that does."""
    place = programme.place
    if not place:
        return t(lang, "place.none.manage" if manage else "place.none", cmd=command)
    key = "place.link" if is_call_link(place) else "place.text"
    return t(lang, key, place=place_value(place, lang))


def join_call_button(programme: Programme, lang: Language) -> Block | None:
    """The "Rejoindre" url button, for a place that is a web link."""
    if programme.place and is_call_link(programme.place):
        return url_button(t(lang, "place.join"), ActionId.JOIN_CALL, programme.place)
    return None


def build_programme(
    programme: Programme, lang: Language, tz: str, command: str, *, manage: bool = False
) -> Message:
    """`/partage programme`. Members read the programme as the channel does; the
    organisers and the guide (`manage`) also read who is ready, the presentation time,
    and the commands only they may run."""
    when = format_when(programme.starts_at, tz, lang)
    title = t(lang, "programme.title", when=when)
    theme = (
        t(lang, "programme.theme", theme=programme.theme)
        if programme.theme
        else t(
            lang, "programme.theme.none.manage" if manage else "programme.theme.none", cmd=command
        )
    )
    guide = (
        t(lang, "programme.guide", user=programme.guide_user_id)
        if programme.guide_user_id
        else t(lang, "programme.guide.none", cmd=command)
    )
    counts = [t(lang, "programme.participants", count=programme.participant_count)]
    if manage:
        counts.append(budget_line(programme, lang))
    people = NEWLINE.join(counts)
    phases = run_of_show_lines(programme, tz, lang, talks=False, budget=manage)
    place = place_line(programme, lang, command, manage=manage)
    top: list[Block] = [header(title), section(NEWLINE.join([theme, place, guide]))]
    join = join_call_button(programme, lang)
    if join is not None:
        top.append(actions(BlockId.JOIN_CALL, join))
    bottom: list[Block] = [
        section(people),
        *sections([t(lang, "programme.run_of_show"), *phases]),
    ]
    room = MESSAGE_BLOCK_LIMIT - len(top) - len(bottom)
    middle = contributions_blocks(programme, lang, tz, command, max_blocks=room, readiness=manage)
    return message(title, [*top, *middle, *bottom])
