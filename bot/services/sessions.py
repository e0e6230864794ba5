"""Ending a session: the state changes the SESSION_END job makes however late it runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.db.models import Group, Meeting
from bot.domain.organising import AdminCheck, Cancellation, cancel_meeting
from bot.domain.outbox import queue_call
from bot.domain.rollover import SessionEnd, end_meeting, record_end_message

# The DM a member concerned reads, built by the caller in the group's language.
DirectMessage = Callable[[str], dict[str, Any]]


def end_session(
    session: Session, *, meeting_id: int, now: datetime, default_tz: str, useful: bool
) -> SessionEnd | None:
    """Mark the session held and plan the next one by recurrence (exactly once, whatever
    the delay); open the theme poll only while its end message is still useful."""
    return end_meeting(
        session, meeting_id=meeting_id, now=now, default_tz=default_tz, open_new_poll=useful
    )


def cancel_session(
    session: Session,
    *,
    group: Group,
    meeting: Meeting,
    actor: str,
    plan_next: bool,
    now: datetime,
    timezone: str,
    is_admin: AdminCheck,
    direct_message: DirectMessage,
) -> Cancellation:
    """Cancel the session and queue, in the same transaction, one DM per member
    concerned in the SESSION_CANCEL delivery's outbox: committed together, so the DMs
    go out once after any crash, and a refused cancellation queues nothing."""
    cancellation = cancel_meeting(
        session,
        group=group,
        meeting=meeting,
        actor=actor,
        plan_next=plan_next,
        now=now,
        timezone=timezone,
        is_admin=is_admin,
    )
    for user_id in cancellation.concerned:
        queue_call(
            session,
            delivery_id=cancellation.delivery_id,
            key=user_id,
            method="chat.postMessage",
            args={"channel": user_id, **direct_message(user_id)},
            now=now,
        )
    return cancellation


__all__ = ["SessionEnd", "cancel_session", "end_session", "record_end_message"]
