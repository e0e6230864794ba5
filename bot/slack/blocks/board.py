"""The roles modal and the App Home: one session's roles, seen by one member.

Both are built from the same read model (`bot.domain.board.Board`). Every block holding
an action carries the session in its block_id (`board_block_id`), so one listener serves
the modal and the Home. Contributions are shown a page at a time, which keeps the modal
and the Home under Slack's 100 blocks however many there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain.board import Board, BoardContribution, HomeGroup
from bot.domain.organising import Change
from bot.domain.place import is_call_link
from bot.enums import Language
from bot.i18n import format_short, format_when, t
from bot.slack.blocks.calendar import calendar_actions
from bot.slack.blocks.common import (
    Block,
    Message,
    actions,
    button,
    context,
    divider,
    message,
    plain_object,
    section,
)
from bot.slack.blocks.contribution import kind_label
from bot.slack.blocks.history import home_history
from bot.slack.blocks.place import place_button
from bot.slack.blocks.programme import place_value
from bot.slack.blocks.tour import home_tour_blocks
from bot.slack.ids import ActionId, BlockId, CallbackId, board_block_id
from bot.slack.text import NEWLINE, Mrkdwn, mention

View = dict[str, Any]

PAGE_SIZE = 10  # contributions per page of the modal
HOME_BLOCK_LIMIT = 100
TABLE_LINES_PER_BLOCK = 10  # a section holds 3,000 characters: ten lines fit in any case


def _button(
    text: str,
    action: ActionId,
    value: str = "",
    style: str | None = None,
    confirm: dict[str, Any] | None = None,
) -> Block:
    element = button(text, action.value, value=value, style=style)
    if confirm is not None:
        element["confirm"] = confirm
    return element


def _confirm(lang: Language, key: str, **params: object) -> dict[str, Any]:
    return {
        "title": plain_object(t(lang, f"{key}.title"), 100),
        "text": {"type": "mrkdwn", "text": t(lang, f"{key}.text", **params)},
        "confirm": plain_object(t(lang, f"{key}.confirm"), 30),
        "deny": plain_object(t(lang, "board.confirm.deny"), 30),
        "style": "danger",
    }


def _users_select(lang: Language, action: ActionId, placeholder: str) -> Block:
    return {
        "type": "users_select",
        "action_id": action.value,
        "placeholder": plain_object(t(lang, placeholder), 150),
    }


def contribution_line(
    lang: Language, c: BoardContribution, *, show_title: bool = True, readiness: bool = True
) -> Mrkdwn:
    """One contribution; how ready it is only for `readiness` (the guide, the organisers,
    its author): a member never reads that someone else is late."""
    if not readiness:
        return t(
            lang,
            "board.contribution.line.public",
            kind=kind_label(lang, c.kind),
            title=c.title,
            user=c.author,
            minutes=c.duration_minutes,
        )
    state = t(lang, "board.ready" if c.ready else "board.not_ready")
    key = "board.contribution.line" if show_title else "board.contribution.line.untitled"
    return t(
        lang,
        key,
        kind=kind_label(lang, c.kind),
        title=c.title,
        user=c.author,
        minutes=c.duration_minutes,
        state=state,
    )


def _page(items: Sequence[BoardContribution], page: int) -> tuple[Sequence[BoardContribution], int]:
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = max(0, min(page, pages - 1))
    return items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], pages


def _guide_block(board: Board, lang: Language) -> Block:
    block_id = board_block_id(board.meeting_id, "guide")
    if board.guide is None:
        block = section(t(lang, "board.guide.none"), block_id)
        block["accessory"] = _button(
            t(lang, "board.guide.take"), ActionId.BOARD_TAKE_GUIDE, "take", "primary"
        )
    elif board.guide == board.viewer:
        block = section(t(lang, "board.guide.you"), block_id)
        block["accessory"] = _button(
            t(lang, "board.guide.release"),
            ActionId.BOARD_RELEASE_GUIDE,
            "release",
            confirm=_confirm(lang, "board.confirm.release"),
        )
    else:
        block = section(t(lang, "board.guide.holder", user=board.guide), block_id)
    return block


def _mine_blocks(board: Board, lang: Language) -> list[Block]:
    mine = board.mine
    mid = board.meeting_id
    if mine is None:
        return [
            section(t(lang, "board.mine.none")),
            actions(
                board_block_id(mid, "mine"),
                _button(t(lang, "board.mine.add"), ActionId.BOARD_CONTRIBUTE, "add", "primary"),
            ),
        ]
    elements = [_button(t(lang, "board.mine.edit"), ActionId.BOARD_CONTRIBUTE, "edit")]
    if not mine.ready:
        elements.append(
            _button(t(lang, "board.mine.ready"), ActionId.BOARD_READY, str(mine.id), "primary")
        )
    elements.append(
        _button(
            t(lang, "board.mine.withdraw"),
            ActionId.BOARD_WITHDRAW,
            str(mine.id),
            confirm=_confirm(lang, "board.confirm.withdraw", title=mine.title),
        )
    )
    return [
        section(t(lang, "board.mine.title") + Mrkdwn("\n") + contribution_line(lang, mine)),
        actions(board_block_id(mid, "mine"), *elements),
    ]


def _participation_block(board: Board, lang: Language) -> Block:
    key = "board.participation.in" if board.participant else "board.participation.out"
    block = section(
        t(lang, key, count=board.participant_count), board_block_id(board.meeting_id, "rsvp")
    )
    if board.participant:
        block["accessory"] = _button(t(lang, "board.leave"), ActionId.BOARD_LEAVE, "leave")
    else:
        block["accessory"] = _button(t(lang, "board.join"), ActionId.BOARD_JOIN, "join", "primary")
    return block


def _pager(board: Board, lang: Language, page: int, pages: int) -> list[Block]:
    if pages <= 1:
        return []
    elements = []
    if page > 0:
        elements.append(_button(t(lang, "board.page.previous"), ActionId.BOARD_PAGE, str(page - 1)))
    if page < pages - 1:
        elements.append(_button(t(lang, "board.page.next"), ActionId.BOARD_PAGE, str(page + 1)))
    return [
        context(t(lang, "board.page", page=page + 1, pages=pages)),
        actions(board_block_id(board.meeting_id, "page"), *elements),
    ]


def _organiser_blocks(board: Board, lang: Language, page: int) -> list[Block]:
    mid = board.meeting_id
    blocks: list[Block] = [
        divider(),
        section(
            t(
                lang,
                "board.organiser.title",
                organisers=Mrkdwn(", ").join(mention(u) for u in board.organisers),
            )
        ),
        actions(
            board_block_id(mid, "organise"),
            _users_select(lang, ActionId.BOARD_ASSIGN_GUIDE, "board.organiser.assign_guide"),
            _users_select(lang, ActionId.BOARD_ADD_ORGANISER, "board.organiser.add"),
            _users_select(lang, ActionId.BOARD_REMOVE_ORGANISER, "board.organiser.remove"),
        ),
    ]
    shown, _pages = _page(board.contributions, page)
    for c in shown:
        blocks += [
            _ordered_line(board, lang, c, removable=True),
            actions(
                board_block_id(mid, "assign", c.id),
                _users_select(
                    lang, ActionId.BOARD_ASSIGN_CONTRIBUTION, "board.organiser.assign_contribution"
                ),
            ),
        ]
    blocks.append(cancel_buttons(lang, mid))
    return blocks


def _ordered_line(board: Board, lang: Language, c: BoardContribution, *, removable: bool) -> Block:
    """A contribution with its menu: move it up or down the programme (the organisers and
    the guide), or remove it (organisers only)."""
    line = section(contribution_line(lang, c), board_block_id(board.meeting_id, "item", c.id))
    options = [
        {"text": plain_object(t(lang, "board.menu.up"), 75), "value": f"up:{c.id}"},
        {"text": plain_object(t(lang, "board.menu.down"), 75), "value": f"down:{c.id}"},
    ]
    if removable:
        options.append(
            {"text": plain_object(t(lang, "board.menu.remove"), 75), "value": f"remove:{c.id}"}
        )
    line["accessory"] = {
        "type": "overflow",
        "action_id": ActionId.BOARD_CONTRIBUTION_MENU.value,
        "options": options,
    }
    return line


def _guide_order_blocks(board: Board, lang: Language, page: int) -> list[Block]:
    """The guide runs the session: they set the order of passage, through the same domain
    function as the organisers."""
    shown, _pages = _page(board.contributions, page)
    return [
        divider(),
        section(t(lang, "board.guide_order.title")),
        *(_ordered_line(board, lang, c, removable=False) for c in shown),
    ]


def roles_metadata(meeting_id: int, page: int) -> str:
    return f"{meeting_id}:{page}"


def parse_roles_metadata(raw: object) -> tuple[int, int] | None:
    if not isinstance(raw, str):
        return None
    head, _, tail = raw.partition(":")
    if not (head.isascii() and head.isdigit() and tail.isascii() and tail.isdigit()):
        return None
    if len(head) > 12 or len(tail) > 6:
        return None
    return int(head), int(tail)


def build_roles_modal(
    board: Board, lang: Language, tz: str, *, page: int = 0, notice: Mrkdwn | None = None
) -> View:
    """The roles modal for `board.viewer`; `notice` (a refusal, a confirmation) on top.
    The organiser section is built only for organisers."""
    blocks: list[Block] = []
    if notice is not None:
        blocks.append(section(notice))
    when = format_when(board.starts_at, tz, lang)
    theme = t(lang, "board.theme", theme=board.theme) if board.theme else t(lang, "board.no_theme")
    blocks += [
        section(NEWLINE.join([t(lang, "board.when", when=when, channel=board.channel_id), theme])),
        divider(),
        _guide_block(board, lang),
        divider(),
        *_mine_blocks(board, lang),
        divider(),
    ]
    others, pages = _page(board.others, page)
    page = max(0, min(page, pages - 1))
    # Who is ready and the time against the budget: for the guide and the organisers.
    blocks.append(
        section(
            t(
                lang,
                "board.others.title" if board.manager else "board.others.title.public",
                count=len(board.others),
                used=board.budget_used,
                budget=board.budget,
            )
        )
    )
    if others:
        lines = (contribution_line(lang, c, readiness=board.manager) for c in others)
        blocks.append(section(NEWLINE.join(lines)))
    else:
        blocks.append(context(t(lang, "board.others.none")))
    blocks += [divider(), _participation_block(board, lang)]
    if board.organiser:
        _shown, organiser_pages = _page(board.contributions, page)
        pages = max(pages, organiser_pages)
        blocks += _organiser_blocks(board, lang, page)
    elif board.guide == board.viewer and len(board.contributions) > 1:
        _shown, order_pages = _page(board.contributions, page)
        pages = max(pages, order_pages)
        blocks += _guide_order_blocks(board, lang, page)
    blocks += _pager(board, lang, page, pages)
    return {
        "type": "modal",
        "callback_id": CallbackId.ROLES_MODAL.value,
        "title": plain_object(t(lang, "board.modal.title"), 24),
        "close": plain_object(t(lang, "board.modal.close"), 24),
        "private_metadata": roles_metadata(board.meeting_id, page),
        "blocks": blocks,
    }


# --- the App Home -------------------------------------------------------------------------


def _member_role(board: Board, lang: Language) -> Mrkdwn:
    roles: list[Mrkdwn] = []
    if board.guide == board.viewer:
        roles.append(t(lang, "home.role.guide"))
    mine = board.mine
    if mine is not None:
        state = t(lang, "board.ready" if mine.ready else "board.not_ready")
        roles.append(t(lang, "home.role.contributor", title=mine.title, state=state))
    if board.participant:
        roles.append(t(lang, "home.role.participant"))
    if not roles:
        return t(lang, "home.role.none")
    return t(lang, "home.role", roles=Mrkdwn(" · ").join(roles))


def _change_line(lang: Language, change: Change, tz: str) -> Mrkdwn:
    return t(
        lang,
        f"audit.{change.action.value}",
        at=format_short(change.at, tz, lang),
        actor=change.actor,
        subject=change.subject or "?",
        detail=change.detail or "",
    )


def _readiness(board: Board, lang: Language) -> list[Block]:
    head = t(
        lang,
        "home.readiness",
        ready=board.ready_count,
        count=len(board.contributions),
        used=board.budget_used,
        budget=board.budget,
    )
    if not board.contributions:
        return [section(head)]
    lines = [contribution_line(lang, c) for c in board.contributions]
    chunks = [
        lines[i : i + TABLE_LINES_PER_BLOCK] for i in range(0, len(lines), TABLE_LINES_PER_BLOCK)
    ]
    return [section(head), *(section(NEWLINE.join(chunk)) for chunk in chunks)]


def _place_blocks(board: Board, lang: Language) -> list[Block]:
    """For the organisers and the guide: where the session takes place, and the button
    that sets it (a missing place is what members will ask about first)."""
    if board.place:
        key = "place.link" if is_call_link(board.place) else "place.text"
        line = t(lang, key, place=place_value(board.place, lang))
    else:
        line = t(lang, "place.none")
    block = section(line, board_block_id(board.meeting_id, "place"))
    block["accessory"] = place_button(
        lang, board.meeting_id, change=bool(board.place), urgent=not board.place
    )
    return [block]


def home_buttons(board: Board, lang: Language) -> list[Block]:
    """The Home's buttons for one session, its reader's next action first and the only
    primary one: their contribution to mark ready; else the guide nobody has taken yet;
    else, for a member with no role, "Je participe"; else, for the guide, the roles to
    look over (who contributes, who is ready); else, for a participant, a contribution
    to propose; else "Rôles". "Je participe" is offered only to those who hold no role:
    the guide and the contributors take part already."""
    mine = board.mine
    guide = board.guide == board.viewer
    holds_role = guide or mine is not None or board.participant
    roles = ("home.open_roles", ActionId.ROLES_OPEN, str(board.meeting_id))
    offered: list[tuple[str, ActionId, str]] = []
    if mine is not None and not mine.ready:
        offered.append(("board.mine.ready", ActionId.BOARD_READY, str(mine.id)))
    if board.guide is None:
        offered.append(("board.guide.take", ActionId.BOARD_TAKE_GUIDE, "take"))
    if not holds_role:
        offered.append(("board.join", ActionId.BOARD_JOIN, "join"))
    if guide and not offered:
        offered.append(roles)
    if mine is None:
        offered.append(("board.mine.add", ActionId.BOARD_CONTRIBUTE, "add"))
    if roles not in offered:
        offered.append(roles)
    return [
        _button(t(lang, key), action, value, "primary" if index == 0 else None)
        for index, (key, action, value) in enumerate(offered)
    ]


def home_group_blocks(group: HomeGroup, lang: Language, tz: str) -> list[Block]:
    board = group.board
    if board is None:
        return [section(t(lang, "home.no_session", channel=group.channel_id)), divider()]
    when = format_when(board.starts_at, tz, lang)
    guide = t(lang, "home.guide", user=board.guide) if board.guide else t(lang, "home.guide.none")
    theme = t(lang, "board.theme", theme=board.theme) if board.theme else t(lang, "board.no_theme")
    mid = board.meeting_id
    elements = home_buttons(board, lang)
    blocks: list[Block] = [
        section(
            NEWLINE.join(
                [
                    t(lang, "board.when", when=when, channel=group.channel_id),
                    theme,
                    guide,
                    _member_role(board, lang),
                ]
            )
        ),
        actions(board_block_id(mid, "home"), *elements),
        # Every group on the Home has its own row: the block id names the session.
        calendar_actions(
            meeting_id=mid,
            starts_at=board.starts_at,
            ends_at=board.ends_at,
            theme=board.theme,
            lang=lang,
            tz=tz,
            channel_id=group.channel_id,
            block_id=f"{BlockId.CALENDAR.value}:{mid}",
        ),
    ]
    if board.manager:
        blocks += _place_blocks(board, lang)
    if group.organiser:
        blocks += _readiness(board, lang)
        blocks.append(
            actions(
                board_block_id(mid, "home_organise"),
                _button(t(lang, "home.config"), ActionId.BOARD_CONFIG, str(group.group_id)),
                _button(t(lang, "home.stats"), ActionId.STATS_OPEN, str(group.group_id)),
            )
        )
        if board.changes:
            blocks += [
                context(t(lang, "home.changes")),
                section(NEWLINE.join(_change_line(lang, c, tz) for c in board.changes)),
            ]
    blocks.append(divider())
    return blocks


def build_home(groups: Sequence[HomeGroup], lang: Language, default_tz: str) -> View:
    """The member's Home: one part per group, cut before Slack's 100 blocks (the groups
    left out are counted, and reachable from their channels)."""
    blocks: list[Block] = [
        {"type": "header", "text": plain_object(t(lang, "home.title"), 150)},
    ]
    if not groups:
        blocks.append(section(t(lang, "home.empty")))
    for index, group in enumerate(groups):
        tz = group.timezone or default_tz
        own = home_group_blocks(group, lang, tz)
        # The tour de table's line belongs to the group's part, before its divider.
        part = [
            *own[:-1],
            *home_tour_blocks(group.group_id, group.tour, lang),
            own[-1],
            *home_history(group.recent, lang, tz),
        ]
        if len(blocks) + len(part) > HOME_BLOCK_LIMIT - 1:
            blocks.append(context(t(lang, "home.more", count=len(groups) - index)))
            break
        blocks += part
    return {"type": "home", "blocks": blocks}


def cancel_buttons(lang: Language, meeting_id: int) -> Block:
    """The two ways to cancel, each behind Slack's confirmation dialog."""
    return actions(
        board_block_id(meeting_id, "cancel"),
        _button(
            t(lang, "board.cancel.plan_next"),
            ActionId.BOARD_CANCEL_PLAN_NEXT,
            "plan_next",
            "danger",
            confirm=_confirm(lang, "board.confirm.cancel_next"),
        ),
        _button(
            t(lang, "board.cancel.only"),
            ActionId.BOARD_CANCEL_ONLY,
            "only",
            confirm=_confirm(lang, "board.confirm.cancel_only"),
        ),
    )


def build_cancel_question(lang: Language, *, when: str, count: int, meeting_id: int) -> Message:
    """`/partage annuler` asks first: the answer's buttons cancel, with or without
    planning the next session."""
    text = t(lang, "cancel.confirm.question", when=when, count=count)
    return message(text, [section(text), cancel_buttons(lang, meeting_id)])


def build_notice_modal(lang: Language, notice: str) -> View:
    """What the roles modal shows once its session is gone (cancelled, held)."""
    return {
        "type": "modal",
        "callback_id": CallbackId.ROLES_MODAL.value,
        "title": plain_object(t(lang, "board.modal.title"), 24),
        "close": plain_object(t(lang, "board.modal.close"), 24),
        "blocks": [section(notice)],
    }
