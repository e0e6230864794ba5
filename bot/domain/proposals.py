"""Theme proposals for the next poll (`/partage proposer`), at any time of the cycle."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Group, ThemeProposal
from bot.domain.errors import DomainError, InvalidInput
from bot.domain.events import ProposalAdded, emit
from bot.enums import ProposalStatus

PROPOSAL_MAX_LENGTH = 200


def clean_proposal(raw: str) -> str:
    """Collapse inner whitespace and check 1-200 characters."""
    text = " ".join(raw.split())
    if not 1 <= len(text) <= PROPOSAL_MAX_LENGTH:
        raise InvalidInput("proposal.error.length", length=len(text))
    return text


def normalize_theme(text: str) -> str:
    """The comparison key of a theme: case, accents and spacing do not make it new.

    `L'Accessibilité  numérique` and `l'accessibilite numerique` are the same proposal.
    Cut to the column's 200 characters (case folding can lengthen a text: ß -> ss).
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())[:PROPOSAL_MAX_LENGTH]


def open_proposals(session: Session, *, group_id: int) -> list[ThemeProposal]:
    """The group's proposals still waiting for a poll, oldest first."""
    return list(
        session.scalars(
            select(ThemeProposal)
            .where(ThemeProposal.group_id == group_id, ThemeProposal.status == ProposalStatus.OPEN)
            .order_by(ThemeProposal.created_at, ThemeProposal.id)
        )
    )


def find_open_duplicate(
    session: Session, *, group_id: int, normalized: str
) -> ThemeProposal | None:
    return session.scalars(
        select(ThemeProposal).where(
            ThemeProposal.group_id == group_id,
            ThemeProposal.normalized == normalized,
            ThemeProposal.status == ProposalStatus.OPEN,
        )
    ).one_or_none()


def propose_theme(
    session: Session,
    *,
    group: Group,
    user_id: str,
    text: str,
    now: datetime,
) -> ThemeProposal:
    """Record a proposal; the same theme already open in the group is refused politely.

    The partial unique index decides, so two members proposing the same theme at the same
    instant leave one proposal and one polite refusal.
    """
    cleaned = clean_proposal(text)
    normalized = normalize_theme(cleaned)
    proposal = ThemeProposal(
        group_id=group.id,
        text=cleaned,
        normalized=normalized,
        proposed_by=user_id,
        # Not the command's `user_name` (a legacy handle): the poll names proposers from
        # their Slack profile when it is posted.
        proposed_by_name=None,
        status=ProposalStatus.OPEN,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(proposal)
    except IntegrityError:
        existing = find_open_duplicate(session, group_id=group.id, normalized=normalized)
        raise DomainError(
            "proposal.error.duplicate",
            text=existing.text if existing else cleaned,
            user=existing.proposed_by if existing else user_id,
        ) from None
    emit(session, ProposalAdded(group.id, now, user_id, proposal.text))
    return proposal
