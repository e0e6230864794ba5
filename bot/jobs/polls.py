"""The cycle's jobs: SESSION_END, POLL_POST, POLL_CLOSE and POLL_CANCEL.

Each one is a sequence of idempotent steps, safe to run again after any crash:

- database steps (session held, next session planned, poll opened or closed, theme set)
  run in their own transactions, decided by conditional UPDATEs, and run exactly once
  however late the job comes: `item.useful` False only skips the messages;
- every Slack side effect (the post, each option's reaction, the result, the update of
  a cancelled poll) goes through the delivery's outbox under its own key, so a rerun
  finds what was sent and sends only the rest. No call to Slack is made inside a
  database transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import transaction
from bot.db.models import Group, Meeting, Poll
from bot.domain import polls as poll_domain
from bot.domain.groups import group_language, group_timezone
from bot.domain.rollover import SessionEnd
from bot.domain.summary import session_summary
from bot.domain.tally import TallyResult, tally
from bot.enums import DeliveryKind, Language, MessageStatus, PollStatus
from bot.i18n import t
from bot.jobs.contracts import JobDeps, JobEntry, NameLookup, no_names
from bot.jobs.dispatcher import DueItem
from bot.jobs.outbox import DeliveryOutbox, Step
from bot.jobs.rotation import named, suggested_ids
from bot.services import polls as poll_service
from bot.services import sessions as session_service
from bot.slack.blocks.common import text_message
from bot.slack.blocks.history import recap_blocks
from bot.slack.blocks.poll import build_poll, build_poll_result, build_session_end
from bot.slack.notifier import (
    Notifier,
    PermanentFailure,
    SendFailure,
    TransientFailure,
)

logger = logging.getLogger(__name__)

POST_KEY = "post"
POLL_KEY = "poll"  # the session end's poll, its own message after the end message
RESULT_KEY = "result"
UPDATE_KEY = "update"


def reaction_key(emoji: str) -> str:
    return f"reaction:{emoji}"


def _outbox(item: DueItem) -> DeliveryOutbox:
    if item.outbox is None:
        raise RuntimeError(f"delivery {item.delivery_id}: a job needs its outbox")
    return item.outbox


def _group_settings(group: Group | None, settings: Settings) -> tuple[Language, str]:
    return (
        group_language(group, settings.bot_language),
        group_timezone(group, settings.bot_timezone),
    )


def add_option_reactions(
    outbox: DeliveryOutbox, poll: poll_domain.PollView, channel: str, ts: str
) -> None:
    """The bot reacts with every option's emoji so members only have to click. A refusal
    is logged by the outbox and the others still go; members can add them themselves."""
    for option in poll.options:
        outbox.react(reaction_key(option.emoji), channel, ts, option.emoji)


def _posted_or_raise(step: Step, what: str) -> tuple[str, str, str | None] | None:
    """Where the post is; None when it may or may not be on screen (never resent);
    PermanentFailure when Slack refused it."""
    if step.status == MessageStatus.FAILED:
        raise PermanentFailure(step.error or "refused")
    where = step.where()
    if where is None:
        logger.error("%s: maybe posted, ts unknown; not posted again", what)
        return None
    return where.channel, where.ts, where.user


# --- the session's end ---------------------------------------------------------------------


def end_session(
    *,
    db: sessionmaker[Session],
    item: DueItem,
    now: datetime,
    settings: Settings,
    names: NameLookup = no_names,
) -> None:
    """Mark the session held and plan the next one (always); then, while useful, post
    the session's recap with the thanks and the call for next session's roles (and,
    while nobody guides it, the fair rotation's suggestion; `names` turns the recap's
    people and the suggestion into names: nobody is pinged), then the poll in its own
    message (or, without proposals, the end message calls for them)."""
    assert item.meeting_id is not None
    with transaction(db) as session:
        end = session_service.end_session(
            session,
            meeting_id=item.meeting_id,
            now=now,
            default_tz=settings.bot_timezone,
            useful=item.useful,
        )
        if end is None:
            logger.info("session %s: not ended (unknown, cancelled or not over)", item.meeting_id)
            return
        lang, tz = _group_settings(end.group, settings)
        channel = end.group.channel_id
        summary = session_summary(session, meeting_id=item.meeting_id)
        suggested = (
            suggested_ids(session, group_id=end.group.id, now=now)
            if item.useful and end.message_ts is None
            else ()
        )
    outbox = _outbox(item)
    if not item.useful:
        logger.warning(
            "session %s: held and next session planned; its end message is skipped (too late)",
            item.meeting_id,
        )
        if (
            end.poll is not None
            and end.poll.message_ts is None
            and outbox.surely_not_sent(POLL_KEY)
        ):
            # Opened by an earlier try whose post never reached Slack: nobody can vote.
            with transaction(db) as session:
                poll_domain.discard_unposted_poll(session, poll_id=end.poll.id)
        return
    # Asked outside any transaction: a name not cached yet is a users.info call. The
    # poll's proposers are named from their Slack profiles, in the end message and in
    # the poll's own.
    end = named_proposers(end, names)
    if end.message_ts is None:
        suggestion = named(suggested, names)
        # The recap opens the end message: the channel reads it, names and no pings.
        recap = (
            recap_blocks(summary, names(summary.people), lang, tz) if summary is not None else []
        )
        message = build_session_end(
            end,
            lang,
            tz,
            settings.slash_command,
            suggestion,
            recap=recap,
        )
        step = outbox.post(POST_KEY, channel, message)
        try:
            where = _posted_or_raise(step, f"session {item.meeting_id} end message")
        except PermanentFailure:
            if end.poll is not None:
                with transaction(db) as session:
                    poll_domain.discard_unposted_poll(session, poll_id=end.poll.id)
            raise
        if where is None:
            return
        with transaction(db) as session:
            session_service.record_end_message(session, meeting_id=item.meeting_id, ts=where[1])
    if end.poll is not None:
        _post_poll(
            db,
            outbox,
            end.poll,
            key=POLL_KEY,
            opened_by=None,
            lang=lang,
            tz=tz,
            what=f"session {item.meeting_id} poll",
        )


def _post_poll(
    db: sessionmaker[Session],
    outbox: DeliveryOutbox,
    poll: poll_domain.PollView,
    *,
    key: str,
    opened_by: str | None,
    lang: Language,
    tz: str,
    what: str,
) -> None:
    """The poll in its own message (after a session's thanks and role call, or opened with
    `sondage`): its options, their votes as they come in, and when it closes; then the
    bot's reactions, so members only have to click. Refused by Slack: the poll is removed,
    so an invisible poll does not block the group's next one."""
    if poll.message_ts is not None:
        where: tuple[str, str, str | None] | None = (poll.channel_id, poll.message_ts, None)
    else:
        step = outbox.post(key, poll.channel_id, build_poll(poll, lang, tz, opened_by=opened_by))
        try:
            where = _posted_or_raise(step, what)
        except PermanentFailure:
            with transaction(db) as session:
                poll_domain.discard_unposted_poll(session, poll_id=poll.id)
            raise
        if where is None:
            return
        with transaction(db) as session:
            poll_domain.record_message(
                session, poll_id=poll.id, channel_id=where[0], ts=where[1], posted_by=where[2]
            )
    if where is not None:
        add_option_reactions(outbox, poll, where[0], where[1])


def named_proposers(end: SessionEnd, names: NameLookup) -> SessionEnd:
    """The end message's poll with its proposers named from their Slack profiles."""
    if end.poll is None:
        return end
    return replace(end, poll=end.poll.named(names(end.poll.proposers)))


# --- a poll opened with `sondage` ------------------------------------------------------------


def post_poll(
    *,
    db: sessionmaker[Session],
    item: DueItem,
    now: datetime,
    settings: Settings,
    names: NameLookup = no_names,
) -> None:
    """Post the poll and its reactions. Refused by Slack (bot not in the channel): the
    poll is removed, so an invisible poll does not block the group's next one."""
    assert item.poll_id is not None
    with transaction(db) as session:
        poll = session.get(Poll, item.poll_id)
        if poll is None or poll.status != PollStatus.OPEN:
            logger.info("poll %s: closed or gone before it was posted", item.poll_id)
            return
        view = poll_domain.poll_view(session, poll)
        lang, tz = _group_settings(session.get(Group, poll.group_id), settings)
        opened_by = poll.opened_by
    outbox = _outbox(item)
    if not item.useful:
        logger.warning("poll %s: not posted, its voting time is over", item.poll_id)
        if view.message_ts is None and outbox.surely_not_sent(POST_KEY):
            with transaction(db) as session:
                poll_domain.discard_unposted_poll(session, poll_id=item.poll_id)
        return
    # Named outside any transaction: a name not cached yet is a users.info call.
    shown = view if view.message_ts is not None else view.named(names(view.proposers))
    _post_poll(
        db,
        outbox,
        shown,
        key=POST_KEY,
        opened_by=opened_by,
        lang=lang,
        tz=tz,
        what=f"poll {item.poll_id}",
    )


# --- the close ---------------------------------------------------------------------------------


def read_reactions(notifier: Notifier, poll: poll_domain.PollView) -> list[dict[str, Any]] | None:
    """The poll message's reactions; None when the message cannot be read for good
    (deleted, channel gone). Slack failing raises TransientFailure: the close is retried
    later, and falls back to the recorded votes when no retry is left."""
    if poll.message_ts is None:
        return None
    try:
        return notifier.reactions(poll.channel_id, poll.message_ts)
    except TransientFailure:
        raise
    except SendFailure as failure:
        logger.warning("poll %s: reactions unreadable (%s)", poll.id, failure.code)
        return None


def close_poll(
    *,
    db: sessionmaker[Session],
    notifier: Notifier,
    item: DueItem,
    now: datetime,
    settings: Settings,
    bot_user_id: Callable[[], str],
) -> None:
    """Tally and close the poll (always; the winner becomes the next session's theme),
    queueing the result in the same transaction; then, while useful, write it in place
    of the poll's message (posted as a message of its own only when the poll has none,
    or shares the end message of a session posted before polls had their own)."""
    assert item.poll_id is not None
    poll_id = item.poll_id
    with transaction(db) as session:
        poll = session.get(Poll, poll_id)
        if poll is None:
            logger.info("poll %s: gone", poll_id)
            return
        is_open = poll.status == PollStatus.OPEN
        if is_open and now < poll.closes_at:
            logger.info("poll %s: closes at %s, not yet", poll_id, poll.closes_at.isoformat())
            return
        view = poll_domain.poll_view(session, poll)
        lang, tz = _group_settings(session.get(Group, poll.group_id), settings)
        posted_by = poll.posted_by
        in_place = view.message_ts is not None and not _inside_end_message(session, poll)

    outbox = _outbox(item)
    if is_open:
        reactions = None
        bot_id = posted_by
        if item.useful:
            reactions = read_reactions(notifier, view)
            if reactions is not None:
                bot_id = _bot_user_id_for(posted_by, bot_user_id)
        result: TallyResult | None = (
            tally(view.option_pairs, reactions, bot_id) if reactions is not None else None
        )
        with transaction(db) as session:
            closure = poll_service.close_poll(
                session, poll_id=poll_id, reactions_result=result, bot_user_id=bot_id, now=now
            )
            if closure is not None:
                message = build_poll_result(closure, lang, tz, settings.slash_command)
                # The poll's own message becomes its result: the channel gets no post
                # of its own for it (a session's five at most).
                method, where = (
                    ("chat.update", {"channel": view.channel_id, "ts": view.message_ts})
                    if in_place
                    else ("chat.postMessage", {"channel": view.channel_id})
                )
                outbox.queue(session, RESULT_KEY, method, {**where, **message}, now)
        if closure is None:
            logger.info("poll %s: closed by another run", poll_id)
    if not item.useful:
        logger.warning("poll %s: closed late; its result is recorded, not posted", poll_id)
        return
    outbox.flush()


def _inside_end_message(session: Session, poll: Poll) -> bool:
    """Whether the poll is shown inside its session's end message (as they were posted
    before the poll had a message of its own): its result must not replace the role
    call."""
    if poll.source_meeting_id is None or poll.message_ts is None:
        return False
    held = session.get(Meeting, poll.source_meeting_id)
    return held is not None and held.end_message_ts == poll.message_ts


def _bot_user_id_for(posted_by: str | None, ask: Callable[[], str]) -> str:
    """The bot's id, to drop its own reactions: as Slack reported it at post time, else
    `auth.test`. A refusal there is treated as transient: the close is retried, and
    closes from the recorded votes when no retry is left; it never jams the group."""
    if posted_by:
        return posted_by
    try:
        return ask()
    except SendFailure as failure:
        raise TransientFailure(f"bot user id unknown: {failure.code}") from failure


# --- a cancelled poll ---------------------------------------------------------------------------


def cancel_poll(
    *, db: sessionmaker[Session], item: DueItem, now: datetime, settings: Settings
) -> None:
    """The poll was cancelled (already closed with no winner): its message now says so."""
    assert item.poll_id is not None
    with transaction(db) as session:
        poll = session.get(Poll, item.poll_id)
        if poll is None or poll.status != PollStatus.CANCELLED or poll.message_ts is None:
            return
        lang, _tz = _group_settings(session.get(Group, poll.group_id), settings)
        channel, ts = poll.channel_id, poll.message_ts
    if not item.useful:
        return
    message = text_message(t(lang, "poll.cancelled.message"))
    _outbox(item).update(UPDATE_KEY, channel, ts, message)


# --- the kinds this module works ------------------------------------------------------


def _session_end(deps: JobDeps, item: DueItem, now: datetime) -> None:
    if item.meeting_id is not None:
        end_session(db=deps.db, item=item, now=now, settings=deps.settings, names=deps.names)


def _poll_post(deps: JobDeps, item: DueItem, now: datetime) -> None:
    if item.poll_id is not None:
        post_poll(db=deps.db, item=item, now=now, settings=deps.settings, names=deps.names)


def _poll_close(deps: JobDeps, item: DueItem, now: datetime) -> None:
    if item.poll_id is not None:
        close_poll(
            db=deps.db,
            notifier=deps.notifier,
            item=item,
            now=now,
            settings=deps.settings,
            bot_user_id=deps.bot_user_id,
        )


def _poll_cancel(deps: JobDeps, item: DueItem, now: datetime) -> None:
    if item.poll_id is not None:
        cancel_poll(db=deps.db, item=item, now=now, settings=deps.settings)


JOBS: dict[DeliveryKind, JobEntry] = {
    DeliveryKind.SESSION_END: _session_end,
    DeliveryKind.POLL_POST: _poll_post,
    DeliveryKind.POLL_CLOSE: _poll_close,
    DeliveryKind.POLL_CANCEL: _poll_cancel,
}
