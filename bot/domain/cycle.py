"""Who gets what when a cycle item falls due: the "follows changes" rules.

Planning fixes *when*; this module decides *whether* and *to whom*, from the state at send
time, so a change made after planning (a guide found, a contribution withdrawn or marked
ready, a session moved or held) is honoured without re-planning anything:

- a delivery whose session is gone, no longer scheduled, or has moved since it was
  planned is cancelled (the move planned fresh rows for the new date), and so is one
  whose kind the group has switched off since;
- the guide call is cancelled once a guide exists;
- withdrawn contributors get nothing (`Programme.contributions` holds active ones only);
- the last reminder goes only to contributors not yet ready;
- the guide overviews are cancelled while nobody guides;
- the participants' reminder goes to those who still say they will come (a withdrawn
  RSVP deletes its row);
- the guide call and the announcement are posted once per session: after a move they
  are already there, kept up to date by the refresh (`bot.jobs.refresh`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.db.models import Delivery, DeliveryMessage, Group, Meeting, MeetingRole
from bot.domain.groups import organiser_ids
from bot.domain.nudges import PreparationChanges, changes_since_overview
from bot.domain.planning import dedup_key, enabled_kinds
from bot.domain.programme import ContributionLine, Programme, load_programme
from bot.domain.tour import AnswerView, answer_count, open_needs
from bot.enums import DeliveryKind, MeetingStatus, MessageStatus, RoleKind


@dataclass(frozen=True)
class CycleState:
    """What a cycle message is built from, reloaded when it falls due."""

    group: Group
    meeting: Meeting
    programme: Programme
    # The tour de table's needs answered so far, for the guide's overviews only.
    needs: tuple[AnswerView, ...] = ()
    # How many members answered the tour de table so far, once its invitation is out
    # (None before, or when the group has it off): the guide's overviews say it.
    tour_answers: int | None = None
    # What changed since the J-7 overview, for the guide's last overview only.
    changes: PreparationChanges | None = None


@dataclass(frozen=True)
class NotToSend:
    """The item became pointless; `reason` goes to the log and to `last_error`."""

    reason: str


def load_cycle_state(session: Session, *, delivery: Delivery) -> CycleState | NotToSend:
    """The session of a meeting delivery as it is now, or why the delivery is moot."""
    meeting = session.get(Meeting, delivery.meeting_id) if delivery.meeting_id else None
    if meeting is None:
        return NotToSend("session deleted")
    if meeting.status != MeetingStatus.SCHEDULED:
        return NotToSend(f"session {meeting.status.value}")
    if delivery.dedup_key != dedup_key(meeting.id, delivery.kind, meeting.starts_at):
        return NotToSend("session moved since this was planned")
    group = session.get(Group, meeting.group_id)
    assert group is not None  # meetings cascade with their group
    if delivery.kind not in enabled_kinds(group):
        return NotToSend("switched off in the group's settings")
    posted = already_posted(session, delivery=delivery, meeting_id=meeting.id)
    if posted is not None:
        return posted
    needs: tuple[AnswerView, ...] = ()
    answers: int | None = None
    if delivery.kind in OVERVIEWS and group.tour_enabled:
        needs = tuple(open_needs(session, meeting_id=meeting.id))
        if _tour_invited(session, meeting_id=meeting.id):
            answers = answer_count(session, meeting_id=meeting.id)
    changes = (
        changes_since_overview(session, meeting_id=meeting.id)
        if delivery.kind == DeliveryKind.GUIDE_LAST_OVERVIEW
        else None
    )
    programme = load_programme(session, meeting=meeting)
    return CycleState(group, meeting, programme, needs, answers, changes)


def _tour_invited(session: Session, *, meeting_id: int) -> bool:
    """Whether the tour de table's invitation went out for the session."""
    sent = session.scalars(
        select(DeliveryMessage.id)
        .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
        .where(
            Delivery.meeting_id == meeting_id,
            Delivery.kind == DeliveryKind.TOUR_INVITE,
            DeliveryMessage.status == MessageStatus.SENT,
        )
        .limit(1)
    ).first()
    return sent is not None


# The guide's readiness overviews, which also list the tour de table's open needs.
OVERVIEWS = (DeliveryKind.GUIDE_OVERVIEW, DeliveryKind.GUIDE_LAST_OVERVIEW)


# The session's living messages: posted once, then kept up to date in place (a move
# re-plans them for the new date, but the group already has them).
POSTED_ONCE = (DeliveryKind.GUIDE_CALL, DeliveryKind.ANNOUNCEMENT)


# Built once: the guide call and the announcement go to every group at the same hour.
# Two short reads, each on an index, rather than one join: during such a burst the
# outbox grows faster than PostgreSQL's statistics, and the join was planned as a scan of
# every outbox row for each delivery (measured: 0.2 ms at 1,000 groups, 0.9 ms per
# delivery and growing at 10,000).
_OTHER_DELIVERIES = select(Delivery.id).where(
    Delivery.meeting_id == bindparam("meeting_id"),
    Delivery.kind == bindparam("kind"),
    Delivery.id != bindparam("delivery_id"),
)
_SENT_AMONG = (
    select(DeliveryMessage.id)
    .where(
        DeliveryMessage.delivery_id.in_(bindparam("ids", expanding=True)),
        DeliveryMessage.status == MessageStatus.SENT,
    )
    .limit(1)
)


def already_posted(session: Session, *, delivery: Delivery, meeting_id: int) -> NotToSend | None:
    """Whether an earlier delivery of this kind (planned for the session's date before a
    move) has posted it already. The delivery's own rows are the outbox's business: a
    rerun finds them there."""
    if delivery.kind not in POSTED_ONCE:
        return None
    others = session.scalars(
        _OTHER_DELIVERIES,
        {"meeting_id": meeting_id, "kind": delivery.kind, "delivery_id": delivery.id},
    ).all()
    if not others or session.scalars(_SENT_AMONG, {"ids": list(others)}).first() is None:
        return None
    return NotToSend("already posted for this session: kept up to date in place")


def guide_call_moot(programme: Programme) -> NotToSend | None:
    if programme.guide_user_id is not None:
        return NotToSend("a guide already exists")
    return None


def place_missing_for(session: Session, state: CycleState) -> list[str]:
    """The organisers to alert the day before while the session has no place (the guide
    reads the same alert at the top of their overview, so is not counted twice)."""
    if state.programme.place:
        return []
    guide = state.programme.guide_user_id
    return [u for u in organiser_ids(session, group_id=state.group.id) if u != guide]


def guide_missing(programme: Programme) -> NotToSend | None:
    if programme.guide_user_id is None:
        return NotToSend("nobody guides this session")
    return None


def contributors_to_remind(programme: Programme) -> list[ContributionLine]:
    """Everyone with an active contribution (one per author, by a unique index)."""
    return list(programme.contributions)


def contributors_not_ready(programme: Programme) -> list[ContributionLine]:
    return [c for c in programme.contributions if not c.ready]


def co_contributors(programme: Programme, author_user_id: str) -> list[ContributionLine]:
    """The other contributors, whom a contributor should sync with."""
    return [c for c in programme.contributions if c.author_user_id != author_user_id]


def participants_to_remind(session: Session, *, meeting_id: int) -> list[str]:
    """Who says they will come, read when the reminder falls due, in RSVP order."""
    return list(
        session.scalars(
            select(MeetingRole.user_id)
            .where(MeetingRole.meeting_id == meeting_id, MeetingRole.role == RoleKind.PARTICIPANT)
            .order_by(MeetingRole.created_at, MeetingRole.id)
        )
    )
