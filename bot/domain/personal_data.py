"""What the bot stores about a member, and erasing it (`/partage mes-donnees`).

One registry, `SECTIONS`: each entry covers one table (the columns of it that hold the
member's Slack id), says what it holds about them (`describe`) and erases it (`erase`).
A module that adds a table holding user ids adds its section here; a test walks every
column of the metadata and fails on one no section (or `NOT_MEMBER_IDS`) claims.

The rule, per table (README, "Vos données"):

- what is the member's own words or only serves the future is **deleted**: their tour de
  table answers (every session's: they are private, the group's past does not need
  them), help offers and opt-outs, their roles and contributions in the
  upcoming session (its living messages are refreshed through the usual change path, so
  reminders stop and the guide call shows the role free again), their organiser role,
  calendar invites, the copy of their votes, theme proposals no poll has shown;
- what makes the group's past is **anonymised**: held or cancelled sessions keep their
  guide, contributions, participants and recaps, their proposals shown in a poll, the
  audit log and the bot's record of sent messages, but the member's id there becomes a
  pseudonym (`bot.domain.pseudonyms`), drawn once per erasure.

Everything happens in the caller's transaction: a failure rolls all of it back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.db.models import (
    AuditEntry,
    CalendarInvite,
    Contribution,
    Delivery,
    DeliveryMessage,
    Group,
    Meeting,
    MeetingRole,
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
from bot.domain import tour
from bot.domain.events import MemberErased, emit
from bot.enums import DeliveryStatus, MeetingStatus, ProposalStatus


@dataclass(frozen=True)
class Member:
    """Whose data: one Slack user in one workspace (every group of `team_id`)."""

    team_id: str
    user_id: str


@dataclass(frozen=True)
class Entry:
    """One thing stored about the member, as the listing shows it: `key` names its line
    (`mydata.entry.<key>` in the catalogue), `params` fill it in."""

    group_id: int | None
    key: str
    params: tuple[tuple[str, Any], ...] = ()
    at: datetime | None = None

    def param(self, name: str) -> Any:
        return dict(self.params).get(name)


@dataclass
class Outcome:
    """What an erasure did, per section key: rows deleted and rows anonymised."""

    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, *, deleted: int = 0, anonymised: int = 0) -> None:
        if deleted:
            self.deleted[key] = self.deleted.get(key, 0) + deleted
        if anonymised:
            self.anonymised[key] = self.anonymised.get(key, 0) + anonymised

    @property
    def anything(self) -> bool:
        return bool(self.deleted or self.anonymised)


@dataclass(frozen=True)
class Erasure:
    """What `erase` is given: the member, the pseudonym replacing their id, the instant."""

    member: Member
    pseudonym: str
    now: datetime
    outcome: Outcome


Describe = Callable[[Session, Member], list[Entry]]
Erase = Callable[[Session, Erasure], None]


@dataclass(frozen=True)
class Section:
    key: str
    # "table.column" of every column holding the member's id that this section covers.
    columns: frozenset[str]
    describe: Describe
    erase: Erase


# Columns that look like they hold a member's id but do not.
NOT_MEMBER_IDS: dict[str, str] = {
    "polls.posted_by": "the bot's own user id",
    "deliveries.claimed_by": "a bot process's name",
}

_SETTLED = (DeliveryStatus.DONE, DeliveryStatus.CANCELLED, DeliveryStatus.SKIPPED)


def _groups(member: Member) -> Select[tuple[int]]:
    return select(Group.id).where(Group.team_id == member.team_id)


def _meetings(member: Member) -> Select[tuple[int]]:
    return select(Meeting.id).where(Meeting.group_id.in_(_groups(member)))


def _count(result: Any) -> int:
    return int(result.rowcount or 0)


# --- organisers ------------------------------------------------------------------------


def _describe_organisers(session: Session, member: Member) -> list[Entry]:
    rows = session.scalars(
        select(Organiser).where(
            Organiser.user_id == member.user_id, Organiser.group_id.in_(_groups(member))
        )
    )
    return [Entry(r.group_id, "organiser", at=r.created_at) for r in rows]


def _erase_organisers(session: Session, erasure: Erasure) -> None:
    member = erasure.member
    result = session.execute(
        delete(Organiser).where(
            Organiser.user_id == member.user_id, Organiser.group_id.in_(_groups(member))
        )
    )
    erasure.outcome.add("organisers", deleted=_count(result))


# --- sessions: created, roles, contributions --------------------------------------------


def _describe_created(session: Session, member: Member) -> list[Entry]:
    rows = session.scalars(
        select(Meeting)
        .where(Meeting.created_by == member.user_id, Meeting.group_id.in_(_groups(member)))
        .order_by(Meeting.starts_at)
    )
    return [Entry(m.group_id, "created", (("status", m.status.value),), m.starts_at) for m in rows]


def _erase_created(session: Session, erasure: Erasure) -> None:
    member = erasure.member
    result = session.execute(
        update(Meeting)
        .where(Meeting.created_by == member.user_id, Meeting.group_id.in_(_groups(member)))
        .values(created_by=erasure.pseudonym)
        .execution_options(synchronize_session=False)
    )
    erasure.outcome.add("created", anonymised=_count(result))


def _describe_roles(session: Session, member: Member) -> list[Entry]:
    rows = session.execute(
        select(MeetingRole.role, Meeting.group_id, Meeting.starts_at, Meeting.status)
        .join(Meeting, Meeting.id == MeetingRole.meeting_id)
        .where(MeetingRole.user_id == member.user_id, Meeting.group_id.in_(_groups(member)))
        .order_by(Meeting.starts_at)
    ).all()
    return [
        Entry(group_id, f"role.{role.value}", (("status", status.value),), starts_at)
        for role, group_id, starts_at, status in rows
    ]


def _upcoming_with(session: Session, member: Member) -> list[Meeting]:
    """The upcoming sessions where the member holds a role or a contribution."""
    mine = select(MeetingRole.meeting_id).where(MeetingRole.user_id == member.user_id)
    authored = select(Contribution.meeting_id).where(Contribution.author_user_id == member.user_id)
    return list(
        session.scalars(
            select(Meeting).where(
                Meeting.group_id.in_(_groups(member)),
                Meeting.status == MeetingStatus.SCHEDULED,
                or_(Meeting.id.in_(mine), Meeting.id.in_(authored)),
            )
        )
    )


def _erase_roles(session: Session, erasure: Erasure) -> None:
    """Upcoming: removed (its messages refreshed). Past: the pseudonym holds the role."""
    member = erasure.member
    upcoming = select(Meeting.id).where(
        Meeting.group_id.in_(_groups(member)), Meeting.status == MeetingStatus.SCHEDULED
    )
    deleted = session.execute(
        delete(MeetingRole).where(
            MeetingRole.user_id == member.user_id, MeetingRole.meeting_id.in_(upcoming)
        )
    )
    anonymised = session.execute(
        update(MeetingRole)
        .where(MeetingRole.user_id == member.user_id, MeetingRole.meeting_id.in_(_meetings(member)))
        .values(user_id=erasure.pseudonym)
        .execution_options(synchronize_session=False)
    )
    erasure.outcome.add("roles", deleted=_count(deleted), anonymised=_count(anonymised))


def _describe_contributions(session: Session, member: Member) -> list[Entry]:
    rows = session.execute(
        select(Contribution, Meeting.group_id, Meeting.starts_at)
        .join(Meeting, Meeting.id == Contribution.meeting_id)
        .where(
            Contribution.author_user_id == member.user_id,
            Meeting.group_id.in_(_groups(member)),
        )
        .order_by(Meeting.starts_at, Contribution.id)
    ).all()
    return [
        Entry(
            group_id,
            "contribution",
            (
                ("title", c.title),
                ("kind", c.kind.value),
                ("status", c.status.value),
                ("link", c.link),
                ("guest", c.guest_name),
            ),
            starts_at,
        )
        for c, group_id, starts_at in rows
    ]


def _erase_contributions(session: Session, erasure: Erasure) -> None:
    """Upcoming: deleted, withdrawn ones too (nothing of the member is kept for a session
    that has not happened). Past: the pseudonym is the author."""
    member = erasure.member
    upcoming = select(Meeting.id).where(
        Meeting.group_id.in_(_groups(member)), Meeting.status == MeetingStatus.SCHEDULED
    )
    deleted = session.execute(
        delete(Contribution).where(
            Contribution.author_user_id == member.user_id, Contribution.meeting_id.in_(upcoming)
        )
    )
    anonymised = session.execute(
        update(Contribution)
        .where(
            Contribution.author_user_id == member.user_id,
            Contribution.meeting_id.in_(_meetings(member)),
        )
        .values(author_user_id=erasure.pseudonym)
        .execution_options(synchronize_session=False)
    )
    erasure.outcome.add("contributions", deleted=_count(deleted), anonymised=_count(anonymised))


def _describe_invites(session: Session, member: Member) -> list[Entry]:
    rows = session.execute(
        select(Meeting.group_id, Meeting.starts_at)
        .join(CalendarInvite, CalendarInvite.meeting_id == Meeting.id)
        .where(CalendarInvite.user_id == member.user_id, Meeting.group_id.in_(_groups(member)))
        .order_by(Meeting.starts_at)
    ).all()
    return [Entry(group_id, "invite", at=starts_at) for group_id, starts_at in rows]


def _erase_invites(session: Session, erasure: Erasure) -> None:
    member = erasure.member
    result = session.execute(
        delete(CalendarInvite).where(
            CalendarInvite.user_id == member.user_id,
            CalendarInvite.meeting_id.in_(_meetings(member)),
        )
    )
    erasure.outcome.add("invites", deleted=_count(result))


# --- themes and polls --------------------------------------------------------------------


def _on_a_poll() -> Select[tuple[int]]:
    return select(PollOption.proposal_id)


def _describe_proposals(session: Session, member: Member) -> list[Entry]:
    shown = set(session.scalars(_on_a_poll()))
    rows = session.scalars(
        select(ThemeProposal)
        .where(
            ThemeProposal.proposed_by == member.user_id,
            ThemeProposal.group_id.in_(_groups(member)),
        )
        .order_by(ThemeProposal.created_at, ThemeProposal.id)
    )
    entries: list[Entry] = []
    names: set[tuple[int, str]] = set()
    for p in rows:
        entries.append(
            Entry(
                p.group_id,
                "proposal.polled" if p.id in shown else "proposal",
                (("text", p.text), ("status", p.status.value)),
                p.created_at,
            )
        )
        if p.proposed_by_name:
            names.add((p.group_id, p.proposed_by_name))
    # The name Slack sent with the command, shown on poll options instead of a mention.
    entries += [Entry(g, "proposal.name", (("name", n),)) for g, n in sorted(names)]
    return entries


def _erase_proposals(session: Session, erasure: Erasure) -> None:
    """Never shown in a poll: deleted. Shown in one (or chosen as a theme): the theme
    stays, by nobody."""
    member = erasure.member
    mine = (
        ThemeProposal.proposed_by == member.user_id,
        ThemeProposal.group_id.in_(_groups(member)),
    )
    deleted = session.execute(
        delete(ThemeProposal).where(
            *mine,
            ThemeProposal.status != ProposalStatus.USED,
            ThemeProposal.id.not_in(_on_a_poll()),
        )
    )
    anonymised = session.execute(
        update(ThemeProposal)
        .where(*mine)
        .values(proposed_by=erasure.pseudonym, proposed_by_name=None)
        .execution_options(synchronize_session=False)
    )
    erasure.outcome.add("proposals", deleted=_count(deleted), anonymised=_count(anonymised))


def _describe_polls(session: Session, member: Member) -> list[Entry]:
    rows = session.scalars(
        select(Poll)
        .where(Poll.opened_by == member.user_id, Poll.group_id.in_(_groups(member)))
        .order_by(Poll.opened_at)
    )
    return [Entry(p.group_id, "poll_opened", at=p.opened_at) for p in rows]


def _erase_polls(session: Session, erasure: Erasure) -> None:
    member = erasure.member
    result = session.execute(
        update(Poll)
        .where(Poll.opened_by == member.user_id, Poll.group_id.in_(_groups(member)))
        .values(opened_by=erasure.pseudonym)
        .execution_options(synchronize_session=False)
    )
    erasure.outcome.add("polls", anonymised=_count(result))


def _team_polls(member: Member) -> Select[tuple[int]]:
    return select(Poll.id).where(Poll.group_id.in_(_groups(member)))


def _describe_votes(session: Session, member: Member) -> list[Entry]:
    rows = session.execute(
        select(Poll.group_id, Poll.opened_at, PollVote.emoji)
        .join(Poll, Poll.id == PollVote.poll_id)
        .where(PollVote.user_id == member.user_id, Poll.group_id.in_(_groups(member)))
        .order_by(Poll.opened_at, PollVote.emoji)
    ).all()
    return [
        Entry(group_id, "vote", (("emoji", emoji),), opened_at)
        for group_id, opened_at, emoji in rows
    ]


def _erase_votes(session: Session, erasure: Erasure) -> None:
    """The copy of the member's reactions; the reactions themselves are theirs on Slack."""
    member = erasure.member
    result = session.execute(
        delete(PollVote).where(
            PollVote.user_id == member.user_id, PollVote.poll_id.in_(_team_polls(member))
        )
    )
    erasure.outcome.add("votes", deleted=_count(result))


# --- the group's memory: audit log and recaps ----------------------------------------------


def _describe_audit(session: Session, member: Member) -> list[Entry]:
    rows = session.scalars(
        select(AuditEntry)
        .where(
            or_(
                AuditEntry.actor_user_id == member.user_id,
                AuditEntry.subject_user_id == member.user_id,
            ),
            AuditEntry.group_id.in_(_groups(member)),
        )
        .order_by(AuditEntry.id)
    )
    return [
        Entry(
            a.group_id,
            "audit",
            (
                ("action", a.action),
                ("actor", a.actor_user_id),
                ("subject", a.subject_user_id or ""),
                ("detail", a.detail or ""),
            ),
            a.created_at,
        )
        for a in rows
    ]


def _erase_audit(session: Session, erasure: Erasure) -> None:
    member = erasure.member
    in_team = AuditEntry.group_id.in_(_groups(member))
    actor = session.execute(
        update(AuditEntry)
        .where(AuditEntry.actor_user_id == member.user_id, in_team)
        .values(actor_user_id=erasure.pseudonym)
        .execution_options(synchronize_session=False)
    )
    subject = session.execute(
        update(AuditEntry)
        .where(AuditEntry.subject_user_id == member.user_id, in_team)
        .values(subject_user_id=erasure.pseudonym)
        .execution_options(synchronize_session=False)
    )
    erasure.outcome.add("audit", anonymised=_count(actor) + _count(subject))


def _recaps_naming(session: Session, member: Member) -> list[SessionRecap]:
    """Recaps where the member guided or presented (the contributions are a JSON copy)."""
    rows = session.scalars(
        select(SessionRecap)
        .where(
            SessionRecap.group_id.in_(_groups(member)),
            or_(
                SessionRecap.guide_user_id == member.user_id,
                SessionRecap.contributions.contains(member.user_id),
            ),
        )
        .order_by(SessionRecap.starts_at)
    )
    return [r for r in rows if r.guide_user_id == member.user_id or _authors(r, member.user_id)]


def _authors(recap: SessionRecap, user_id: str) -> list[dict[str, Any]]:
    return [i for i in json.loads(recap.contributions or "[]") if i.get("author") == user_id]


def _describe_recaps(session: Session, member: Member) -> list[Entry]:
    entries = []
    for recap in _recaps_naming(session, member):
        if recap.guide_user_id == member.user_id:
            entries.append(Entry(recap.group_id, "recap.guide", at=recap.starts_at))
        entries += [
            Entry(
                recap.group_id, "recap.contribution", (("title", i.get("title")),), recap.starts_at
            )
            for i in _authors(recap, member.user_id)
        ]
    return entries


def _erase_recaps(session: Session, erasure: Erasure) -> None:
    user_id = erasure.member.user_id
    count = 0
    for recap in _recaps_naming(session, erasure.member):
        if recap.guide_user_id == user_id:
            recap.guide_user_id = erasure.pseudonym
        items = json.loads(recap.contributions or "[]")
        for item in items:
            if item.get("author") == user_id:
                item["author"] = erasure.pseudonym
        recap.contributions = json.dumps(items)
        count += 1
    session.flush()
    erasure.outcome.add("recaps", anonymised=count)


# --- the bot's record of what it sent --------------------------------------------------------


def _team_deliveries(member: Member) -> Select[tuple[int]]:
    return select(Delivery.id).where(Delivery.group_id.in_(_groups(member)))


def _describe_outbox(session: Session, member: Member) -> list[Entry]:
    rows = session.execute(
        select(Delivery.group_id, func.count(DeliveryMessage.id))
        .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
        .where(
            DeliveryMessage.recipient.contains(member.user_id),
            Delivery.group_id.in_(_groups(member)),
        )
        .group_by(Delivery.group_id)
    ).all()
    return [Entry(group_id, "outbox", (("count", count),)) for group_id, count in rows]


def _erase_outbox(session: Session, erasure: Erasure) -> None:
    """The record of messages already sent (settled deliveries) names the pseudonym; a
    delivery still pending keeps the id until it is sent (its exactly-once key)."""
    user_id, pseudonym = erasure.member.user_id, erasure.pseudonym
    settled = select(Delivery.id).where(
        Delivery.group_id.in_(_groups(erasure.member)), Delivery.status.in_(_SETTLED)
    )
    count = 0
    for column in (
        DeliveryMessage.recipient,
        DeliveryMessage.channel_id,
        DeliveryMessage.payload,
        DeliveryMessage.error,
    ):
        result = session.execute(
            update(DeliveryMessage)
            .where(DeliveryMessage.delivery_id.in_(settled), column.contains(user_id))
            .values({column.key: func.replace(column, user_id, pseudonym)})
            .execution_options(synchronize_session=False)
        )
        if column.key == "recipient":
            count = _count(result)
    session.execute(
        update(Delivery)
        .where(Delivery.id.in_(settled), Delivery.dedup_key.contains(user_id))
        .values(dedup_key=func.replace(Delivery.dedup_key, user_id, pseudonym))
        .execution_options(synchronize_session=False)
    )
    erasure.outcome.add("outbox", anonymised=count)


# --- the tour de table -------------------------------------------------------------------

# How much of each answer the listing quotes: enough to recognise it, short enough that a
# year of answers fits in the message.
EXCERPT_CHARS = 40


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1].rstrip() + "…"


def _describe_tour(session: Session, member: Member) -> list[Entry]:
    answers = session.execute(
        select(TourAnswer, Meeting.starts_at)
        .join(Meeting, Meeting.id == TourAnswer.meeting_id)
        .where(TourAnswer.user_id == member.user_id, TourAnswer.group_id.in_(_groups(member)))
        .order_by(Meeting.starts_at, TourAnswer.id)
    ).all()
    entries = [
        Entry(
            a.group_id,
            "tour.answer",
            (
                *((name, _excerpt(getattr(a, name))) for name in tour.FIELDS),
                ("shared", a.share_with_group),
            ),
            starts_at,
        )
        for a, starts_at in answers
    ]
    offers = session.execute(
        select(TourAnswer.group_id, Meeting.starts_at)
        .select_from(TourHelpOffer)
        .join(TourAnswer, TourAnswer.id == TourHelpOffer.answer_id)
        .join(Meeting, Meeting.id == TourAnswer.meeting_id)
        .where(
            TourHelpOffer.helper_user_id == member.user_id,
            TourAnswer.group_id.in_(_groups(member)),
        )
        .order_by(Meeting.starts_at, TourHelpOffer.id)
    ).all()
    entries += [Entry(g, "tour.help_offer", at=starts_at) for g, starts_at in offers]
    opt_outs = session.scalars(
        select(TourOptOut).where(
            TourOptOut.user_id == member.user_id, TourOptOut.group_id.in_(_groups(member))
        )
    )
    entries += [Entry(o.group_id, "tour.opt_out", at=o.created_at) for o in opt_outs]
    return entries


def _erase_tour(session: Session, erasure: Erasure) -> None:
    member = erasure.member
    deleted = tour.delete_member_data(session, user_id=member.user_id, team_id=member.team_id)
    erasure.outcome.add("tour_answers", deleted=deleted.answers)
    erasure.outcome.add("tour_help_offers", deleted=deleted.help_offers)
    erasure.outcome.add("tour_opt_outs", deleted=deleted.opt_outs)


SECTIONS: tuple[Section, ...] = (
    Section(
        "organisers", frozenset({"organisers.user_id"}), _describe_organisers, _erase_organisers
    ),
    Section("roles", frozenset({"meeting_roles.user_id"}), _describe_roles, _erase_roles),
    Section(
        "contributions",
        frozenset({"contributions.author_user_id"}),
        _describe_contributions,
        _erase_contributions,
    ),
    Section("created", frozenset({"meetings.created_by"}), _describe_created, _erase_created),
    Section("invites", frozenset({"calendar_invites.user_id"}), _describe_invites, _erase_invites),
    Section(
        "proposals",
        frozenset({"theme_proposals.proposed_by", "theme_proposals.proposed_by_name"}),
        _describe_proposals,
        _erase_proposals,
    ),
    Section("polls", frozenset({"polls.opened_by"}), _describe_polls, _erase_polls),
    Section("votes", frozenset({"poll_votes.user_id"}), _describe_votes, _erase_votes),
    Section(
        "audit",
        frozenset({"audit_entries.actor_user_id", "audit_entries.subject_user_id"}),
        _describe_audit,
        _erase_audit,
    ),
    Section(
        "recaps",
        frozenset({"session_recaps.guide_user_id", "session_recaps.contributions"}),
        _describe_recaps,
        _erase_recaps,
    ),
    Section(
        "outbox",
        frozenset(
            {
                "delivery_messages.recipient",
                "delivery_messages.channel_id",
                "delivery_messages.payload",
                "delivery_messages.error",
                "deliveries.dedup_key",
            }
        ),
        _describe_outbox,
        _erase_outbox,
    ),
    Section(
        "tour",
        frozenset(
            {"tour_answers.user_id", "tour_help_offers.helper_user_id", "tour_opt_outs.user_id"}
        ),
        _describe_tour,
        _erase_tour,
    ),
)


def describe_member(
    session: Session, *, member: Member, sections: Sequence[Section] = SECTIONS
) -> list[Entry]:
    """Everything the sections find about the member, section by section."""
    entries: list[Entry] = []
    for section in sections:
        entries += section.describe(session, member)
    return entries


def erase_member(
    session: Session,
    *,
    member: Member,
    pseudonym: str,
    now: datetime,
    sections: Sequence[Section] = SECTIONS,
) -> Outcome:
    """Delete or anonymise, section by section, in the caller's transaction. Each group
    of the workspace records a `MemberErased` naming its upcoming sessions the member
    was part of: their messages and the member's Home follow."""
    outcome = Outcome()
    erasure = Erasure(member, pseudonym, now, outcome)
    upcoming: dict[int, list[int]] = {}
    for meeting in _upcoming_with(session, member):
        upcoming.setdefault(meeting.group_id, []).append(meeting.id)
    for section in sections:
        section.erase(session, erasure)
    session.flush()
    for group_id in session.scalars(_groups(member)):
        ids = tuple(upcoming.get(group_id, ()))
        emit(session, MemberErased(group_id, now, member.user_id, ids))
    return outcome


def group_channels(session: Session, *, member: Member) -> dict[int, str]:
    """The channel of each group of the workspace, to head the listing's parts."""
    return {
        group_id: channel_id
        for group_id, channel_id in session.execute(
            select(Group.id, Group.channel_id).where(Group.team_id == member.team_id)
        ).tuples()
    }
