"""The session-end and poll-close jobs (DeliveryKind.SESSION_END and POLL_CLOSE).

Both may be retried by the dispatcher, so each one first reads what an earlier run already
did and only does the rest:

- `end_session`: the session is marked held and the poll row created in one transaction
  (a conditional UPDATE decides); then the message is posted and its ts recorded; a run
  that finds the ts posts nothing (it only re-adds the option reactions, which Slack
  answers `already_reacted`).
- `close_poll`: the votes are read, then a conditional UPDATE closes the poll; only the
  run that wins that update posts the result.

`publish_poll` is the same posting flow for a poll opened with `/partage sondage`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import transaction
from bot.db.models import Group, Poll
from bot.domain import polls as poll_domain
from bot.domain.groups import group_language, group_timezone
from bot.domain.rollover import end_meeting, record_end_message
from bot.domain.tally import TallyResult, tally, tally_votes
from bot.enums import PollStatus
from bot.slack.blocks.poll import build_poll_result, build_session_end
from bot.slack.notifier import (
    AmbiguousFailure,
    Notifier,
    PermanentFailure,
    Posted,
    SendFailure,
    TransientFailure,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often a job retries a Slack call that surely failed, and how long it waits.

    Kept short: the dispatcher retries the whole job later; this only rides out a blip.
    Tests pass `delay_seconds=0`.
    """

    attempts: int = 3
    delay_seconds: float = 2.0


DEFAULT_RETRY = RetryPolicy()


def _retrying(
    call: Callable[[], T],
    *,
    retry: RetryPolicy,
    sleep: Callable[[float], None],
    retry_on: tuple[type[SendFailure], ...],
    what: str,
) -> T:
    for attempt in range(1, retry.attempts + 1):
        try:
            return call()
        except retry_on as failure:
            if attempt >= retry.attempts:
                raise
            logger.warning(
                "%s failed (%s), attempt %d/%d", what, failure.code, attempt, retry.attempts
            )
            sleep(retry.delay_seconds)
    raise AssertionError("unreachable: attempts >= 1")


def add_option_reactions(notifier: Notifier, poll: poll_domain.PollView, posted: Posted) -> None:
    """The bot reacts with every option's emoji so members only have to click.

    A failure here is logged, not raised: the poll is posted and members can still add
    the reactions themselves; `already_reacted` is success (the Notifier absorbs it).
    """
    for option in poll.options:
        try:
            notifier.add_reaction(posted.channel, posted.ts, option.emoji)
        except SendFailure as failure:
            logger.warning("could not add :%s: to poll %s: %s", option.emoji, poll.id, failure.code)


def publish_poll(
    *,
    db: sessionmaker[Session],
    notifier: Notifier,
    poll: poll_domain.PollView,
    message: dict[str, Any],
) -> Posted:
    """Post a poll opened on demand, record its ts, add the option reactions.

    If the post surely did not reach the channel (refused, e.g. bot not in the channel, or
    Slack failing), the poll is removed so an invisible poll does not block the group's
    next one, and the failure is raised for the caller to tell the member. An ambiguous
    failure keeps the poll: it may be on screen.
    """
    try:
        posted = notifier.post(poll.channel_id, message)
    except (PermanentFailure, TransientFailure):
        with transaction(db) as session:
            poll_domain.discard_unposted_poll(session, poll_id=poll.id)
        raise
    with transaction(db) as session:
        poll_domain.record_message(
            session, poll_id=poll.id, channel_id=posted.channel, ts=posted.ts
        )
    add_option_reactions(notifier, poll, posted)
    return posted


def end_session(
    *,
    db: sessionmaker[Session],
    notifier: Notifier,
    meeting_id: int,
    now: datetime,
    settings: Settings,
) -> None:
    """At a session's end: mark it held, create the next one, post the poll (or a call for
    proposals) with the call for next session's roles.

    Raises the Notifier's failures for the dispatcher (a transient one is safe to retry:
    the message was surely not posted and a retry reuses the same poll).
    """
    with transaction(db) as session:
        end = end_meeting(session, meeting_id=meeting_id, now=now, default_tz=settings.bot_timezone)
        if end is None:
            logger.info("session %s: not ended (unknown, cancelled or not over)", meeting_id)
            return
        lang = group_language(end.group, settings.bot_language)
        tz = group_timezone(end.group, settings.bot_timezone)
        channel = end.group.channel_id

    if end.message_ts is not None:
        logger.info("session %s: end message already posted (%s)", meeting_id, end.message_ts)
        if end.poll is not None:
            add_option_reactions(notifier, end.poll, Posted(channel, end.message_ts))
        return

    message = build_session_end(end, lang, tz, settings.slash_command)
    try:
        posted = notifier.post(channel, message)
    except PermanentFailure as failure:
        logger.error("session %s: end message refused (%s)", meeting_id, failure.code)
        if end.poll is not None:
            with transaction(db) as session:
                poll_domain.discard_unposted_poll(session, poll_id=end.poll.id)
        raise
    with transaction(db) as session:
        record_end_message(session, meeting_id=meeting_id, ts=posted.ts)
        if end.poll is not None:
            poll_domain.record_message(
                session, poll_id=end.poll.id, channel_id=posted.channel, ts=posted.ts
            )
    if end.poll is not None:
        add_option_reactions(notifier, end.poll, posted)


def read_reactions(
    notifier: Notifier,
    poll: poll_domain.PollView,
    *,
    retry: RetryPolicy,
    sleep: Callable[[float], None],
) -> list[dict[str, Any]] | None:
    """The poll message's reactions, or None when they cannot be read (message deleted,
    channel gone, Slack failing after retries). Reading twice is harmless, so an
    ambiguous failure is retried too."""
    if poll.message_ts is None:
        return None
    ts = poll.message_ts
    try:
        return _retrying(
            lambda: notifier.reactions(poll.channel_id, ts),
            retry=retry,
            sleep=sleep,
            retry_on=(TransientFailure, AmbiguousFailure),
            what=f"reactions.get for poll {poll.id}",
        )
    except SendFailure as failure:
        logger.warning("poll %s: reactions unreadable (%s)", poll.id, failure.code)
        return None


def close_poll(
    *,
    db: sessionmaker[Session],
    notifier: Notifier,
    poll_id: int,
    now: datetime,
    settings: Settings,
    bot_user_id: str,
    retry: RetryPolicy = DEFAULT_RETRY,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Tally and announce the poll; the winner becomes the next session's theme.

    Never raises for Slack failures: the poll is closed in the database either way (so
    the theme is set), the votes come from recorded events when the message cannot be
    read, and when nothing can be read the guide or organisers are asked to choose.
    """
    with transaction(db) as session:
        poll = session.get(Poll, poll_id)
        if poll is None or poll.status != PollStatus.OPEN:
            logger.info("poll %s: already closed or gone", poll_id)
            return
        if now < poll.closes_at:
            logger.info("poll %s: closes at %s, not yet", poll_id, poll.closes_at.isoformat())
            return
        view = poll_domain.poll_view(session, poll)
        group = session.get(Group, poll.group_id)
        lang = group_language(group, settings.bot_language)
        tz = group_timezone(group, settings.bot_timezone)

    reactions = read_reactions(notifier, view, retry=retry, sleep=sleep)
    result: TallyResult | None = (
        tally(view.option_pairs, reactions, bot_user_id) if reactions is not None else None
    )
    with transaction(db) as session:
        from_events = False
        if result is None:
            votes = poll_domain.recorded_votes(session, poll_id=poll_id)
            if votes:
                result = tally_votes(view.option_pairs, votes, bot_user_id)
                from_events = True
        closure = poll_domain.close_poll(
            session, poll_id=poll_id, result=result, from_events=from_events, now=now
        )
    if closure is None:
        logger.info("poll %s: closed by another run; result not posted twice", poll_id)
        return

    message = build_poll_result(closure, lang, tz, settings.slash_command)
    try:
        _retrying(
            lambda: notifier.post(view.channel_id, message),
            retry=retry,
            sleep=sleep,
            retry_on=(TransientFailure,),
            what=f"result of poll {poll_id}",
        )
    except SendFailure as failure:
        # The poll is closed and the theme set; only the announcement is lost.
        logger.error(
            "poll %s: closed, but its result could not be posted: %s", poll_id, failure.code
        )
