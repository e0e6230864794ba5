"""The theme poll, the session-end message and the poll result, as Block Kit messages."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.polls import CloseOutcome, PollClosure, PollView
from bot.domain.rollover import SessionEnd
from bot.enums import Language, PollStatus
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
)
from bot.slack.blocks.cycle import rotation_line
from bot.slack.ids import ActionId, BlockId
from bot.slack.text import NEWLINE, Mrkdwn, link, mention


def votes_label(lang: Language, count: int) -> Mrkdwn:
    """'0 vote', '1 vote', '2 votes' in French; '1 vote', '0 votes' in English."""
    singular = count < 2 if lang is Language.FR else count == 1
    return t(lang, "poll.votes.one" if singular else "poll.votes.many", count=count)


def option_line(lang: Language, emoji: str, text: str, proposed_by_name: str | None) -> Mrkdwn:
    """One option, its proposer named as text, never mentioned: a poll of ten options
    must not ping ten people. A proposer Slack could not name is left out."""
    if not proposed_by_name:
        return t(lang, "living.poll.option.unnamed", emoji=f":{emoji}:", text=text)
    return t(lang, "living.poll.option", emoji=f":{emoji}:", text=text, name=proposed_by_name)


def poll_blocks(
    poll: PollView, lang: Language, tz: str, *, result_link: str | None = None
) -> list[Block]:
    """The vote itself: one line per option with its emoji and its votes so far (the
    bot's own reactions are not votes), the rule, the closing time; once closed, that it
    is, with a link to the result when it is posted."""
    blocks: list[Block] = [section(t(lang, "poll.intro"))]
    blocks += [
        section(
            t(
                lang,
                "poll.option.count",
                option=option_line(lang, o.emoji, o.text, o.proposed_by_name),
                votes=votes_label(lang, poll.votes_for(o.position)),
            )
        )
        for o in poll.options
    ]
    if poll.left_out:
        blocks.append(
            context(
                t(
                    lang,
                    "poll.rule.more_than_ten",
                    total=len(poll.options) + poll.left_out,
                    left=poll.left_out,
                )
            )
        )
    if poll.status != PollStatus.OPEN:
        closed = (
            t(
                lang,
                "living.poll.closed.result",
                result=link(result_link, t(lang, "living.poll.result_link")),
            )
            if result_link
            else t(lang, "living.poll.closed")
        )
        blocks.append(section(closed))
    else:
        blocks.append(section(t(lang, "poll.closes", when=format_when(poll.closes_at, tz, lang))))
    return blocks


def _fallback(title: str, poll: PollView | None) -> Mrkdwn:
    lines = [title]
    if poll is not None:
        lines += [Mrkdwn(f":{o.emoji}: ") + o.text for o in poll.options]
    return NEWLINE.join(lines)


def build_poll(
    poll: PollView,
    lang: Language,
    tz: str,
    *,
    opened_by: str | None,
    result_link: str | None = None,
) -> Message:
    """The poll opened on demand (`sondage`)."""
    title = t(lang, "poll.title")
    blocks = [header(title), *poll_blocks(poll, lang, tz, result_link=result_link)]
    if opened_by:
        blocks.append(context(t(lang, "poll.opened_by", user=opened_by)))
    return message(_fallback(title, poll), blocks)


def build_session_end(
    end: SessionEnd,
    lang: Language,
    tz: str,
    command: str,
    suggestion: Sequence[str] = (),
    *,
    recap: Sequence[Block] = (),
) -> Message:
    """One message at a session's end, short after its recap: the recap (`recap`,
    `history.recap_blocks`: the channel's own post, not a reply in a week-old thread,
    names and no pings), the thanks and the call for next session's roles with the
    buttons to take them. The poll is its own message, posted right after this one
    (`build_poll`); here one line points to it (or calls for proposals). While nobody
    guides the next session, the fair rotation's suggestion (`suggestion`: display
    names, never mentions). An end message posted with the poll inside it, before the
    poll had its own, keeps it when rewritten."""
    title = t(lang, "session_end.title")
    # The recap opens with when the session was: the thanks' own line would repeat it.
    intro = (
        []
        if recap
        else [t(lang, "session_end.intro", when=format_when(end.held_starts_at, tz, lang))]
    )
    inline: list[Block] = []
    if end.poll is not None and end.poll_inline:
        poll = poll_blocks(end.poll, lang, tz, result_link=end.result_link)
        inline = [divider(), header(t(lang, "poll.title")), *poll, divider()]
    elif end.poll is not None:
        intro.append(t(lang, "session_end.poll_below"))
    elif end.running_poll_closes_at is not None:
        when = format_when(end.running_poll_closes_at, tz, lang)
        intro.append(t(lang, "session_end.poll_running", when=when))
    elif end.poll_enabled:
        intro.append(t(lang, "session_end.call_for_proposals", cmd=command))
    blocks: list[Block] = [header(title), *recap]
    if recap and (intro or not inline):
        blocks.append(divider())
    if intro:
        blocks.append(section(NEWLINE.join(intro)))
    blocks += inline
    if end.next_meeting_id is not None and end.next_starts_at is not None:
        when = format_when(end.next_starts_at, tz, lang)
        value = str(end.next_meeting_id)
        contribute = button(
            t(lang, "session_end.button.contribute"), ActionId.OPEN_CONTRIBUTION, value
        )
        roles = t(lang, "session_end.roles", when=when)
        if end.next_guide_user_id:
            # The guide role is taken: named, and its button gone.
            guide_line = t(lang, "living.session_end.guide", user=end.next_guide_user_id)
            blocks += [
                section(NEWLINE.join([roles, guide_line])),
                actions(BlockId.ACTIONS, contribute),
            ]
        else:
            guide = button(
                t(lang, "session_end.button.guide"), ActionId.CLAIM_GUIDE, value, "primary"
            )
            suggested = rotation_line(lang, suggestion)
            blocks += [
                section(roles),
                *([suggested] if suggested else []),
                actions(BlockId.ACTIONS, guide, contribute),
            ]
    else:
        blocks.append(section(t(lang, "session_end.no_next", cmd=command)))
    return message(_fallback(title, end.poll if end.poll_inline else None), blocks)


def _people(lang: Language, user_ids: tuple[str, ...]) -> Mrkdwn:
    if not user_ids:
        return t(lang, "poll.result.ask.nobody")
    return Mrkdwn(", ").join(mention(u) for u in user_ids)


def build_poll_result(closure: PollClosure, lang: Language, tz: str, command: str) -> Message:
    """Every option's count, the winner (and the tie rule when it decided), or whom to ask."""
    title = t(lang, "poll.result.title")
    poll = closure.poll
    blocks: list[Block] = [header(title)]
    lines: list[str] = []
    if closure.result is not None:
        lines = [
            t(
                lang,
                "poll.result.line",
                emoji=f":{o.emoji}:",
                text=o.text,
                votes=votes_label(lang, closure.result.count_of(o.position)),
            )
            for o in poll.options
        ]
        blocks.append(section(NEWLINE.join(lines)))
    summary: list[str] = []
    if closure.outcome is CloseOutcome.DECIDED and closure.winner is not None:
        summary.append(t(lang, "poll.result.winner", text=closure.winner.text))
        if closure.result is not None and closure.result.tie:
            emojis = ", ".join(
                f":{poll.option_at(p).emoji}:" for p in closure.result.tied_positions
            )
            summary.append(t(lang, "poll.result.tie", emojis=emojis))
        if closure.themed_meeting_starts_at is not None:
            when = format_when(closure.themed_meeting_starts_at, tz, lang)
            summary.append(t(lang, "poll.result.theme_set", when=when))
        else:
            summary.append(t(lang, "poll.result.no_session", cmd=command))
    else:
        key = (
            "poll.result.no_votes"
            if closure.outcome is CloseOutcome.NO_VOTES
            else "poll.result.unreadable"
        )
        summary.append(t(lang, key, people=_people(lang, closure.ask_user_ids), cmd=command))
    blocks.append(section(NEWLINE.join(summary)))
    if closure.from_events:
        blocks.append(context(t(lang, "poll.result.from_events")))
    fallback = NEWLINE.join([title, *lines, *summary])
    return message(fallback, blocks)
