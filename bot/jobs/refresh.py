"""The REFRESH job: the messages that show a changed session or poll, brought up to date.

`bot.domain.changes` says *what* changed (session X, poll Y); `VIEWS` below is the one
place that says *which messages* show it. Each view finds, in the outbox, the messages
already posted for the subject (their channel and ts are recorded there) and rebuilds
each one from the current state with the same builder that first wrote it; the job sends
every rebuilt message as a `chat.update` step of the refresh delivery. A notice queued
with the change (a contribution added, a new guide, a move) goes to the session's thread.

Before the announcement exists (more than `announcement_days` ahead) there is no thread:
the notices are dropped on purpose. Whoever acted already got their confirmation, the
guide call (if any) shows the guide, and the announcement, when it comes, is written from
the state at that time, so the group loses nothing and the channel stays quiet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import transaction
from bot.db.models import Delivery, DeliveryMessage, Group, Meeting, Poll
from bot.domain import polls as poll_domain
from bot.domain import tour as tour_domain
from bot.domain.groups import group_language, group_timezone
from bot.domain.outbox import (
    ALERT_PREFIX,
    DM_PREFIX,
    NOTICE_PREFIX,
    TOUR_DM_PREFIX,
    Subject,
    refresh_scope,
)
from bot.domain.programme import Programme, load_programme
from bot.domain.recap import announcement_thread
from bot.domain.rollover import posted_session_end
from bot.domain.summary import session_summary
from bot.enums import DeliveryKind, MeetingStatus, MessageStatus, PollStatus
from bot.jobs.contracts import JobDeps, JobEntry, NameLookup, no_names
from bot.jobs.dispatcher import DueItem
from bot.jobs.outbox import DeliveryOutbox
from bot.jobs.polls import POST_KEY, RESULT_KEY
from bot.jobs.rotation import named, suggested_ids
from bot.slack.blocks.common import Message
from bot.slack.blocks.cycle import (
    Audience,
    build_announcement,
    build_contributor_reminder,
    build_guide_call,
    build_session_over,
)
from bot.slack.blocks.history import recap_blocks
from bot.slack.blocks.poll import build_poll, build_session_end
from bot.slack.blocks.tour import TourSession, build_tour_invitation
from bot.slack.notifier import Notifier, SendFailure, TransientFailure

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Posted:
    """A message the outbox recorded as sent: the row that holds it, and where it is."""

    row_id: int
    kind: DeliveryKind
    recipient: str
    channel: str
    ts: str


@dataclass(frozen=True)
class Update:
    """One `chat.update` to make; keyed by the row of the message it rewrites, or by the
    marker that asked for it (`marker`: a member's DM to rebuild), which it settles."""

    posted: Posted
    message: Message
    marker: str | None = None

    @property
    def key(self) -> str:
        return self.marker or f"update:{self.posted.row_id}"


@dataclass(frozen=True)
class Target:
    """What a view reads: the subject as it is now, and how to write for its group."""

    session: Session
    group: Group
    audience: Audience
    meeting: Meeting | None = None
    poll: Poll | None = None
    result_link: str | None = None
    # The fair rotation's suggestion for the upcoming session, as display names (empty
    # once it has a guide): the guide call and the role call show it while it lasts.
    suggestion: tuple[str, ...] = ()
    # When the refresh runs: a view may depend on it (the tour de table closes at the
    # start).
    now: datetime | None = None
    # The held session's recap (its end message), once posted.
    recap_link: str | None = None
    # The members whose own DM must be rebuilt (their tour de table answer changed), by
    # member: the key of the marker queued with the change.
    markers: Mapping[str, str] = field(default_factory=dict)
    # A refresh of those members' DMs alone (`Subject.MEMBERS`), not of the session.
    markers_only: bool = False
    # The names of the people an end message's recap names (never mentioned).
    names: Mapping[str, str] = field(default_factory=dict)
    # The shown poll's proposers by their Slack profile names (asked before the
    # transaction); a proposer missing here is shown without a name.
    proposer_names: Mapping[str, str] = field(default_factory=dict)

    def programme(self) -> Programme:
        assert self.meeting is not None
        return load_programme(self.session, meeting=self.meeting)


View = Callable[[Target], list[Update]]


def sent_messages(
    session: Session, *, kinds: tuple[DeliveryKind, ...], meeting_id: int
) -> list[Posted]:
    """The messages the deliveries of `kinds` posted for this session, oldest first.
    Queued calls (payload set: results, notices) are not views of the session."""
    rows = session.execute(
        select(
            DeliveryMessage.id,
            Delivery.kind,
            DeliveryMessage.recipient,
            DeliveryMessage.channel_id,
            DeliveryMessage.ts,
        )
        .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
        .where(
            Delivery.meeting_id == meeting_id,
            Delivery.kind.in_(kinds),
            DeliveryMessage.status == MessageStatus.SENT,
            DeliveryMessage.ts.is_not(None),
            DeliveryMessage.payload.is_(None),
        )
        .order_by(DeliveryMessage.id)
    ).all()
    return [Posted(int(r[0]), r[1], str(r[2]), str(r[3]), str(r[4])) for r in rows]


# --- the views of a session ---------------------------------------------------------------


def guide_call_view(target: Target) -> list[Update]:
    """The J-14 call: once a guide exists it names them and loses its button."""
    assert target.meeting is not None
    posted = sent_messages(
        target.session, kinds=(DeliveryKind.GUIDE_CALL,), meeting_id=target.meeting.id
    )
    if not posted:
        return []
    message = build_guide_call(target.programme(), target.audience, target.suggestion)
    return [Update(p, message) for p in posted]


def announcement_view(target: Target) -> list[Update]:
    """The session's living message: date, theme, guide, contributions, budget."""
    assert target.meeting is not None
    posted = sent_messages(
        target.session, kinds=(DeliveryKind.ANNOUNCEMENT,), meeting_id=target.meeting.id
    )
    if not posted:
        return []
    message = build_announcement(target.programme(), target.audience)
    return [Update(p, message) for p in posted]


def readiness_view(target: Target) -> list[Update]:
    """Each contributor's reminder DM: the ready button becomes « ✅ prête »."""
    assert target.meeting is not None
    kinds = (DeliveryKind.CONTRIBUTOR_REMINDER, DeliveryKind.LAST_REMINDER)
    posted = sent_messages(target.session, kinds=kinds, meeting_id=target.meeting.id)
    if not posted:
        return []
    programme = target.programme()
    by_author = {c.author_user_id: c for c in programme.contributions}
    updates = []
    for p in posted:
        contribution = by_author.get(p.recipient)
        if contribution is None:
            continue  # withdrawn: the DM stays as it was, the withdrawal was confirmed
        others = [c for c in programme.contributions if c.author_user_id != p.recipient]
        last = p.kind == DeliveryKind.LAST_REMINDER
        message = build_contributor_reminder(
            programme, contribution, others, target.audience, last=last
        )
        updates.append(Update(p, message))
    return updates


def tour_invitation_view(target: Target) -> list[Update]:
    """The tour de table's invitations follow their reader: the DM of a member who
    answered or deleted (a marker queued by `TourAnswered`) is rebuilt with the buttons
    that fit, and no other; once the session has begun (`SessionStarted`) every one says
    the tour is closed and no longer offers to answer."""
    meeting = target.meeting
    assert meeting is not None
    started = target.now is not None and target.now >= meeting.starts_at
    if not started and not target.markers:
        return []
    posted = sent_messages(target.session, kinds=(DeliveryKind.TOUR_INVITE,), meeting_id=meeting.id)
    if not started or target.markers_only:
        posted = [p for p in posted if p.recipient in target.markers]
    if not posted:
        return []
    answered = tour_domain.answered_members(target.session, meeting_id=meeting.id)
    audience = target.audience
    where = TourSession(
        meeting_id=meeting.id,
        group_id=meeting.group_id,
        channel_id=audience.channel_id,
        starts_at=meeting.starts_at,
        lang=audience.lang,
        tz=audience.tz,
    )
    updates = []
    marked: set[str] = set()
    # Newest first: a member invited again after a move has the marker on their last DM.
    for p in reversed(posted):
        marker = target.markers.get(p.recipient)
        if marker in marked:
            marker = None
        elif marker is not None:
            marked.add(marker)
        message = build_tour_invitation(where, answered=p.recipient in answered, closed=started)
        updates.append(Update(p, message, marker))
    return list(reversed(updates))


def role_call_view(target: Target) -> list[Update]:
    """The previous session's end message calls for this session's roles: it shows the
    guide once there is one."""
    assert target.meeting is not None
    held = _previous_end(target.session, target.meeting)
    return _session_end_update(target, held) if held is not None else []


def _previous_end(session: Session, meeting: Meeting) -> Meeting | None:
    """The held session whose end message called for `meeting`'s roles."""
    return session.scalars(
        select(Meeting)
        .where(
            Meeting.group_id == meeting.group_id,
            Meeting.status == MeetingStatus.HELD,
            Meeting.end_message_ts.is_not(None),
            Meeting.starts_at < meeting.starts_at,
        )
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    ).first()


def _poll_shown(session: Session, item: DueItem) -> int | None:
    """The poll whose state a refreshed message shows: the subject itself, or the poll in
    the end message that calls for the session's roles."""
    if item.poll_id is not None:
        return item.poll_id
    meeting = session.get(Meeting, item.meeting_id) if item.meeting_id else None
    held = _previous_end(session, meeting) if meeting is not None else None
    poll = poll_domain.poll_opened_by_meeting(session, meeting_id=held.id) if held else None
    return poll.id if poll is not None else None


def _session_end_update(target: Target, held: Meeting) -> list[Update]:
    end = posted_session_end(target.session, meeting=held, result_link=target.result_link)
    if end is None or end.next_meeting_id is None or end.message_ts is None:
        return []
    posted = sent_messages(target.session, kinds=(DeliveryKind.SESSION_END,), meeting_id=held.id)
    audience = target.audience
    summary = session_summary(target.session, meeting_id=held.id)
    recap = (
        recap_blocks(summary, target.names, audience.lang, audience.tz)
        if summary is not None
        else []
    )
    if end.poll is not None:
        end = replace(end, poll=end.poll.named(target.proposer_names))
    message = build_session_end(
        end, audience.lang, audience.tz, audience.command, target.suggestion, recap=recap
    )
    return [Update(p, message) for p in posted if p.ts == end.message_ts]


# --- a session held ------------------------------------------------------------------------

# The messages that offered roles or readiness for the session; once it is held they say
# so, link to the recap, and offer nothing.
OFFERING_KINDS = (
    DeliveryKind.GUIDE_CALL,
    DeliveryKind.ANNOUNCEMENT,
    DeliveryKind.CONTRIBUTOR_REMINDER,
    DeliveryKind.LAST_REMINDER,
)


def held_view(target: Target) -> list[Update]:
    meeting = target.meeting
    assert meeting is not None
    posted = sent_messages(target.session, kinds=OFFERING_KINDS, meeting_id=meeting.id)
    if not posted:
        return []
    message = build_session_over(target.programme(), target.audience, target.recap_link)
    return [Update(p, message) for p in posted]


# --- the view of a poll -------------------------------------------------------------------


def poll_message_view(target: Target) -> list[Update]:
    """An open poll's message shows the votes as they come in (`PollVoted`), the bot's
    own reactions left out. Once closed, its result is written in its place by the
    close (`bot.jobs.polls`); only a poll shown inside a session's end message (as the
    bot posted them before the poll had its own message) is rewritten here, with the
    rest of that message (the role call) as it reads now."""
    poll = target.poll
    if poll is None or poll.message_ts is None:
        return []
    if poll.status != PollStatus.CANCELLED and poll.source_meeting_id is not None:
        held = target.session.get(Meeting, poll.source_meeting_id)
        if held is not None and held.end_message_ts == poll.message_ts:
            return _session_end_update(target, held)
    if poll.status != PollStatus.OPEN:
        return []
    where = Posted(0, DeliveryKind.POLL_POST, poll.channel_id, poll.channel_id, poll.message_ts)
    view = poll_domain.poll_view(target.session, poll).named(target.proposer_names)
    audience = target.audience
    message = build_poll(view, audience.lang, audience.tz, opened_by=poll.opened_by)
    return [Update(where, message)]


# The one mapping from what changed to what shows it. Adding a message that shows a
# session or a poll means adding its view here, and nowhere else.
HELD_VIEWS: tuple[View, ...] = (held_view,)

VIEWS: dict[Subject, tuple[View, ...]] = {
    Subject.SESSION: (
        guide_call_view,
        announcement_view,
        readiness_view,
        role_call_view,
        tour_invitation_view,
    ),
    # A member's own change (a tour de table answer): their DM alone.
    Subject.MEMBERS: (tour_invitation_view,),
    Subject.POLL: (poll_message_view,),
}


# --- the job --------------------------------------------------------------------------------


def _thread_of(session: Session, meeting: Meeting | None) -> tuple[str, str] | None:
    """The announcement's channel and ts: the session's thread."""
    if meeting is None:
        return None
    return announcement_thread(session, meeting_id=meeting.id)


def _suggestion_shown(session: Session, group_id: int) -> bool:
    """Whether a message that shows the rotation's suggestion is posted for the upcoming
    session (its guide call, or the role call of the session before): otherwise no name
    is looked up for nothing."""
    upcoming = session.scalars(
        select(Meeting).where(
            Meeting.group_id == group_id, Meeting.status == MeetingStatus.SCHEDULED
        )
    ).one_or_none()
    if upcoming is None:
        return False
    if sent_messages(session, kinds=(DeliveryKind.GUIDE_CALL,), meeting_id=upcoming.id):
        return True
    return _previous_end(session, upcoming) is not None


def _end_shown(session: Session, item: DueItem) -> int | None:
    """The held session whose end message this refresh may rewrite (the poll's own, or
    the one calling for the session's roles): its recap names people."""
    if item.poll_id is not None:
        poll = session.get(Poll, item.poll_id)
        return poll.source_meeting_id if poll is not None else None
    meeting = session.get(Meeting, item.meeting_id) if item.meeting_id else None
    held = _previous_end(session, meeting) if meeting is not None else None
    return held.id if held is not None else None


def _sent_step(
    session: Session, subject: Any, kind: DeliveryKind, key: str
) -> tuple[str, str] | None:
    """Where the step `key` of the subject's `kind` delivery was posted; None while it
    was not (`subject`: the delivery's poll or meeting column compared to its id)."""
    row = session.execute(
        select(DeliveryMessage.channel_id, DeliveryMessage.ts)
        .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
        .where(
            subject,
            Delivery.kind == kind,
            DeliveryMessage.recipient == key,
            DeliveryMessage.status == MessageStatus.SENT,
        )
    ).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return str(row[0]), str(row[1])


def _result_location(session: Session, poll_id: int | None) -> tuple[str, str] | None:
    """Where the poll's result was posted; None while it is not."""
    if poll_id is None:
        return None
    return _sent_step(session, Delivery.poll_id == poll_id, DeliveryKind.POLL_CLOSE, RESULT_KEY)


def _recap_location(session: Session, meeting_id: int | None) -> tuple[str, str] | None:
    """Where the held session's recap was posted (its end message, in the channel);
    None while it is not."""
    if meeting_id is None:
        return None
    return _sent_step(
        session, Delivery.meeting_id == meeting_id, DeliveryKind.SESSION_END, POST_KEY
    )


def _permalink(
    notifier: Notifier, subject_id: int | None, where: tuple[str, str] | None
) -> str | None:
    """A link to the poll's result or the recap; without it the message still says the
    poll is closed or the session over."""
    if where is None:
        return None
    try:
        return notifier.permalink(*where)
    except TransientFailure:
        raise
    except SendFailure as failure:
        logger.warning("%s: no permalink for %s (%s)", subject_id, where, failure.code)
        return None


def refresh(
    *,
    db: sessionmaker[Session],
    notifier: Notifier,
    item: DueItem,
    now: datetime,
    settings: Settings,
    names: NameLookup = no_names,
) -> None:
    """Rebuild every view of the subject, then post the queued notices in its thread.
    A rerun finds the steps already sent (keyed by the rewritten row) and skips them.
    (The App Homes follow the change itself, right after its commit: `bot.followups`.)"""
    outbox = item.outbox
    if outbox is None:
        raise RuntimeError(f"delivery {item.delivery_id}: a job needs its outbox")
    if not item.useful:
        return
    markers = {
        key.removeprefix(TOUR_DM_PREFIX): key
        for key, _method, _args in outbox.queued_calls(prefix=TOUR_DM_PREFIX)
    }
    with transaction(db) as session:
        delivery = session.get(Delivery, item.delivery_id)
        scope = refresh_scope(delivery.dedup_key) if delivery is not None else Subject.SESSION
        members_only = scope == Subject.MEMBERS
        shown = None if members_only else _poll_shown(session, item)
        proposers = poll_domain.proposer_ids(session, poll_id=shown) if shown else ()
        result_at = _result_location(session, shown)
        recap_at = None if members_only else _recap_location(session, item.meeting_id)
        suggested = (
            suggested_ids(session, group_id=item.group_id, now=now)
            if not members_only and _suggestion_shown(session, item.group_id)
            else ()
        )
        held_id = None if members_only else _end_shown(session, item)
        summary = session_summary(session, meeting_id=held_id) if held_id is not None else None
        people = summary.people if summary is not None else ()
    # Asked outside any transaction: no Slack call holds the database.
    people_names = names(people) if people else {}
    link = _permalink(notifier, shown, result_at)
    recap_link = _permalink(notifier, item.meeting_id, recap_at)
    suggestion = named(suggested, names)
    proposer_names = dict(names(proposers)) if proposers else {}
    with transaction(db) as session:
        group = session.get(Group, item.group_id)
        if group is None:
            return
        audience = Audience(
            lang=group_language(group, settings.bot_language),
            tz=group_timezone(group, settings.bot_timezone),
            command=settings.slash_command,
            channel_id=group.channel_id,
        )
        meeting = session.get(Meeting, item.meeting_id) if item.meeting_id else None
        poll = session.get(Poll, item.poll_id) if item.poll_id else None
        subject = scope if item.meeting_id is not None else Subject.POLL
        target = Target(
            session,
            group,
            audience,
            meeting=meeting,
            poll=poll,
            result_link=link,
            suggestion=suggestion,
            now=now,
            recap_link=recap_link,
            markers=markers,
            markers_only=members_only,
            names=people_names,
            proposer_names=proposer_names,
        )
        updates: list[Update] = []
        if subject == Subject.POLL or (
            meeting is not None and meeting.status == MeetingStatus.SCHEDULED
        ):
            for view in VIEWS[subject]:
                updates += view(target)
        elif (
            subject == Subject.SESSION
            and meeting is not None
            and meeting.status == MeetingStatus.HELD
        ):
            # Held: its messages say so (a refresh of members' DMs then rewrites none).
            for view in HELD_VIEWS:
                updates += view(target)
        thread = _thread_of(session, meeting)
    for update in updates:
        outbox.update(update.key, update.posted.channel, update.posted.ts, update.message)
    settled = {u.marker for u in updates}
    for key in markers.values():
        if key not in settled and outbox.status(key) == MessageStatus.QUEUED:
            outbox.drop(key, "no invitation of this member to rewrite now")
    _post_notices(outbox, thread)


def _post_notices(outbox: DeliveryOutbox, thread: tuple[str, str] | None) -> None:
    """The thread replies queued with the changes, then the DMs and private alerts."""
    for key, _method, args in outbox.queued_calls(prefix=NOTICE_PREFIX):
        if thread is None:
            outbox.drop(key, "before the announcement: it will show this")
            continue
        channel, ts = thread
        message = {k: v for k, v in args.items() if k in ("text", "blocks")}
        outbox.reply_in_thread(key, channel, ts, message)
    for prefix in (DM_PREFIX, ALERT_PREFIX):
        for key, method, args in outbox.queued_calls(prefix=prefix):
            outbox.perform(key, method, args)


def _refresh(deps: JobDeps, item: DueItem, now: datetime) -> None:
    refresh(
        db=deps.db,
        notifier=deps.notifier,
        item=item,
        now=now,
        settings=deps.settings,
        names=deps.names,
    )


JOBS: dict[DeliveryKind, JobEntry] = {DeliveryKind.REFRESH: _refresh}
