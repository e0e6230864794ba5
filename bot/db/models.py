"""The whole domain of the product as typed SQLAlchemy 2 models.

Alembic owns the DDL (see `migrations/`); these classes are the single description the
revisions are generated from. Invariants that must hold under concurrency (one guide, one
upcoming session per group, one active contribution per author, one copy of each delivery)
are unique constraints or partial unique indexes, never check-then-insert in Python.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, UTCDateTime
from bot.enums import (
    ContributionKind,
    ContributionStatus,
    DeliveryKind,
    DeliveryStatus,
    Language,
    MeetingStatus,
    MessageStatus,
    PollStatus,
    ProposalStatus,
    Recurrence,
    RoleKind,
)

# Member, channel and workspace ids: Slack's are short (T..., C..., U...); Matrix user and
# room ids (@name:server, !opaque:server) may take up to 255 bytes.
SLACK_ID = 255


def _enum(cls: type) -> Enum:
    """Store the enum's value (`talk`), not its Python name, as a plain VARCHAR."""
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class Group(Base):
    """A peer-sharing group: one Slack channel, with its own settings."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(SLACK_ID))
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID))
    # None means "the deployment default" (BOT_LANGUAGE, BOT_TIMEZONE).
    language: Mapped[Language | None] = mapped_column(_enum(Language), nullable=True)
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reminder_hour: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    guide_call_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    announcement_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    last_reminder_days: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    run_of_show_lead_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    guide_call_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    announcement_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    contributor_reminders_enabled: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default="1"
    )
    guide_overview_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    run_of_show_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    poll_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    poll_duration_hours: Mapped[int] = mapped_column(Integer, default=72, server_default="72")
    # The J-1 reminder to those who said they would come.
    participant_reminder_enabled: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default="1"
    )
    # Reminders and poll closes falling on a weekend or a French public holiday go out on
    # the previous working day; Alsace-Moselle adds Good Friday and 26 December.
    working_days_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    alsace_moselle: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The group's own format: a session's length, its presentation budget and its tour de
    # table (bot.domain.agenda checks that the phases fit).
    session_minutes: Mapped[int] = mapped_column(Integer, default=90, server_default="90")
    presentation_minutes: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    tour_minutes: Mapped[int] = mapped_column(Integer, default=28, server_default="28")
    recurrence: Mapped[Recurrence] = mapped_column(
        _enum(Recurrence),
        default=Recurrence.MONTHLY_WEEKDAY,
        server_default=Recurrence.MONTHLY_WEEKDAY.value,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The calendar invites' reminder (VALARM), in minutes before the start.
    calendar_alarm_minutes: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # The secret part of the group's calendar feed URL (`secrets.token_urlsafe`); None
    # until someone asks for the feed. Rotating it cuts off every old subscription.
    calendar_token: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    # The async tour de table: a DM to every member `tour_days` before the session (same
    # working-day rule as the reminders), and how long the answers are kept.
    tour_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    tour_days: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    tour_retention_months: Mapped[int] = mapped_column(Integer, default=12, server_default="12")

    # Moves with every change to what `programme` shows (the group's row, its meetings,
    # their roles and contributions), in the changing transaction: the migration's
    # triggers move it, whoever writes. Starts at a random point. Never written by code.
    revision: Mapped[int] = mapped_column(BigInteger, server_default="0")

    organisers: Mapped[list[Organiser]] = relationship(back_populates="group")


class Organiser(Base):
    """A member allowed to run the group; the first to schedule a session becomes one."""

    __tablename__ = "organisers"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    group: Mapped[Group] = relationship(back_populates="organisers")


class Meeting(Base):
    """One session of the group (named Meeting so it never reads as a database session)."""

    __tablename__ = "meetings"
    __table_args__ = (
        # At most one upcoming session per group: two concurrent `session` commands
        # cannot both create one.
        Index(
            "uq_meetings_one_scheduled_per_group",
            "group_id",
            unique=True,
            sqlite_where=text("status = 'scheduled'"),
            postgresql_where=text("status = 'scheduled'"),
        ),
        Index("ix_meetings_status_starts_at", "status", "starts_at"),
        # One group's sessions, whatever their status (the rotation's history).
        Index("ix_meetings_group_id_starts_at", "group_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90, server_default="90")
    theme: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Where the session takes place: a room, an address or a video-call link.
    place: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    status: Mapped[MeetingStatus] = mapped_column(
        _enum(MeetingStatus), default=MeetingStatus.SCHEDULED
    )
    created_by: Mapped[str] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The message posted when the session ended (the poll, or a call for proposals, and the
    # call for next session's roles): once recorded, a retried job never posts it again.
    end_message_ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The iCalendar SEQUENCE of the session's event: raised on every move, change or
    # cancellation, so calendars replace the copy they hold.
    ics_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    group: Mapped[Group] = relationship()


class CalendarInvite(Base):
    """A member who took a session's `.ics`, and the SEQUENCE they last received: a move
    or a cancellation sends them the newer one."""

    __tablename__ = "calendar_invites"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MeetingRole(Base):
    """The guide and the participants (RSVP) of a session."""

    __tablename__ = "meeting_roles"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id", "role"),
        # Exactly one guide: 20 simultaneous claims leave one row, enforced here.
        Index(
            "uq_meeting_roles_one_guide",
            "meeting_id",
            unique=True,
            sqlite_where=text("role = 'guide'"),
            postgresql_where=text("role = 'guide'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    role: Mapped[RoleKind] = mapped_column(_enum(RoleKind))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Contribution(Base):
    """A member's presentation for a session; withdrawn rows are kept for history."""

    __tablename__ = "contributions"
    __table_args__ = (
        Index(
            "uq_contributions_one_active_per_author",
            "meeting_id",
            "author_user_id",
            unique=True,
            sqlite_where=text("status != 'withdrawn'"),
            postgresql_where=text("status != 'withdrawn'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    author_user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    kind: Mapped[ContributionKind] = mapped_column(_enum(ContributionKind))
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int] = mapped_column(Integer)
    link: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    guest_name: Mapped[str | None] = mapped_column(String(150), nullable=True)
    guest_affiliation: Mapped[str | None] = mapped_column(String(150), nullable=True)
    status: Mapped[ContributionStatus] = mapped_column(
        _enum(ContributionStatus), default=ContributionStatus.PROPOSED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The order an organiser or the guide chose (`reorder_contributions`); None keeps the
    # order of submission, after the placed ones.
    position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditEntry(Base):
    """Who assigned, removed, reordered, cancelled or shared the organiser role, and when:
    organisers read the last ones in the App Home."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_group_id_id", "group_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True
    )
    actor_user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    # An `AuditAction` value (`assign_guide`, `cancel`, ...), kept as a readable word.
    action: Mapped[str] = mapped_column(String(32))
    subject_user_id: Mapped[str | None] = mapped_column(String(SLACK_ID), nullable=True)
    # A short free text: the contribution's title, the new order.
    detail: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ThemeProposal(Base):
    """A theme proposed for a future poll with `/partage proposer`."""

    __tablename__ = "theme_proposals"
    __table_args__ = (
        # The same theme cannot be open twice in a group (compared case- and space-folded).
        Index(
            "uq_theme_proposals_one_open_per_text",
            "group_id",
            "normalized",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        # One group's recent proposals, whatever their status (the rotation's history).
        Index("ix_theme_proposals_group_id_created_at", "group_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(200))
    normalized: Mapped[str] = mapped_column(String(200))
    proposed_by: Mapped[str] = mapped_column(String(SLACK_ID))
    # The proposer's name as Slack sent it with the command (`user_name`): poll options
    # show it, so ten options do not ping ten people. None: shown as "a member".
    proposed_by_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    status: Mapped[ProposalStatus] = mapped_column(
        _enum(ProposalStatus), default=ProposalStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Poll(Base):
    """The emoji vote on next session's theme, posted at a session's end."""

    __tablename__ = "polls"
    __table_args__ = (
        Index(
            "uq_polls_one_open_per_group",
            "group_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        # A session's end opens at most one poll, even when the job is retried.
        UniqueConstraint("source_meeting_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    # The session whose theme this poll decides (None if none is scheduled yet).
    target_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True
    )
    # The session whose end opened this poll (None when opened with `sondage`).
    source_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True
    )
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID))
    message_ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[PollStatus] = mapped_column(_enum(PollStatus), default=PollStatus.OPEN)
    opened_by: Mapped[str | None] = mapped_column(String(SLACK_ID), nullable=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    winner_proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme_proposals.id", ondelete="SET NULL"), nullable=True
    )
    tie: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The bot's user id as Slack reported it when posting the poll (`message.user`): the
    # tally drops its reactions without asking `auth.test` at close time.
    posted_by: Mapped[str | None] = mapped_column(String(SLACK_ID), nullable=True)

    options: Mapped[list[PollOption]] = relationship(
        back_populates="poll", order_by="PollOption.position"
    )


class PollOption(Base):
    """One proposal on a poll, with the emoji members react with."""

    __tablename__ = "poll_options"
    __table_args__ = (
        UniqueConstraint("poll_id", "emoji"),
        UniqueConstraint("poll_id", "proposal_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    proposal_id: Mapped[int] = mapped_column(ForeignKey("theme_proposals.id", ondelete="CASCADE"))
    emoji: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)

    poll: Mapped[Poll] = relationship(back_populates="options")


class PollVote(Base):
    """A reaction seen through `reaction_added` (removed on `reaction_removed`).

    The tally reads `reactions.get`; these rows are the fallback when the poll message is
    gone or the API fails at close time.
    """

    __tablename__ = "poll_votes"
    __table_args__ = (UniqueConstraint("poll_id", "user_id", "emoji"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    emoji: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Delivery(Base):
    """Something the cycle sends once: planned from a session, claimed when due.

    The database, not the scheduler, is the source of truth for what is due, so several
    bot processes can share it and a restart loses nothing. `dedup_key` makes planning
    idempotent; re-planning is an update of `due_at`.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("dedup_key"),
        # The claim's order (`available_at`, then `id`) in full: with only the first, a
        # claim sorted every due row to take the first 25 (O(backlog) a batch).
        Index("ix_deliveries_status_available_at_id", "status", "available_at", "id"),
        # `/partage planning` lists one group's pending rows among every group's history.
        Index("ix_deliveries_group_id_status", "group_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=True, index=True
    )
    poll_id: Mapped[int | None] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), nullable=True
    )
    kind: Mapped[DeliveryKind] = mapped_column(_enum(DeliveryKind))
    dedup_key: Mapped[str] = mapped_column(String(120))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Past this instant the item is no longer useful: skipped and logged, not sent late.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When a process may next pick it up (due_at, or later after a transient failure).
    available_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus), default=DeliveryStatus.PLANNED
    )
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # A claim is a lease: a process that died mid-send is replaced after this instant.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DeliveryMessage(Base):
    """The outbox: one Slack side effect of a delivery, written under a unique key before
    the call and completed with the message ts after it (see bot/jobs/outbox.py)."""

    __tablename__ = "delivery_messages"
    __table_args__ = (UniqueConstraint("delivery_id", "recipient"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"))
    # The step's key within the delivery: a channel id for channel posts, a user id for
    # DMs, or a named step of a job (`post`, `reaction:one`, `result`, `update`).
    recipient: Mapped[str] = mapped_column(String(SLACK_ID))
    # For a QUEUED step: the Web API call to make, as JSON {"method", "args"}; written in
    # the transaction of the state change it announces, so it is sent after any crash.
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[MessageStatus] = mapped_column(_enum(MessageStatus))
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID), nullable=True)
    ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SeenRequest(Base):
    """A request from Slack that changed something, recorded before its listener runs.

    Slack retries events and a captured signed request can be replayed for five minutes;
    every bot process sharing the database checks here first, so a change is applied and
    announced once. Rows older than the retention window are purged as requests arrive.
    """

    __tablename__ = "seen_requests"

    # "<kind>:<sha256 hex>" or "event:<event_id>".
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class SessionRecap(Base):
    """What a held session covered, written in the transaction that marks it held: the
    group keeps its memory when Slack's free plan hides messages older than 90 days.
    Contributions are copied (title, author, guest, link) so a later edit or withdrawal
    does not rewrite the past; the poll's winner is added when the poll closes."""

    __tablename__ = "session_recaps"
    __table_args__ = (Index("ix_session_recaps_group_id_starts_at", "group_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    theme: Mapped[str | None] = mapped_column(String(200), nullable=True)
    guide_user_id: Mapped[str | None] = mapped_column(String(SLACK_ID), nullable=True)
    participants: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # JSON list of {"title", "author", "guest", "link", "kind"}, in the programme's order.
    contributions: Mapped[str] = mapped_column(Text, default="[]")
    # The theme the session's poll chose for the next one (None: no poll, or no winner).
    poll_winner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TourAnswer(Base):
    """A member's answers to the tour de table's four questions for one session, all
    optional. Kept with the session's history until the group's retention period ends;
    `share_with_group` says whether they may appear in the session's thread (the guide
    reads them all)."""

    __tablename__ = "tour_answers"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        Index("ix_tour_answers_group_id_user_id", "group_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    feeling: Mapped[str] = mapped_column(Text, default="")
    doing: Mapped[str] = mapped_column(Text, default="")
    learned: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(Text, default="")
    share_with_group: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TourHelpOffer(Base):
    """A member who clicked "Je peux aider" under someone's need: one row per (answer,
    helper), so a second click does not tell the asker twice."""

    __tablename__ = "tour_help_offers"
    __table_args__ = (UniqueConstraint("answer_id", "helper_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("tour_answers.id", ondelete="CASCADE"))
    helper_user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TourOptOut(Base):
    """A member who asked not to receive the tour de table's invitation in this group."""

    __tablename__ = "tour_opt_outs"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
