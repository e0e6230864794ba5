"""A member's data in every table that holds user ids, next to another member's and to the
same member's in another workspace: what `/partage mes-donnees` lists and erases."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.db.models import (
    AuditEntry,
    CalendarInvite,
    Delivery,
    DeliveryMessage,
    Group,
    Meeting,
    Organiser,
    Poll,
    PollOption,
    PollVote,
    SessionRecap,
    ThemeProposal,
    TourAnswer,
    TourHelpOffer,
    TourOptOut,
)
from bot.domain.groups import ensure_group
from bot.enums import (
    AuditAction,
    ContributionStatus,
    DeliveryKind,
    DeliveryStatus,
    MessageStatus,
    PollStatus,
    ProposalStatus,
)
from tests.support.factories import make_group, make_meeting
from tests.support.fake_slack import TEAM_ID
from tests.support.rotation import contribution, held, rsvp

ALICE = "U0ALICE"
BOB = "U0BOB"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
HELD_AT = datetime(2026, 10, 8, 12, 0, tzinfo=UTC)
UPCOMING_AT = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    group_id: int
    other_group_id: int
    elsewhere_group_id: int  # the same member's group in another workspace
    held_id: int
    upcoming_id: int


def _proposal(
    session: Session, group: Group, user_id: str, text: str, status: ProposalStatus
) -> ThemeProposal:
    row = ThemeProposal(
        group_id=group.id,
        text=text,
        normalized=text.casefold(),
        proposed_by=user_id,
        proposed_by_name=user_id.casefold(),
        status=status,
        created_at=NOW - timedelta(days=60),
    )
    session.add(row)
    session.flush()
    return row


def _answer(
    session: Session, meeting: Meeting, user_id: str, *, feeling: str, needs: str, shared=False
) -> TourAnswer:
    row = TourAnswer(
        meeting_id=meeting.id,
        group_id=meeting.group_id,
        user_id=user_id,
        feeling=feeling,
        doing="",
        learned="",
        needs=needs,
        share_with_group=shared,
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(row)
    session.flush()
    return row


def seed_member_data(session: Session) -> Seeded:
    group = make_group(session, now=NOW - timedelta(days=90))
    session.add(Organiser(group_id=group.id, user_id=ALICE, created_at=NOW - timedelta(days=80)))
    past = held(session, group, HELD_AT, ALICE)
    rsvp(session, past, BOB)
    contribution(session, past, ALICE, title="Les formulaires", status=ContributionStatus.READY)
    contribution(session, past, BOB, title="Le retour de Bob", status=ContributionStatus.READY)
    session.add(
        SessionRecap(
            meeting_id=past.id,
            group_id=group.id,
            starts_at=HELD_AT,
            theme="Les formulaires",
            guide_user_id=ALICE,
            participants=2,
            contributions=json.dumps(
                [
                    {"title": "Les formulaires", "author": ALICE, "guest": None, "link": None},
                    {"title": "Le retour de Bob", "author": BOB, "guest": None, "link": None},
                ]
            ),
            created_at=HELD_AT,
        )
    )
    upcoming = make_meeting(session, group, starts_at=UPCOMING_AT, now=NOW)
    rsvp(session, upcoming, ALICE)
    mine = contribution(session, upcoming, ALICE, title="Mon exposé à venir")
    mine.link = "https://example.org/expose"
    contribution(session, upcoming, BOB, title="Le truc de Bob")
    session.add(
        CalendarInvite(
            meeting_id=upcoming.id, user_id=ALICE, sequence=0, created_at=NOW, updated_at=NOW
        )
    )
    _proposal(session, group, ALICE, "Thème libre", ProposalStatus.OPEN)
    voted = _proposal(session, group, ALICE, "Thème voté", ProposalStatus.USED)
    _proposal(session, group, BOB, "Thème de Bob", ProposalStatus.OPEN)
    poll = Poll(
        group_id=group.id,
        source_meeting_id=past.id,
        channel_id=group.channel_id,
        message_ts="1700000000.000100",
        status=PollStatus.CLOSED,
        opened_by=ALICE,
        opened_at=HELD_AT + timedelta(minutes=90),
        closes_at=HELD_AT + timedelta(days=3),
        closed_at=HELD_AT + timedelta(days=3),
        posted_by="U0BOT",
    )
    session.add(poll)
    session.flush()
    session.add(PollOption(poll_id=poll.id, proposal_id=voted.id, emoji="one", position=1))
    session.add(PollVote(poll_id=poll.id, user_id=ALICE, emoji="one", created_at=HELD_AT))
    session.add(PollVote(poll_id=poll.id, user_id=BOB, emoji="one", created_at=HELD_AT))
    session.add(
        AuditEntry(
            group_id=group.id,
            meeting_id=past.id,
            actor_user_id="U0ORGA",
            action=AuditAction.ASSIGN_GUIDE.value,
            subject_user_id=ALICE,
            created_at=HELD_AT - timedelta(days=10),
        )
    )
    delivery = Delivery(
        group_id=group.id,
        meeting_id=past.id,
        kind=DeliveryKind.CONTRIBUTOR_REMINDER,
        dedup_key=f"meeting:{past.id}:contributor_reminder:20261001T0800Z",
        due_at=HELD_AT - timedelta(days=7),
        expires_at=HELD_AT,
        available_at=HELD_AT - timedelta(days=7),
        status=DeliveryStatus.DONE,
        created_at=HELD_AT - timedelta(days=8),
        updated_at=HELD_AT - timedelta(days=7),
    )
    session.add(delivery)
    session.flush()
    for user_id in (ALICE, BOB):
        session.add(
            DeliveryMessage(
                delivery_id=delivery.id,
                recipient=user_id,
                status=MessageStatus.SENT,
                channel_id="D" + user_id[1:],
                ts="1700000000.000200",
                created_at=HELD_AT - timedelta(days=7),
                updated_at=HELD_AT - timedelta(days=7),
            )
        )
    _answer(session, past, ALICE, feeling="Content·e", needs="", shared=True)
    _answer(session, upcoming, ALICE, feeling="", needs="Un regard sur mon formulaire " * 3)
    bobs = _answer(session, upcoming, BOB, feeling="Fatigué", needs="Un relecteur")
    session.add(TourHelpOffer(answer_id=bobs.id, helper_user_id=ALICE, created_at=NOW))
    other = make_group(session, channel="C0OTHER", now=NOW - timedelta(days=30))
    make_meeting(session, other, starts_at=UPCOMING_AT, now=NOW).created_by = ALICE
    session.add(TourOptOut(group_id=other.id, user_id=ALICE, created_at=NOW))
    session.add(TourOptOut(group_id=other.id, user_id=BOB, created_at=NOW))
    elsewhere = ensure_group(session, team_id="T0ELSE", channel_id="C0ELSE", now=NOW)
    session.add(Organiser(group_id=elsewhere.id, user_id=ALICE, created_at=NOW))
    session.flush()
    assert group.team_id == TEAM_ID
    return Seeded(group.id, other.id, elsewhere.id, past.id, upcoming.id)


__all__ = ["ALICE", "BOB", "Meeting", "Seeded", "seed_member_data"]
