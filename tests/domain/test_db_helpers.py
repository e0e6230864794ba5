"""Portable ON CONFLICT DO NOTHING: the answer must say whether this call inserted."""

from __future__ import annotations

from bot.db.engine import transaction
from bot.domain.groups import add_organiser, ensure_group
from tests.support.factories import BEFORE


def test_insert_ignoring_conflicts_true_only_for_the_first_insert(db):
    with transaction(db) as session:
        group = ensure_group(session, team_id="T1", channel_id="C1", now=BEFORE)

        first = add_organiser(session, group_id=group.id, user_id="U1", now=BEFORE)
        second = add_organiser(session, group_id=group.id, user_id="U1", now=BEFORE)

    assert (first, second) == (True, False)
