"""What happened, said by the domain operation that made it happen.

A domain operation changes rows and records one event per thing a member or a job did
(`emit`). It never decides what follows: which messages to rewrite, which App Homes to
republish, who gets a DM, which calendars get a newer `.ics`, which deliveries move.
That is `bot.followups`, one table from each event type to its follow-ups, applied when
the unit of work commits: the follow-ups that write (plans, outbox rows, the calendar's
SEQUENCE) in the same transaction, so a change and what it owes the members commit
together or not at all; the ones that only tell Slack (an App Home) after the commit.

Events are frozen values with ids, never ORM rows: a follow-up reads the state it needs
as it is at commit time. `emit` only appends to the session's `info`, so the domain stays
free of Slack, of the scheduler and of the follow-up code.

Emit after a savepoint (`begin_nested`) has been released, never inside one: an event
recorded in a savepoint that rolls back would still be followed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

EVENTS_KEY = "partage.events"


@dataclass(frozen=True)
class Event:
    """Something that happened to a group, at `at` (the operation's `now`)."""

    group_id: int
    at: datetime


@dataclass(frozen=True)
class SessionEvent(Event):
    meeting_id: int


@dataclass(frozen=True)
class MemberEvent(SessionEvent):
    """A member's own change to a session: `actor` did it (the member, or an organiser
    acting for them)."""

    user_id: str
    actor: str


@dataclass(frozen=True)
class SessionScheduled(SessionEvent):
    """A new upcoming session (scheduled by a member, or created by the recurrence)."""

    actor: str | None


@dataclass(frozen=True)
class SessionMoved(SessionEvent):
    actor: str
    previous_starts_at: datetime


@dataclass(frozen=True)
class SessionCancelled(SessionEvent):
    actor: str


@dataclass(frozen=True)
class SessionStarted(SessionEvent):
    """The session began: what could be answered before it (the tour de table) closes."""


@dataclass(frozen=True)
class SessionHeld(SessionEvent):
    """The session ended; its messages stop offering roles."""


@dataclass(frozen=True)
class RoleTaken(MemberEvent):
    """The guide role taken by `user_id` (`actor` is an organiser when assigned)."""

    previous: str | None = None


@dataclass(frozen=True)
class RoleReleased(MemberEvent):
    """The member gave up what `released` names (guide, contribution, participation)."""

    released_guide: bool = False
    contribution_title: str | None = None
    left_participants: bool = False


@dataclass(frozen=True)
class ContributionSaved(MemberEvent):
    contribution_id: int
    created: bool


@dataclass(frozen=True)
class ContributionWithdrawn(MemberEvent):
    """Withdrawn by an organiser (a member's own withdrawal is a `RoleReleased`)."""

    contribution_id: int


@dataclass(frozen=True)
class ContributionReady(MemberEvent):
    contribution_id: int


@dataclass(frozen=True)
class ContributionsReordered(SessionEvent):
    actor: str


@dataclass(frozen=True)
class RsvpChanged(MemberEvent):
    joined: bool


@dataclass(frozen=True)
class PlaceSet(SessionEvent):
    actor: str
    place: str


@dataclass(frozen=True)
class ThemeSet(SessionEvent):
    """`actor` None: the poll's winner became the theme."""

    actor: str | None
    theme: str


@dataclass(frozen=True)
class PollEvent(Event):
    poll_id: int


@dataclass(frozen=True)
class PollOpened(PollEvent):
    pass


@dataclass(frozen=True)
class PollClosed(PollEvent):
    pass


@dataclass(frozen=True)
class PollCancelled(PollEvent):
    pass


@dataclass(frozen=True)
class PollVoted(PollEvent):
    """A member added or removed a vote (an option's reaction) on the open poll: its
    message shows the counts as they come in."""

    user_id: str


@dataclass(frozen=True)
class ProposalAdded(Event):
    """A theme proposed for the next poll."""

    user_id: str
    text: str


@dataclass(frozen=True)
class TourAnswered(MemberEvent):
    """The member saved, or deleted (`deleted`), their tour de table answers."""

    deleted: bool = False


@dataclass(frozen=True)
class TourOptedOut(Event):
    """The member stopped (or resumed) the tour de table invitations of the group."""

    user_id: str
    opted_out: bool


@dataclass(frozen=True)
class OrganisersChanged(Event):
    actor: str
    user_id: str
    added: bool


@dataclass(frozen=True)
class MemberErased(Event):
    """`/partage mes-donnees`: the member's data removed from the group's sessions."""

    user_id: str
    meeting_ids: tuple[int, ...]


@dataclass(frozen=True)
class SettingsChanged(Event):
    actor: str


@dataclass(frozen=True)
class StaleClick(SessionEvent):
    """A member clicked a button a change had made stale (a guide taken meanwhile): the
    message that showed it must be brought up to date, though nothing changed now."""

    user_id: str


def emit(session: Session, event: Event) -> None:
    """Record `event` in the unit of work; followed when it commits (`bot.followups`)."""
    session.info.setdefault(EVENTS_KEY, []).append(event)


def take_events(session: Session) -> list[Event]:
    """The events recorded since the last call, in order, removed from the session."""
    events: list[Event] = session.info.pop(EVENTS_KEY, [])
    return events


def event_types() -> tuple[type[Event], ...]:
    """Every concrete event type: those that can be emitted (the abstract bases can't)."""
    bases = {Event, SessionEvent, MemberEvent, PollEvent}
    found: list[type[Event]] = []
    pending: list[type[Event]] = [Event]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub not in bases and sub not in found:
                found.append(sub)
    return tuple(sorted(found, key=lambda c: c.__name__))
