"""The fair rotation's suggestion as the guide call and the session-end role call show it.

`bot.domain.rotation` says whose turn it may be (user ids); these messages name them as
plain text, never `<@…>`, so a suggestion pings nobody. Names come from the process's
`MemberNames` cache (one `users.info` per member a day), so refreshing a living message
ten times asks Slack once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.meetings import guide_of, upcoming_meeting
from bot.domain.rotation import suggest_guides
from bot.jobs.contracts import NameLookup


def suggested_ids(session: Session, *, group_id: int, now: datetime) -> tuple[str, ...]:
    """Whom to suggest for the upcoming session's guide; nobody once it has one."""
    upcoming = upcoming_meeting(session, group_id=group_id)
    if upcoming is None or guide_of(session, meeting_id=upcoming.id) is not None:
        return ()
    return suggest_guides(session, group_id=group_id, now=now)


def named(suggested: tuple[str, ...], names: NameLookup) -> tuple[str, ...]:
    """The suggestion as display names, in its order; a member whose name Slack cannot
    give is left out rather than mentioned. Call it outside any transaction when you can:
    a cache miss asks Slack."""
    if not suggested:
        return ()
    known = names(suggested)
    return tuple(known[u] for u in suggested if known.get(u))


def suggested_names(
    session: Session, *, group_id: int, now: datetime, names: NameLookup
) -> tuple[str, ...]:
    """For a call whose caller has just seen that the upcoming session has no guide (the
    guide call): the check `suggested_ids` makes would read the same rows again."""
    return named(suggest_guides(session, group_id=group_id, now=now), names)
