"""What `/healthz` says about the database: it answers, and it takes writes.

A container supervisor restarts or replaces a bot whose health check fails, so the check
must fail when the bot can no longer save anything (a read-only file, a full disk, a
server turned read-only), not only when the database is gone. Reading is checked on
every request (`SELECT 1`, as before: a database that stops answering shows at once).
Writing costs a commit, so a successful write probe is trusted for
`WRITE_PROBE_INTERVAL_SECONDS`; a failed one is probed again at the next request, so a
database that recovers shows at once too. One probe runs at a time: requests arriving
meanwhile wait for its answer (the route's deadline bounds the wait).
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine

from bot.db.engine import database_answers, database_takes_writes

logger = logging.getLogger(__name__)

# A write probe at most this often while the database takes writes.
WRITE_PROBE_INTERVAL_SECONDS = 5.0


class DatabaseState(enum.Enum):
    OK = "ok"
    UNREACHABLE = "database unreachable"
    NOT_WRITABLE = "database not writable"


class DatabaseHealth:
    def __init__(
        self,
        engine: Engine,
        *,
        interval: float = WRITE_PROBE_INTERVAL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._interval = interval
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._written_at: float | None = None  # the last successful write probe
        self._failing: str | None = None  # the reason of the failure last logged

    def _fresh(self) -> bool:
        written = self._written_at
        return written is not None and self._monotonic() - written < self._interval

    def check(self) -> DatabaseState:
        """Blocking; run it on a worker thread."""
        if self._fresh():
            return DatabaseState.OK if database_answers(self._engine) else DatabaseState.UNREACHABLE
        with self._lock:
            if self._fresh():  # probed by the request we waited for
                return DatabaseState.OK
            if not database_answers(self._engine):
                return DatabaseState.UNREACHABLE
            reason = database_takes_writes(self._engine)
            if reason is None:
                self._written_at = self._monotonic()
                if self._failing is not None:
                    logger.info("the database takes writes again")
                    self._failing = None
                return DatabaseState.OK
            self._written_at = None
            if reason != self._failing:
                logger.error("the database does not take writes: %s", reason)
                self._failing = reason
            return DatabaseState.NOT_WRITABLE
