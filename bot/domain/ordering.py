"""The programme's order of contributions, in a leaf module: the programme, the
contributions and the organisers' reorder all sort by it, and import each other."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from bot.db.models import Contribution

# The positions an organiser or the guide chose, then the order of submission for
# contributions never placed.
CONTRIBUTION_ORDER: tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...] = (
    Contribution.position.asc().nulls_last(),
    Contribution.created_at,
    Contribution.id,
)
