"""CALENDAR_INVITE: a session's `.ics` by DM to each member queued on the delivery.

The recipients were queued in the transaction that asked for them (a click on "Ajouter à
mon agenda", a move, a cancellation: `bot.domain.calendar`). The file is built here, at
send time, from the session as it is now, so a member always gets the latest version;
one who already holds that SEQUENCE (another delivery got there first) gets nothing.
Each upload is one outbox step keyed by the member: after a crash it is never sent
twice, and what a member received is recorded once Slack has shared the file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.calendar.ics import Method, filename, render, summary
from bot.config import Settings
from bot.db.engine import transaction
from bot.db.models import Group, Meeting
from bot.domain import calendar as calendar_domain
from bot.domain.groups import group_language, group_timezone
from bot.enums import DeliveryKind, Language, MeetingStatus
from bot.i18n import format_when, t
from bot.jobs.contracts import JobDeps, JobEntry
from bot.jobs.dispatcher import DueItem

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _File:
    content: bytes
    name: str
    title: str
    comment: str
    sequence: int


def _build(session: Session, meeting: Meeting, settings: Settings, *, first: bool) -> _File | None:
    group = session.get(Group, meeting.group_id)
    if group is None:
        return None
    lang: Language = group_language(group, settings.bot_language)
    tz = group_timezone(group, settings.bot_timezone)
    event = calendar_domain.load_event(session, meeting=meeting, group=group, timezone=tz)
    when = format_when(event.starts_at, tz, lang)
    if event.cancelled:
        method, comment = Method.CANCEL, t(lang, "calendar.invite.cancelled", when=when)
    elif first:
        method, comment = Method.PUBLISH, t(lang, "calendar.invite.comment", when=when)
    else:
        method, comment = Method.PUBLISH, t(lang, "calendar.invite.moved", when=when)
    return _File(
        content=render([event], lang=lang, method=method),
        name=filename(event),
        title=summary(event.theme, lang),
        comment=str(comment),
        sequence=event.sequence,
    )


def send_invites(
    *, db: sessionmaker[Session], item: DueItem, now: datetime, settings: Settings
) -> None:
    """Upload the session's `.ics` to every member queued on this delivery who does not
    hold its current SEQUENCE yet; record what each one received."""
    if item.meeting_id is None or not item.useful:
        return
    outbox = item.outbox
    if outbox is None:
        raise RuntimeError(f"delivery {item.delivery_id}: a job needs its outbox")
    for key, method, args in outbox.queued():
        if method != calendar_domain.INVITE_METHOD:
            continue
        user = str(args["user"])
        with transaction(db) as session:
            meeting = session.get(Meeting, item.meeting_id)
            if meeting is None:
                return
            received = calendar_domain.received_sequence(
                session, meeting_id=meeting.id, user_id=user
            )
            if received is not None and received >= meeting.ics_sequence:
                logger.info("session %s: %s already holds its invite", meeting.id, user)
                continue
            if received is None and meeting.status == MeetingStatus.CANCELLED:
                continue  # never took the invite: nothing to remove from their calendar
            built = _build(session, meeting, settings, first=received is None)
        if built is None:
            return
        step = outbox.upload(
            key,
            user,
            filename=built.name,
            content=built.content,
            title=built.title,
            comment=built.comment,
        )
        if step.sent:
            with transaction(db) as session:
                calendar_domain.record_received(
                    session,
                    meeting_id=item.meeting_id,
                    user_id=user,
                    sequence=built.sequence,
                    now=now,
                )


def _calendar_invite(deps: JobDeps, item: DueItem, now: datetime) -> None:
    send_invites(db=deps.db, item=item, now=now, settings=deps.settings)


JOBS: dict[DeliveryKind, JobEntry] = {DeliveryKind.CALENDAR_INVITE: _calendar_invite}
