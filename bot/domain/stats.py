"""Organisers' statistics: sessions held, contributions per member, who guided when,
RSVPs; and the CSV export, sent by DM through a STATS_EXPORT delivery.

Read from the live tables of held sessions (not the recaps), so sessions held before
recaps existed count too. The export's delivery is created and its recipient queued in
the command's transaction; the file is built at send time (`bot.jobs.stats`).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Contribution, Group, Meeting, MeetingRole
from bot.domain.meetings import AdminCheck
from bot.domain.ordering import CONTRIBUTION_ORDER
from bot.domain.organising import require_organiser
from bot.domain.outbox import queue_call
from bot.domain.participants import participant_ids
from bot.domain.planner import plan_delivery
from bot.enums import (
    ContributionStatus,
    DeliveryKind,
    MeetingStatus,
    RoleKind,
)

EXPORT_METHOD = "stats.export"
# The CSV is still worth sending a while after it was asked for (Slack down briefly).
EXPORT_USEFUL_FOR = timedelta(hours=1)
CSV_COLUMNS = ("date", "theme", "guide", "participants", "contributions", "contributors")


@dataclass(frozen=True)
class SessionStat:
    meeting_id: int
    starts_at: datetime
    theme: str | None
    guide_user_id: str | None
    # Who said they would come: guide, contributors and RSVPs, each once (the one
    # definition, `bot.domain.participants`), as the recap counted them.
    participants: int
    contributions: tuple[tuple[str, str], ...]  # (title, author), programme order


@dataclass(frozen=True)
class GroupStats:
    sessions: tuple[SessionStat, ...]  # held, oldest first
    contributions_per_member: tuple[tuple[str, int], ...]  # most first, then by id

    @property
    def held(self) -> int:
        return len(self.sessions)

    @property
    def participants(self) -> int:
        """Participations over the sessions held (a member coming twice counts twice)."""
        return sum(s.participants for s in self.sessions)

    @property
    def guides(self) -> tuple[tuple[datetime, str], ...]:
        return tuple((s.starts_at, s.guide_user_id) for s in self.sessions if s.guide_user_id)


def group_stats(session: Session, *, group_id: int) -> GroupStats:
    meetings = list(
        session.scalars(
            select(Meeting)
            .where(Meeting.group_id == group_id, Meeting.status == MeetingStatus.HELD)
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
    ids = [m.id for m in meetings]
    roles = session.execute(
        select(MeetingRole.meeting_id, MeetingRole.user_id, MeetingRole.role).where(
            MeetingRole.meeting_id.in_(ids)
        )
    ).all()
    contributions = session.execute(
        select(Contribution.meeting_id, Contribution.title, Contribution.author_user_id)
        .where(
            Contribution.meeting_id.in_(ids),
            Contribution.status != ContributionStatus.WITHDRAWN,
        )
        .order_by(Contribution.meeting_id, *CONTRIBUTION_ORDER)
    ).all()
    guides = {m: u for m, u, r in roles if r == RoleKind.GUIDE}
    rsvps: dict[int, list[str]] = {}
    for m, u, r in roles:
        if r == RoleKind.PARTICIPANT:
            rsvps.setdefault(m, []).append(u)
    per_meeting: dict[int, list[tuple[str, str]]] = {}
    for meeting_id, title, author in contributions:
        per_meeting.setdefault(meeting_id, []).append((title, author))
    per_member = Counter(author for _m, _t, author in contributions)
    return GroupStats(
        sessions=tuple(
            SessionStat(
                meeting_id=m.id,
                starts_at=m.starts_at,
                theme=m.theme,
                guide_user_id=guides.get(m.id),
                participants=len(
                    participant_ids(
                        guides.get(m.id),
                        (author for _t, author in per_meeting.get(m.id, [])),
                        rsvps.get(m.id, []),
                    )
                ),
                contributions=tuple(per_meeting.get(m.id, [])),
            )
            for m in meetings
        ),
        contributions_per_member=tuple(
            sorted(per_member.items(), key=lambda item: (-item[1], item[0]))
        ),
    )


def stats_csv(stats: GroupStats) -> bytes:
    """One row per held session, oldest first; UTF-8 with a BOM so spreadsheets read
    the accents. Cells starting with a formula character are quoted as text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for s in stats.sessions:
        writer.writerow(
            [
                s.starts_at.isoformat(),
                _cell(s.theme or ""),
                s.guide_user_id or "",
                s.participants,
                _cell(" | ".join(title for title, _a in s.contributions)),
                " ".join(author for _t, author in s.contributions),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(text: str) -> str:
    """Member text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is
    prefixed with an apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def check_organiser(session: Session, *, group: Group, user_id: str, is_admin: AdminCheck) -> None:
    """The statistics name members and their attendance: organisers only."""
    require_organiser(session, group=group, user_id=user_id, is_admin=is_admin)


def request_export(
    session: Session,
    *,
    group: Group,
    user_id: str,
    is_admin: AdminCheck,
    now: datetime,
    summary: dict[str, Any] | None = None,
) -> int:
    """Organisers only: create the export's delivery and queue its recipient (and, from
    the App Home, which has no ephemeral answer, the `summary` message for their DM),
    committed with the request; returns the delivery to run now."""
    check_organiser(session, group=group, user_id=user_id, is_admin=is_admin)
    key = f"stats:{group.id}:{user_id}:{now.isoformat()}"
    delivery_id, _ = plan_delivery(
        session,
        kind=DeliveryKind.STATS_EXPORT,
        group_id=group.id,
        key=key,
        due_at=now,
        expires_at=now + EXPORT_USEFUL_FOR,
        now=now,
    )
    if summary is not None:
        queue_call(
            session,
            delivery_id=int(delivery_id),
            key=f"summary:{user_id}",
            method="chat.postMessage",
            args={"channel": user_id, **summary},
            now=now,
        )
    queue_call(
        session,
        delivery_id=int(delivery_id),
        key=user_id,
        method=EXPORT_METHOD,
        args={"user": user_id},
        now=now,
    )
    return int(delivery_id)
