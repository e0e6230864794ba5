"""Theme proposals: length, normalisation, polite refusal of an open duplicate."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.engine import transaction
from bot.db.models import ThemeProposal
from bot.domain.errors import DomainError, InvalidInput
from bot.domain.proposals import normalize_theme, open_proposals, propose_theme
from bot.enums import ProposalStatus
from tests.support.factories import BEFORE, make_group


def test_propose_theme_without_any_session_records_collapsed_text(db):
    with transaction(db) as session:
        group = make_group(session)
        proposal = propose_theme(
            session, group=group, user_id="U1", text="  L'accessibilité \n  numérique ", now=BEFORE
        )

    with db() as session:
        stored = session.scalars(select(ThemeProposal)).one()
    assert stored.id == proposal.id
    assert stored.text == "L'accessibilité numérique"
    assert stored.normalized == "l'accessibilite numerique"
    assert stored.status == ProposalStatus.OPEN
    assert stored.proposed_by == "U1"


@pytest.mark.parametrize("text", ["", "   ", "x" * 201])
def test_propose_theme_outside_1_to_200_characters_is_refused(db, text):
    with transaction(db) as session:
        group = make_group(session)

        with pytest.raises(InvalidInput) as raised:
            propose_theme(session, group=group, user_id="U1", text=text, now=BEFORE)

    assert raised.value.key == "proposal.error.length"
    assert raised.value.params == {"length": len(text.strip())}


def test_propose_theme_duplicate_of_open_proposal_is_refused_naming_it(db):
    with transaction(db) as session:
        group = make_group(session)
        propose_theme(session, group=group, user_id="U1", text="Design public", now=BEFORE)

        with pytest.raises(DomainError) as raised:
            propose_theme(session, group=group, user_id="U2", text="  DÉSIGN   public", now=BEFORE)
        remaining = open_proposals(session, group_id=group.id)

    assert raised.value.key == "proposal.error.duplicate"
    assert raised.value.params == {"text": "Design public", "user": "U1"}
    assert [p.text for p in remaining] == ["Design public"]


def test_propose_theme_again_once_the_first_was_used(db):
    with transaction(db) as session:
        group = make_group(session)
        first = propose_theme(session, group=group, user_id="U1", text="Design", now=BEFORE)
        first.status = ProposalStatus.USED
        session.flush()

        again = propose_theme(session, group=group, user_id="U2", text="design", now=BEFORE)

    assert again.id != first.id


def test_propose_theme_same_text_in_two_groups_is_fine(db):
    with transaction(db) as session:
        one = make_group(session, channel="C1")
        two = make_group(session, channel="C2")
        propose_theme(session, group=one, user_id="U1", text="Design", now=BEFORE)
        propose_theme(session, group=two, user_id="U1", text="Design", now=BEFORE)

    with db() as session:
        assert len(session.scalars(select(ThemeProposal)).all()) == 2


def test_normalize_theme_folds_case_accents_spaces_and_fits_the_column():
    assert normalize_theme("Éthique   des ALGOS") == "ethique des algos"
    assert len(normalize_theme("ß" * 200)) == 200
