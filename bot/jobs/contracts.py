"""What the tick hands to senders and jobs, and what they hand back: the contracts
between `bot.jobs.dispatcher` and the kinds' workers (`bot.jobs.cycle`, `bot.jobs.polls`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.models import Delivery
from bot.enums import DeliveryKind, Language
from bot.jobs.claims import ClaimCounts
from bot.jobs.outbox import DeliveryOutbox, OutboxCounts, Outgoing
from bot.slack.notifier import Notifier

__all__ = [
    "Cancel",
    "DispatchReport",
    "DueItem",
    "Job",
    "JobDeps",
    "JobEntry",
    "NameLookup",
    "Outgoing",
    "SendContext",
    "Sender",
]

# Members' display names by user id (`bot.slack.identity.MemberNames.names`): a member
# left out is not named. Texts that must not ping (the rotation's suggestion) use it.
NameLookup = Callable[[Sequence[str]], Mapping[str, str]]


def no_names(_user_ids: Sequence[str]) -> Mapping[str, str]:
    """Where no lookup is wired, nobody is named (the suggestion is left out)."""
    return {}


@dataclass(frozen=True)
class JobDeps:
    """What a job may use: the unit of work, Slack, the settings, the bot's own user id
    (asked once, when first needed) and the members' names."""

    db: sessionmaker[Session]
    notifier: Notifier
    settings: Settings
    bot_user_id: Callable[[], str]
    names: NameLookup = no_names


# A job as its module declares it (`JOBS`): bound to the process's `JobDeps` at wiring.
JobEntry = Callable[[JobDeps, "DueItem", datetime], None]


@dataclass(frozen=True)
class Cancel:
    """The delivery became pointless; nothing is sent and the reason is logged."""

    reason: str


@dataclass(frozen=True)
class SendContext:
    """What a sender knows beyond the database: the instant and the deployment defaults
    (a group without its own language or zone uses these)."""

    now: datetime
    default_language: Language
    default_timezone: str
    command: str
    names: NameLookup = no_names


class Sender(Protocol):
    """Computes, from the state at send time, what a due delivery sends (possibly
    nothing). Runs inside a transaction it must not commit."""

    def __call__(
        self, session: Session, delivery: Delivery, context: SendContext
    ) -> Cancel | Sequence[Outgoing]: ...


@dataclass(frozen=True)
class DueItem:
    """The ids a job needs, read from its claimed delivery, and its outbox."""

    delivery_id: int
    kind: DeliveryKind
    group_id: int
    meeting_id: int | None
    poll_id: int | None
    # False once the delivery is past its usefulness: make the state changes, send nothing.
    useful: bool = True
    outbox: DeliveryOutbox | None = field(default=None, compare=False)


class Job(Protocol):
    """A delivery whose work is more than messages to post (a session's end, a poll's
    close): it runs its own idempotent steps, database and Slack, every Slack side effect
    through `item.outbox`, and raises the Notifier's failures. Safe to run again after a
    TransientFailure; with `item.useful` False it must not call Slack."""

    def __call__(self, item: DueItem, now: datetime) -> None: ...


@dataclass
class DispatchReport(OutboxCounts, ClaimCounts):
    """What one tick did, for logs and tests."""

    done: int = 0
    skipped: int = 0
    cancelled: int = 0
    retried: int = 0
    given_up: int = 0
    released: int = 0
    errors: int = 0
    # The kind of each delivery worked, by id: the metrics label outcomes with it.
    kinds: dict[int, DeliveryKind] = field(default_factory=dict, compare=False, repr=False)
