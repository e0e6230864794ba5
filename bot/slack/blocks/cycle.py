"""The scheduled cycle's messages: guide call, announcement, reminders, overviews and the
run-of-show. Pure functions of a `Programme`; every button carries the meeting id."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.agenda import PRESENTATION_BUDGET_MINUTES
from bot.domain.programme import ContributionLine, Programme
from bot.enums import Language
from bot.i18n import format_day, format_time, format_when, t
from bot.slack.blocks.common import (
    Block,
    Message,
    actions,
    button,
    context,
    header,
    message,
    section,
)
from bot.slack.blocks.programme import (
    budget_line,
    contribution_lines,
    contributions_text,
    run_of_show_lines,
)
from bot.slack.ids import ActionId, BlockId
from bot.slack.text import NEWLINE, Mrkdwn


@dataclass(frozen=True)
class Audience:
    """How to write for a group: its language, time zone, command and channel."""

    lang: Language
    tz: str
    command: str
    channel_id: str


def _theme(programme: Programme, lang: Language) -> Mrkdwn:
    if programme.theme:
        return t(lang, "cycle.theme", theme=programme.theme)
    return t(lang, "cycle.theme.none")


def _guide(programme: Programme, audience: Audience) -> Mrkdwn:
    if programme.guide_user_id:
        return t(audience.lang, "programme.guide", user=programme.guide_user_id)
    return t(audience.lang, "programme.guide.none", cmd=audience.command)


def _contribution(line: ContributionLine, lang: Language) -> Mrkdwn:
    return t(
        lang,
        "cycle.contribution.line",
        author=line.author_user_id,
        kind=t(lang, f"kind.{line.kind.value}"),
        title=line.title,
        minutes=line.duration_minutes,
    )


def _value(programme: Programme) -> str:
    return str(programme.meeting_id)


def build_guide_call(programme: Programme, audience: Audience) -> Message:
    lang = audience.lang
    title = t(
        lang, "cycle.guide_call.title", day=format_day(programme.starts_at, audience.tz, lang)
    )
    when = format_when(programme.starts_at, audience.tz, lang)
    blocks: list[Block] = [
        header(title),
        section(t(lang, "cycle.guide_call.body", when=when)),
        section(_theme(programme, lang)),
        actions(
            BlockId.ACTIONS,
            button(
                t(lang, "cycle.guide_call.button"),
                ActionId.CLAIM_GUIDE,
                _value(programme),
                style="primary",
            ),
        ),
        context(t(lang, "cycle.guide_call.hint", cmd=audience.command)),
    ]
    return message(title, blocks)


def build_announcement(programme: Programme, audience: Audience) -> Message:
    lang, cmd = audience.lang, audience.command
    when = format_when(programme.starts_at, audience.tz, lang)
    title = t(lang, "cycle.announcement.title", when=when)
    read_up = (
        t(lang, "cycle.announcement.read_up", theme=programme.theme)
        if programme.theme
        else t(lang, "cycle.announcement.read_up.none", cmd=cmd)
    )
    contributions = contributions_text(programme, lang, cmd)
    blocks: list[Block] = [
        header(title),
        section(NEWLINE.join([_theme(programme, lang), _guide(programme, audience)])),
        section(read_up),
        section(NEWLINE.join([contributions, budget_line(programme, lang)])),
        actions(
            BlockId.ACTIONS,
            button(
                t(lang, "cycle.announcement.join"),
                ActionId.JOIN,
                _value(programme),
                style="primary",
            ),
            button(
                t(lang, "cycle.announcement.contribute"),
                ActionId.OPEN_CONTRIBUTION,
                _value(programme),
            ),
            # The roles modal: every role of the session in one place.
            button(t(lang, "home.open_roles"), ActionId.ROLES_OPEN, _value(programme)),
        ),
        context(t(lang, "cycle.announcement.hint", cmd=cmd)),
    ]
    return message(title, blocks)


def _co_contributors(others: list[ContributionLine], lang: Language) -> Mrkdwn:
    if not others:
        return t(lang, "cycle.co.none", budget=PRESENTATION_BUDGET_MINUTES)
    return NEWLINE.join([t(lang, "cycle.co.intro"), *(_contribution(c, lang) for c in others)])


def build_contributor_reminder(
    programme: Programme,
    contribution: ContributionLine,
    others: list[ContributionLine],
    audience: Audience,
    *,
    last: bool = False,
) -> Message:
    """The J-7 DM (or, with `last`, the J-1 one): what to prepare, whom to sync with, and
    the ready button while the contribution is not marked ready."""
    lang = audience.lang
    day = format_day(programme.starts_at, audience.tz, lang)
    params = {
        "channel": audience.channel_id,
        "when": format_when(programme.starts_at, audience.tz, lang),
        "kind": t(lang, f"kind.{contribution.kind.value}"),
        "title": contribution.title,
        "minutes": contribution.duration_minutes,
    }
    prefix = "cycle.last" if last else "cycle.contributor"
    title = t(lang, f"{prefix}.title", day=day)
    guide = (
        t(lang, "cycle.contributor.guide", user=programme.guide_user_id)
        if programme.guide_user_id
        else t(lang, "cycle.contributor.guide.none")
    )
    blocks: list[Block] = [
        header(title),
        section(t(lang, f"{prefix}.body", **params)),
        section(_co_contributors(others, lang)),
        section(NEWLINE.join([guide, budget_line(programme, lang)])),
    ]
    if contribution.ready:
        blocks.append(context(t(lang, "cycle.contributor.already_ready")))
    else:
        blocks += [
            actions(
                BlockId.ACTIONS,
                button(
                    t(lang, "cycle.ready.button"),
                    ActionId.MARK_READY,
                    _value(programme),
                    style="primary",
                ),
            ),
            context(t(lang, "cycle.ready.hint", cmd=audience.command, channel=audience.channel_id)),
        ]
    return message(title, blocks)


def build_guide_overview(
    programme: Programme, audience: Audience, *, lead_minutes: int, last: bool = False
) -> Message:
    """The guide's readiness overview: who is ready, who is not, and the time budget."""
    lang = audience.lang
    day = format_day(programme.starts_at, audience.tz, lang)
    title = t(lang, "cycle.last_overview.title" if last else "cycle.overview.title", day=day)
    intro = t(
        lang,
        "cycle.overview.intro",
        when=format_when(programme.starts_at, audience.tz, lang),
        channel=audience.channel_id,
    )
    blocks: list[Block] = [header(title), section(intro)]
    if programme.contributions:
        ready = [c for c in programme.contributions if c.ready]
        waiting = [c for c in programme.contributions if not c.ready]
        nobody = t(lang, "cycle.overview.nobody")
        blocks += [
            section(
                NEWLINE.join(
                    [
                        t(lang, "cycle.overview.ready", count=len(ready)),
                        *([_contribution(c, lang) for c in ready] or [nobody]),
                    ]
                )
            ),
            section(
                NEWLINE.join(
                    [
                        t(lang, "cycle.overview.not_ready", count=len(waiting)),
                        *([_contribution(c, lang) for c in waiting] or [nobody]),
                    ]
                )
            ),
        ]
    else:
        blocks.append(section(t(lang, "cycle.overview.none", cmd=audience.command)))
    blocks += [
        section(
            NEWLINE.join(
                [
                    _theme(programme, lang),
                    budget_line(programme, lang),
                    t(lang, "programme.participants", count=programme.participant_count),
                ]
            )
        ),
        context(t(lang, "cycle.overview.tip", lead=lead_minutes)),
    ]
    return message(title, blocks)


def build_run_of_show(programme: Programme, audience: Audience) -> Message:
    """Posted shortly before the start: clock time per phase with the four tour-de-table
    questions, then the contributions in speaking order and the budget."""
    lang = audience.lang
    title = t(
        lang,
        "cycle.run_of_show.title",
        time=format_time(programme.starts_at, audience.tz, lang),
    )
    phases = run_of_show_lines(programme.phases, programme.ends_at, audience.tz, lang)
    if programme.contributions:
        order = NEWLINE.join(
            [
                t(lang, "cycle.run_of_show.order"),
                *contribution_lines(programme, lang),
                budget_line(programme, lang),
            ]
        )
    else:
        order = t(lang, "cycle.run_of_show.order.none")
    blocks: list[Block] = [
        header(title),
        section(NEWLINE.join([_theme(programme, lang), _guide(programme, audience)])),
        section(NEWLINE.join([t(lang, "programme.run_of_show"), *phases])),
        section(order),
    ]
    return message(title, blocks)
