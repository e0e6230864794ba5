"""The async tour de table's messages and modal: the invitation DM, the four questions,
the answers compiled for the guide and for the session's thread, and the "Je peux aider"
DM. Pure functions of plain values; member text is escaped by `t()` and `section()`.

The guide's DM names members with mentions: it is a conversation between the bot and
the guide, so nobody mentioned there is notified. The thread is in the channel: its
authors are written as names (`AuthorName`), never as mentions, so publishing twenty
answers pings nobody.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.agenda import TOUR_QUESTIONS
from bot.domain.tour import FIELDS, MAX_LENGTHS, Answers, AnswerView, HomeTour
from bot.enums import Language
from bot.i18n import format_day, format_day_time, format_when, t
from bot.slack.blocks.common import (
    MESSAGE_BLOCK_LIMIT,
    Block,
    Message,
    actions,
    button,
    context,
    header,
    message,
    mrkdwn,
    plain_object,
    section,
    sections,
)
from bot.slack.ids import ActionId, BlockId, CallbackId, tour_home_block_id, tour_need_block_id
from bot.slack.text import NEWLINE, Mrkdwn, escape
from bot.slack.view_parsing import row_id

View = dict[str, Any]

QUESTION_KEYS: dict[str, str] = dict(zip(FIELDS, TOUR_QUESTIONS, strict=True))
ANSWER_KEYS: dict[str, str] = {name: f"tour.answer.{name}" for name in FIELDS}
INPUTS: dict[str, tuple[BlockId, ActionId]] = {
    "feeling": (BlockId.TOUR_FEELING, ActionId.TOUR_FEELING),
    "doing": (BlockId.TOUR_DOING, ActionId.TOUR_DOING),
    "learned": (BlockId.TOUR_LEARNED, ActionId.TOUR_LEARNED),
    "needs": (BlockId.TOUR_NEEDS, ActionId.TOUR_NEEDS),
}
SHARE_VALUE = "share"


@dataclass(frozen=True)
class TourSession:
    """Where and when the answers are for, as the group reads it."""

    meeting_id: int
    group_id: int
    channel_id: str
    starts_at: datetime
    lang: Language
    tz: str


@dataclass(frozen=True)
class AuthorName:
    """An answer with the name its author shows in Slack ("" when unknown)."""

    answer: AnswerView
    name: str


# --- the invitation ------------------------------------------------------------------


def build_tour_invitation(
    where: TourSession, *, answered: bool = False, closed: bool = False
) -> Message:
    """The J-2 DM: the four questions, until when they can be answered, who reads the
    answers, and the buttons that fit its reader: "Répondre" first; once they answered,
    "Modifier" and "Supprimer mes réponses" instead; and the way to stop receiving it in
    this group, said in full. Rewritten when its reader answers or deletes (the refresh
    of `TourAnswered`). Once the session has begun (`closed`) it says so and no longer
    offers to answer or edit."""
    lang = where.lang
    title = t(lang, "tour.invite.title", day=format_day(where.starts_at, where.tz, lang))
    questions = NEWLINE.join(
        t(lang, "tour.question.line", question=t(lang, key)) for key in TOUR_QUESTIONS
    )
    intro = t(
        lang,
        "tour.invite.intro",
        channel=where.channel_id,
        when=format_when(where.starts_at, where.tz, lang),
    )
    if closed:
        status = t(lang, "tour.invite.closed")
    elif answered:
        status = t(
            lang, "tour.invite.answered", until=format_day_time(where.starts_at, where.tz, lang)
        )
    else:
        status = t(
            lang, "tour.invite.deadline", until=format_day_time(where.starts_at, where.tz, lang)
        )
    meeting = str(where.meeting_id)
    buttons: list[Block] = []
    if not closed:
        if answered:
            buttons.append(button(t(lang, "tour.invite.edit"), ActionId.TOUR_ANSWER, meeting))
        else:
            buttons.append(
                button(t(lang, "tour.invite.answer"), ActionId.TOUR_ANSWER, meeting, "primary")
            )
    if answered:
        buttons.append(button(t(lang, "tour.invite.delete"), ActionId.TOUR_DELETE, meeting))
    buttons.append(
        button(t(lang, "tour.invite.opt_out"), ActionId.TOUR_OPT_OUT, str(where.group_id))
    )
    return message(
        title,
        [
            header(title),
            section(intro),
            section(questions),
            section(status),
            actions(BlockId.TOUR_ACTIONS, *buttons),
            context(t(lang, "tour.invite.privacy")),
        ],
    )


def build_opted_out(lang: Language, *, channel_id: str, group_id: int, new: bool) -> Message:
    """The answer to "Ne plus recevoir", with the way back."""
    text = t(lang, "tour.opted_out" if new else "tour.opted_out.already", channel=channel_id)
    return message(
        text,
        [
            section(text),
            actions(
                BlockId.TOUR_ACTIONS,
                button(t(lang, "tour.opt_in"), ActionId.TOUR_OPT_IN, str(group_id)),
            ),
        ],
    )


# --- the modal -----------------------------------------------------------------------


def build_tour_modal(where: TourSession, existing: Answers | None) -> View:
    """Four optional multiline answers within their limits, and "share with the group";
    prefilled with what the member saved before."""
    lang = where.lang
    blocks: list[Block] = [
        section(
            t(
                lang,
                "tour.modal.intro",
                channel=where.channel_id,
                when=format_when(where.starts_at, where.tz, lang),
            )
        )
    ]
    for name in FIELDS:
        block_id, action_id = INPUTS[name]
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": action_id,
            "multiline": True,
            "max_length": MAX_LENGTHS[name],
        }
        value = getattr(existing, name) if existing is not None else ""
        if value:
            element["initial_value"] = value
        blocks.append(
            {
                "type": "input",
                "block_id": block_id,
                "optional": True,
                "label": plain_object(t(lang, QUESTION_KEYS[name]), 2000),
                "hint": plain_object(t(lang, "tour.modal.hint", limit=MAX_LENGTHS[name]), 2000),
                "element": element,
            }
        )
    option = {"text": plain_object(t(lang, "tour.modal.share.option"), 75), "value": SHARE_VALUE}
    checkboxes: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": ActionId.TOUR_SHARE,
        "options": [option],
    }
    if existing is not None and existing.share_with_group:
        checkboxes["initial_options"] = [option]
    blocks.append(
        {
            "type": "input",
            "block_id": BlockId.TOUR_SHARE,
            "optional": True,
            "label": plain_object(t(lang, "tour.modal.share.label"), 2000),
            "hint": plain_object(t(lang, "tour.modal.share.hint"), 2000),
            "element": checkboxes,
        }
    )
    return {
        "type": "modal",
        "callback_id": CallbackId.TOUR_MODAL,
        "private_metadata": json.dumps(
            {"meeting_id": where.meeting_id, "channel_id": where.channel_id}
        ),
        "title": plain_object(t(lang, "tour.modal.title"), 24),
        "submit": plain_object(t(lang, "tour.modal.submit"), 24),
        "close": plain_object(t(lang, "tour.modal.close"), 24),
        "blocks": blocks,
    }


def read_tour_state(values: dict[str, dict[str, dict[str, Any]]]) -> dict[str, object]:
    """`view.state.values` -> {field: text, "share": bool}; a missing or malformed entry
    reads as empty, for the domain to judge."""
    raw: dict[str, object] = {}
    for name, (block_id, action_id) in INPUTS.items():
        state = (values.get(block_id) or {}).get(action_id) or {}
        value = state.get("value") if isinstance(state, dict) else None
        raw[name] = value if isinstance(value, str) else ""
    share = (values.get(BlockId.TOUR_SHARE) or {}).get(ActionId.TOUR_SHARE) or {}
    selected = share.get("selected_options") if isinstance(share, dict) else None
    raw["share"] = any(
        isinstance(o, dict) and o.get("value") == SHARE_VALUE for o in (selected or [])
    )
    return raw


def tour_metadata(view: dict[str, Any]) -> tuple[int, str] | None:
    """(meeting id, channel id) from the modal's private_metadata; None if unreadable."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
        meeting = data.get("meeting_id")
        channel = data.get("channel_id")
    except (ValueError, AttributeError, RecursionError):
        return None
    meeting_id = row_id(meeting) if type(meeting) is int else None
    if meeting_id is None or not isinstance(channel, str):
        return None
    return meeting_id, channel


def input_block(name: str) -> str:
    return INPUTS[name][0].value


def build_tour_saved(lang: Language, *, created: bool, shared: bool, lead_minutes: int) -> View:
    """What the modal turns into once saved (`response_action: update`)."""
    text = NEWLINE.join(
        [
            t(lang, "tour.saved.created" if created else "tour.saved.updated"),
            t(lang, "tour.saved.shared", minutes=lead_minutes)
            if shared
            else t(lang, "tour.saved.private"),
            t(lang, "tour.saved.edit"),
        ]
    )
    return {
        "type": "modal",
        "callback_id": CallbackId.TOUR_MODAL,
        "title": plain_object(t(lang, "tour.saved.title"), 24),
        "close": plain_object(t(lang, "tour.saved.close"), 24),
        "blocks": [section(text)],
    }


# --- the answers, compiled -------------------------------------------------------------


def answer_lines(lang: Language, answers: Answers) -> list[Mrkdwn]:
    """One line per answered question, the need last (and marked)."""
    return [
        t(lang, ANSWER_KEYS[name], text=getattr(answers, name))
        for name in FIELDS
        if getattr(answers, name)
    ]


def build_tour_digest(where: TourSession, answers: Sequence[AnswerView]) -> Message:
    """The guide's DM: every answer, shared or not (marked), needs first in the count."""
    lang = where.lang
    when = format_when(where.starts_at, where.tz, lang)
    title = t(lang, "tour.digest.title")
    if not answers:
        text = t(lang, "tour.digest.none", channel=where.channel_id, when=when)
        return message(text, [header(title), section(text)])
    needs = sum(1 for a in answers if a.needs)
    intro = t(
        lang,
        "tour.digest.intro",
        count=len(answers),
        needs=needs,
        channel=where.channel_id,
        when=when,
    )
    members = [
        NEWLINE.join(
            [
                t(
                    lang,
                    "tour.digest.author" if a.share_with_group else "tour.digest.author.private",
                    user=a.user_id,
                ),
                *answer_lines(lang, a.answers),
            ]
        )
        for a in answers
    ]
    # One member per section, so the guide reads them one by one.
    room = MESSAGE_BLOCK_LIMIT - 3
    body = [section(text) for text in members[:room]]
    if len(members) > room:
        body.append(context(t(lang, "tour.digest.more", count=len(members) - room)))
    return message(intro, [header(title), section(intro), *body])


def build_tour_thread(lang: Language, shared: Sequence[AuthorName]) -> Message | None:
    """The reply in the session's thread: the shared answers, authors named without a
    mention, each need with its "Je peux aider" button. None when nobody shared."""
    if not shared:
        return None
    title = t(lang, "tour.thread.title", count=len(shared))
    room = MESSAGE_BLOCK_LIMIT - 3
    blocks: list[Block] = [section(title)]
    for item in shared[:room]:
        answer = item.answer
        name = item.name or t(lang, "tour.a_member")
        text = NEWLINE.join(
            [t(lang, "tour.thread.author", name=name), *answer_lines(lang, answer.answers)]
        )
        block = section(text, block_id=tour_need_block_id(answer.id))
        if answer.needs:
            block["accessory"] = button(
                t(lang, "tour.thread.help"), ActionId.TOUR_HELP, str(answer.id)
            )
        blocks.append(block)
    if len(shared) > room:
        blocks.append(context(t(lang, "tour.digest.more", count=len(shared) - room)))
    if any(item.answer.needs for item in shared):
        blocks.append(context(t(lang, "tour.thread.tip")))
    return message(title, blocks)


def quote(text: str) -> Mrkdwn:
    """Member text as a Slack blockquote, every line of it (`&gt;` is how mrkdwn writes
    the quote marker)."""
    return NEWLINE.join(Mrkdwn("&gt; ") + escape(line) for line in text.splitlines() or [""])


def build_help_dm(lang: Language, *, helper_user_id: str, channel_id: str, need: str) -> Message:
    """To the asker: who offered to help with which need."""
    intro = t(lang, "tour.help.dm", helper=helper_user_id, channel=channel_id)
    return message(
        intro,
        [
            section(NEWLINE.join([intro, mrkdwn(quote(need))])),
            context(t(lang, "tour.help.next")),
        ],
    )


def home_tour_blocks(group_id: int, tour: HomeTour | None, lang: Language) -> list[Block]:
    """The Home's line about the tour de table in a group: answered for the next session,
    or opted out with the way back; nothing otherwise."""
    if tour is None:
        return []
    if tour.opted_out:
        text = t(lang, "tour.home.opted_out")
        return [
            {
                **section(text, block_id=tour_home_block_id(group_id)),
                "accessory": button(t(lang, "tour.opt_in"), ActionId.TOUR_OPT_IN, str(group_id)),
            }
        ]
    if tour.answered:
        return [context(t(lang, "tour.home.answered"))]
    return []


def overview_tour(
    lang: Language, needs: Sequence[AnswerView], *, answers: int | None, lead_minutes: int
) -> list[Block]:
    """The guide's overview on the tour de table: one line once the invitation is out
    (how many answered so far; when nobody has, no digest will follow, so this line is
    all the guide gets), then the needs."""
    if answers is None:
        return overview_needs(lang, needs)
    if answers:
        line = t(lang, "tour.overview.answers", count=answers, lead=lead_minutes)
    else:
        line = t(lang, "tour.overview.none")
    return [context(line), *overview_needs(lang, needs)]


def overview_needs(lang: Language, needs: Sequence[AnswerView]) -> list[Block]:
    """The guide's overview: the needs answered so far, one line each (no ping: the
    overview is the guide's DM)."""
    if not needs:
        return []
    lines = [
        t(lang, "tour.overview.needs", count=len(needs)),
        *(
            t(lang, "tour.overview.need", user=a.user_id, text=" ".join(a.needs.split()))
            for a in needs
        ),
    ]
    return sections(lines, max_blocks=2)
