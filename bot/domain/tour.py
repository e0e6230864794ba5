"""The async tour de table: members answer the format's four questions before the
session, the guide reads them all, the group reads those shared, and needs find helpers.

The rules live here, whatever the modal let through:

- the four answers are optional, each within its own length (`MAX_LENGTHS`); an answer
  with nothing in it saves nothing (`NothingToSave`), so "answered" always means
  something the guide can read;
- answers can be given and edited until the session starts (`TourClosed` after);
- a member may delete theirs at any time, and stop (or start again) receiving the
  invitation in a group (`opt_out`, `opt_in`);
- "Je peux aider" is recorded once per (answer, helper): a second click does not tell
  the asker twice, and nobody offers help on their own need (`OwnNeed`);
- answers are kept with the session's history, then purged once older than the
  group's retention (`purge_expired`).

`delete_member_data` is what a member's own data request (`bot.domain.personal_data`)
erases of this feature.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import (
    Group,
    Meeting,
    TourAnswer,
    TourHelpOffer,
    TourOptOut,
)
from bot.domain.db_helpers import insert_ignoring_conflicts
from bot.domain.errors import DomainError
from bot.domain.events import TourAnswered, TourOptedOut, emit
from bot.domain.outbox import queue_call
from bot.domain.planner import plan_delivery
from bot.domain.recap import announcement_thread, posted_message
from bot.domain.roles import SessionGone
from bot.enums import DeliveryKind, MeetingStatus

logger = logging.getLogger(__name__)

# The four questions, in the format's order: how they feel; what they do and where they
# stand; what they discovered or learned; needs the group can help with.
FIELDS: tuple[str, ...] = ("feeling", "doing", "learned", "needs")
# Enough for a few sentences each; the four together fit one Slack section (3,000).
MAX_LENGTHS: dict[str, int] = {"feeling": 300, "doing": 1000, "learned": 1000, "needs": 500}
# A "Je peux aider" DM is worth sending for a week after the click (Slack down a while).
HELP_USEFUL_FOR = timedelta(days=7)


class TourClosed(DomainError):
    """The session has started: the answers can no longer be changed."""

    def __init__(self) -> None:
        super().__init__("tour.error.closed")


class NothingToSave(DomainError):
    """All four answers were empty."""

    def __init__(self) -> None:
        super().__init__("tour.error.empty")


class InvalidAnswers(DomainError):
    """One or more answers are too long; `problems` maps each field to (key, params)."""

    def __init__(self, problems: dict[str, tuple[str, dict[str, object]]]) -> None:
        super().__init__("tour.error.invalid")
        self.problems = problems


class OwnNeed(DomainError):
    """ "Je peux aider" clicked by the member who wrote the need."""

    def __init__(self) -> None:
        super().__init__("tour.error.own_need")


class NeedGone(DomainError):
    """The answer was deleted (by its author, or by the retention purge)."""

    def __init__(self) -> None:
        super().__init__("tour.error.need_gone")


@dataclass(frozen=True)
class Answers:
    """What a member wrote, stripped; "" for a question left empty."""

    feeling: str = ""
    doing: str = ""
    learned: str = ""
    needs: str = ""
    share_with_group: bool = False

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in FIELDS)


@dataclass(frozen=True)
class AnswerView:
    """One member's saved answers, read for a builder."""

    id: int
    meeting_id: int
    user_id: str
    feeling: str
    doing: str
    learned: str
    needs: str
    share_with_group: bool
    updated_at: datetime

    @property
    def answers(self) -> Answers:
        return Answers(self.feeling, self.doing, self.learned, self.needs, self.share_with_group)


@dataclass(frozen=True)
class SaveResult:
    created: bool
    answer: AnswerView


@dataclass(frozen=True)
class HelpRequest:
    """A "Je peux aider" click: the delivery that tells the asker (None when this helper
    had already offered, and the asker was told then)."""

    delivery_id: int | None
    asker_user_id: str


@dataclass(frozen=True)
class HomeTour:
    """What a member's App Home says of the tour de table in one group."""

    opted_out: bool
    answered: bool  # for the next session


@dataclass(frozen=True)
class MemberTourDeletion:
    answers: int
    opt_outs: int
    help_offers: int


def read_answers(raw: Mapping[str, object]) -> Answers:
    """Check what the modal sent (text per field, `share` a bool). Raises InvalidAnswers
    naming every answer that is too long, then NothingToSave if all four are empty."""
    values: dict[str, str] = {}
    problems: dict[str, tuple[str, dict[str, object]]] = {}
    for name in FIELDS:
        text = str(raw.get(name) or "").strip()
        if len(text) > MAX_LENGTHS[name]:
            problems[name] = (
                "tour.error.too_long",
                {"limit": MAX_LENGTHS[name], "length": len(text)},
            )
        values[name] = text
    if problems:
        raise InvalidAnswers(problems)
    answers = Answers(**values, share_with_group=bool(raw.get("share")))
    if answers.empty:
        raise NothingToSave()
    return answers


def _view(row: TourAnswer) -> AnswerView:
    return AnswerView(
        id=row.id,
        meeting_id=row.meeting_id,
        user_id=row.user_id,
        feeling=row.feeling,
        doing=row.doing,
        learned=row.learned,
        needs=row.needs,
        share_with_group=row.share_with_group,
        updated_at=row.updated_at,
    )


def open_meeting(session: Session, *, meeting_id: int, now: datetime) -> Meeting:
    """The session whose answers may still change: scheduled and not started."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
        raise SessionGone()
    if now >= meeting.starts_at:
        raise TourClosed()
    return meeting


def answer_of(session: Session, *, meeting_id: int, user_id: str) -> AnswerView | None:
    row = session.scalar(
        select(TourAnswer).where(TourAnswer.meeting_id == meeting_id, TourAnswer.user_id == user_id)
    )
    return _view(row) if row is not None else None


def save_answers(
    session: Session, *, meeting_id: int, user_id: str, answers: Answers, now: datetime
) -> SaveResult:
    """Insert or update the member's answers while the session has not started."""
    meeting = open_meeting(session, meeting_id=meeting_id, now=now)
    values = {name: getattr(answers, name) for name in FIELDS}
    created = insert_ignoring_conflicts(
        session,
        TourAnswer.__table__,  # type: ignore[arg-type]
        {
            "meeting_id": meeting.id,
            "group_id": meeting.group_id,
            "user_id": user_id,
            **values,
            "share_with_group": answers.share_with_group,
            "created_at": now,
            "updated_at": now,
        },
        ["meeting_id", "user_id"],
    )
    row = session.scalars(
        select(TourAnswer).where(TourAnswer.meeting_id == meeting.id, TourAnswer.user_id == user_id)
    ).one()
    if not created:
        for name, value in values.items():
            setattr(row, name, value)
        row.share_with_group = answers.share_with_group
        row.updated_at = now
        session.flush()
    emit(session, TourAnswered(meeting.group_id, now, meeting.id, user_id, user_id))
    return SaveResult(created, _view(row))


def delete_answers(session: Session, *, meeting_id: int, user_id: str, now: datetime) -> bool:
    """Remove the member's answers to this session (and the offers made on them); False
    when there were none. Allowed at any time: they are the member's."""
    rows = session.execute(
        select(TourAnswer.id, TourAnswer.group_id).where(
            TourAnswer.meeting_id == meeting_id, TourAnswer.user_id == user_id
        )
    ).all()
    _delete_answer_rows(session, [row[0] for row in rows])
    if rows:
        group_id = rows[0][1]
        emit(session, TourAnswered(group_id, now, meeting_id, user_id, user_id, deleted=True))
    return bool(rows)


def _delete_answer_rows(session: Session, ids: list[int]) -> None:
    if not ids:
        return
    # Explicit rather than trusting ON DELETE CASCADE: SQLite only honours it with the
    # foreign_keys pragma on.
    session.execute(delete(TourHelpOffer).where(TourHelpOffer.answer_id.in_(ids)))
    session.execute(delete(TourAnswer).where(TourAnswer.id.in_(ids)))
    session.flush()


def answers_of_meeting(session: Session, *, meeting_id: int) -> list[AnswerView]:
    """Every answer to the session, in the order they were first given."""
    rows = session.scalars(
        select(TourAnswer)
        .where(TourAnswer.meeting_id == meeting_id)
        .order_by(TourAnswer.created_at, TourAnswer.id)
    )
    return [_view(row) for row in rows]


def open_needs(session: Session, *, meeting_id: int) -> list[AnswerView]:
    """The answers with a need, for the guide's overview."""
    return [a for a in answers_of_meeting(session, meeting_id=meeting_id) if a.needs]


def answered_members(session: Session, *, meeting_id: int) -> set[str]:
    """Who has answers saved for the session: their invitation offers to edit them."""
    return set(
        session.scalars(select(TourAnswer.user_id).where(TourAnswer.meeting_id == meeting_id))
    )


def answer_count(session: Session, *, meeting_id: int) -> int:
    return len(answers_of_meeting(session, meeting_id=meeting_id))


def tour_thread(session: Session, *, meeting_id: int) -> tuple[str, str] | None:
    """Where the shared answers go: the session's announcement thread, else the thread
    of its run-of-show (posted at the same time, planned first, so claimed first); None
    when neither is out, and the shared answers are not posted: the channel gets no
    post of its own for them."""
    thread = announcement_thread(session, meeting_id=meeting_id)
    if thread is not None:
        return thread
    return posted_message(session, meeting_id=meeting_id, kind=DeliveryKind.RUN_OF_SHOW)


# --- the invitation's recipients ---------------------------------------------------


def is_opted_out(session: Session, *, group_id: int, user_id: str) -> bool:
    return (
        session.scalar(
            select(TourOptOut.id).where(
                TourOptOut.group_id == group_id, TourOptOut.user_id == user_id
            )
        )
        is not None
    )


def opted_out(session: Session, *, group_id: int) -> set[str]:
    return set(session.scalars(select(TourOptOut.user_id).where(TourOptOut.group_id == group_id)))


def opt_out(session: Session, *, group_id: int, user_id: str, now: datetime) -> bool:
    """No more invitations in this group; False if the member had already asked."""
    added = insert_ignoring_conflicts(
        session,
        TourOptOut.__table__,  # type: ignore[arg-type]
        {"group_id": group_id, "user_id": user_id, "created_at": now},
        ["group_id", "user_id"],
    )
    if added:
        emit(session, TourOptedOut(group_id, now, user_id, opted_out=True))
    return added


def opt_in(session: Session, *, group_id: int, user_id: str, now: datetime) -> bool:
    """Invitations again; False if the member had not opted out."""
    result = session.execute(
        delete(TourOptOut).where(TourOptOut.group_id == group_id, TourOptOut.user_id == user_id)
    )
    removed = bool(result.rowcount)  # type: ignore[attr-defined]
    if removed:
        emit(session, TourOptedOut(group_id, now, user_id, opted_out=False))
    return removed


def invitation_recipients(
    session: Session, *, group_id: int, meeting_id: int, members: list[str], bots: set[str]
) -> list[str]:
    """The channel's members who get the DM: not a bot, not opted out, not already
    answered (a session moved after its invitation is invited again, but not those who
    answered: their DM still works), each once, in the channel's order."""
    out = opted_out(session, group_id=group_id) | set(
        session.scalars(select(TourAnswer.user_id).where(TourAnswer.meeting_id == meeting_id))
    )
    seen: set[str] = set()
    recipients = []
    for user in members:
        if user in bots or user in out or user in seen:
            continue
        seen.add(user)
        recipients.append(user)
    return recipients


def home_tour(
    session: Session, *, group: Group, meeting_id: int | None, user_id: str
) -> HomeTour | None:
    """The member's tour de table state in a group; None when the group has it off."""
    if not group.tour_enabled:
        return None
    answered = meeting_id is not None and (
        answer_of(session, meeting_id=meeting_id, user_id=user_id) is not None
    )
    return HomeTour(is_opted_out(session, group_id=group.id, user_id=user_id), answered)


# --- "Je peux aider" -----------------------------------------------------------------


def help_key(answer_id: int, helper_user_id: str) -> str:
    return f"tour_help:{answer_id}:{helper_user_id}"


def need_of(session: Session, *, answer_id: int) -> AnswerView:
    row = session.get(TourAnswer, answer_id)
    if row is None or not row.needs:
        raise NeedGone()
    return _view(row)


def offer_help(
    session: Session,
    *,
    answer_id: int,
    helper_user_id: str,
    message: dict[str, Any],
    now: datetime,
) -> HelpRequest:
    """Record the offer and queue `message` (the DM telling the asker who offered) in the
    same transaction; a second click by the same helper queues nothing."""
    row = session.get(TourAnswer, answer_id)
    if row is None or not row.needs:
        raise NeedGone()
    if row.user_id == helper_user_id:
        raise OwnNeed()
    inserted = insert_ignoring_conflicts(
        session,
        TourHelpOffer.__table__,  # type: ignore[arg-type]
        {"answer_id": answer_id, "helper_user_id": helper_user_id, "created_at": now},
        ["answer_id", "helper_user_id"],
    )
    if not inserted:
        return HelpRequest(None, row.user_id)
    key = help_key(answer_id, helper_user_id)
    delivery_id, _ = plan_delivery(
        session,
        kind=DeliveryKind.TOUR_HELP,
        group_id=row.group_id,
        meeting_id=row.meeting_id,
        key=key,
        due_at=now,
        expires_at=now + HELP_USEFUL_FOR,
        now=now,
    )
    queue_call(
        session,
        delivery_id=int(delivery_id),
        key=row.user_id,
        method="chat.postMessage",
        args={"channel": row.user_id, **message},
        now=now,
    )
    return HelpRequest(int(delivery_id), row.user_id)


# --- retention -------------------------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st falls back to the
    month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def purge_expired(session: Session, *, now: datetime) -> dict[int, int]:
    """Delete the answers (and their help offers) of sessions that started more than the
    group's `tour_retention_months` before `now`; returns {group id: answers purged} for
    the groups that lost some."""
    groups = session.execute(
        select(Group.id, Group.tour_retention_months)
        .where(Group.id.in_(select(TourAnswer.group_id).distinct()))
        .order_by(Group.id)
    ).all()
    purged: dict[int, int] = {}
    for group_id, months in groups:
        cutoff = months_before(now, int(months))
        ids = list(
            session.scalars(
                select(TourAnswer.id)
                .join(Meeting, Meeting.id == TourAnswer.meeting_id)
                .where(TourAnswer.group_id == group_id, Meeting.starts_at < cutoff)
            )
        )
        if ids:
            _delete_answer_rows(session, ids)
            purged[int(group_id)] = len(ids)
    return purged


# --- a member's own data ---------------------------------------------------------------


def _member_offers(user_id: str, team_id: str) -> Any:
    return (
        select(TourHelpOffer.id)
        .join(TourAnswer, TourAnswer.id == TourHelpOffer.answer_id)
        .join(Group, Group.id == TourAnswer.group_id)
        .where(TourHelpOffer.helper_user_id == user_id, Group.team_id == team_id)
    )


def delete_member_data(session: Session, *, user_id: str, team_id: str) -> MemberTourDeletion:
    """Erase, in every group of the workspace, the member's answers (with the offers
    others made on them), their opt-outs and the offers they made."""
    answer_ids = list(
        session.scalars(
            select(TourAnswer.id)
            .join(Group, Group.id == TourAnswer.group_id)
            .where(TourAnswer.user_id == user_id, Group.team_id == team_id)
        )
    )
    offer_ids = list(session.scalars(_member_offers(user_id, team_id)))
    if offer_ids:
        session.execute(delete(TourHelpOffer).where(TourHelpOffer.id.in_(offer_ids)))
    _delete_answer_rows(session, answer_ids)
    group_ids = select(Group.id).where(Group.team_id == team_id)
    opt_outs = session.execute(
        delete(TourOptOut).where(TourOptOut.user_id == user_id, TourOptOut.group_id.in_(group_ids))
    )
    session.flush()
    return MemberTourDeletion(
        answers=len(answer_ids),
        opt_outs=int(opt_outs.rowcount),  # type: ignore[attr-defined]
        help_offers=len(offer_ids),
    )
