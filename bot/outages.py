"""Quiet logs under faults: one line when an outage starts, a summary a minute while it
lasts, one line when it ends, and each unexpected error's traceback once.

A database that stops, or Slack answering 503, is expected from time to time, and every
part of the bot meets it at once: each tick of the dispatcher, each command, each health
check, each lease renewal. Logged where it happens, with a traceback, a 40 s PostgreSQL
outage wrote 84 tracebacks (about 4,900 lines) that buried the one line an operator needs.
So the places that meet a failure hand it to the process's `Outages`:

- an expected failure of a system (`DATABASE`: connection refused or lost, locked, disk
  full, read-only, a timeout; `SLACK`: connection refused, 5xx, 429, an answer that is not
  JSON) is counted under what it cost ("deliveries postponed", "requests answered with an
  apology"...). The first one logs "<system> outage started: <reason>"; then at most one
  summary a minute, with the counts since the previous line, written as failures keep
  coming; the first success after it (a write the database accepted, an answer from
  Slack) logs "<system> outage ended after <duration>" with the totals;
- anything else is a bug: its traceback is logged the first time this type of error
  comes from this line of code, and later ones as one line with a count.

The log is process-wide, and so is the tracker (`outages()`); `install` replaces it
with one reading the bot's clock (tests inject theirs). This module is a leaf: it imports
neither Slack nor the bot's layers, so the database, the jobs and the listeners all use it.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import traceback
import urllib.error
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    InternalError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout

logger = logging.getLogger(__name__)

DATABASE = "database"
SLACK = "slack"
FAILED_ATTEMPTS = "failed attempts"
SUMMARY_EVERY = timedelta(minutes=1)
# Distinct unexpected errors remembered (type and line): beyond, a new one is logged with
# its traceback again rather than the memory growing with a bug that varies its line.
SEEN_LIMIT = 1000
_REASON_CHARS = 200
_WRITES = ("INSERT", "UPDATE", "DELETE")


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:_REASON_CHARS]


def describe(error: BaseException) -> str:
    """One short line for the log: the driver's error class and the first line of its
    message, without the SQL and parameters SQLAlchemy appends."""
    original = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    return f"{type(original).__name__}: {_first_line(str(original))}"


def _read_only(error: BaseException) -> bool:
    """PostgreSQL in read-only mode (a standby, `default_transaction_read_only`) answers
    SQLSTATE 25006, which psycopg maps to an InternalError."""
    return getattr(getattr(error, "orig", None), "sqlstate", None) == "25006"


def expected_system(error: BaseException) -> str | None:
    """Which system's outage `error` is a symptom of, or None for a bug.

    The database: an OperationalError (refused, lost, locked, disk full, read-only SQLite
    file, a lock or statement timeout), a lost connection, a pool that waited too long.
    Slack: what `bot.slack.notifier` sorts as transient or ambiguous (its failures carry
    `outage_system`), a 5xx or 429 that slack_sdk raised to a caller of the client, or a
    connection error of its HTTP client.
    """
    if isinstance(error, OperationalError | InterfaceError | DisconnectionError | PoolTimeout):
        return DATABASE
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return DATABASE
    if isinstance(error, InternalError) and _read_only(error):
        return DATABASE
    if isinstance(error, sqlite3.OperationalError):
        return DATABASE
    marked = getattr(error, "outage_system", None)
    if isinstance(marked, str):
        return marked
    status = getattr(getattr(error, "response", None), "status_code", None)
    if type(error).__name__ == "SlackApiError" and isinstance(status, int):
        return SLACK if status >= 500 or status == 429 else None
    if isinstance(error, urllib.error.URLError | ConnectionError):
        return SLACK
    return None


@dataclass
class _Outage:
    started: datetime
    reason: str
    last_line: datetime
    totals: Counter[str] = field(default_factory=Counter)
    since_line: Counter[str] = field(default_factory=Counter)


def _counts(counts: Counter[str]) -> str:
    return ", ".join(f"{n} {what}" for what, n in counts.items()) or "nothing counted"


def _duration(delta: timedelta) -> str:
    seconds = max(0, round(delta.total_seconds()))
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {seconds:02d} s"
    return f"{seconds} s"


class Outages:
    """The outages going on in this process and the unexpected errors seen so far.

    Thread-safe: the dispatcher, the HTTP threads and the after-ack pool report at once.
    `recovered` is called on every success and costs one dict lookup when all is well.
    """

    def __init__(
        self, now: Callable[[], datetime], *, summary_every: timedelta = SUMMARY_EVERY
    ) -> None:
        self._now = now
        self._summary_every = summary_every
        self._lock = threading.Lock()
        self._open: dict[str, _Outage] = {}
        self._seen: Counter[tuple[str, str, int]] = Counter()

    # --- expected failures ---------------------------------------------------------

    def failed(self, system: str, reason: str, effect: str | None = None) -> None:
        """An expected failure of `system` (one failed attempt, and what it cost)."""
        self._count(system, reason, [FAILED_ATTEMPTS, *([effect] if effect else [])])

    def note(self, system: str, effect: str) -> None:
        """What a failure already counted cost further (a delivery postponed by a
        message that could not be sent)."""
        self._count(system, effect, [effect])

    def ongoing(self) -> bool:
        return bool(self._open)

    def count_or_log(
        self, log: logging.Logger, level: int, effect: str, message: str, *args: object
    ) -> None:
        """During an outage, count `effect` in it instead of writing the line (a delivery
        requeued because the database or Slack is down says nothing the summary does not);
        otherwise log the line."""
        with self._lock:
            outages = list(self._open)
        if not outages:
            log.log(level, message, *args)
            return
        for system in outages:
            self.note(system, effect)

    def recovered(self, system: str) -> None:
        """`system` just worked: ends its outage, if one is going on."""
        if system not in self._open:  # the usual case, without taking the lock
            return
        with self._lock:
            outage = self._open.pop(system, None)
            if outage is None:
                return
            now = self._now()
        logger.warning(
            "%s outage ended after %s (started: %s): %s",
            system,
            _duration(now - outage.started),
            outage.reason,
            _counts(outage.totals),
        )

    def _count(self, system: str, reason: str, what: list[str]) -> None:
        line: tuple[str, ...] | None = None
        with self._lock:
            now = self._now()
            outage = self._open.get(system)
            if outage is None:
                outage = _Outage(started=now, reason=reason, last_line=now)
                self._open[system] = outage
                line = ("%s outage started: %s", system, reason)
            for name in what:
                outage.totals[name] += 1
                outage.since_line[name] += 1
            if line is None and now - outage.last_line >= self._summary_every:
                line = (
                    "%s outage going on for %s: %s in the last %s (last: %s)",
                    system,
                    _duration(now - outage.started),
                    _counts(outage.since_line),
                    _duration(now - outage.last_line),
                    reason,
                )
                outage.last_line = now
                outage.since_line = Counter()
        if line is not None:
            logger.warning(*line)

    def warn_or_count(
        self,
        log: logging.Logger,
        error: BaseException,
        message: str,
        *args: object,
        effect: str | None = None,
    ) -> None:
        """A failure that is one warning where it happens (a form that did not open), unless
        it is a symptom of an outage: then counted in it, once per member's click."""
        system = expected_system(error)
        if system is None:
            log.warning(message, *args)
            return
        code = getattr(error, "code", None)
        self.failed(system, code if isinstance(code, str) else describe(error), effect)

    # --- any failure -----------------------------------------------------------------

    def report(
        self,
        log: logging.Logger,
        error: BaseException,
        message: str,
        *args: object,
        effect: str | None = None,
    ) -> None:
        """`error` was caught where work must go on: counted in its system's outage when
        it is expected, else logged as `message` by `unexpected`."""
        system = expected_system(error)
        if system is not None:
            self.failed(system, describe(error), effect)
        else:
            self.unexpected(log, message, *args, error=error)

    def unexpected(
        self, log: logging.Logger, message: str, *args: object, error: BaseException
    ) -> None:
        """A bug: its traceback the first time this error type comes from this line,
        then one line with the count."""
        frames = traceback.extract_tb(error.__traceback__)
        where = (frames[-1].filename, frames[-1].lineno or 0) if frames else ("?", 0)
        key = (type(error).__qualname__, *where)
        with self._lock:
            if key not in self._seen and len(self._seen) >= SEEN_LIMIT:
                self._seen.clear()
            self._seen[key] += 1
            times = self._seen[key]
        if times == 1:
            log.error(message, *args, exc_info=error)
            return
        log.error(
            message + " (%s: %s; seen %s times, traceback logged the first time)",
            *args,
            type(error).__name__,
            _first_line(str(error)),
            times,
        )

    def database_down(self) -> bool:
        return DATABASE in self._open


class _Installed:
    """The process's tracker, made on first use (nothing runs at import time)."""

    tracker: Outages | None = None
    lock = threading.Lock()


def outages() -> Outages:
    """The process's tracker (one on the system clock until `install`)."""
    tracker = _Installed.tracker
    if tracker is None:
        with _Installed.lock:
            if _Installed.tracker is None:
                _Installed.tracker = Outages(lambda: datetime.now(UTC))
            tracker = _Installed.tracker
    return tracker


def install(tracker: Outages) -> Outages:
    """Make `tracker` the process's (the bot's clock; a test's injected clock)."""
    with _Installed.lock:
        _Installed.tracker = tracker
    return tracker


def watch_engine(engine: Engine) -> None:
    """End a database outage on the first write the database accepts (a read alone may
    succeed on a locked or read-only database). Costs nothing while all is well: the
    statement is looked at only during an outage."""

    def after_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        tracker = outages()
        if tracker.database_down() and statement.lstrip()[:6].upper() in _WRITES:
            tracker.recovered(DATABASE)

    event.listen(engine, "after_cursor_execute", after_execute)


class DropClientFailureLines(logging.Filter):
    """slack_sdk logs each failed request at ERROR ("Failed to send a request to Slack API
    server", "Failed to decode Slack API response") before raising it; the notifier sorts
    and counts those failures, so the lines only repeat them once per call."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not message.startswith(
            ("Failed to send a request to Slack API server", "Failed to decode Slack API response")
        )
