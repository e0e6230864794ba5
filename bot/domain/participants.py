"""Who takes part in a session: the one definition every count and list of the bot uses.

A participant·e is a member who said they will come, whatever the way they said it: the
guide, each contributor (the author of a contribution on the programme, who also hosts
their guest) and each member who answered "Je participe", each counted once. The
programme, the guide's overviews, the roles modal, the App Home, the answer to "Je
participe" and the recap all count this way, so no two messages disagree on how many
are coming (the guide's overview used to count the RSVPs alone while the recap counted
everyone).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from bot.db.models import Contribution, Meeting, MeetingRole
from bot.domain.ordering import CONTRIBUTION_ORDER
from bot.enums import ContributionStatus, RoleKind


def participant_ids(
    guide: str | None, contributors: Iterable[str], rsvps: Iterable[str]
) -> tuple[str, ...]:
    """The guide, then the contributors in programme order, then the RSVPs in the order
    they came, each member once."""
    seen: dict[str, None] = {}
    for user in (*([guide] if guide else []), *contributors, *rsvps):
        seen.setdefault(user, None)
    return tuple(seen)


def participants_of(session: Session, *, meeting_id: int) -> tuple[str, ...]:
    """The session's participant·es as `participant_ids` orders them."""
    roles = session.execute(
        select(MeetingRole.role, MeetingRole.user_id)
        .where(MeetingRole.meeting_id == meeting_id)
        .order_by(MeetingRole.created_at, MeetingRole.id)
    ).all()
    guide = next((user for role, user in roles if role == RoleKind.GUIDE), None)
    contributors = session.scalars(
        select(Contribution.author_user_id)
        .where(
            Contribution.meeting_id == meeting_id,
            Contribution.status != ContributionStatus.WITHDRAWN,
        )
        .order_by(*CONTRIBUTION_ORDER)
    )
    rsvps = [user for role, user in roles if role == RoleKind.PARTICIPANT]
    return participant_ids(guide, contributors, rsvps)


def participant_count(session: Session, *, meeting_id: int) -> int:
    return len(participants_of(session, meeting_id=meeting_id))


def participant_count_column() -> ColumnElement[int]:
    """The same count as a subquery correlated to `Meeting`, for the one-query read of
    `programme`: the members holding a role (guide or RSVP), plus the contributors who
    hold none. One active contribution per author (a unique index) keeps the second
    term a plain count."""
    with_role = (
        select(func.count(func.distinct(MeetingRole.user_id)))
        .where(MeetingRole.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    roles_of_meeting = select(MeetingRole.user_id).where(MeetingRole.meeting_id == Meeting.id)
    contributors_without_role = (
        select(func.count(Contribution.id))
        .where(
            Contribution.meeting_id == Meeting.id,
            Contribution.status != ContributionStatus.WITHDRAWN,
            Contribution.author_user_id.not_in(roles_of_meeting),
        )
        .correlate(Meeting)
        .scalar_subquery()
    )
    return with_role + contributors_without_role
