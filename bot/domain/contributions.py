"""Contributions: what a member submits, its validation, create-or-edit, ready, budget.

Validation lives here, not in the modal handler, so another entry point (the roles modal,
a command with arguments) cannot store a contribution that breaks the rules of a
contribution (kind, title, duration, link, guest).
It reports every broken rule at once, keyed by field, so the modal can flag each input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Contribution, Meeting
from bot.domain.agenda import PRESENTATION_BUDGET_MINUTES
from bot.domain.errors import DomainError, InvalidInput
from bot.domain.events import ContributionReady, ContributionSaved, emit
from bot.domain.links import is_web_link
from bot.domain.meetings import guide_of
from bot.domain.roles import require_scheduled_meeting
from bot.enums import ContributionKind, ContributionStatus

TITLE_MAX_LENGTH = 150
DESCRIPTION_MAX_LENGTH = 3000
DURATION_MIN_MINUTES, DURATION_MAX_MINUTES = 1, 30
LINK_MAX_LENGTH = 2000
GUEST_NAME_MAX_LENGTH = 150


# A duration in minutes: a few digits (a longer string would be refused anyway, and int()
# raises on more than 4,300 digits).
_WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")


class Field(StrEnum):
    KIND = "kind"
    TITLE = "title"
    DESCRIPTION = "description"
    DURATION = "duration"
    LINK = "link"
    GUEST_NAME = "guest_name"
    GUEST_AFFILIATION = "guest_affiliation"


@dataclass(frozen=True)
class FieldError:
    """One broken rule: an i18n key and what the message needs (e.g. the length typed)."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


class InvalidContribution(InvalidInput):
    def __init__(self, errors: dict[Field, FieldError]) -> None:
        super().__init__("contribution.error.invalid")
        self.errors = errors


@dataclass(frozen=True)
class ContributionData:
    """A contribution that passed validation: trimmed, typed, ready to store."""

    kind: ContributionKind
    title: str
    description: str
    duration_minutes: int
    link: str | None
    guest_name: str | None
    guest_affiliation: str | None = None


def _trimmed(value: str | None) -> str:
    return (value or "").strip()


@dataclass(frozen=True)
class ContributionInput:
    """What the member typed, as raw text; None for a field left empty."""

    kind: str | None = None
    title: str | None = None
    description: str | None = None
    duration: str | None = None
    link: str | None = None
    guest_name: str | None = None
    guest_affiliation: str | None = None

    def validate(self) -> dict[Field, FieldError]:
        """Every broken rule, keyed by field; empty when the input can be stored."""
        errors: dict[Field, FieldError] = {}
        kind = self._kind()
        if kind is None:
            errors[Field.KIND] = FieldError("contribution.error.kind")
        title = _trimmed(self.title)
        if not 1 <= len(title) <= TITLE_MAX_LENGTH:
            errors[Field.TITLE] = FieldError("contribution.error.title", {"length": len(title)})
        description = _trimmed(self.description)
        if len(description) > DESCRIPTION_MAX_LENGTH:
            errors[Field.DESCRIPTION] = FieldError(
                "contribution.error.description", {"length": len(description)}
            )
        if self._duration() is None:
            errors[Field.DURATION] = FieldError("contribution.error.duration")
        link = _trimmed(self.link)
        if link and not is_web_link(link):
            errors[Field.LINK] = FieldError("contribution.error.link")
        elif len(link) > LINK_MAX_LENGTH:
            errors[Field.LINK] = FieldError("contribution.error.link_length")
        guest = _trimmed(self.guest_name)
        if kind is ContributionKind.GUEST and not guest:
            errors[Field.GUEST_NAME] = FieldError("contribution.error.guest_required")
        elif kind is ContributionKind.GUEST and len(guest) > GUEST_NAME_MAX_LENGTH:
            errors[Field.GUEST_NAME] = FieldError(
                "contribution.error.guest_length", {"length": len(guest)}
            )
        affiliation = _trimmed(self.guest_affiliation)
        if kind is ContributionKind.GUEST and len(affiliation) > GUEST_NAME_MAX_LENGTH:
            errors[Field.GUEST_AFFILIATION] = FieldError(
                "contribution.error.affiliation_length", {"length": len(affiliation)}
            )
        return errors

    def clean(self) -> ContributionData:
        """The validated values, or InvalidContribution listing every broken rule."""
        errors = self.validate()
        if errors:
            raise InvalidContribution(errors)
        kind = self._kind()
        duration = self._duration()
        assert kind is not None and duration is not None
        guest = _trimmed(self.guest_name)
        is_guest = kind is ContributionKind.GUEST
        return ContributionData(
            kind=kind,
            title=_trimmed(self.title),
            description=_trimmed(self.description),
            duration_minutes=duration,
            link=_trimmed(self.link) or None,
            # A guest only means something for a guest contribution; drop one left from
            # an edit that changed the kind.
            guest_name=guest if is_guest else None,
            guest_affiliation=(_trimmed(self.guest_affiliation) or None) if is_guest else None,
        )

    def _kind(self) -> ContributionKind | None:
        try:
            return ContributionKind(_trimmed(self.kind))
        except ValueError:
            return None

    def _duration(self) -> int | None:
        raw = _trimmed(self.duration)
        if not _WHOLE_NUMBER.fullmatch(raw):
            return None
        minutes = int(raw)
        return minutes if DURATION_MIN_MINUTES <= minutes <= DURATION_MAX_MINUTES else None


def active_contribution_of(
    session: Session, *, meeting_id: int, user_id: str
) -> Contribution | None:
    """The member's contribution still on the programme (at most one, by a unique index)."""
    return session.scalars(
        select(Contribution).where(
            Contribution.meeting_id == meeting_id,
            Contribution.author_user_id == user_id,
            Contribution.status != ContributionStatus.WITHDRAWN,
        )
    ).one_or_none()


def budget_used(session: Session, *, meeting_id: int) -> int:
    """Minutes the active contributions plan to present, out of the group's budget."""
    total = session.scalar(
        select(func.coalesce(func.sum(Contribution.duration_minutes), 0)).where(
            Contribution.meeting_id == meeting_id,
            Contribution.status != ContributionStatus.WITHDRAWN,
        )
    )
    return int(total or 0)


@dataclass(frozen=True)
class SubmitResult:
    meeting: Meeting
    contribution: Contribution
    created: bool
    budget_used: int
    guide_user_id: str | None
    # The group's own presentation budget, read while the session is open.
    budget: int = PRESENTATION_BUDGET_MINUTES

    @property
    def over_budget(self) -> int:
        return max(0, self.budget_used - self.budget)


def _apply(contribution: Contribution, data: ContributionData, now: datetime) -> None:
    contribution.kind = data.kind
    contribution.title = data.title
    contribution.description = data.description
    contribution.duration_minutes = data.duration_minutes
    contribution.link = data.link
    contribution.guest_name = data.guest_name
    contribution.guest_affiliation = data.guest_affiliation
    contribution.updated_at = now


def submit_contribution(
    session: Session,
    *,
    meeting_id: int,
    user_id: str,
    data: ContributionInput,
    now: datetime,
) -> SubmitResult:
    """Create the member's contribution, or edit the one they already have.

    An edit keeps `created_at` (the programme's order) and the ready status. Two
    submissions racing to create are settled by `uq_contributions_one_active_per_author`:
    the loser edits the winner's row instead of adding a second one.
    Raises SessionGone if the session is no longer upcoming, InvalidContribution otherwise.
    """
    meeting = require_scheduled_meeting(session, meeting_id=meeting_id)
    cleaned = data.clean()
    contribution = active_contribution_of(session, meeting_id=meeting.id, user_id=user_id)
    created = contribution is None
    if contribution is None:
        contribution = Contribution(
            meeting_id=meeting.id,
            author_user_id=user_id,
            status=ContributionStatus.PROPOSED,
            created_at=now,
        )
        _apply(contribution, cleaned, now)
        try:
            with session.begin_nested():
                session.add(contribution)
        except IntegrityError:
            contribution = active_contribution_of(session, meeting_id=meeting.id, user_id=user_id)
            if contribution is None:  # the other one was withdrawn meanwhile: nothing to edit
                raise
            created = False
            _apply(contribution, cleaned, now)
    else:
        _apply(contribution, cleaned, now)
    session.flush()
    emit(
        session,
        ContributionSaved(
            meeting.group_id, now, meeting.id, user_id, user_id, contribution.id, created
        ),
    )
    return SubmitResult(
        meeting=meeting,
        contribution=contribution,
        created=created,
        budget_used=budget_used(session, meeting_id=meeting.id),
        guide_user_id=guide_of(session, meeting_id=meeting.id),
        budget=meeting.group.presentation_minutes,
    )


@dataclass(frozen=True)
class ReadyResult:
    contribution: Contribution
    already: bool


def mark_ready(session: Session, *, meeting: Meeting, user_id: str, now: datetime) -> ReadyResult:
    """Mark the member's contribution ready; refused when they have none."""
    contribution = active_contribution_of(session, meeting_id=meeting.id, user_id=user_id)
    if contribution is None:
        raise DomainError("ready.error.none")
    if contribution.status == ContributionStatus.READY:
        return ReadyResult(contribution, already=True)
    contribution.status = ContributionStatus.READY
    contribution.ready_at = now
    contribution.updated_at = now
    session.flush()
    emit(
        session,
        ContributionReady(meeting.group_id, now, meeting.id, user_id, user_id, contribution.id),
    )
    return ReadyResult(contribution, already=False)
