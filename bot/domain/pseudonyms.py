"""The neutral stand-in for a member who erased their data (`/partage mes-donnees`).

Past sessions keep their shape (who guided, who presented) but no longer say *who*: each
erasure draws one random pseudonym, so the unique constraints that hold for real members
(one guide per session, one contribution per author) still hold, and the pseudonym cannot
be traced back to the Slack account. It is lower-case, so `mention()` never makes a ping
of it: it shows as plain text.
"""

from __future__ import annotations

import secrets

PSEUDONYM_PREFIX = "anonyme-"


def new_pseudonym() -> str:
    return PSEUDONYM_PREFIX + secrets.token_hex(6)


def is_pseudonym(user_id: str | None) -> bool:
    return bool(user_id) and str(user_id).startswith(PSEUDONYM_PREFIX)
