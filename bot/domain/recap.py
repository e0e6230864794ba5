"""The recap of a held session and the group's history.

The recap is written in the transaction that marks the session held (`end_meeting`), so
it exists exactly once however often the job runs; the poll's winner is added in the
transaction that closes the poll. Contributions are copied, not referenced: the history
tells what the session covered even after a contribution is edited or withdrawn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Delivery, DeliveryMessage, Meeting, SessionRecap
from bot.domain.meetings import guide_of
from bot.domain.organising import active_contributions
from bot.domain.participants import participant_count
from bot.enums import DeliveryKind, MessageStatus

HISTORY_PAGE_SIZE = 5
HOME_HISTORY_SIZE = 3  # the App Home's short history


@dataclass(frozen=True)
class RecapItem:
    title: str
    author_user_id: str
    guest_name: str | None
    link: str | None


@dataclass(frozen=True)
class RecapView:
    meeting_id: int
    starts_at: datetime
    theme: str | None
    guide_user_id: str | None
    participants: int
    contributions: tuple[RecapItem, ...]
    poll_winner: str | None


@dataclass(frozen=True)
class HistoryPage:
    recaps: tuple[RecapView, ...]
    page: int  # 1-based
    has_more: bool


def record_recap(session: Session, *, meeting: Meeting, now: datetime) -> None:
    """Copy what the session covered; a second call for the same session does nothing."""
    contributions = active_contributions(session, meeting_id=meeting.id)
    items = [
        {"title": c.title, "author": c.author_user_id, "guest": c.guest_name, "link": c.link}
        for c in contributions
    ]
    recap = SessionRecap(
        meeting_id=meeting.id,
        group_id=meeting.group_id,
        starts_at=meeting.starts_at,
        theme=meeting.theme,
        guide_user_id=guide_of(session, meeting_id=meeting.id),
        participants=participant_count(session, meeting_id=meeting.id),
        contributions=json.dumps(items),
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(recap)
    except IntegrityError:
        pass  # recorded by an earlier run


def record_poll_winner(session: Session, *, meeting_id: int | None, winner: str | None) -> None:
    """The theme the session's poll chose for the next session, added to its recap."""
    if meeting_id is None or winner is None:
        return
    session.execute(
        update(SessionRecap)
        .where(SessionRecap.meeting_id == meeting_id)
        .values(poll_winner=winner)
        .execution_options(synchronize_session=False)
    )


def _view(row: SessionRecap) -> RecapView:
    items = tuple(
        RecapItem(
            title=str(item.get("title", "")),
            author_user_id=str(item.get("author", "")),
            guest_name=item.get("guest"),
            link=item.get("link"),
        )
        for item in json.loads(row.contributions or "[]")
    )
    return RecapView(
        meeting_id=row.meeting_id,
        starts_at=row.starts_at,
        theme=row.theme,
        guide_user_id=row.guide_user_id,
        participants=row.participants,
        contributions=items,
        poll_winner=row.poll_winner,
    )


def recap_of(session: Session, *, meeting_id: int) -> RecapView | None:
    row = session.scalar(select(SessionRecap).where(SessionRecap.meeting_id == meeting_id))
    return _view(row) if row is not None else None


def history(
    session: Session, *, group_id: int, page: int = 1, size: int = HISTORY_PAGE_SIZE
) -> HistoryPage:
    """Past sessions, newest first; one extra row read tells whether an older page exists."""
    page = max(1, page)
    rows = list(
        session.scalars(
            select(SessionRecap)
            .where(SessionRecap.group_id == group_id)
            .order_by(SessionRecap.starts_at.desc(), SessionRecap.id.desc())
            .offset((page - 1) * size)
            .limit(size + 1)
        )
    )
    return HistoryPage(
        recaps=tuple(_view(r) for r in rows[:size]), page=page, has_more=len(rows) > size
    )


def announcement_thread(session: Session, *, meeting_id: int) -> tuple[str, str] | None:
    """The channel and ts of the session's announcement (its thread), as its delivery
    recorded them; None when it was never posted."""
    return posted_message(session, meeting_id=meeting_id, kind=DeliveryKind.ANNOUNCEMENT)


def posted_message(
    session: Session, *, meeting_id: int, kind: DeliveryKind
) -> tuple[str, str] | None:
    """The channel and ts of the session's last post of `kind` that its delivery
    recorded (not a call it queued); None when none went out."""
    row = session.execute(
        select(DeliveryMessage.channel_id, DeliveryMessage.ts)
        .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
        .where(
            Delivery.meeting_id == meeting_id,
            Delivery.kind == kind,
            DeliveryMessage.status == MessageStatus.SENT,
            DeliveryMessage.ts.is_not(None),
            DeliveryMessage.payload.is_(None),
        )
        .order_by(DeliveryMessage.id.desc())
        .limit(1)
    ).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return str(row[0]), str(row[1])
