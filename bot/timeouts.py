"""Every wait the bot makes while Slack is waiting for its answer, bounded in one place.

Slack gives a listener 3 seconds to answer (then shows the member an opaque error and, for
events, retries). A request may wait on the database (pool checkout, connect, a lock, a
statement) and, for organiser checks, on Slack's `users.info`. None of these may wait
unbounded: a slow dependency must turn into a fast, clear refusal ("try again in a
moment") instead of a hang, and the transaction it interrupts is rolled back.

Each number bounds one wait; a request normally meets at most one slow wait, so each stays
under 3 s on its own. The dispatcher uses the same engine: a timeout there fails one tick's
unit of work, which the next tick retries. Alembic migrations build their own engine and
are not bound by these (a migration may legitimately take longer).
"""

from __future__ import annotations

# --- database ---------------------------------------------------------------------------

# Opening a PostgreSQL connection (TCP, TLS, authentication). libpq's minimum is 2 s.
DB_CONNECT_TIMEOUT_SECONDS = 2
# Waiting for a free connection in the pool when every one is busy.
DB_POOL_TIMEOUT_SECONDS = 2.0
# Waiting for a row or table lock held by another transaction (PostgreSQL), or for the
# write lock (SQLite's busy timeout): the writer ahead of us normally holds it for
# milliseconds, so two seconds means something is wrong and the member should retry.
DB_LOCK_TIMEOUT_SECONDS = 2.0
# One statement on the server (PostgreSQL). The bot's statements take milliseconds; this
# stops a pathological one before Slack's 3 s so the member still gets the apology.
DB_STATEMENT_TIMEOUT_SECONDS = 2.0
# A transaction left open by a stuck thread must not hold its locks for ever.
DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS = 60.0
# Client-side bound on one statement, for a server that accepts TCP but never answers
# (stopped, partitioned): the server-side timeouts above cannot fire then, so the
# connection is shut down from our side and the request fails instead of hanging.
DB_CLIENT_STATEMENT_DEADLINE_SECONDS = 2.4

# --- Slack ------------------------------------------------------------------------------

# `users.info` for the workspace-admin check, made before the unit of work that needs it:
# it must leave time for the database work and the answer within Slack's 3 s.
ADMIN_LOOKUP_TIMEOUT_SECONDS = 1.5

# --- health -----------------------------------------------------------------------------

# `/healthz` answers 503 when the database has not answered within this; load balancers
# and container health checks time out after a few seconds and must get an answer.
HEALTH_CHECK_TIMEOUT_SECONDS = 1.0
