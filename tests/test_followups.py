"""The table of follow-ups: every event type has an entry, and every entry does something
that a test sees. Each event is emitted in a group seeded so that every follow-up of its
type has work to do (a guide and a contributor over budget, an RSVP, a member who took the
calendar invite, a closed poll); what the commit leaves behind (deliveries, queued calls,
the calendar's SEQUENCE, the Homes published) is compared with and without each entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import make_session_factory
from bot.db.models import Contribution, Delivery, DeliveryMessage, Meeting, MeetingRole, Poll
from bot.domain import calendar as calendar_domain
from bot.domain import events as ev
from bot.domain.groups import add_organiser, ensure_group
from bot.enums import (
    ContributionKind,
    ContributionStatus,
    DeliveryKind,
    DeliveryStatus,
    MeetingStatus,
    MessageStatus,
    PollStatus,
    RoleKind,
)
from bot.followups import FOLLOW_UPS, Defaults, FollowUp, FollowUps

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    group_id: int
    meeting_id: int
    contribution_id: int
    poll_id: int


def seed(session: Session, channel: str) -> Seeded:
    group = ensure_group(session, team_id="T0", channel_id=channel, now=NOW)
    add_organiser(session, group_id=group.id, user_id="U0ORGA", now=NOW)
    meeting = Meeting(
        group_id=group.id,
        starts_at=START,
        status=MeetingStatus.SCHEDULED,
        created_by="U0ORGA",
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(meeting)
    session.flush()
    session.add_all(
        [
            MeetingRole(
                meeting_id=meeting.id, user_id="U0GUIDE", role=RoleKind.GUIDE, created_at=NOW
            ),
            MeetingRole(
                meeting_id=meeting.id, user_id="U0BOB", role=RoleKind.PARTICIPANT, created_at=NOW
            ),
        ]
    )
    # 40 minutes: over the group's 30, so the guide's alert has something to say.
    contribution = Contribution(
        meeting_id=meeting.id,
        author_user_id="U0ALICE",
        kind=ContributionKind.TALK,
        title="Mon exposé",
        description="",
        duration_minutes=40,
        status=ContributionStatus.PROPOSED,
        created_at=NOW,
        updated_at=NOW,
    )
    poll = Poll(
        group_id=group.id,
        channel_id=channel,
        status=PollStatus.CLOSED,
        opened_by=None,
        opened_at=NOW,
        closes_at=NOW + timedelta(days=3),
        closed_at=NOW,
        tie=False,
        message_ts="1.000100",
    )
    session.add_all([contribution, poll])
    session.flush()
    calendar_domain.record_received(
        session, meeting_id=meeting.id, user_id="U0CAROL", sequence=0, now=NOW
    )
    # The announcement is out: the session's living messages have something to rewrite.
    announcement = Delivery(
        group_id=group.id,
        meeting_id=meeting.id,
        kind=DeliveryKind.ANNOUNCEMENT,
        dedup_key=f"seed:{channel}:announcement",
        due_at=NOW,
        expires_at=START,
        available_at=NOW,
        status=DeliveryStatus.DONE,
        attempts=1,
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(announcement)
    session.flush()
    session.add(
        DeliveryMessage(
            delivery_id=announcement.id,
            recipient="post",
            status=MessageStatus.SENT,
            channel_id=channel,
            ts="1.000200",
            created_at=NOW,
            updated_at=NOW,
        )
    )
    session.flush()
    # Eve's tour de table invitation is out: her answer rewrites it.
    invitation = Delivery(
        group_id=group.id,
        meeting_id=meeting.id,
        kind=DeliveryKind.TOUR_INVITE,
        dedup_key=f"seed:{channel}:tour_invite",
        due_at=NOW,
        expires_at=START,
        available_at=NOW,
        status=DeliveryStatus.DONE,
        attempts=1,
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(invitation)
    session.flush()
    session.add(
        DeliveryMessage(
            delivery_id=invitation.id,
            recipient="U0EVE",
            status=MessageStatus.SENT,
            channel_id="D0EVE",
            ts="1.000300",
            created_at=NOW,
            updated_at=NOW,
        )
    )
    session.flush()
    return Seeded(group.id, meeting.id, contribution.id, poll.id)


# One event of each type, as the domain would emit it for the seeded group.
EXAMPLES: dict[type[ev.Event], Callable[[Seeded], ev.Event]] = {
    ev.SessionScheduled: lambda s: ev.SessionScheduled(s.group_id, NOW, s.meeting_id, "U0ORGA"),
    ev.SessionMoved: lambda s: ev.SessionMoved(
        s.group_id, NOW, s.meeting_id, "U0ORGA", START - timedelta(days=7)
    ),
    ev.SessionCancelled: lambda s: ev.SessionCancelled(s.group_id, NOW, s.meeting_id, "U0ORGA"),
    ev.SessionStarted: lambda s: ev.SessionStarted(s.group_id, NOW, s.meeting_id),
    ev.SessionHeld: lambda s: ev.SessionHeld(s.group_id, NOW, s.meeting_id),
    ev.RoleTaken: lambda s: ev.RoleTaken(s.group_id, NOW, s.meeting_id, "U0GUIDE", "U0GUIDE"),
    ev.RoleReleased: lambda s: ev.RoleReleased(
        s.group_id, NOW, s.meeting_id, "U0DAN", "U0DAN", released_guide=True
    ),
    ev.ContributionSaved: lambda s: ev.ContributionSaved(
        s.group_id, NOW, s.meeting_id, "U0ALICE", "U0ALICE", s.contribution_id, True
    ),
    ev.ContributionWithdrawn: lambda s: ev.ContributionWithdrawn(
        s.group_id, NOW, s.meeting_id, "U0ALICE", "U0ORGA", s.contribution_id
    ),
    ev.ContributionReady: lambda s: ev.ContributionReady(
        s.group_id, NOW, s.meeting_id, "U0ALICE", "U0ALICE", s.contribution_id
    ),
    ev.ContributionsReordered: lambda s: ev.ContributionsReordered(
        s.group_id, NOW, s.meeting_id, "U0ORGA"
    ),
    ev.RsvpChanged: lambda s: ev.RsvpChanged(s.group_id, NOW, s.meeting_id, "U0EVE", "U0EVE", True),
    ev.PlaceSet: lambda s: ev.PlaceSet(s.group_id, NOW, s.meeting_id, "U0ORGA", "Salle 3"),
    ev.ThemeSet: lambda s: ev.ThemeSet(s.group_id, NOW, s.meeting_id, "U0ORGA", "Les communs"),
    ev.PollOpened: lambda s: ev.PollOpened(s.group_id, NOW, s.poll_id),
    ev.PollClosed: lambda s: ev.PollClosed(s.group_id, NOW, s.poll_id),
    ev.PollCancelled: lambda s: ev.PollCancelled(s.group_id, NOW, s.poll_id),
    ev.PollVoted: lambda s: ev.PollVoted(s.group_id, NOW, s.poll_id, "U0EVE"),
    ev.ProposalAdded: lambda s: ev.ProposalAdded(s.group_id, NOW, "U0EVE", "Les communs"),
    ev.TourAnswered: lambda s: ev.TourAnswered(s.group_id, NOW, s.meeting_id, "U0EVE", "U0EVE"),
    ev.TourOptedOut: lambda s: ev.TourOptedOut(s.group_id, NOW, "U0EVE", True),
    ev.OrganisersChanged: lambda s: ev.OrganisersChanged(s.group_id, NOW, "U0ORGA", "U0EVE", True),
    ev.MemberErased: lambda s: ev.MemberErased(s.group_id, NOW, "U0EVE", (s.meeting_id,)),
    ev.SettingsChanged: lambda s: ev.SettingsChanged(s.group_id, NOW, "U0ORGA"),
    ev.StaleClick: lambda s: ev.StaleClick(s.group_id, NOW, s.meeting_id, "U0EVE"),
}


@dataclass
class Homes:
    """The Home publisher: what the bus asked to republish, per group."""

    calls: list[tuple[int, str | None, tuple[str, ...]]] = field(default_factory=list)

    def __call__(self, group_id: int, team_id: str | None, users: list[str]) -> None:
        self.calls.append((group_id, team_id, tuple(users)))


def footprint(factory: sessionmaker[Session], seeded: Seeded, homes: Homes) -> dict[str, object]:
    """What the follow-ups left for the group: deliveries, queued calls by kind of key,
    the calendar's SEQUENCE, and the Homes asked for."""
    with factory() as session:
        deliveries = sorted(
            (d.kind.value, d.status.value, d.meeting_id is not None, d.poll_id is not None)
            for d in session.scalars(select(Delivery).where(Delivery.group_id == seeded.group_id))
        )
        calls = sorted(
            (recipient.split(":")[0], recipient.split(":")[1] if ":" in recipient else "")
            for recipient in session.scalars(
                select(DeliveryMessage.recipient)
                .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
                .where(Delivery.group_id == seeded.group_id)
            )
        )
        meeting = session.get(Meeting, seeded.meeting_id)
        assert meeting is not None
        sequence = meeting.ics_sequence
    published = [c for c in homes.calls if c[0] == seeded.group_id]
    return {"deliveries": deliveries, "calls": calls, "sequence": sequence, "homes": published}


def run(
    engine: Engine,
    channel: str,
    event_type: type[ev.Event],
    table: dict[type[ev.Event], tuple[FollowUp, ...]],
) -> dict[str, object]:
    homes = Homes()
    factory = FollowUps(Defaults(), homes, table).install(make_session_factory(engine))
    with factory.begin() as session:
        seeded = seed(session, channel)
    with factory.begin() as session:
        ev.emit(session, EXAMPLES[event_type](seeded))
    return footprint(factory, seeded, homes)


ENTRIES = [
    pytest.param(event_type, follow_up, id=f"{event_type.__name__}-{follow_up.__name__}")
    for event_type, follow_ups in FOLLOW_UPS.items()
    for follow_up in follow_ups
]


def test_followups_every_event_type_has_an_entry_and_an_example():
    assert set(FOLLOW_UPS) == set(ev.event_types()) == set(EXAMPLES)


def test_followups_no_entry_is_empty():
    assert [t.__name__ for t, follow_ups in FOLLOW_UPS.items() if not follow_ups] == []


def test_followups_an_event_without_an_entry_is_refused(db, engine):
    table = {t: f for t, f in FOLLOW_UPS.items() if t is not ev.ThemeSet}

    with pytest.raises(KeyError):
        run(engine, "C0MISSING", ev.ThemeSet, table)


@pytest.mark.parametrize(("event_type", "follow_up"), ENTRIES)
def test_followups_removing_an_entry_changes_what_follows(db, engine, event_type, follow_up):
    without = {
        t: tuple(f for f in fs if not (t is event_type and f is follow_up))
        for t, fs in FOLLOW_UPS.items()
    }

    complete = run(engine, "C0FULL", event_type, FOLLOW_UPS)
    lacking = run(engine, "C0LACK", event_type, without)

    assert complete != lacking


def test_followups_a_rolled_back_change_follows_nothing(db, engine):
    homes = Homes()
    factory = FollowUps(Defaults(), homes).install(make_session_factory(engine))
    with factory.begin() as session:
        seeded = seed(session, "C0BACK")
    before = footprint(factory, seeded, homes)

    with pytest.raises(RuntimeError), factory.begin() as session:
        ev.emit(session, EXAMPLES[ev.ThemeSet](seeded))
        raise RuntimeError("refused")

    assert footprint(factory, seeded, homes) == before
