"""The theme poll's use cases shared by `/partage sondage` (open, close, cancel) and the
jobs (the close at its time). Each takes the caller's session: the entry point owns the
transaction, so a refused command changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.models import Group, Poll
from bot.domain import meetings
from bot.domain import polls as poll_domain
from bot.domain.errors import DomainError, NotAllowed
from bot.domain.groups import organiser_ids
from bot.domain.polls import PollClosure, PollView
from bot.domain.recap import record_poll_winner
from bot.domain.tally import TallyResult, tally_votes


@dataclass(frozen=True)
class OpenedPoll:
    poll: PollView
    post_delivery_id: int


def _check_may_manage(
    session: Session,
    *,
    group: Group | None,
    user_id: str,
    is_admin: Callable[[], bool],
    refusal: str,
) -> Group:
    if group is None:
        raise DomainError("poll.error.no_open_poll")
    meeting = meetings.upcoming_meeting(session, group_id=group.id)
    if not meetings.may_manage(
        session, group=group, meeting=meeting, user_id=user_id, is_admin=is_admin
    ):
        raise NotAllowed(refusal, organisers=organiser_ids(session, group_id=group.id))
    return group


def open_poll(
    session: Session,
    *,
    group: Group,
    user_id: str,
    is_admin: Callable[[], bool],
    now: datetime,
    timezone: str,
) -> OpenedPoll:
    """Open the poll on demand and plan its post (POLL_POST, due now)."""
    meeting = meetings.upcoming_meeting(session, group_id=group.id)
    if not meetings.may_manage(
        session, group=group, meeting=meeting, user_id=user_id, is_admin=is_admin
    ):
        raise NotAllowed(
            "poll.error.not_allowed", organisers=organiser_ids(session, group_id=group.id)
        )
    view = poll_domain.open_poll(
        session,
        group=group,
        opened_by=user_id,
        now=now,
        target_meeting=meeting,
        timezone=timezone,
    )
    return OpenedPoll(view, poll_domain.plan_poll_post(session, poll=view, now=now))


def _running(session: Session, group: Group) -> Poll:
    poll = poll_domain.open_poll_of(session, group_id=group.id)
    if poll is None:
        raise DomainError("poll.error.no_open_poll")
    return poll


def close_poll_now(
    session: Session,
    *,
    group: Group | None,
    user_id: str,
    is_admin: Callable[[], bool],
    now: datetime,
) -> int | None:
    """Close the running poll now: its close delivery tallies and posts the result.
    Returns that delivery's id (None: it is being closed already)."""
    group = _check_may_manage(
        session,
        group=group,
        user_id=user_id,
        is_admin=is_admin,
        refusal="poll.error.not_allowed_manage",
    )
    return poll_domain.close_now(session, poll=_running(session, group), now=now)


def cancel_poll(
    session: Session,
    *,
    group: Group | None,
    user_id: str,
    is_admin: Callable[[], bool],
    now: datetime,
) -> int:
    """Cancel the running poll: closed with no winner, proposals stay open; returns the
    POLL_CANCEL delivery that updates the poll message."""
    group = _check_may_manage(
        session,
        group=group,
        user_id=user_id,
        is_admin=is_admin,
        refusal="poll.error.not_allowed_manage",
    )
    return poll_domain.cancel_open_poll(session, poll=_running(session, group), now=now)


def close_poll(
    session: Session,
    *,
    poll_id: int,
    reactions_result: TallyResult | None,
    bot_user_id: str | None,
    now: datetime,
) -> PollClosure | None:
    """Close the poll (once: None if another run did) with the tally of its message's
    reactions, or, when they could not be read, of the votes recorded from events. The
    winner becomes the next session's theme in the same transaction."""
    poll = session.get(Poll, poll_id)
    if poll is None:
        return None
    result, from_events = reactions_result, False
    if result is None:
        votes = poll_domain.recorded_votes(session, poll_id=poll_id)
        if votes:
            view = poll_domain.poll_view(session, poll)
            result, from_events = tally_votes(view.option_pairs, votes, bot_user_id), True
    closure = poll_domain.close_poll(
        session, poll_id=poll_id, result=result, from_events=from_events, now=now
    )
    if closure is not None:
        # The recap of the session whose end opened the poll keeps what it decided.
        record_poll_winner(
            session,
            meeting_id=poll.source_meeting_id,
            winner=closure.winner.text if closure.winner is not None else None,
        )
    return closure
