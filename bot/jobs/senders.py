"""Which function works each delivery kind: a sender (messages computed at send time) or
a job (state changes and messages in idempotent steps).

The dispatcher only claims kinds found here, so a kind whose sender is not built yet
stays planned (and goes out late, while useful) instead of being claimed and lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.kinds import SPECS, Worker
from bot.enums import DeliveryKind
from bot.jobs import calendar, cancellation, cycle, polls, refresh, stats, tour
from bot.jobs.contracts import NameLookup, no_names
from bot.jobs.dispatcher import DueItem, Job, Sender
from bot.slack.notifier import Notifier

# The kinds worked by a job rather than a sender: read from their declaration.
JOB_KINDS = frozenset(kind for kind, spec in SPECS.items() if spec.worker == Worker.JOB)


def default_senders() -> dict[DeliveryKind, Sender]:
    return {**cycle.SENDERS}


def default_jobs(
    *,
    db: sessionmaker[Session],
    notifier: Notifier,
    settings: Settings,
    bot_user_id: Callable[[], str],
    names: NameLookup = no_names,
) -> dict[DeliveryKind, Job]:
    """The session's end (held, next session, poll), the poll's post, close and cancel,
    and the calendar invites, the refresh of the messages that show a changed session or
    poll, a cancelled session's DMs, and the tour de table (invitations, compilation,
    "Je peux aider")."""

    def session_end(item: DueItem, now: datetime) -> None:
        if item.meeting_id is not None:
            polls.end_session(db=db, item=item, now=now, settings=settings, names=names)

    def poll_post(item: DueItem, now: datetime) -> None:
        if item.poll_id is not None:
            polls.post_poll(db=db, item=item, now=now, settings=settings, names=names)

    def poll_close(item: DueItem, now: datetime) -> None:
        if item.poll_id is not None:
            polls.close_poll(
                db=db,
                notifier=notifier,
                item=item,
                now=now,
                settings=settings,
                bot_user_id=bot_user_id,
            )

    def poll_cancel(item: DueItem, now: datetime) -> None:
        if item.poll_id is not None:
            polls.cancel_poll(db=db, item=item, now=now, settings=settings)

    def calendar_invite(item: DueItem, now: datetime) -> None:
        calendar.send_invites(db=db, item=item, now=now, settings=settings)

    def refresh_views(item: DueItem, now: datetime) -> None:
        refresh.refresh(
            db=db,
            notifier=notifier,
            item=item,
            now=now,
            settings=settings,
            names=names,
        )

    def tour_invite(item: DueItem, now: datetime) -> None:
        tour.send_invitations(
            db=db, notifier=notifier, item=item, settings=settings, bot_user_id=bot_user_id
        )

    def tour_compile(item: DueItem, now: datetime) -> None:
        tour.compile_answers(db=db, item=item, settings=settings, names=names)

    jobs: dict[DeliveryKind, Job] = {
        DeliveryKind.SESSION_END: session_end,
        DeliveryKind.POLL_POST: poll_post,
        DeliveryKind.POLL_CLOSE: poll_close,
        DeliveryKind.POLL_CANCEL: poll_cancel,
        DeliveryKind.CALENDAR_INVITE: calendar_invite,
        DeliveryKind.REFRESH: refresh_views,
        DeliveryKind.SESSION_CANCEL: lambda item, _now: cancellation.send_cancellation(item),
        DeliveryKind.STATS_EXPORT: lambda item, _now: stats.send_export(
            db=db, item=item, settings=settings
        ),
        DeliveryKind.TOUR_INVITE: tour_invite,
        DeliveryKind.TOUR_COMPILE: tour_compile,
        DeliveryKind.TOUR_HELP: lambda item, _now: tour.send_help(item),
        DeliveryKind.SESSION_START: lambda item, now: tour.session_started(
            db=db, item=item, now=now
        ),
    }
    assert set(jobs) == JOB_KINDS
    return jobs
