"""Slack's retries and replays apply once: one global Bolt middleware, both transports.

Slack retries an event it thinks was lost (`X-Slack-Retry-Num` over HTTP, `retry_attempt`
in Socket Mode, same `event_id`), and anyone who captured a signed request can send it
again while its signature is fresh (five minutes). Before a listener that changes
something runs, the request's key is inserted into `seen_requests`; a key already there
means the change was made (possibly by another bot process sharing the database), so the
duplicate gets an empty 200 and nothing runs.

Keys: the `event_id` for Events API callbacks; a SHA-256 of the body for slash commands
and interactive payloads (Slack gives each invocation its own `trigger_id`, so a genuine
second identical command has another key, while a byte-for-byte replay has the same).

Read-only requests (`programme`, `aide`, `planning`, reactions that cannot be votes)
are not recorded, so the acknowledgement path of the common case stays free of writes.
When the listener fails, the error handler calls `forget_after_failure`, so Slack's
retry of a failed request runs again instead of being dropped as a duplicate.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse, Respond
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.commands import READ_ONLY
from bot.db.models import SeenRequest
from bot.domain.tally import OPTION_EMOJIS, fold_emoji
from bot.outages import describe, expected_system, outages
from bot.slack.middleware import DirectMiddleware
from bot.slack.parsing import Subcommand, parse_command

logger = logging.getLogger(__name__)

# Twice Slack's five-minute signature window: a replay older than this fails the signature
# check anyway, and Slack's retries come within a few minutes.
RETENTION = timedelta(minutes=10)
# Each process purges expired keys at most this often, right after a claim.
PURGE_INTERVAL = timedelta(minutes=1)
# Where the claimed key travels in the request's Bolt context, for the error handler.
CONTEXT_KEY = "seen_request_key"

# Declared with each subcommand (`bot.commands`).
READ_ONLY_SUBCOMMANDS = READ_ONLY
# Interactive payloads that only read (select menus asking for their options).
READ_ONLY_PAYLOADS = frozenset({"block_suggestion"})
REACTION_EVENTS = frozenset({"reaction_added", "reaction_removed"})


def _digest(kind: str, data: str) -> str:
    return f"{kind}:{hashlib.sha256(data.encode('utf-8', 'surrogatepass')).hexdigest()}"


def _body_text(req: BoltRequest) -> str:
    """The bytes Slack signed over HTTP; a canonical dump of the envelope's payload in
    Socket Mode (a retried envelope carries the same payload)."""
    if req.mode == "http" and req.raw_body:
        return req.raw_body
    return json.dumps(req.body, sort_keys=True, separators=(",", ":"), default=str)


def _event_key(body: dict[str, Any], req: BoltRequest) -> str | None:
    event = body.get("event")
    if (
        isinstance(event, dict)
        and event.get("type") in REACTION_EVENTS
        and fold_emoji(str(event.get("reaction") or "")) not in OPTION_EMOJIS
    ):
        return None  # not a vote: the listener does nothing with it
    event_id = body.get("event_id")
    if isinstance(event_id, str) and event_id:
        return f"event:{event_id[:100]}"
    return _digest("event", _body_text(req))


def request_key(req: BoltRequest) -> str | None:
    """The key under which this request's change is recorded; None when it changes
    nothing and needs no record."""
    body = req.body
    if not isinstance(body, dict):
        return None
    if "command" in body:
        parsed = parse_command(str(body.get("text") or ""))
        if parsed.subcommand in READ_ONLY_SUBCOMMANDS:
            return None
        if parsed.subcommand is Subcommand.CALENDAR and not parsed.argument:
            # Gives the feed's URL (drawing its token once, idempotently); `nouveau`
            # rotates the token and is recorded like any change.
            return None
        return _digest("command", _body_text(req))
    kind = body.get("type")
    if kind == "event_callback":
        return _event_key(body, req)
    if not isinstance(kind, str) or kind in READ_ONLY_PAYLOADS or kind == "url_verification":
        return None
    return _digest("interaction", _body_text(req))


# What to answer when the ledger itself meets a database failure: (error, body, respond).
FailureAnswer = Callable[[Exception, dict[str, Any], Respond | None], BoltResponse]


class RequestLedger:
    """Claims request keys in `seen_requests`, shared by every process on the database."""

    def __init__(
        self,
        db: sessionmaker[Session],
        clock: Clock,
        on_database_failure: FailureAnswer | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.on_database_failure = on_database_failure
        self._last_purge: datetime | None = None

    def claim(self, key: str) -> bool:
        """True when this process is the first to see `key` (its listener may run)."""
        now = self.clock.now()
        try:
            with self.db.begin() as session:
                session.add(SeenRequest(key=key, created_at=now))
        except IntegrityError:
            return False
        self._purge(now)
        return True

    def _purge(self, now: datetime) -> None:
        """Delete expired keys, at most once per interval per process, in a transaction of
        its own: a purge racing another process's must not cost a claim."""
        if self._last_purge is not None and now - self._last_purge < PURGE_INTERVAL:
            return
        self._last_purge = now
        try:
            with self.db.begin() as session:
                session.execute(delete(SeenRequest).where(SeenRequest.created_at < now - RETENTION))
        except SQLAlchemyError as error:
            _failed(error, "could not purge seen requests: %s", type(error).__name__, effect=None)

    def middleware(
        self, req: BoltRequest, _response: BoltResponse, next: Callable[[], object]
    ) -> BoltResponse | None:
        context = req.context
        key = request_key(req)
        if key is None:
            next()
            return None
        try:
            first = self.claim(key)
        except SQLAlchemyError as error:
            body = req.body if isinstance(req.body, dict) else {}
            if self.on_database_failure is not None:
                # The listener would only meet the same failure after waiting out the same
                # timeout again, past Slack's 3 s: answer the apology now, change nothing.
                kind = body.get("type") or ("slash_command" if body.get("command") else "event")
                _failed(error, "database unavailable (%s): %s", kind, type(error).__name__)
                return self.on_database_failure(error, body, context.respond)
            _failed(
                error,
                "could not record request %s: %s",
                key[:16],
                type(error).__name__,
                effect=None,
            )
            next()
            return None
        if not first:
            logger.info("duplicate request %s acknowledged without running", key[:16])
            return BoltResponse(status=200, body="")
        context[CONTEXT_KEY] = key
        next()
        return None


def _failed(
    error: Exception,
    message: str,
    *args: object,
    effect: str | None = "requests answered with an apology",
) -> None:
    """A database outage is counted in its summary line; anything else is one line, as
    the listener's own failure is logged by the error handler."""
    system = expected_system(error)
    if system is not None:
        outages().failed(system, describe(error), effect)
    else:
        logger.warning(message, *args)


def forget_after_failure(db: sessionmaker[Session], context: BoltContext | None) -> None:
    """Called by the error handler: a failed listener must not leave its key behind, or
    Slack's retry of it would be taken for a duplicate and the change lost."""
    key = context.get(CONTEXT_KEY) if context is not None else None
    if not isinstance(key, str):
        return
    try:
        with db.begin() as session:
            session.execute(delete(SeenRequest).where(SeenRequest.key == key))
    except SQLAlchemyError as error:
        _failed(
            error, "could not forget request %s: %s", key[:16], type(error).__name__, effect=None
        )


def register(
    app: App,
    db: sessionmaker[Session],
    clock: Clock,
    on_database_failure: FailureAnswer | None = None,
) -> RequestLedger:
    """Install the ledger as a global middleware (runs after Bolt's own checks)."""
    ledger = RequestLedger(db, clock, on_database_failure)
    app.use(DirectMiddleware("request_ledger", ledger.middleware))
    return ledger
