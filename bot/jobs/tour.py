"""The async tour de table's jobs: the invitation to each member, the compiled answers,
and the "Je peux aider" DM.

TOUR_INVITE reads the channel's members when it falls due (`conversations.members`), so
whoever joined since the session was planned is invited and whoever left is not. Each DM
is its own outbox step keyed by the member's id: after a crash or a retry nobody gets it
twice, and a member Slack refuses (deactivated, a bot) is recorded FAILED while the
others go on. TOUR_COMPILE sends two steps, `guide` (every answer, by DM; nothing when nobody
answered, which the guide's overview said) and `thread` (the shared ones, in the
session's thread). TOUR_HELP sends what the click queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import transaction
from bot.db.models import Delivery
from bot.domain import cycle, meetings
from bot.domain import tour as tour_domain
from bot.domain.groups import group_language, group_timezone
from bot.enums import DeliveryKind, MessageStatus
from bot.jobs.contracts import JobDeps, JobEntry, NameLookup
from bot.jobs.dispatcher import DueItem
from bot.jobs.outbox import DeliveryOutbox, VerifyLater
from bot.slack.blocks.tour import (
    AuthorName,
    TourSession,
    build_tour_digest,
    build_tour_invitation,
    build_tour_thread,
)
from bot.slack.notifier import Notifier, PermanentFailure

logger = logging.getLogger(__name__)

GUIDE_KEY = "guide"
THREAD_KEY = "thread"
# Steps a rerun does not need to prepare again (no users.info for them).
SETTLED = (MessageStatus.SENT, MessageStatus.FAILED)


def _outbox(item: DueItem) -> DeliveryOutbox:
    if item.outbox is None:
        raise RuntimeError(f"delivery {item.delivery_id}: a job needs its outbox")
    return item.outbox


def _load(
    session: Session, item: DueItem, settings: Settings
) -> tuple[cycle.CycleState, TourSession] | None:
    """The session as it is now, or None (logged) when the delivery became pointless:
    the session moved, was cancelled or held, or the group switched the tour off."""
    delivery = session.get(Delivery, item.delivery_id)
    if delivery is None:
        return None
    state = cycle.load_cycle_state(session, delivery=delivery)
    if isinstance(state, cycle.NotToSend):
        logger.info("delivery %s (%s): %s", item.delivery_id, item.kind.value, state.reason)
        return None
    group = state.group
    where = TourSession(
        meeting_id=state.meeting.id,
        group_id=group.id,
        channel_id=group.channel_id,
        starts_at=state.meeting.starts_at,
        lang=group_language(group, settings.bot_language),
        tz=group_timezone(group, settings.bot_timezone),
    )
    return state, where


def _is_bot(notifier: Notifier, user: str) -> bool:
    """Bots and deactivated accounts are not invited; when Slack will not say, the DM is
    tried and Slack's refusal recorded."""
    try:
        info = notifier.user_info(user)
    except PermanentFailure as failure:
        logger.info("users.info %s refused (%s); inviting anyway", user, failure.code)
        return False
    return bool(info.get("is_bot") or info.get("deleted"))


def send_invitations(
    *,
    db: sessionmaker[Session],
    notifier: Notifier,
    item: DueItem,
    settings: Settings,
    bot_user_id: Callable[[], str],
) -> None:
    """One DM per member of the channel who is not a bot and has not opted out."""
    if item.meeting_id is None or not item.useful:
        return
    outbox = _outbox(item)
    with transaction(db) as session:
        loaded = _load(session, item, settings)
    if loaded is None:
        return
    _state, where = loaded
    me = bot_user_id()
    members = [m for m in notifier.channel_members(where.channel_id) if m != me]
    with transaction(db) as session:
        recipients = tour_domain.invitation_recipients(
            session,
            group_id=where.group_id,
            meeting_id=where.meeting_id,
            members=members,
            bots=set(),
        )
    message = build_tour_invitation(where)
    later: VerifyLater | None = None
    invited = 0
    for user in recipients:
        status = outbox.status(user)
        if status in SETTLED:
            continue
        if status is None and _is_bot(notifier, user):
            continue
        try:
            step = outbox.post(user, user, message)
        except VerifyLater as pending:
            later = pending if later is None or pending.at > later.at else later
            continue
        invited += step.sent
    logger.info(
        "session %s: tour de table invitation sent to %s of %s member(s)",
        where.meeting_id,
        invited,
        len(members),
    )
    if later is not None:
        raise later


def compile_answers(
    *, db: sessionmaker[Session], item: DueItem, settings: Settings, names: NameLookup
) -> None:
    """Every answer to the guide; the shared ones in the session's thread, where the
    authors are named by their Slack names (`names`, the process's cache), never
    mentioned: a member Slack cannot name shows as "a member"."""
    if item.meeting_id is None or not item.useful:
        return
    outbox = _outbox(item)
    with transaction(db) as session:
        loaded = _load(session, item, settings)
        if loaded is None:
            return
        state, where = loaded
        answers = tour_domain.answers_of_meeting(session, meeting_id=where.meeting_id)
        thread = tour_domain.tour_thread(session, meeting_id=where.meeting_id)
    later: VerifyLater | None = None
    guide = state.programme.guide_user_id
    if guide is None:
        logger.info("session %s: nobody guides; the tour de table goes to no one", item.meeting_id)
    elif not answers:
        # Nothing to read: the guide's overview already said nobody had answered.
        logger.info("session %s: nobody answered the tour de table; no digest", item.meeting_id)
    else:
        try:
            outbox.post(GUIDE_KEY, guide, build_tour_digest(where, answers))
        except VerifyLater as pending:
            later = pending
    shared = [a for a in answers if a.share_with_group]
    if shared and thread is None:
        logger.warning(
            "session %s: %s shared tour de table answer(s) not posted: no announcement or "
            "run-of-show thread to reply in",
            item.meeting_id,
            len(shared),
        )
    elif shared and thread is not None and outbox.status(THREAD_KEY) not in SETTLED:
        known = names([a.user_id for a in shared])
        named = [AuthorName(a, known.get(a.user_id, "")[:80]) for a in shared]
        reply = build_tour_thread(where.lang, named)
        if reply is not None:
            outbox.reply_in_thread(THREAD_KEY, thread[0], thread[1], reply)
    if later is not None:
        raise later


def send_help(item: DueItem) -> None:
    """The DM the "Je peux aider" click queued, sent once."""
    if not item.useful or item.outbox is None:
        return
    item.outbox.flush()


def session_started(*, db: sessionmaker[Session], item: DueItem, now: datetime) -> None:
    """SESSION_START: the session has begun; its invitations stop offering to answer
    (through the refresh that follows `SessionStarted`)."""
    if item.meeting_id is None or not item.useful:
        return
    with transaction(db) as session:
        if not meetings.mark_started(session, meeting_id=item.meeting_id, now=now):
            logger.info("session %s: not started as planned (moved or over)", item.meeting_id)


# --- the kinds this module works ------------------------------------------------------


def _tour_invite(deps: JobDeps, item: DueItem, now: datetime) -> None:
    send_invitations(
        db=deps.db,
        notifier=deps.notifier,
        item=item,
        settings=deps.settings,
        bot_user_id=deps.bot_user_id,
    )


def _tour_compile(deps: JobDeps, item: DueItem, now: datetime) -> None:
    compile_answers(db=deps.db, item=item, settings=deps.settings, names=deps.names)


JOBS: dict[DeliveryKind, JobEntry] = {
    DeliveryKind.TOUR_INVITE: _tour_invite,
    DeliveryKind.TOUR_COMPILE: _tour_compile,
    DeliveryKind.TOUR_HELP: lambda _deps, item, _now: send_help(item),
    DeliveryKind.SESSION_START: lambda deps, item, now: session_started(
        db=deps.db, item=item, now=now
    ),
}
