"""The role flows shared by slash commands and buttons: guide, join, contribute, ready,
withdraw.

Each flow takes a `CommandContext` and either no meeting id (a command: the channel's
next session) or the meeting id a button carries, and returns a `Reply`. The command
handlers (`*_reply`) and the button listeners in `actions.py` are one-liners over these,
so a click and a typed command cannot drift apart.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from bot.db.engine import transaction
from bot.db.models import Group, Meeting
from bot.domain import contributions, meetings, nudges
from bot.domain import roles as domain_roles
from bot.domain.errors import DomainError, NoUpcomingSession
from bot.domain.groups import find_group
from bot.domain.participants import participant_count
from bot.domain.programme import load_programme
from bot.domain.roles import GuideTaken, SessionGone, WithdrawScope
from bot.i18n import t
from bot.slack.blocks.common import text_message
from bot.slack.blocks.contribution import build_contribution_modal
from bot.slack.blocks.cycle import Audience, build_nudge
from bot.slack.blocks.roles import build_withdraw_reply
from bot.slack.listeners.context import CommandContext, Reply, open_modal
from bot.slack.parsing import ParsedCommand, parse_withdraw_scope
from bot.slack.view_parsing import ContributionMetadata

logger = logging.getLogger(__name__)


def target_meeting(
    ctx: CommandContext, session: Session, meeting_id: int | None
) -> tuple[Group, Meeting]:
    """The session a flow acts on, and the group's language set on `ctx`.

    From a command: the next session of the channel's group. From a button: the session
    it was built for, which must still be upcoming; notices then go to that group's
    channel even when the button sat in a DM.
    """
    if meeting_id is None:
        group = find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id)
        ctx.use_group(group)
        if group is None:
            raise NoUpcomingSession()
        return group, meetings.require_upcoming_meeting(session, group_id=group.id)
    meeting = session.get(Meeting, meeting_id)
    group = session.get(Group, meeting.group_id) if meeting is not None else None
    if group is None or (ctx.team_id and group.team_id != ctx.team_id):
        raise SessionGone()
    ctx.use_group(group)
    ctx.channel_id = group.channel_id
    return group, domain_roles.require_scheduled_meeting(session, meeting_id=meeting_id)


# --- flows ------------------------------------------------------------------------------


def claim_guide(ctx: CommandContext, meeting_id: int | None = None) -> Reply:
    with transaction(ctx.deps.db) as session:
        _group, meeting = target_meeting(ctx, session, meeting_id)
        claim = domain_roles.claim_guide(session, meeting=meeting, user_id=ctx.user_id, now=ctx.now)
        when = ctx.when(meeting.starts_at)
    key = "guide.already" if claim.already else "guide.claimed"
    return Reply(text_message(t(ctx.lang, key, when=when, cmd=ctx.cmd)))


def join(ctx: CommandContext, meeting_id: int | None = None) -> Reply:
    with transaction(ctx.deps.db) as session:
        _group, meeting = target_meeting(ctx, session, meeting_id)
        joined = domain_roles.join_meeting(
            session, meeting=meeting, user_id=ctx.user_id, now=ctx.now
        )
        count = participant_count(session, meeting_id=meeting.id)
    when = ctx.when(meeting.starts_at)
    if not joined:
        return Reply(text_message(t(ctx.lang, "join.already", when=when, cmd=ctx.cmd)))
    return Reply(text_message(t(ctx.lang, "join.done", when=when, count=count)))


def mark_ready(ctx: CommandContext, meeting_id: int | None = None) -> Reply:
    with transaction(ctx.deps.db) as session:
        _group, meeting = target_meeting(ctx, session, meeting_id)
        result = contributions.mark_ready(
            session, meeting=meeting, user_id=ctx.user_id, now=ctx.now
        )
    title = result.contribution.title
    key = "ready.already" if result.already else "ready.done"
    return Reply(text_message(t(ctx.lang, key, title=title, when=ctx.when(meeting.starts_at))))


def withdraw(
    ctx: CommandContext, meeting_id: int | None = None, scope: WithdrawScope = WithdrawScope.ALL
) -> Reply:
    with transaction(ctx.deps.db) as session:
        _group, meeting = target_meeting(ctx, session, meeting_id)
        withdrawal = domain_roles.withdraw(
            session, meeting=meeting, user_id=ctx.user_id, now=ctx.now, scope=scope
        )
        when = ctx.when(meeting.starts_at)
    return Reply(build_withdraw_reply(ctx.lang, when, withdrawal))


def withdraw_contribution(ctx: CommandContext, meeting_id: int | None = None) -> Reply:
    """A reminder's "Retirer": the contribution only; the member's other roles stay."""
    return withdraw(ctx, meeting_id, WithdrawScope.CONTRIBUTION)


def nudge(ctx: CommandContext, contribution_id: int) -> Reply:
    """The guide's "Relancer": the friendly DM is planned with the click (at most once a
    day), sent right after the acknowledgement, then the guide is told."""
    with transaction(ctx.deps.db) as session:
        meeting_id = nudges.meeting_of_contribution(session, contribution_id=contribution_id)
        group, meeting = target_meeting(ctx, session, meeting_id)
        programme = load_programme(session, meeting=meeting)
        line = next((c for c in programme.contributions if c.id == contribution_id), None)
        if line is None:
            raise nudges.NothingToNudge()
        audience = Audience(ctx.lang, ctx.tz, ctx.cmd, group.channel_id)
        dm = build_nudge(programme, line, ctx.user_id, audience)
        done = nudges.nudge_contributor(
            session,
            contribution_id=contribution_id,
            actor=ctx.user_id,
            now=ctx.now,
            timezone=ctx.tz,
            is_admin=ctx.is_admin,
            message=dict(dm),
        )
    key = "nudge.sent" if done.delivery_id is not None else "nudge.already"
    reply = text_message(t(ctx.lang, key, user=done.author_user_id, title=done.title))
    deliveries = ctx.deps.deliveries
    if done.delivery_id is None or deliveries is None:
        return Reply(reply)
    delivery_id = done.delivery_id

    def send_now(_client: object) -> None:
        """Sent now rather than at the next tick; a failure leaves it to the dispatcher."""
        deliveries.run_now(delivery_id)

    return Reply(reply, after_ack=[send_now])


def open_contribution(ctx: CommandContext, meeting_id: int | None = None) -> Reply:
    """Nothing to say in the ack: the modal opens right after it, prefilled when the
    member already has a contribution for this session (saving then edits it)."""
    with transaction(ctx.deps.db) as session:
        group, meeting = target_meeting(ctx, session, meeting_id)
        view = contribution_form(ctx, session, group, meeting)
    failed = t(ctx.lang, "roles.error.modal_failed", cmd=ctx.cmd)
    return Reply(message=None, after_ack=[open_modal(ctx, view, failed=failed)])


def contribution_form(
    ctx: CommandContext, session: Session, group: Group, meeting: Meeting
) -> dict[str, Any]:
    """The contribution form of `meeting` for the member, prefilled when they already
    have one, with the group's own budget: the one form, whether it opens from the
    command, a message's button, the roles modal or the App Home."""
    existing = contributions.active_contribution_of(
        session, meeting_id=meeting.id, user_id=ctx.user_id
    )
    return build_contribution_modal(
        ctx.lang,
        ctx.when(meeting.starts_at),
        existing,
        ContributionMetadata(meeting_id=meeting.id, channel_id=group.channel_id).encode(),
        budget_used=contributions.budget_used(session, meeting_id=meeting.id),
        budget=group.presentation_minutes,
    )


def outdated_click(ctx: CommandContext, meeting_id: int, error: GuideTaken) -> Reply:
    """A click on a guide button someone else beat: say who holds the role, and have
    the message that still showed the button brought up to date."""
    with transaction(ctx.deps.db) as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is not None:
            domain_roles.note_stale_click(
                session, meeting=meeting, user_id=ctx.user_id, now=ctx.now
            )
    return Reply(text_message(t(ctx.lang, "living.click.taken", holder=error.holder)))


# --- slash subcommands ------------------------------------------------------------------


def guide_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    return claim_guide(ctx)


def join_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    return join(ctx)


def contribute_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    return open_contribution(ctx)


def ready_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    return mark_ready(ctx)


def withdraw_reply(ctx: CommandContext, parsed: ParsedCommand) -> Reply:
    scope = parse_withdraw_scope(parsed.argument)
    if scope is None:
        with transaction(ctx.deps.db) as session:
            ctx.use_group(find_group(session, team_id=ctx.team_id, channel_id=ctx.channel_id))
        raise DomainError("withdraw.error.scope", word=parsed.argument)
    return withdraw(ctx, scope=scope)
