"""Ending a session: the state changes the SESSION_END job makes however late it runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.rollover import SessionEnd, end_meeting, record_end_message


def end_session(
    session: Session, *, meeting_id: int, now: datetime, default_tz: str, useful: bool
) -> SessionEnd | None:
    """Mark the session held and plan the next one by recurrence (exactly once, whatever
    the delay); open the theme poll only while its end message is still useful."""
    return end_meeting(
        session, meeting_id=meeting_id, now=now, default_tz=default_tz, open_new_poll=useful
    )


__all__ = ["SessionEnd", "end_session", "record_end_message"]
