"""Retention purges, run by each process's housekeeping interval (`bot.jobs.scheduler`).

The tour de table's answers are kept with the session's history for the group's
`tour_retention_months`, then deleted with their help offers. The rule is the domain's
(`bot.domain.tour.purge_expired`, which takes `now`); this wrapper owns the transaction
and the log line per group.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.domain import tour

logger = logging.getLogger(__name__)


def purge_tour_answers(db: sessionmaker[Session], now: datetime) -> dict[int, int]:
    """Delete the answers past their group's retention; {group id: rows purged}."""
    with transaction(db) as session:
        purged = tour.purge_expired(session, now=now)
    for group_id, count in purged.items():
        logger.info(
            "group %s: %s tour de table answer(s) past the retention period purged",
            group_id,
            count,
        )
    return purged
