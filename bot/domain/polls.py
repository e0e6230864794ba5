"""The theme poll: open it with the group's open proposals, record votes, close it once.

A poll holds at most ten options (`:one:` ... `:keycap_ten:`). With more open proposals,
those that have been on the fewest polls go first, oldest first; the others stay open for
the next poll. Options are then numbered oldest first, so "a tie goes to the earliest
proposal" is "a tie goes to the lowest number". Proposals that lose stay open and can run
again; the winner is marked used and becomes the next session's theme.

Closing is a conditional UPDATE (`status = 'open'`): when two processes or a retried job
close the same poll, exactly one wins and only that one announces the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import (
    Delivery,
    Group,
    Meeting,
    Poll,
    PollOption,
    PollVote,
    ThemeProposal,
)
from bot.domain.db_helpers import insert_ignoring_conflicts
from bot.domain.errors import DomainError
from bot.domain.events import PollCancelled, PollClosed, PollOpened, PollVoted, ThemeSet, emit
from bot.domain.groups import organiser_ids
from bot.domain.meetings import guide_of, upcoming_meeting
from bot.domain.planner import plan_delivery
from bot.domain.tally import MAX_OPTIONS, OPTION_EMOJIS, TallyResult, fold_emoji
from bot.domain.workdays import poll_close_time
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus, PollStatus, ProposalStatus

# How long after its planned close a poll may still be closed by a late bot.
POLL_CLOSE_GRACE = timedelta(days=7)
SKIN_TONES = frozenset(f"skin-tone-{n}" for n in range(2, 7))


@dataclass(frozen=True)
class OptionView:
    position: int
    emoji: str
    proposal_id: int
    text: str
    proposed_by: str
    # The proposer's Slack profile name, filled in by whoever renders the poll (the
    # domain does not ask Slack); None: the option is shown without a name. Never a
    # mention (ten options must not ping ten people), never a handle.
    proposed_by_name: str | None = None


@dataclass(frozen=True)
class PollView:
    """What the Slack layer needs to render a poll, detached from the ORM session."""

    id: int
    group_id: int
    channel_id: str
    message_ts: str | None
    status: PollStatus
    closes_at: datetime
    target_meeting_id: int | None
    options: tuple[OptionView, ...]
    # Open proposals that did not fit on this poll (more than ten); they wait for the next.
    left_out: int = 0
    # The votes recorded so far, as (position, distinct members) for each option with
    # one: the live counts its message shows (the bot's own reactions are never votes).
    counts: tuple[tuple[int, int], ...] = ()

    def votes_for(self, position: int) -> int:
        return dict(self.counts).get(position, 0)

    @property
    def option_pairs(self) -> tuple[tuple[str, int], ...]:
        """`(emoji, position)` pairs, the tally's view of the options."""
        return tuple((o.emoji, o.position) for o in self.options)

    def option_at(self, position: int) -> OptionView:
        return next(o for o in self.options if o.position == position)

    @property
    def proposers(self) -> tuple[str, ...]:
        """The members who proposed the options, each once."""
        return tuple(dict.fromkeys(o.proposed_by for o in self.options))

    def named(self, names: Mapping[str, str]) -> PollView:
        """The same poll with each proposer's name from `names` (their Slack profile name);
        a proposer missing from it stays unnamed."""
        return replace(
            self,
            options=tuple(
                replace(o, proposed_by_name=names.get(o.proposed_by)) for o in self.options
            ),
        )


def poll_view(session: Session, poll: Poll, *, left_out: int = 0) -> PollView:
    proposals = {
        p.id: p
        for p in session.scalars(
            select(ThemeProposal).where(ThemeProposal.id.in_([o.proposal_id for o in poll.options]))
        )
    }
    return PollView(
        id=poll.id,
        group_id=poll.group_id,
        channel_id=poll.channel_id,
        message_ts=poll.message_ts,
        status=poll.status,
        closes_at=poll.closes_at,
        target_meeting_id=poll.target_meeting_id,
        options=tuple(
            OptionView(
                position=o.position,
                emoji=o.emoji,
                proposal_id=o.proposal_id,
                text=proposals[o.proposal_id].text,
                proposed_by=proposals[o.proposal_id].proposed_by,
            )
            for o in sorted(poll.options, key=lambda option: option.position)
        ),
        left_out=left_out,
        counts=live_counts(session, poll),
    )


def proposer_ids(session: Session, *, poll_id: int) -> tuple[str, ...]:
    """Who proposed the poll's options, each once: the members its message names."""
    rows = session.scalars(
        select(ThemeProposal.proposed_by)
        .join(PollOption, PollOption.proposal_id == ThemeProposal.id)
        .where(PollOption.poll_id == poll_id)
        .order_by(PollOption.position)
    )
    return tuple(dict.fromkeys(rows))


def live_counts(session: Session, poll: Poll) -> tuple[tuple[int, int], ...]:
    """Distinct members per option among the recorded votes (skin tones folded), leaving
    out the bot (`posted_by`) even if its own reactions were recorded before its id was
    known."""
    positions = {o.emoji: o.position for o in poll.options}
    voters: dict[int, set[str]] = {}
    for user_id, emoji in recorded_votes(session, poll_id=poll.id):
        position = positions.get(fold_emoji(emoji))
        if position is None or user_id == poll.posted_by:
            continue
        voters.setdefault(position, set()).add(user_id)
    return tuple(sorted((position, len(users)) for position, users in voters.items()))


def open_poll_of(session: Session, *, group_id: int) -> Poll | None:
    """The group's running poll (at most one, by a partial unique index)."""
    return session.scalars(
        select(Poll).where(Poll.group_id == group_id, Poll.status == PollStatus.OPEN)
    ).one_or_none()


def poll_opened_by_meeting(session: Session, *, meeting_id: int) -> Poll | None:
    return session.scalars(select(Poll).where(Poll.source_meeting_id == meeting_id)).one_or_none()


def poll_candidates(session: Session, *, group_id: int) -> list[ThemeProposal]:
    """Open proposals in the order they get a place on a poll: those that have been on the
    fewest polls first (a newcomer before a theme that already lost), then oldest first."""
    appearances = (
        select(PollOption.proposal_id, func.count(PollOption.id).label("polls"))
        .group_by(PollOption.proposal_id)
        .subquery()
    )
    return list(
        session.scalars(
            select(ThemeProposal)
            .outerjoin(appearances, appearances.c.proposal_id == ThemeProposal.id)
            .where(ThemeProposal.group_id == group_id, ThemeProposal.status == ProposalStatus.OPEN)
            .order_by(
                func.coalesce(appearances.c.polls, 0), ThemeProposal.created_at, ThemeProposal.id
            )
        )
    )


def open_poll(
    session: Session,
    *,
    group: Group,
    opened_by: str | None,
    now: datetime,
    target_meeting: Meeting | None,
    source_meeting: Meeting | None = None,
    timezone: str,
) -> PollView:
    """Open the group's poll on up to ten open proposals and plan its close.

    Refused when a poll is already running (one per group) or nothing is proposed. The
    POLL_CLOSE delivery is inserted in the same transaction, so a poll that exists is a
    poll the dispatcher will close.
    """
    running = open_poll_of(session, group_id=group.id)
    if running is not None:
        raise DomainError("poll.error.already_open", when=running.closes_at)
    candidates = poll_candidates(session, group_id=group.id)
    if not candidates:
        raise DomainError("poll.error.no_proposals")
    chosen = sorted(candidates[:MAX_OPTIONS], key=lambda p: (p.created_at, p.id))
    # On a working day when the group keeps to them (`bot.domain.workdays`).
    closes_at = poll_close_time(
        group,
        opened_at=now,
        planned=now + timedelta(hours=group.poll_duration_hours),
        zone=ZoneInfo(timezone),
    )
    poll = Poll(
        group_id=group.id,
        target_meeting_id=target_meeting.id if target_meeting else None,
        source_meeting_id=source_meeting.id if source_meeting else None,
        channel_id=group.channel_id,
        status=PollStatus.OPEN,
        opened_by=opened_by,
        opened_at=now,
        closes_at=closes_at,
        tie=False,
    )
    try:
        with session.begin_nested():
            session.add(poll)
            session.flush()
            for position, (emoji, proposal) in enumerate(
                zip(OPTION_EMOJIS, chosen, strict=False), start=1
            ):
                session.add(
                    PollOption(
                        poll_id=poll.id, proposal_id=proposal.id, emoji=emoji, position=position
                    )
                )
            plan_delivery(
                session,
                kind=DeliveryKind.POLL_CLOSE,
                group_id=group.id,
                poll_id=poll.id,
                key=poll_close_key(poll.id),
                due_at=closes_at,
                expires_at=closes_at + POLL_CLOSE_GRACE,
                now=now,
            )
    except IntegrityError:
        # Another request opened one a moment ago.
        running = open_poll_of(session, group_id=group.id)
        raise DomainError(
            "poll.error.already_open", when=running.closes_at if running else closes_at
        ) from None
    emit(session, PollOpened(group.id, now, poll.id))
    return PollView(
        id=poll.id,
        group_id=group.id,
        channel_id=poll.channel_id,
        message_ts=None,
        status=PollStatus.OPEN,
        closes_at=closes_at,
        target_meeting_id=poll.target_meeting_id,
        options=tuple(
            OptionView(
                position=position,
                emoji=emoji,
                proposal_id=proposal.id,
                text=proposal.text,
                proposed_by=proposal.proposed_by,
            )
            for position, (emoji, proposal) in enumerate(
                zip(OPTION_EMOJIS, chosen, strict=False), start=1
            )
        ),
        left_out=len(candidates) - len(chosen),
    )


def record_message(
    session: Session, *, poll_id: int, channel_id: str, ts: str, posted_by: str | None = None
) -> bool:
    """Remember where the poll was posted, and the bot user id Slack reported for the
    post; False if it already was (never overwritten)."""
    result = session.execute(
        update(Poll)
        .where(Poll.id == poll_id, Poll.message_ts.is_(None))
        .values(message_ts=ts, channel_id=channel_id, posted_by=posted_by)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def poll_post_key(poll_id: int) -> str:
    return f"poll:{poll_id}:post"


def poll_close_key(poll_id: int) -> str:
    return f"poll:{poll_id}:close"


def poll_cancel_key(poll_id: int) -> str:
    return f"poll:{poll_id}:cancel"


def plan_poll_post(session: Session, *, poll: PollView, now: datetime) -> int:
    """A poll opened on demand is posted by a POLL_POST delivery, through the outbox like
    every side effect; useful until the poll closes. Returns the delivery id."""
    delivery_id, _ = plan_delivery(
        session,
        kind=DeliveryKind.POLL_POST,
        group_id=poll.group_id,
        poll_id=poll.id,
        key=poll_post_key(poll.id),
        due_at=now,
        expires_at=poll.closes_at,
        now=now,
    )
    return delivery_id


def _poll_delivery(session: Session, *, poll_id: int, key: str) -> Delivery | None:
    return session.scalars(select(Delivery).where(Delivery.dedup_key == key)).one_or_none()


def close_now(session: Session, *, poll: Poll, now: datetime) -> int | None:
    """Bring the poll's close forward to `now`: its POLL_CLOSE delivery tallies and
    announces it. Returns that delivery's id (None if it is already being worked)."""
    poll.closes_at = now
    delivery = _poll_delivery(session, poll_id=poll.id, key=poll_close_key(poll.id))
    if delivery is None or delivery.status != DeliveryStatus.PLANNED:
        return None
    delivery.due_at = now
    delivery.available_at = now
    delivery.expires_at = now + POLL_CLOSE_GRACE
    delivery.updated_at = now
    session.flush()
    return delivery.id


def cancel_open_poll(session: Session, *, poll: Poll, now: datetime) -> int:
    """Close the poll with no winner (proposals stay open), cancel its pending post and
    close, and plan the POLL_CANCEL delivery that tells the channel. Returns its id."""
    poll.status = PollStatus.CANCELLED
    poll.closed_at = now
    poll.winner_proposal_id = None
    for key in (poll_post_key(poll.id), poll_close_key(poll.id)):
        delivery = _poll_delivery(session, poll_id=poll.id, key=key)
        if delivery is not None and delivery.status == DeliveryStatus.PLANNED:
            delivery.status = DeliveryStatus.CANCELLED
            delivery.last_error = "poll cancelled"
            delivery.updated_at = now
    cancel_id, _ = plan_delivery(
        session,
        kind=DeliveryKind.POLL_CANCEL,
        group_id=poll.group_id,
        poll_id=poll.id,
        key=poll_cancel_key(poll.id),
        due_at=now,
        expires_at=now + POLL_CLOSE_GRACE,
        now=now,
    )
    emit(session, PollCancelled(poll.group_id, now, poll.id))
    return cancel_id


def discard_unposted_poll(session: Session, *, poll_id: int) -> bool:
    """Remove a poll Slack refused to show (bot not in the channel): an invisible open poll
    would block the group's next one. Its options and planned close go with it."""
    result = session.execute(
        delete(Poll).where(
            Poll.id == poll_id, Poll.message_ts.is_(None), Poll.status == PollStatus.OPEN
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# --- votes seen through events -----------------------------------------------------------


def _is_vote_emoji(raw: str, options: set[str]) -> bool:
    emoji, _, tone = raw.partition("::")
    return emoji in options and (not tone or tone in SKIN_TONES)


def _poll_at(session: Session, *, channel_id: str, message_ts: str) -> Poll | None:
    return session.scalars(
        select(Poll).where(
            Poll.channel_id == channel_id,
            Poll.message_ts == message_ts,
            Poll.status == PollStatus.OPEN,
        )
    ).one_or_none()


def record_vote(
    session: Session,
    *,
    channel_id: str,
    message_ts: str,
    user_id: str,
    emoji: str,
    bot_user_id: str | None,
    now: datetime,
) -> bool:
    """Keep a `reaction_added` on an open poll's option: the fallback tally if the message
    cannot be read at close time. The raw name is kept (skin tone included) so removing
    one variant does not erase another; the tally folds them. True if recorded."""
    if user_id == bot_user_id or fold_emoji(emoji) not in OPTION_EMOJIS:
        return False
    poll = _poll_at(session, channel_id=channel_id, message_ts=message_ts)
    if poll is None or not _is_vote_emoji(emoji, {o.emoji for o in poll.options}):
        return False
    recorded = insert_ignoring_conflicts(
        session,
        PollVote.__table__,  # type: ignore[arg-type]
        {"poll_id": poll.id, "user_id": user_id, "emoji": emoji, "created_at": now},
        ["poll_id", "user_id", "emoji"],
    )
    if recorded:
        emit(session, PollVoted(poll.group_id, now, poll.id, user_id))
    return recorded


def remove_vote(
    session: Session,
    *,
    channel_id: str,
    message_ts: str,
    user_id: str,
    emoji: str,
    now: datetime,
) -> bool:
    """Forget a vote on `reaction_removed`. True if one was removed."""
    if fold_emoji(emoji) not in OPTION_EMOJIS:
        return False
    poll = _poll_at(session, channel_id=channel_id, message_ts=message_ts)
    if poll is None:
        return False
    result = session.execute(
        delete(PollVote).where(
            PollVote.poll_id == poll.id, PollVote.user_id == user_id, PollVote.emoji == emoji
        )
    )
    removed = bool(result.rowcount)  # type: ignore[attr-defined]
    if removed:
        emit(session, PollVoted(poll.group_id, now, poll.id, user_id))
    return removed


def recorded_votes(session: Session, *, poll_id: int) -> list[tuple[str, str]]:
    return [
        (user_id, emoji)
        for user_id, emoji in session.execute(
            select(PollVote.user_id, PollVote.emoji)
            .where(PollVote.poll_id == poll_id)
            .order_by(PollVote.id)
        )
    ]


# --- closing -------------------------------------------------------------------------------


class CloseOutcome(StrEnum):
    DECIDED = "decided"  # a winner; it is the next session's theme
    NO_VOTES = "no_votes"  # the votes were read and nobody voted
    UNREADABLE = "unreadable"  # neither the message nor recorded events could tell


@dataclass(frozen=True)
class PollClosure:
    poll: PollView
    outcome: CloseOutcome
    result: TallyResult | None
    from_events: bool  # decided from recorded reaction events, not from the message
    winner: OptionView | None
    # The session that received the winning theme (None: no session is scheduled).
    themed_meeting_starts_at: datetime | None
    # Whom to ask to set the theme when there is no winner: the guide, else the organisers.
    ask_user_ids: tuple[str, ...]


def theme_destination(session: Session, *, poll: Poll) -> Meeting | None:
    """The poll's target session if still scheduled, else the group's next session."""
    if poll.target_meeting_id is not None:
        target = session.get(Meeting, poll.target_meeting_id)
        if target is not None and target.status == MeetingStatus.SCHEDULED:
            return target
    return upcoming_meeting(session, group_id=poll.group_id)


def close_poll(
    session: Session,
    *,
    poll_id: int,
    result: TallyResult | None,
    from_events: bool,
    now: datetime,
) -> PollClosure | None:
    """Close the poll with `result` (None: the votes could not be read).

    Returns None when the poll was already closed, by another process or an earlier run
    of the same job: the caller must then announce nothing.
    """
    poll = session.get(Poll, poll_id)
    if poll is None:
        return None
    view = poll_view(session, poll)
    winner = view.option_at(result.winner) if result and result.winner is not None else None
    closed = session.execute(
        update(Poll)
        .where(Poll.id == poll_id, Poll.status == PollStatus.OPEN)
        .values(
            status=PollStatus.CLOSED,
            closed_at=now,
            winner_proposal_id=winner.proposal_id if winner else None,
            tie=bool(result and result.tie),
        )
        .execution_options(synchronize_session=False)
    )
    if not closed.rowcount:  # type: ignore[attr-defined]
        return None
    session.refresh(poll)
    meeting = theme_destination(session, poll=poll)
    if winner is not None:
        session.execute(
            update(ThemeProposal)
            .where(ThemeProposal.id == winner.proposal_id)
            .values(status=ProposalStatus.USED, used_at=now)
            .execution_options(synchronize_session=False)
        )
        if meeting is not None and meeting.theme != winner.text:
            meeting.theme = winner.text
            meeting.updated_at = now
            emit(session, ThemeSet(meeting.group_id, now, meeting.id, None, winner.text))
        outcome = CloseOutcome.DECIDED
    else:
        outcome = CloseOutcome.UNREADABLE if result is None else CloseOutcome.NO_VOTES
    ask: tuple[str, ...] = ()
    if winner is None:
        guide = guide_of(session, meeting_id=meeting.id) if meeting else None
        ask = (guide,) if guide else tuple(organiser_ids(session, group_id=poll.group_id))
    session.flush()
    emit(session, PollClosed(poll.group_id, now, poll.id))
    return PollClosure(
        poll=poll_view(session, poll),
        outcome=outcome,
        result=result,
        from_events=from_events,
        winner=winner,
        themed_meeting_starts_at=meeting.starts_at if meeting and winner else None,
        ask_user_ids=ask,
    )
