"""The roles modal and the App Home's buttons, and the organisers' subcommands.

One listener answers every action of the modal and of the Home: it acks at once, applies
the action in one transaction (a refusal rolls it back), reads the session again and
shows it where the member clicked: `views.update` on the open modal (the direct answer
to their click, so no outbox), a republished Home, or the replaced message of
`/partage annuler`. A change someone made meanwhile is in what is shown, and a refusal
(a guide taken a moment ago) is written on top of the updated view.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from sqlalchemy.orm import Session

from bot.db.engine import read_transaction, transaction
from bot.db.models import Group, Meeting
from bot.deps import Deps
from bot.domain import contributions, meetings, organising
from bot.domain import roles as domain_roles
from bot.domain.board import load_board
from bot.domain.errors import DomainError, NoUpcomingSession
from bot.domain.group_settings import settings_for_edit
from bot.domain.groups import find_group, is_organiser
from bot.domain.roles import SessionGone, WithdrawScope
from bot.enums import MeetingStatus
from bot.i18n import t
from bot.outages import outages
from bot.services import sessions as session_service
from bot.slack.blocks.board import (
    build_cancel_question,
    build_notice_modal,
    build_roles_modal,
    parse_roles_metadata,
)
from bot.slack.blocks.common import text_message
from bot.slack.blocks.config import build_config_modal
from bot.slack.ids import ActionId
from bot.slack.listeners.context import (
    CommandContext,
    Reply,
    open_modal,
    refusal_text,
)
from bot.slack.listeners.roles import claim_guide, contribution_form, target_meeting
from bot.slack.notifier import SendFailure
from bot.slack.parsing import (
    OrganiserAction,
    ParsedCommand,
    parse_member_mention,
    parse_organiser_action,
)
from bot.slack.text import Mrkdwn, is_user_id, lines
from bot.slack.view_parsing import parse_board_block_id, row_id

logger = logging.getLogger(__name__)

View = dict[str, Any]
FollowUp = Callable[[], None]


@dataclass
class Applied:
    """What an action did, beyond the database: what to say, to whom, what follows."""

    notice: Mrkdwn | None = None  # on top of the updated modal, or the replaced message
    follow_ups: list[FollowUp] = field(default_factory=list)
    page: int | None = None


@dataclass(frozen=True)
class Click:
    """The action as the payload carries it: the contribution from the block_id, and the
    element's own value, selected member or selected option."""

    item: int | None
    value: str
    selected_user: str | None
    selected_option: str | None
    surface: str = "modal"  # "modal", "home" or "message"


Work = Callable[[CommandContext, Session, Group, Meeting, Click], Applied]


# --- rendering ----------------------------------------------------------------------------


def _organiser_known(ctx: CommandContext, session: Session, group: Group, *, ask: bool) -> bool:
    """Whether to show the organiser section. `ask` lets a unit of work that only reads
    ask Slack (through `ctx.run`); after a change, only the answer known already counts,
    so rendering never re-runs the change."""
    if is_organiser(session, group_id=group.id, user_id=ctx.user_id):
        return True
    if ask:
        return ctx.is_admin()
    known = ctx.admin if ctx.admin is not None else ctx.deps.admins.known(ctx.user_id)
    return bool(known)


def render_modal(
    ctx: CommandContext,
    meeting_id: int | None,
    *,
    page: int = 0,
    notice: Mrkdwn | None = None,
    ask: bool = False,
) -> View:
    """The roles modal for the session `meeting_id` (the channel's next one when None),
    or, when it is gone, for the group's next session, or a modal that says so."""
    with read_transaction(ctx.deps.db) as session:
        try:
            group, meeting = target_meeting(ctx, session, meeting_id)
        except SessionGone:
            old = session.get(Meeting, meeting_id) if meeting_id is not None else None
            group_of_old = session.get(Group, old.group_id) if old is not None else None
            upcoming = (
                meetings.upcoming_meeting(session, group_id=group_of_old.id)
                if group_of_old is not None
                else None
            )
            if group_of_old is None or upcoming is None:
                gone = t(ctx.lang, "roles.error.session_gone", cmd=ctx.cmd)
                return build_notice_modal(ctx.lang, lines(notice, gone) if notice else gone)
            group, meeting = group_of_old, upcoming
            ctx.use_group(group)
        organiser = _organiser_known(ctx, session, group, ask=ask)
        board = load_board(
            session, group=group, meeting=meeting, viewer=ctx.user_id, organiser=organiser
        )
    return build_roles_modal(board, ctx.lang, ctx.tz, page=page, notice=notice)


# --- the actions --------------------------------------------------------------------------


def _take_guide(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
    domain_roles.claim_guide(s, meeting=m, user_id=ctx.user_id, now=ctx.now)
    return Applied()


def _withdraw(scope: WithdrawScope) -> Work:
    def work(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
        domain_roles.withdraw(s, meeting=m, user_id=ctx.user_id, now=ctx.now, scope=scope)
        return Applied()

    return work


def _ready(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
    contributions.mark_ready(s, meeting=m, user_id=ctx.user_id, now=ctx.now)
    return Applied()


def _join(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
    domain_roles.join_meeting(s, meeting=m, user_id=ctx.user_id, now=ctx.now)
    return Applied()


def _contribute(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
    """The contribution form, pushed over the roles modal (closing it comes back), or
    opened from the Home."""
    view = contribution_form(ctx, s, g, m)
    notifier, trigger, over_modal = ctx.deps.notifier, ctx.trigger_id, c.surface == "modal"

    def show() -> None:
        try:
            if over_modal:
                notifier.push_view(trigger, view)
            else:
                notifier.open_view(trigger, view)
        except SendFailure as failure:
            outages().warn_or_count(
                logger,
                failure,
                "the contribution form did not open: %s",
                failure.code,
                effect="replies to members not shown",
            )

    return Applied(follow_ups=[show])


def _page(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
    valid = c.value.isascii() and c.value.isdigit() and len(c.value) <= 4
    return Applied(page=int(c.value) if valid else 0)


def _member(c: Click) -> str:
    if c.selected_user is None or not is_user_id(c.selected_user):
        raise DomainError("organise.error.member_expected", usage="guide")
    return c.selected_user


def _assign_guide(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
    member = _member(c)
    previous = organising.assign_guide(
        s, group=g, meeting=m, actor=ctx.user_id, member=member, now=ctx.now, is_admin=ctx.is_admin
    )
    if previous == member:
        return Applied(
            notice=t(ctx.lang, "assign.guide.already", user=member, when=ctx.when(m.starts_at))
        )
    return Applied()


def _assign_contribution(
    ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click
) -> Applied:
    member = _member(c)
    if c.item is None:
        raise DomainError("organise.error.contribution_gone")
    organising.assign_contribution(
        s,
        group=g,
        meeting=m,
        actor=ctx.user_id,
        contribution_id=c.item,
        member=member,
        now=ctx.now,
        is_admin=ctx.is_admin,
    )
    return Applied(notice=t(ctx.lang, "board.done"))


def _menu(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
    operation, _, raw_id = (c.selected_option or "").partition(":")
    contribution_id = row_id(raw_id)
    if contribution_id is None or operation not in ("up", "down", "remove"):
        raise DomainError("organise.error.contribution_gone")
    if operation == "remove":
        organising.remove_contribution(
            s,
            group=g,
            meeting=m,
            actor=ctx.user_id,
            contribution_id=contribution_id,
            now=ctx.now,
            is_admin=ctx.is_admin,
        )
        return Applied(notice=t(ctx.lang, "board.done"))
    organising.move_contribution(
        s,
        group=g,
        meeting=m,
        actor=ctx.user_id,
        contribution_id=contribution_id,
        offset=-1 if operation == "up" else 1,
        now=ctx.now,
        is_admin=ctx.is_admin,
    )
    return Applied()


def cancel_work(plan_next: bool) -> Work:
    def work(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
        when = ctx.when(m.starts_at)
        lang, channel, actor = ctx.lang, g.channel_id, ctx.user_id

        def direct_message(_user: str) -> dict[str, Any]:
            return text_message(t(lang, "cancel.dm", when=when, channel=channel, actor=actor))

        cancellation = session_service.cancel_session(
            s,
            group=g,
            meeting=m,
            actor=ctx.user_id,
            plan_next=plan_next,
            now=ctx.now,
            timezone=ctx.tz,
            is_admin=ctx.is_admin,
            direct_message=direct_message,
        )
        done = t(
            lang,
            "cancel.done",
            when=when,
            count=len(cancellation.concerned),
            deliveries=cancellation.cancelled_deliveries,
        )
        following = cancellation.next_meeting
        after = (
            t(lang, "cancel.done.next", when=ctx.when(following.starts_at))
            if following is not None
            else t(lang, "cancel.done.no_next", cmd=ctx.cmd)
        )
        deliveries, delivery_id = ctx.deps.deliveries, cancellation.delivery_id

        def send_now() -> None:
            if deliveries is not None:
                deliveries.run_now(delivery_id)

        return Applied(notice=lines(done, after), follow_ups=[send_now])

    return work


def _add_organiser(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
    member = _member(c)
    added = organising.grant_organiser(
        s, group=g, actor=ctx.user_id, member=member, now=ctx.now, is_admin=ctx.is_admin
    )
    key = "organiser.added" if added else "organiser.already"
    return Applied(notice=t(ctx.lang, key, user=member))


def _remove_organiser(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
    member = _member(c)
    organising.revoke_organiser(
        s, group=g, actor=ctx.user_id, member=member, now=ctx.now, is_admin=ctx.is_admin
    )
    return Applied(notice=t(ctx.lang, "organiser.removed", user=member))


def _config(ctx: CommandContext, s: Session, g: Group, m: Meeting, c: Click) -> Applied:
    """From the Home: the group's settings modal, for those who may change them."""
    settings = settings_for_edit(
        s,
        group=g,
        user_id=ctx.user_id,
        is_admin=ctx.is_admin,
        default_language=ctx.deps.settings.bot_language,
        default_timezone=ctx.deps.settings.bot_timezone,
    )
    view = build_config_modal(settings, ctx.lang, group_id=g.id, channel_id=g.channel_id)
    notifier, trigger = ctx.deps.notifier, ctx.trigger_id

    def show() -> None:
        try:
            notifier.open_view(trigger, view)
        except SendFailure as failure:
            outages().warn_or_count(
                logger,
                failure,
                "views.open (config) failed: %s",
                failure.code,
                effect="replies to members not shown",
            )

    return Applied(follow_ups=[show])


WORKS: dict[ActionId, Work] = {
    ActionId.BOARD_TAKE_GUIDE: _take_guide,
    ActionId.BOARD_RELEASE_GUIDE: _withdraw(WithdrawScope.GUIDE),
    ActionId.BOARD_CONTRIBUTE: _contribute,
    ActionId.BOARD_READY: _ready,
    ActionId.BOARD_WITHDRAW: _withdraw(WithdrawScope.CONTRIBUTION),
    ActionId.BOARD_JOIN: _join,
    ActionId.BOARD_LEAVE: _withdraw(WithdrawScope.PARTICIPATION),
    ActionId.BOARD_PAGE: _page,
    ActionId.BOARD_ASSIGN_GUIDE: _assign_guide,
    ActionId.BOARD_ASSIGN_CONTRIBUTION: _assign_contribution,
    ActionId.BOARD_CONTRIBUTION_MENU: _menu,
    ActionId.BOARD_CANCEL_PLAN_NEXT: cancel_work(plan_next=True),
    ActionId.BOARD_CANCEL_ONLY: cancel_work(plan_next=False),
    ActionId.BOARD_ADD_ORGANISER: _add_organiser,
    ActionId.BOARD_REMOVE_ORGANISER: _remove_organiser,
    ActionId.BOARD_CONFIG: _config,
}


def apply(ctx: CommandContext, meeting_id: int, click: Click, work: Work) -> Applied:
    """One transaction: the action, or nothing and the refusal on top of the view. A
    refused click in the Home means the Home offered what is no longer possible: the
    click is recorded as stale, so the Home (and the messages) follow."""
    try:
        with transaction(ctx.deps.db) as session:
            group, meeting = target_meeting(ctx, session, meeting_id)
            return work(ctx, session, group, meeting, click)
    except DomainError as error:
        if click.surface == "home":
            with transaction(ctx.deps.db) as session:
                stale = session.get(Meeting, meeting_id)
                if stale is not None:
                    domain_roles.note_stale_click(
                        session, meeting=stale, user_id=ctx.user_id, now=ctx.now
                    )
        return Applied(notice=refusal_text(ctx, error))


def _click(action: dict[str, Any], item: int | None, surface: str) -> Click:
    option = action.get("selected_option")
    selected = option.get("value") if isinstance(option, dict) else None
    user = action.get("selected_user")
    return Click(
        item=item,
        value=str(action.get("value") or ""),
        selected_user=user if isinstance(user, str) else None,
        selected_option=selected if isinstance(selected, str) else None,
        surface=surface,
    )


def handle_board_action(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    *,
    deps: Deps,
    work: Work,
) -> None:
    ack()
    ctx = CommandContext.from_interaction(deps, body, channel_id="")
    view = body.get("view") if isinstance(body.get("view"), dict) else None
    surface = view.get("type") if view else "message"
    located = parse_board_block_id(action.get("block_id"))
    metadata = parse_roles_metadata(view.get("private_metadata")) if view else None
    page = metadata[1] if metadata else 0
    if located is None:
        applied = Applied(notice=refusal_text(ctx, SessionGone()))
        meeting_id = metadata[0] if metadata else None
    else:
        meeting_id, item = located
        click = _click(action, item, str(surface))
        applied = ctx.run(lambda: apply(ctx, meeting_id, click, work))
    if applied.page is not None:
        page = applied.page
    shown: View | None = None
    if surface == "modal":
        shown = render_modal(ctx, meeting_id, page=page, notice=applied.notice)
    deps.after_ack(
        partial(
            show_outcome, ctx, applied, surface=surface, view=view, shown=shown, respond=respond
        )
    )


def show_outcome(
    ctx: CommandContext,
    applied: Applied,
    *,
    surface: str | None,
    view: dict[str, Any] | None,
    shown: View | None,
    respond: Respond,
) -> None:
    """After the ack: forms first (their trigger lives 3 s), then the updated view. The
    channel's notices and the Homes follow the change itself (`bot.followups`)."""
    for follow_up in applied.follow_ups:
        follow_up()
    if surface == "modal" and shown is not None and view is not None:
        try:
            ctx.deps.notifier.update_view(str(view.get("id") or ""), shown)
        except SendFailure as failure:
            outages().warn_or_count(
                logger,
                failure,
                "views.update failed: %s",
                failure.code,
                effect="replies to members not shown",
            )
    elif surface == "message" and applied.notice is not None:
        respond(response_type="ephemeral", replace_original=True, text=applied.notice)
    elif surface == "home" and applied.notice is not None:
        # The Home has no place for an answer: a small modal gives it (a refusal, mostly).
        try:
            ctx.deps.notifier.open_view(
                ctx.trigger_id, build_notice_modal(ctx.lang, applied.notice)
            )
        except SendFailure as failure:
            outages().warn_or_count(
                logger,
                failure,
                "views.open (home notice) failed: %s",
                failure.code,
                effect="replies to members not shown",
            )


def handle_open_roles(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], *, deps: Deps
) -> None:
    """The "Rôles" button (on the session's messages and the Home) opens the modal."""
    ack()
    ctx = CommandContext.from_interaction(deps, body, channel_id="")
    meeting_id = row_id(action.get("value"))
    if meeting_id is None:
        view = build_notice_modal(ctx.lang, refusal_text(ctx, SessionGone()))
    else:
        view = ctx.run(lambda: render_modal(ctx, meeting_id, ask=True))
    notifier, trigger = deps.notifier, ctx.trigger_id

    def show() -> None:
        try:
            notifier.open_view(trigger, view)
        except SendFailure as failure:
            outages().warn_or_count(
                logger,
                failure,
                "views.open (roles) failed: %s",
                failure.code,
                effect="replies to members not shown",
            )

    deps.after_ack(show)


# --- subcommands --------------------------------------------------------------------------


def roles_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    """`/partage roles`: the modal of the channel's next session, after the ack."""
    with read_transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id)
        ctx.use_group(group)
        if group is None:
            raise NoUpcomingSession()
        meeting_id = meetings.require_upcoming_meeting(session, group_id=group.id).id
    view = render_modal(ctx, meeting_id, ask=True)
    failed = t(ctx.lang, "error.modal_failed", cmd=ctx.cmd, command="roles")
    return Reply(after_ack=[open_modal(ctx, view, failed=failed)])


def guide_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    """`/partage guide` takes the role; `/partage guide @membre` (organisers) hands it."""
    if not parsed.argument:
        return claim_guide(ctx)
    member = parse_member_mention(parsed.argument)
    with transaction(ctx.deps.db) as session:
        group, meeting = target_meeting(ctx, session, None)
        if member is None:
            raise DomainError("organise.error.member_expected", usage="guide")
        applied = _assign_guide(ctx, session, group, meeting, Click(None, "", member, None))
    when = ctx.when(meeting.starts_at)
    if applied.notice is not None:
        return Reply(text_message(applied.notice))
    return Reply(text_message(t(ctx.lang, "assign.guide.done", user=member, when=when)))


def cancel_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    """`/partage annuler` asks for a confirmation: organisers only, refused at once for
    anyone else. The buttons of the answer cancel (see `cancel_work`)."""
    with transaction(ctx.deps.db) as session:
        group, meeting = target_meeting(ctx, session, None)
        organising.require_organiser(
            session, group=group, user_id=ctx.user_id, is_admin=ctx.is_admin
        )
        count = len(organising.concerned_members(session, meeting_id=meeting.id))
        if meeting.status != MeetingStatus.SCHEDULED:
            raise SessionGone()
    return Reply(
        build_cancel_question(
            ctx.lang, when=ctx.when(meeting.starts_at), count=count, meeting_id=meeting.id
        )
    )


def organiser_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    """`/partage organisateur ajouter|retirer @membre`."""
    parsed_action = parse_organiser_action(parsed.argument)
    with transaction(ctx.deps.db) as session:
        group = find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id)
        ctx.use_group(group)
        if group is None:
            raise NoUpcomingSession()
        if parsed_action is None:
            raise DomainError("organise.error.organiser_usage")
        action, member = parsed_action
        if action is OrganiserAction.ADD:
            added = organising.grant_organiser(
                session,
                group=group,
                actor=ctx.user_id,
                member=member,
                now=ctx.now,
                is_admin=ctx.is_admin,
            )
            answer = t(ctx.lang, "organiser.added" if added else "organiser.already", user=member)
        else:
            organising.revoke_organiser(
                session,
                group=group,
                actor=ctx.user_id,
                member=member,
                now=ctx.now,
                is_admin=ctx.is_admin,
            )
            answer = t(ctx.lang, "organiser.removed", user=member)
    return Reply(text_message(answer))


# --- the App Home -------------------------------------------------------------------------


def handle_app_home_opened(event: dict[str, Any], body: dict[str, Any], *, deps: Deps) -> None:
    """Publish the member's Home when they open its tab (after the ack: it reads the
    database and may ask Slack for their locale)."""
    if event.get("tab") not in (None, "home"):
        return
    user = event.get("user")
    if not is_user_id(user) or deps.home is None:
        return
    deps.home.show(str(user), str(body.get("team_id") or "") or None)


def register(app: App, deps: Deps) -> None:
    for action_id, work in WORKS.items():
        app.action(action_id.value)(partial(handle_board_action, deps=deps, work=work))
    app.action(ActionId.ROLES_OPEN.value)(partial(handle_open_roles, deps=deps))
    app.event("app_home_opened")(partial(handle_app_home_opened, deps=deps))
