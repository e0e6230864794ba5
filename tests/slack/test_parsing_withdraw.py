"""`retirer <mot>`: which thing to give up."""

from __future__ import annotations

import pytest

from bot.domain.roles import WithdrawScope
from bot.slack.parsing import parse_withdraw_scope


@pytest.mark.parametrize(
    ("argument", "scope"),
    [
        ("", WithdrawScope.ALL),
        ("tout", WithdrawScope.ALL),
        ("Guide", WithdrawScope.GUIDE),
        ("contribution", WithdrawScope.CONTRIBUTION),
        ("participation", WithdrawScope.PARTICIPATION),
        ("Participante", WithdrawScope.PARTICIPATION),
        ("rsvp", WithdrawScope.PARTICIPATION),
    ],
)
def test_parse_withdraw_scope_known_words(argument, scope):
    assert parse_withdraw_scope(argument) == scope


def test_parse_withdraw_scope_unknown_word_is_none():
    assert parse_withdraw_scope("le chat") is None
