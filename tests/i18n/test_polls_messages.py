"""The poll texts exist in both languages with the same placeholders."""

from __future__ import annotations

import string

from bot.i18n.messages import polls


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_poll_messages_fr_and_en_have_the_same_keys_and_placeholders():
    assert polls.FR.keys() == polls.EN.keys()
    mismatched = [k for k in polls.FR if placeholders(polls.FR[k]) != placeholders(polls.EN[k])]
    assert mismatched == []
