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

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Select,
    bindparam,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from bot.db.models import Contribution, Meeting, MeetingRole, ThemeProposal
from bot.domain.pseudonyms import is_pseudonym
from bot.enums import ContributionStatus, MeetingStatus, RoleKind

ACTIVE_DAYS = 183  # about six months
SUGGESTED = 3

_NEVER = datetime.min

# What each row of `_HISTORY` says about its member.
_ACTIVE, _GUIDED, _CURRENT = "active", "guided", "current"


def _history() -> CompoundSelect:
    """The group's history the rule reads, as one statement of (fact, member, instant):
    active (a role, a kept contribution or a proposal in the window, with its latest
    instant), guided (the start of the last held session they guided), current (the
    guide of the upcoming session or of the session held last).

    Built once with bound parameters: the guide call is sent to every group at the same
    hour, and one statement built and compiled once costs a fraction of five built per
    call. Every part starts from the group's own sessions (`ix_meetings_group_id_starts_at`),
    so it reads one group's history, never every group's.
    """
    group_id: BindParameter[int] = bindparam("group_id")
    since: BindParameter[datetime] = bindparam("since")
    recent = (
        Meeting.group_id == group_id,
        Meeting.status.in_((MeetingStatus.HELD, MeetingStatus.SCHEDULED)),
        Meeting.starts_at >= since,
    )
    roles: Select[Any] = (
        select(literal_column(f"'{_ACTIVE}'"), MeetingRole.user_id, func.max(Meeting.starts_at))
        .join(Meeting, Meeting.id == MeetingRole.meeting_id)
        .where(*recent)
        .group_by(MeetingRole.user_id)
    )
    contributions: Select[Any] = (
        select(
            literal_column(f"'{_ACTIVE}'"),
            Contribution.author_user_id,
            func.max(Meeting.starts_at),
        )
        .join(Meeting, Meeting.id == Contribution.meeting_id)
        .where(*recent, Contribution.status != ContributionStatus.WITHDRAWN)
        .group_by(Contribution.author_user_id)
    )
    proposals: Select[Any] = (
        select(
            literal_column(f"'{_ACTIVE}'"),
            ThemeProposal.proposed_by,
            func.max(ThemeProposal.created_at),
        )
        .where(ThemeProposal.group_id == group_id, ThemeProposal.created_at >= since)
        .group_by(ThemeProposal.proposed_by)
    )
    guided: Select[Any] = (
        select(literal_column(f"'{_GUIDED}'"), MeetingRole.user_id, func.max(Meeting.starts_at))
        .join(Meeting, Meeting.id == MeetingRole.meeting_id)
        .where(
            Meeting.group_id == group_id,
            Meeting.status == MeetingStatus.HELD,
            MeetingRole.role == RoleKind.GUIDE,
        )
        .group_by(MeetingRole.user_id)
    )
    last_held = (
        select(Meeting.id)
        .where(Meeting.group_id == group_id, Meeting.status == MeetingStatus.HELD)
        .order_by(Meeting.starts_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    current: Select[Any] = (
        select(literal_column(f"'{_CURRENT}'"), MeetingRole.user_id, Meeting.starts_at)
        .join(Meeting, Meeting.id == MeetingRole.meeting_id)
        .where(
            MeetingRole.role == RoleKind.GUIDE,
            Meeting.group_id == group_id,
            (Meeting.status == MeetingStatus.SCHEDULED) | (Meeting.id == last_held),
        )
    )
    return union_all(roles, contributions, proposals, guided, current)


_HISTORY = _history()


def suggest_guides(
    session: Session, *, group_id: int, now: datetime, limit: int = SUGGESTED
) -> tuple[str, ...]:
    """Up to `limit` members to suggest as the next guide, in the rotation order."""
    since = now - timedelta(days=ACTIVE_DAYS)
    activity: dict[str, datetime] = {}
    last_guided: dict[str, datetime] = {}
    # The upcoming session's guide and the guide of the session held last.
    excluded: set[str] = set()
    rows = session.execute(_HISTORY, {"group_id": group_id, "since": since})
    for fact, user_id, at in rows.tuples():
        if fact == _CURRENT:
            excluded.add(user_id)
        elif fact == _GUIDED:
            last_guided[user_id] = at
        elif at is not None and (user_id not in activity or at > activity[user_id]):
            activity[user_id] = at
    # Erased members keep a pseudonym in the history: nobody to suggest.
    candidates = [u for u in activity if u not in excluded and not is_pseudonym(u)]
    candidates.sort(key=lambda u: (_naive(last_guided.get(u)), -_naive(activity[u]).timestamp(), u))
    return tuple(candidates[:limit])


def _naive(moment: datetime | None) -> datetime:
    """Compare aware and never-guided alike (SQLite hands back what UTCDateTime stored)."""
    if moment is None:
        return _NEVER  # never guided: first
    return moment.replace(tzinfo=None)
