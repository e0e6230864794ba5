"""A group's explicit history for the fair rotation's tests: who guided which held
session, who took part, who proposed, and an upcoming session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.db.models import Contribution, Group, Meeting, MeetingRole
from bot.domain.proposals import propose_theme
from bot.enums import ContributionKind, ContributionStatus, MeetingStatus, RoleKind
from tests.support.factories import make_group, make_meeting

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
UPCOMING = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


def months_ago(months: int) -> datetime:
    return NOW - timedelta(days=30 * months)


def held(session: Session, group: Group, starts_at: datetime, guide: str | None) -> Meeting:
    meeting = make_meeting(
        session, group, starts_at=starts_at, now=starts_at, status=MeetingStatus.HELD, guide=guide
    )
    meeting.held_at = starts_at + timedelta(minutes=90)
    return meeting


def rsvp(session: Session, meeting: Meeting, user_id: str) -> None:
    session.add(
        MeetingRole(
            meeting_id=meeting.id,
            user_id=user_id,
            role=RoleKind.PARTICIPANT,
            created_at=meeting.starts_at,
        )
    )
    session.flush()


def contribution(
    session: Session,
    meeting: Meeting,
    user_id: str,
    *,
    status: ContributionStatus = ContributionStatus.PROPOSED,
    title: str = "Un exposé",
) -> Contribution:
    row = Contribution(
        meeting_id=meeting.id,
        author_user_id=user_id,
        kind=ContributionKind.TALK,
        title=title,
        description="",
        duration_minutes=10,
        status=status,
        created_at=meeting.starts_at - timedelta(days=3),
        updated_at=meeting.starts_at - timedelta(days=3),
    )
    session.add(row)
    session.flush()
    return row


def seed_history(session: Session, *, upcoming: bool = True) -> Group:
    """Eight months of a group, chosen so every rule of the order shows:

    - U0OLD guided 8 months ago and has done nothing since: not active, not suggested;
    - U0ALIX guided 5 months ago, U0DOMI 3 months ago, U0LAST the session just held;
    - U0CAMI (participant 4 months ago), U0BERT (contributor 2 months ago) and U0ELLA
      (proposed a theme last week) never guided; U0WITH only withdrew a contribution;
    - U0FRED never guided and was active 4 months ago too: the tie with U0CAMI goes to
      the user id.
    """
    group = make_group(session, now=months_ago(9))
    old = held(session, group, months_ago(8), "U0OLD")
    rsvp(session, old, "U0DOMI")
    alix = held(session, group, months_ago(5), "U0ALIX")
    rsvp(session, alix, "U0DOMI")
    four = held(session, group, months_ago(4), None)
    rsvp(session, four, "U0FRED")
    rsvp(session, four, "U0CAMI")
    domi = held(session, group, months_ago(3), "U0DOMI")
    rsvp(session, domi, "U0ALIX")
    two = held(session, group, months_ago(2), None)
    contribution(session, two, "U0BERT", status=ContributionStatus.READY)
    contribution(session, two, "U0WITH", status=ContributionStatus.WITHDRAWN)
    held(session, group, months_ago(1), "U0LAST")
    propose_theme(
        session, group=group, user_id="U0ELLA", text="Les communs", now=NOW - timedelta(days=7)
    )
    if upcoming:
        make_meeting(session, group, starts_at=UPCOMING, now=NOW)
    return group


# The order the rule gives for that history: never guided (most recently active first,
# then by id), then U0ALIX (5 months ago) before U0DOMI (3 months ago).
EXPECTED_ORDER = ("U0ELLA", "U0BERT", "U0CAMI", "U0FRED", "U0ALIX", "U0DOMI")
