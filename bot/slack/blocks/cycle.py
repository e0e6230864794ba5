"""The scheduled cycle's messages: guide call, announcement, reminders, overviews and the
run-of-show. Pure functions of a `Programme`; every button carries the meeting id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.domain.nudges import PreparationChanges
from bot.domain.programme import ContributionLine, Programme
from bot.domain.tour import AnswerView
from bot.enums import Language
from bot.i18n import format_day, format_time, format_when, t
from bot.slack.blocks.calendar import calendar_actions
from bot.slack.blocks.common import (
    MESSAGE_BLOCK_LIMIT,
    Block,
    Message,
    actions,
    button,
    context,
    header,
    message,
    plain_object,
    section,
    sections,
)
from bot.slack.blocks.contribution import contribution_label, guest_text
from bot.slack.blocks.place import place_actions, place_alert
from bot.slack.blocks.programme import (
    budget_line,
    contributions_blocks,
    fitted,
    join_call_button,
    more_line,
    place_line,
    run_of_show_parts,
    slot_text,
)
from bot.slack.blocks.tour import overview_tour
from bot.slack.ids import ActionId, BlockId, nudge_block_id
from bot.slack.text import NEWLINE, Mrkdwn, link


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


def _contribution(line: ContributionLine, lang: Language) -> list[Mrkdwn]:
    def render(title: object) -> Mrkdwn:
        return t(
            lang,
            "cycle.contribution.line",
            label=contribution_label(lang, line, title=title),
            minutes=line.duration_minutes,
        )

    return fitted(render, line)


def _contributions(lines: list[ContributionLine], lang: Language) -> list[Mrkdwn]:
    return [text for line in lines for text in _contribution(line, lang)]


def _place(programme: Programme, audience: Audience) -> Mrkdwn:
    return place_line(programme, audience.lang, audience.command)


def _join_actions(programme: Programme, lang: Language) -> list[Block]:
    join = join_call_button(programme, lang)
    return [actions(BlockId.JOIN_CALL, join)] if join is not None else []


def _value(programme: Programme) -> str:
    return str(programme.meeting_id)


def _calendar(programme: Programme, audience: Audience) -> Block:
    return calendar_actions(
        meeting_id=programme.meeting_id,
        starts_at=programme.starts_at,
        ends_at=programme.ends_at,
        theme=programme.theme,
        lang=audience.lang,
        tz=audience.tz,
        channel_id=audience.channel_id,
    )


def rotation_line(lang: Language, names: Sequence[str]) -> Block | None:
    """The fair rotation's suggestion: display names as plain text, so the call names
    whose turn it may be without pinging them. None when there is nobody to suggest."""
    if not names:
        return None
    return context(t(lang, "rotation.suggestion", names=", ".join(names)))


def build_guide_call(
    programme: Programme, audience: Audience, suggestion: Sequence[str] = ()
) -> Message:
    """The call for a guide, and what it becomes once someone took the role (the
    suggestion, `suggestion`'s display names, is then gone)."""
    lang = audience.lang
    title = t(
        lang, "cycle.guide_call.title", day=format_day(programme.starts_at, audience.tz, lang)
    )
    when = format_when(programme.starts_at, audience.tz, lang)
    if programme.guide_user_id:
        # The role is taken: the call names the guide and has nothing left to click.
        day = format_day(programme.starts_at, audience.tz, lang)
        title = t(lang, "living.guide_call.title_taken", day=day)
        return message(
            title,
            [
                header(title),
                section(t(lang, "living.guide_call.taken", user=programme.guide_user_id)),
                section(_theme(programme, lang)),
            ],
        )
    suggested = rotation_line(lang, suggestion)
    blocks: list[Block] = [
        header(title),
        section(t(lang, "cycle.guide_call.body", when=when)),
        section(_theme(programme, lang)),
        *([suggested] if suggested else []),
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
    top: list[Block] = [
        header(title),
        section(
            NEWLINE.join(
                [_theme(programme, lang), _place(programme, audience), _guide(programme, audience)]
            )
        ),
        section(read_up),
    ]
    buttons = [
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
    ]
    call = join_call_button(programme, lang)
    if call is not None:
        buttons.append(call)
    # The channel reads what is planned, not who is late nor the presentation time: those
    # are for the guide and the organisers (their overview and their App Home).
    bottom: list[Block] = [
        actions(BlockId.ACTIONS, *buttons),
        _calendar(programme, audience),
        context(t(lang, "cycle.announcement.hint", cmd=cmd)),
    ]
    room = MESSAGE_BLOCK_LIMIT - len(top) - len(bottom)
    middle = contributions_blocks(
        programme, lang, audience.tz, cmd, max_blocks=room, readiness=False
    )
    return message(title, [*top, *middle, *bottom])


def build_session_over(
    programme: Programme, audience: Audience, recap_link: str | None = None
) -> Message:
    """What the session's messages become once it was held (the guide call, the
    announcement, the contributors' reminders): it took place, with its theme and guide,
    and where its recap is; nothing is left to click."""
    lang = audience.lang
    title = t(lang, "living.held.title", when=format_when(programme.starts_at, audience.tz, lang))
    recap = (
        t(lang, "living.held.recap", recap=link(recap_link, t(lang, "living.held.recap_label")))
        if recap_link
        else t(lang, "living.held.thread")
    )
    # What the session was: its theme and guide, when it had them ("pas encore choisi"
    # would read oddly once it is over).
    guide = programme.guide_user_id
    lines = [
        *([_theme(programme, lang)] if programme.theme else []),
        *([t(lang, "programme.guide", user=guide)] if guide else []),
    ]
    summary = [section(NEWLINE.join(lines))] if lines else []
    return message(title, [header(title), *summary, section(recap)])


def _co_contributors(
    programme: Programme,
    others: list[ContributionLine],
    audience: Audience,
    *,
    max_blocks: int,
    hosting: bool,
) -> list[Block]:
    lang = audience.lang
    if not others:
        return [section(t(lang, "cycle.co.none", budget=programme.budget))]
    intro = t(lang, "cycle.co.intro.guest" if hosting else "cycle.co.intro")
    return sections(
        [intro, *_contributions(others, lang)],
        max_blocks=max_blocks,
        more=more_line(lang, audience.command),
    )


def _contributor_actions(
    programme: Programme, contribution: ContributionLine, lang: Language
) -> Block:
    """The ready button while the contribution is not ready, then "Modifier" (the one
    contribution form, prefilled) and "Retirer" (confirmed first)."""
    value = _value(programme)
    buttons: list[Block] = []
    if not contribution.ready:
        buttons.append(
            button(t(lang, "cycle.ready.button"), ActionId.MARK_READY, value, style="primary")
        )
    buttons.append(button(t(lang, "cycle.contributor.edit"), ActionId.EDIT_CONTRIBUTION, value))
    withdraw = button(t(lang, "cycle.contributor.withdraw"), ActionId.WITHDRAW_CONTRIBUTION, value)
    withdraw["confirm"] = {
        "title": plain_object(t(lang, "board.confirm.withdraw.title"), 100),
        "text": {
            "type": "mrkdwn",
            # Slack's limit for a confirmation's text; a long title is cut, never a token.
            "text": t(lang, "board.confirm.withdraw.text", title=contribution.title).truncate(300),
        },
        "confirm": plain_object(t(lang, "board.confirm.withdraw.confirm"), 30),
        "deny": plain_object(t(lang, "board.confirm.deny"), 30),
        "style": "danger",
    }
    buttons.append(withdraw)
    return actions(BlockId.ACTIONS, *buttons)


def _next_step(contribution: ContributionLine, *, last: bool) -> str:
    """What the contributor has to do now: prepare (J-7), mark it ready (J-1), welcome
    their guest, or nothing once it is ready."""
    if contribution.ready:
        return "cycle.step.guest_ready" if contribution.is_guest else "cycle.step.ready"
    if contribution.is_guest:
        return "cycle.step.guest_last" if last else "cycle.step.guest"
    return "cycle.step.last" if last else "cycle.step.prepare"


def build_contributor_reminder(
    programme: Programme,
    contribution: ContributionLine,
    others: list[ContributionLine],
    audience: Audience,
    *,
    last: bool = False,
) -> Message:
    """The J-7 DM (or, with `last`, the J-1 one). It opens with the contributor's slot and
    what to do now, with the buttons to do it (ready, edit, withdraw); then the session,
    the guide and whom to sync with."""
    lang = audience.lang
    day = format_day(programme.starts_at, audience.tz, lang)
    index = next((i for i, c in enumerate(programme.contributions) if c.id == contribution.id), -1)
    slot = programme.slot_of(index)
    params = {
        "channel": audience.channel_id,
        "when": format_when(programme.starts_at, audience.tz, lang),
        "kind": t(lang, f"kind.{contribution.kind.value}"),
        "title": link(contribution.link, contribution.title),
        "minutes": contribution.duration_minutes,
    }
    prefix = "cycle.last" if last else "cycle.contributor"
    body_key = f"{prefix}.body"
    if contribution.is_guest:
        # The guest presents; the member who invited them welcomes and briefs them.
        body_key = f"{prefix}.body.guest"
        params["guest"] = guest_text(lang, contribution)
    title = t(lang, f"{prefix}.title", day=day)
    guide = (
        t(lang, "cycle.contributor.guide", user=programme.guide_user_id)
        if programme.guide_user_id
        else t(lang, "cycle.contributor.guide.none")
    )
    # A ready contributor is told they are all set, never asked to prepare. A host still
    # has a guest to welcome, which their message is about either way.
    if contribution.ready and not contribution.is_guest:
        body_key = "living.contributor.body.ready"
    # Every contribution has a slot in the run-of-show (one per contribution, in order).
    lead = (
        t(lang, "cycle.contributor.slot", slot=slot_text(slot, audience.tz, lang), day=day)
        if slot is not None
        else t(lang, "cycle.contributor.slot.day", day=day)
    )
    step = t(lang, _next_step(contribution, last=last), title=contribution.title)
    top: list[Block] = [
        header(title),
        section(NEWLINE.join([lead, step])),
        _contributor_actions(programme, contribution, lang),
        section(NEWLINE.join([t(lang, body_key, **params), _place(programme, audience)])),
        *_join_actions(programme, lang),
    ]
    bottom: list[Block] = [section(NEWLINE.join([guide, budget_line(programme, lang)]))]
    if contribution.ready:
        bottom.append(context(t(lang, "living.ready.done")))
    else:
        bottom.append(
            context(t(lang, "cycle.ready.hint", cmd=audience.command, channel=audience.channel_id))
        )
    bottom.append(_calendar(programme, audience))
    room = MESSAGE_BLOCK_LIMIT - len(top) - len(bottom)
    middle = _co_contributors(
        programme, others, audience, max_blocks=room, hosting=contribution.is_guest
    )
    return message(title, [*top, *middle, *bottom])


def _overview_tip(ready: list[ContributionLine], waiting: list[ContributionLine]) -> str:
    if waiting:
        return "cycle.overview.tip"  # someone to chase
    return "living.overview.all_set" if ready else "living.overview.lead"


def _changes_blocks(changes: PreparationChanges | None, lang: Language) -> list[Block]:
    """What moved since the J-7 overview (the last overview only)."""
    if changes is None:
        return []
    if changes.empty:
        return [section(t(lang, "cycle.overview.changes.none"))]
    lines = [t(lang, "cycle.overview.changes")]
    for key, items in (
        ("cycle.overview.changes.added", changes.added),
        ("cycle.overview.changes.withdrawn", changes.withdrawn),
        ("cycle.overview.changes.ready", changes.ready),
    ):
        lines += [t(lang, key, title=c.title, user=c.author_user_id) for c in items]
    return sections(lines, max_blocks=2)


def _nudge_blocks(
    waiting: list[ContributionLine],
    lang: Language,
    *,
    max_blocks: int,
    more: Callable[[int], Mrkdwn],
) -> list[Block]:
    """One line per contribution not ready, each with its "Relancer" button."""
    blocks: list[Block] = [section(t(lang, "cycle.overview.not_ready", count=len(waiting)))]
    room = max(1, max_blocks - 2)
    for line in waiting[:room]:
        block = section(_contribution(line, lang)[0], block_id=nudge_block_id(line.id))
        block["accessory"] = button(
            t(lang, "cycle.overview.nudge"), ActionId.NUDGE_CONTRIBUTOR, str(line.id)
        )
        blocks.append(block)
    if len(waiting) > room:
        blocks.append(context(more(len(waiting) - room)))
    return blocks


def build_guide_overview(
    programme: Programme,
    audience: Audience,
    *,
    lead_minutes: int,
    last: bool = False,
    needs: Sequence[AnswerView] = (),
    tour_answers: int | None = None,
    changes: PreparationChanges | None = None,
    tomorrow: bool = False,
) -> Message:
    """The guide's readiness overview: who is ready, who is not, the time budget, and
    the tour de table so far (`tour_answers`, once its invitation is out: how many
    answered, and the needs). The last one (`last`) says "demain" when the session is
    the next day (`tomorrow`: a Monday session's reminder goes out on the Friday
    before), what changed since the first (`changes`), and puts a "Relancer" button
    beside each contribution not ready."""
    lang = audience.lang
    day = format_day(programme.starts_at, audience.tz, lang)
    title_key = "cycle.last_overview.title" if last else "cycle.overview.title"
    if last and tomorrow:
        title_key = "cycle.last_overview.title.tomorrow"
    title = t(lang, title_key, day=day)
    intro = t(
        lang,
        "cycle.overview.intro.tomorrow" if last and tomorrow else "cycle.overview.intro",
        when=format_when(programme.starts_at, audience.tz, lang),
        channel=audience.channel_id,
    )
    top: list[Block] = [header(title)]
    if last and not programme.place:
        # The day before, a missing place comes first: members do not know where to go.
        top += [place_alert(lang), place_actions(lang, programme.meeting_id, urgent=True)]
    top += [section(intro), *_changes_blocks(changes, lang)]
    needs_blocks = overview_tour(lang, needs, answers=tour_answers, lead_minutes=lead_minutes)
    ready = [c for c in programme.contributions if c.ready]
    waiting = [c for c in programme.contributions if not c.ready]
    tip = _overview_tip(ready, waiting)
    if last and waiting:
        tip = "cycle.overview.nudge.tip"
    bottom: list[Block] = [
        section(
            NEWLINE.join(
                [
                    _theme(programme, lang),
                    _place(programme, audience),
                    budget_line(programme, lang),
                    t(lang, "programme.participants", count=programme.participant_count),
                ]
            )
        ),
        # The guide may set the place: a button rather than a command to remember (once,
        # at the top, when the J-1 alert already carries it).
        *([place_actions(lang, programme.meeting_id)] if not programme.place and not last else []),
        *needs_blocks,
        _calendar(programme, audience),
        # Asks for action only when there is something to do.
        context(t(lang, tip, lead=lead_minutes)),
    ]
    middle: list[Block] = []
    if programme.contributions:
        room = MESSAGE_BLOCK_LIMIT - len(top) - len(bottom)
        more = more_line(lang, audience.command)
        # Only the lists that have someone in them: no "in preparation: nobody" before a
        # call to chase. Each gets room in proportion to its length.
        if ready:
            share = round(room * len(ready) / len(programme.contributions))
            ready_room = max(1, min(room - 1, share)) if waiting else room
            if last and waiting:
                ready_room = max(1, min(room - 3, share))
            middle += sections(
                [t(lang, "cycle.overview.ready", count=len(ready)), *_contributions(ready, lang)],
                max_blocks=ready_room,
                more=more,
            )
        if waiting and last:
            middle += _nudge_blocks(waiting, lang, max_blocks=room - len(middle), more=more)
        elif waiting:
            middle += sections(
                [
                    t(lang, "cycle.overview.not_ready", count=len(waiting)),
                    *_contributions(waiting, lang),
                ],
                max_blocks=room - len(middle),
                more=more,
            )
    else:
        middle.append(section(t(lang, "cycle.overview.none", cmd=audience.command)))
    return message(title, [*top, *middle, *bottom])


def build_nudge(
    programme: Programme, contribution: ContributionLine, guide: str, audience: Audience
) -> Message:
    """The friendly nudge the guide's "Relancer" sends: who asks, about what, and the
    ready button."""
    lang = audience.lang
    text = t(
        lang,
        "nudge.dm",
        guide=guide,
        when=format_when(programme.starts_at, audience.tz, lang),
        channel=audience.channel_id,
        title=contribution.title,
    )
    ready = button(
        t(lang, "cycle.ready.button"), ActionId.MARK_READY, _value(programme), style="primary"
    )
    edit = button(t(lang, "cycle.contributor.edit"), ActionId.EDIT_CONTRIBUTION, _value(programme))
    return message(text, [section(text), actions(BlockId.ACTIONS, ready, edit)])


def build_run_of_show(programme: Programme, audience: Audience) -> Message:
    """Posted shortly before the start: clock time per phase with the four tour-de-table
    questions, a slot per contribution in speaking order, and the budget."""
    lang = audience.lang
    title = t(
        lang,
        "cycle.run_of_show.title",
        time=format_time(programme.starts_at, audience.tz, lang),
    )
    # Posted in the channel: the slots, not the presentation time against the budget.
    head, tail = run_of_show_parts(programme, audience.tz, lang, budget=False)
    top: list[Block] = [
        header(title),
        section(
            NEWLINE.join(
                [_theme(programme, lang), _place(programme, audience), _guide(programme, audience)]
            )
        ),
        *_join_actions(programme, lang),
    ]
    bottom: list[Block] = (
        [] if programme.contributions else [section(t(lang, "cycle.run_of_show.order.none"))]
    )
    room = MESSAGE_BLOCK_LIMIT - len(top) - len(bottom)
    middle = sections(
        [t(lang, "programme.run_of_show"), *head],
        max_blocks=room,
        more=more_line(lang, audience.command),
        tail=tail,
    )
    return message(title, [*top, *middle, *bottom])


def build_participant_reminder(programme: Programme, audience: Audience) -> Message:
    """The J-1 DM to a member who said they would come: when, where (a video link as a
    "Rejoindre" button), and the theme. Not worded as "tomorrow": on working days a
    Monday session's reminder goes out on the Friday before."""
    lang = audience.lang
    day = format_day(programme.starts_at, audience.tz, lang)
    title = t(lang, "participant.reminder.title", day=day)
    when = format_when(programme.starts_at, audience.tz, lang)
    body = NEWLINE.join(
        [
            t(lang, "participant.reminder.body", when=when),
            _theme(programme, lang),
            _place(programme, audience),
        ]
    )
    return message(
        title,
        [
            header(title),
            section(body),
            *_join_actions(programme, lang),
            _calendar(programme, audience),
        ],
    )
