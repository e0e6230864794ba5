"""The registry of senders: which function computes the messages of each delivery kind.

The dispatcher only claims kinds found here, so a kind whose sender is not built yet
stays planned (and goes out late, while useful) instead of being claimed and lost. Add a
feature's senders by merging its table below; the dispatcher does not change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.enums import DeliveryKind
from bot.jobs import cycle, polls
from bot.jobs.dispatcher import DueItem, Job, Sender
from bot.slack.notifier import Notifier


def default_senders() -> dict[DeliveryKind, Sender]:
    return {**cycle.SENDERS}


def default_jobs(
    *,
    db: sessionmaker[Session],
    notifier: Notifier,
    settings: Settings,
    bot_user_id: Callable[[], str],
) -> dict[DeliveryKind, Job]:
    """The session's end (held, next session, poll) and the poll's close (tally, theme)."""

    def session_end(item: DueItem, now: datetime) -> None:
        if item.meeting_id is None:
            return
        polls.end_session(
            db=db, notifier=notifier, meeting_id=item.meeting_id, now=now, settings=settings
        )

    def poll_close(item: DueItem, now: datetime) -> None:
        if item.poll_id is None:
            return
        polls.close_poll(
            db=db,
            notifier=notifier,
            poll_id=item.poll_id,
            now=now,
            settings=settings,
            bot_user_id=bot_user_id(),
        )

    return {DeliveryKind.SESSION_END: session_end, DeliveryKind.POLL_CLOSE: poll_close}
