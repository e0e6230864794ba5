"""The calendar's side of a change: the session's SEQUENCE raised, and the newer `.ics`
queued for every member who took the invite.

Called only by `bot.followups` (a move, a cancellation, a new theme or place): no flow
has to remember that calendars follow the session.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.db.models import Meeting
from bot.domain.agenda import session_end
from bot.domain.calendar import (
    CANCEL_USEFUL_FOR,
    invite_delivery,
    invitees,
    queue_invite,
    update_key,
)
from bot.enums import MeetingStatus


def sequence_raised(
    session: Session, *, meeting: Meeting, now: datetime, notify: bool
) -> int | None:
    """Raise the session's SEQUENCE (a move, a change, a cancellation). With `notify`
    (a move, a cancellation), queue the newer `.ics` for every member who took the
    invite, in this same transaction; returns that delivery's id (None: nobody to tell)."""
    meeting.ics_sequence += 1
    meeting.updated_at = now
    session.flush()
    if not notify:
        return None
    users = invitees(session, meeting_id=meeting.id)
    if not users:
        return None
    ends_at = session_end(meeting.starts_at, meeting.duration_minutes)
    if meeting.status == MeetingStatus.CANCELLED:
        ends_at += CANCEL_USEFUL_FOR
    delivery_id, _ = invite_delivery(
        session,
        meeting=meeting,
        key=update_key(meeting.id, meeting.ics_sequence),
        now=now,
        expires_at=max(ends_at, now + timedelta(minutes=1)),
    )
    for user in users:
        queue_invite(session, delivery_id=delivery_id, user_id=user, now=now)
    return delivery_id
