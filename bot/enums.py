"""Closed vocabularies shared by the database, the domain and the Slack layer.

They are `StrEnum`s so that the stored value is the readable word (`talk`, `ready`), which
keeps the database legible for an operator with `psql` and stable across refactors.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    FR = "fr"
    EN = "en"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class RoleKind(StrEnum):
    GUIDE = "guide"
    PARTICIPANT = "participant"


class ContributionKind(StrEnum):
    TALK = "talk"
    DEMO = "demo"
    EXPERIENCE = "experience"
    GUEST = "guest"


class ContributionStatus(StrEnum):
    PROPOSED = "proposed"
    READY = "ready"
    WITHDRAWN = "withdrawn"


class ProposalStatus(StrEnum):
    OPEN = "open"
    USED = "used"
    WITHDRAWN = "withdrawn"


class PollStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"  # closed by an organiser with no winner


class Recurrence(StrEnum):
    """How the next session is derived from the one just held."""

    MONTHLY_WEEKDAY = "monthly_weekday"  # 2nd Thursday stays 2nd Thursday
    NONE = "none"  # organisers schedule each session by hand


class DeliveryKind(StrEnum):
    """Everything the cycle sends; one planned row per (session or poll, kind)."""

    GUIDE_CALL = "guide_call"
    ANNOUNCEMENT = "announcement"
    CONTRIBUTOR_REMINDER = "contributor_reminder"
    GUIDE_OVERVIEW = "guide_overview"
    LAST_REMINDER = "last_reminder"
    GUIDE_LAST_OVERVIEW = "guide_last_overview"
    RUN_OF_SHOW = "run_of_show"
    SESSION_END = "session_end"
    POLL_POST = "poll_post"  # a poll opened with `sondage`, posted through the outbox
    POLL_CLOSE = "poll_close"
    POLL_CANCEL = "poll_cancel"  # the poll message says it was cancelled
    # A session's `.ics` by DM: asked with "Ajouter à mon agenda", or sent again to those
    # who took it when the session moves or is cancelled.
    CALENDAR_INVITE = "calendar_invite"
    REFRESH = "refresh"  # the living messages of a changed session or poll, updated
    SESSION_CANCEL = "session_cancel"  # the DMs telling everyone concerned
    PARTICIPANT_REMINDER = "participant_reminder"  # J-1 DM to those who RSVPed
    STATS_EXPORT = "stats_export"  # an organiser's statistics as a CSV, by DM
    # The async tour de table: the J-2 invitation to each member of the channel, the
    # answers compiled for the guide and the thread, and a "Je peux aider" DM to an asker.
    TOUR_INVITE = "tour_invite"
    TOUR_COMPILE = "tour_compile"
    TOUR_HELP = "tour_help"
    # The session begins: what could only be answered before it (the tour de table) closes.
    SESSION_START = "session_start"
    # The guide's "Relancer": a friendly DM to a contributor not ready, once a day.
    CONTRIBUTOR_NUDGE = "contributor_nudge"


class DeliveryStatus(StrEnum):
    PLANNED = "planned"  # waiting for due_at
    CLAIMED = "claimed"  # a process is sending it now
    DONE = "done"
    SKIPPED = "skipped"  # no longer useful when it fell due (logged)
    CANCELLED = "cancelled"  # made pointless by a change (guide found, session moved...)


class MessageStatus(StrEnum):
    """One Slack side effect of a delivery (a recipient's copy, a post, a reaction, an
    update), recorded before the Web API call: the outbox."""

    QUEUED = "queued"  # written with the state change it announces; not tried yet
    SENDING = "sending"  # the call started: maybe delivered if it never came back
    SENT = "sent"
    FAILED = "failed"  # permanent for this recipient (user_not_found, cannot_dm_bot...)
    RETRY = "retry"  # the call surely did not reach Slack; safe to send again


class AuditAction(StrEnum):
    """What an organiser (or a guide, for the order) changed, as the audit log stores it."""

    ASSIGN_GUIDE = "assign_guide"
    ASSIGN_CONTRIBUTION = "assign_contribution"
    REMOVE_CONTRIBUTION = "remove_contribution"
    REORDER = "reorder"
    CANCEL = "cancel"
    ADD_ORGANISER = "add_organiser"
    REMOVE_ORGANISER = "remove_organiser"
