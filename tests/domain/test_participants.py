"""One definition of participant·es: every read of the count agrees, whoever holds
several roles is counted once, and a withdrawn contribution no longer counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import read_connection, transaction
from bot.db.models import Contribution, Meeting, MeetingRole
from bot.domain.participants import participant_count, participant_ids, participants_of
from bot.domain.programme import channel_programme, load_programme
from bot.enums import ContributionKind, ContributionStatus, RoleKind
from tests.support.factories import BEFORE, CHANNEL, make_group, make_meeting
from tests.support.fake_slack import TEAM_ID


def _contribution(meeting_id: int, author: str, status: ContributionStatus, minute: int):
    return Contribution(
        meeting_id=meeting_id,
        author_user_id=author,
        kind=ContributionKind.TALK,
        title=f"Titre de {author}",
        description="",
        duration_minutes=10,
        status=status,
        created_at=BEFORE + timedelta(minutes=minute),
        updated_at=BEFORE,
    )


def _rsvp(meeting_id: int, user: str, minute: int) -> MeetingRole:
    return MeetingRole(
        meeting_id=meeting_id,
        user_id=user,
        role=RoleKind.PARTICIPANT,
        created_at=BEFORE + timedelta(minutes=minute),
    )


def test_participant_ids_orders_guide_contributors_then_rsvps_each_once():
    assert participant_ids("U0G", ["U0A", "U0B"], ["U0B", "U0C", "U0G"]) == (
        "U0G",
        "U0A",
        "U0B",
        "U0C",
    )
    assert participant_ids(None, [], []) == ()


def test_participants_counts_agree_with_overlapping_roles(db: sessionmaker[Session]):
    with transaction(db) as session:
        meeting = make_meeting(session, make_group(session), guide="U0GUIDE")
        session.add_all(
            [
                _contribution(meeting.id, "U0ANNA", ContributionStatus.PROPOSED, 1),
                _contribution(meeting.id, "U0BOB", ContributionStatus.READY, 2),
                _contribution(meeting.id, "U0GONE", ContributionStatus.WITHDRAWN, 3),
                _rsvp(meeting.id, "U0CHLOE", 4),
                _rsvp(meeting.id, "U0ANNA", 5),  # a contributor who also said "Je participe"
                _rsvp(meeting.id, "U0GUIDE", 6),  # the guide too
            ]
        )
        meeting_id = meeting.id

    with transaction(db) as session:
        ids = participants_of(session, meeting_id=meeting_id)
        count = participant_count(session, meeting_id=meeting_id)
        loaded = load_programme(session, meeting=session.get(Meeting, meeting_id))
    with read_connection(db) as connection:
        found = channel_programme(connection, team_id=TEAM_ID, channel_id=CHANNEL)

    assert ids == ("U0GUIDE", "U0ANNA", "U0BOB", "U0CHLOE")
    assert found is not None and found.programme is not None
    assert (count, loaded.participant_count, found.programme.participant_count) == (4, 4, 4)
