"""What the channel reads of a session once it is held: its recap with the people by
name, the tour de table answers shared with the group and the needs still open.

The stored recap (`bot.domain.recap`) keeps what the session covered for the history;
this read model adds what is only read live, when the end message is written or
rewritten: the participant·es (one definition, `bot.domain.participants`) and the
answers their authors chose to share (never a private one), which the group's retention
may purge later.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.domain.participants import participants_of
from bot.domain.recap import RecapView, recap_of
from bot.domain.tour import AnswerView, answers_of_meeting


@dataclass(frozen=True)
class SessionSummary:
    recap: RecapView
    participants: tuple[str, ...]
    # The tour de table's answers shared with the group, in the order they were given.
    shared: tuple[AnswerView, ...]

    @property
    def needs(self) -> tuple[AnswerView, ...]:
        """The shared answers with a need: what the group can still help with."""
        return tuple(a for a in self.shared if a.needs)

    @property
    def people(self) -> tuple[str, ...]:
        """Every member the summary names, each once: whose names to look up."""
        users = [
            *([self.recap.guide_user_id] if self.recap.guide_user_id else []),
            *(item.author_user_id for item in self.recap.contributions),
            *self.participants,
            *(a.user_id for a in self.shared),
        ]
        return tuple(dict.fromkeys(users))


def session_summary(session: Session, *, meeting_id: int) -> SessionSummary | None:
    """The held session's summary; None when it has no recap (never held)."""
    recap = recap_of(session, meeting_id=meeting_id)
    if recap is None:
        return None
    shared = tuple(
        a for a in answers_of_meeting(session, meeting_id=meeting_id) if a.share_with_group
    )
    return SessionSummary(recap, participants_of(session, meeting_id=meeting_id), shared)
