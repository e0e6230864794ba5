"""A session's end: mark it held, create the next one by recurrence, open the theme poll.

Everything happens in one transaction decided by a conditional UPDATE (`status =
'scheduled'`), so a retried or doubled job cannot create two next sessions or two polls.
A run that finds the session already held returns what the first run did, so the job can
finish posting what is missing and nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Group, Meeting, Poll, PollOption, ThemeProposal
from bot.domain.agenda import session_end
from bot.domain.errors import DomainError
from bot.domain.events import SessionHeld, SessionScheduled, emit
from bot.domain.groups import group_timezone
from bot.domain.meetings import guide_of, upcoming_meeting
from bot.domain.polls import PollView, open_poll, open_poll_of, poll_opened_by_meeting, poll_view
from bot.domain.recap import record_recap
from bot.domain.recurrence import next_occurrence_after
from bot.enums import MeetingStatus, PollStatus, ProposalStatus, Recurrence


@dataclass(frozen=True)
class SessionEnd:
    meeting_id: int
    group: Group
    held_starts_at: datetime
    next_meeting_id: int | None
    next_starts_at: datetime | None
    poll: PollView | None  # the poll this session's end opened
    running_poll_closes_at: datetime | None  # a poll opened earlier with `sondage`
    poll_enabled: bool
    message_ts: str | None  # the end message, if a previous run already posted it
    # Who took the next session's guide role since: the role call then names them.
    next_guide_user_id: str | None = None
    # Where the closed poll's result was posted, for the end message to link to it.
    result_link: str | None = None
    # The poll shown inside the end message itself, as the bot posted them before the
    # poll had its own message (posted right after this one); kept so for the refresh.
    poll_inline: bool = False


def create_next_meeting(
    session: Session, *, held: Meeting, group: Group, tz: str, now: datetime
) -> Meeting | None:
    """The next session by the group's recurrence; None when organisers schedule by hand.

    It continues the series of the session just held, so it keeps its creator, length and
    place.
    If someone scheduled a session in the meantime, that one is the next session.
    """
    if group.recurrence != Recurrence.MONTHLY_WEEKDAY:
        return upcoming_meeting(session, group_id=group.id)
    meeting = Meeting(
        group_id=group.id,
        starts_at=next_occurrence_after(held.starts_at, tz, now),
        duration_minutes=held.duration_minutes,
        # A recurring series usually meets in the same room or on the same video link.
        place=held.place,
        status=MeetingStatus.SCHEDULED,
        created_by=held.created_by,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(meeting)
    except IntegrityError:
        return upcoming_meeting(session, group_id=group.id)
    return meeting


def _left_out(session: Session, poll: Poll) -> int:
    """Open proposals that were waiting when the poll opened but did not fit on it."""
    on_poll = select(PollOption.proposal_id).where(PollOption.poll_id == poll.id)
    return (
        session.scalar(
            select(func.count(ThemeProposal.id)).where(
                ThemeProposal.group_id == poll.group_id,
                ThemeProposal.status == ProposalStatus.OPEN,
                ThemeProposal.created_at <= poll.opened_at,
                ThemeProposal.id.not_in(on_poll),
            )
        )
        or 0
    )


def end_meeting(
    session: Session,
    *,
    meeting_id: int,
    now: datetime,
    default_tz: str,
    open_new_poll: bool = True,
) -> SessionEnd | None:
    """End the session if it is over; None when there is nothing to do (unknown,
    cancelled, or not over yet because it was moved later).

    Held and next session are state: they happen however late this runs. The poll is a
    message's content: `open_new_poll=False` (the end message is no longer useful, its
    voting window has passed) leaves it out."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        return None
    group = meeting.group
    if meeting.status == MeetingStatus.SCHEDULED:
        if now < session_end(meeting.starts_at, meeting.duration_minutes):
            return None
        marked = session.execute(
            update(Meeting)
            .where(Meeting.id == meeting.id, Meeting.status == MeetingStatus.SCHEDULED)
            .values(status=MeetingStatus.HELD, held_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        session.refresh(meeting)
        if marked.rowcount:  # type: ignore[attr-defined]
            # What the session covered, before the next one takes the group's attention.
            record_recap(session, meeting=meeting, now=now)
            tz = group_timezone(group, default_tz)
            created = create_next_meeting(session, held=meeting, group=group, tz=tz, now=now)
            emit(session, SessionHeld(group.id, now, meeting.id))
            if created is not None:
                # Its reminders, announcements and run-of-show are planned as it follows.
                emit(session, SessionScheduled(group.id, now, created.id, actor=None))
    next_meeting = upcoming_meeting(session, group_id=group.id)

    poll = poll_opened_by_meeting(session, meeting_id=meeting.id)
    view = poll_view(session, poll, left_out=_left_out(session, poll)) if poll else None
    if view is not None and view.status != PollStatus.OPEN:
        view = None
    if poll is None and meeting.end_message_ts is None and group.poll_enabled and open_new_poll:
        try:
            view = open_poll(
                session,
                group=group,
                opened_by=None,
                now=now,
                target_meeting=next_meeting,
                source_meeting=meeting,
                timezone=group_timezone(group, default_tz),
            )
        except DomainError:
            view = None  # nothing proposed, or a poll opened with `sondage` is running
    running = None
    if view is None and group.poll_enabled:
        other = open_poll_of(session, group_id=group.id)
        running = other.closes_at if other is not None else None

    return SessionEnd(
        meeting_id=meeting.id,
        group=group,
        held_starts_at=meeting.starts_at,
        next_meeting_id=next_meeting.id if next_meeting else None,
        next_starts_at=next_meeting.starts_at if next_meeting else None,
        poll=view,
        running_poll_closes_at=running,
        poll_enabled=group.poll_enabled,
        message_ts=meeting.end_message_ts,
        next_guide_user_id=guide_of(session, meeting_id=next_meeting.id) if next_meeting else None,
    )


def posted_session_end(
    session: Session, *, meeting: Meeting, result_link: str | None = None
) -> SessionEnd | None:
    """The end message of a held session as it should read now (the roles taken, the
    poll closed), without changing anything; None if it was never posted."""
    if meeting.status != MeetingStatus.HELD or meeting.end_message_ts is None:
        return None
    group = meeting.group
    next_meeting = upcoming_meeting(session, group_id=group.id)
    poll = poll_opened_by_meeting(session, meeting_id=meeting.id)
    inline = poll is not None and poll.message_ts == meeting.end_message_ts
    return SessionEnd(
        meeting_id=meeting.id,
        group=group,
        held_starts_at=meeting.starts_at,
        next_meeting_id=next_meeting.id if next_meeting else None,
        next_starts_at=next_meeting.starts_at if next_meeting else None,
        poll=poll_view(session, poll) if poll is not None else None,
        running_poll_closes_at=None,
        poll_enabled=group.poll_enabled,
        message_ts=meeting.end_message_ts,
        next_guide_user_id=guide_of(session, meeting_id=next_meeting.id) if next_meeting else None,
        result_link=result_link,
        poll_inline=inline,
    )


def record_end_message(session: Session, *, meeting_id: int, ts: str) -> bool:
    """Remember that the end message was posted; never overwritten."""
    result = session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id, Meeting.end_message_ts.is_(None))
        .values(end_message_ts=ts)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
