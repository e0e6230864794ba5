"""The `programme` read path: one query on a read-only connection."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import read_connection, transaction
from bot.db.models import Contribution, MeetingRole
from bot.domain.programme import channel_programme
from bot.enums import ContributionKind, ContributionStatus, RoleKind
from tests.support.factories import BEFORE, CHANNEL, make_group, make_meeting
from tests.support.fake_slack import TEAM_ID


def _contribution(meeting_id: int, author: str, status: ContributionStatus, minutes: int):
    return Contribution(
        meeting_id=meeting_id,
        author_user_id=author,
        kind=ContributionKind.TALK,
        title=f"Titre de {author}",
        description="",
        duration_minutes=minutes,
        status=status,
        created_at=BEFORE + timedelta(minutes=minutes),
        updated_at=BEFORE,
    )


def test_channel_programme_without_group_is_none(db: sessionmaker[Session]):
    with read_connection(db) as connection:
        found = channel_programme(connection, team_id=TEAM_ID, channel_id=CHANNEL)

    assert found is None


def test_channel_programme_group_without_session_has_no_programme(db: sessionmaker[Session]):
    with transaction(db) as session:
        make_group(session)

    with read_connection(db) as connection:
        found = channel_programme(connection, team_id=TEAM_ID, channel_id=CHANNEL)

    assert found is not None
    assert found.programme is None


def test_channel_programme_lists_active_contributions_in_order_with_roles(
    db: sessionmaker[Session],
):
    with transaction(db) as session:
        meeting = make_meeting(session, make_group(session), guide="U0GUIDE")
        session.add_all(
            [
                _contribution(meeting.id, "U0LATE", ContributionStatus.READY, 9),
                _contribution(meeting.id, "U0GONE", ContributionStatus.WITHDRAWN, 3),
                _contribution(meeting.id, "U0EARLY", ContributionStatus.PROPOSED, 5),
                MeetingRole(
                    meeting_id=meeting.id,
                    user_id="U0PART",
                    role=RoleKind.PARTICIPANT,
                    created_at=BEFORE,
                ),
            ]
        )

    with read_connection(db) as connection:
        found = channel_programme(connection, team_id=TEAM_ID, channel_id=CHANNEL)

    assert found is not None and found.programme is not None
    programme = found.programme
    assert [(c.author_user_id, c.ready) for c in programme.contributions] == [
        ("U0EARLY", False),
        ("U0LATE", True),
    ]
    assert programme.guide_user_id == "U0GUIDE"
    # The guide, both contributors and the RSVP: the one definition of participants.
    assert programme.participant_count == 4
    assert programme.budget_used == 14
