"""Fair rotation: whom to suggest, without pinging anyone, when a session needs a guide.

A group where the same two people always guide wears them out and keeps the others on the
side. The J-14 guide call and the session-end role call therefore suggest the *active*
members who guided least recently. The rule, written down once:

- **Active**: a member who, in the group's sessions that started within the last
  `ACTIVE_DAYS` days (held or upcoming), held a role (guide, participant·e by RSVP), kept
  a contribution (not withdrawn), or who proposed a theme in the group in that window.
  Someone who has not shown up for half a year is not put on the spot.
- **Order**: never guided first, then by the start of the last held session they guided,
  oldest first. Ties go to the member active most recently (they are around), then to the
  user id, so the same history always gives the same suggestion.
- **Excluded**: the guide of the upcoming session (if any) and the guide of the session
  just held (they have done their turn).

Only user ids come out of here; showing names rather than mentions is the Slack layer's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import Contribution, Meeting, MeetingRole, ThemeProposal
from bot.domain.pseudonyms import is_pseudonym
from bot.enums import ContributionStatus, MeetingStatus, RoleKind

ACTIVE_DAYS = 183  # about six months
SUGGESTED = 3

_NEVER = datetime.min


def suggest_guides(
    session: Session, *, group_id: int, now: datetime, limit: int = SUGGESTED
) -> tuple[str, ...]:
    """Up to `limit` members to suggest as the next guide, in the rotation order."""
    since = now - timedelta(days=ACTIVE_DAYS)
    recent = select(Meeting.id).where(
        Meeting.group_id == group_id,
        Meeting.status.in_((MeetingStatus.HELD, MeetingStatus.SCHEDULED)),
        Meeting.starts_at >= since,
    )
    activity: dict[str, datetime] = {}

    def seen(rows: Iterable[tuple[str, datetime]]) -> None:
        for user_id, at in rows:
            if at is not None and (user_id not in activity or at > activity[user_id]):
                activity[user_id] = at

    seen(
        session.execute(
            select(MeetingRole.user_id, func.max(Meeting.starts_at))
            .join(Meeting, Meeting.id == MeetingRole.meeting_id)
            .where(MeetingRole.meeting_id.in_(recent))
            .group_by(MeetingRole.user_id)
        ).tuples()
    )
    seen(
        session.execute(
            select(Contribution.author_user_id, func.max(Meeting.starts_at))
            .join(Meeting, Meeting.id == Contribution.meeting_id)
            .where(
                Contribution.meeting_id.in_(recent),
                Contribution.status != ContributionStatus.WITHDRAWN,
            )
            .group_by(Contribution.author_user_id)
        ).tuples()
    )
    seen(
        session.execute(
            select(ThemeProposal.proposed_by, func.max(ThemeProposal.created_at))
            .where(ThemeProposal.group_id == group_id, ThemeProposal.created_at >= since)
            .group_by(ThemeProposal.proposed_by)
        ).tuples()
    )
    last_guided: dict[str, datetime] = {
        user_id: at
        for user_id, at in session.execute(
            select(MeetingRole.user_id, func.max(Meeting.starts_at))
            .join(Meeting, Meeting.id == MeetingRole.meeting_id)
            .where(
                Meeting.group_id == group_id,
                Meeting.status == MeetingStatus.HELD,
                MeetingRole.role == RoleKind.GUIDE,
            )
            .group_by(MeetingRole.user_id)
        ).tuples()
    }
    excluded = _current_guides(session, group_id=group_id)
    candidates = [u for u in activity if u not in excluded and not is_pseudonym(u)]
    # Erased members keep a pseudonym in the history: nobody to suggest.
    candidates.sort(key=lambda u: (_naive(last_guided.get(u)), -_naive(activity[u]).timestamp(), u))
    return tuple(candidates[:limit])


def _current_guides(session: Session, *, group_id: int) -> set[str]:
    """The upcoming session's guide and the guide of the session held last."""
    upcoming = select(Meeting.id).where(
        Meeting.group_id == group_id, Meeting.status == MeetingStatus.SCHEDULED
    )
    last_held = (
        select(Meeting.id)
        .where(Meeting.group_id == group_id, Meeting.status == MeetingStatus.HELD)
        .order_by(Meeting.starts_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.scalars(
        select(MeetingRole.user_id).where(
            MeetingRole.role == RoleKind.GUIDE,
            (MeetingRole.meeting_id.in_(upcoming)) | (MeetingRole.meeting_id == last_held),
        )
    )
    return set(rows)


def _naive(moment: datetime | None) -> datetime:
    """Compare aware and never-guided alike (SQLite hands back what UTCDateTime stored)."""
    if moment is None:
        return _NEVER  # never guided: first
    return moment.replace(tzinfo=None)
