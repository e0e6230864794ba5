"""Which function works each delivery kind: a sender (messages computed at send time) or
a job (state changes and messages in idempotent steps).

The dispatcher only claims kinds found here, so a kind whose sender is not built yet
stays planned (and goes out late, while useful) instead of being claimed and lost.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.kinds import SPECS, Worker
from bot.enums import DeliveryKind
from bot.jobs import calendar, cancellation, cycle, nudges, polls, refresh, stats, tour
from bot.jobs.contracts import JobDeps, NameLookup, no_names
from bot.jobs.dispatcher import Job, Sender
from bot.slack.notifier import Notifier

# The modules whose `JOBS` work the kinds declared `Worker.JOB`.
JOB_MODULES = (calendar, cancellation, nudges, polls, refresh, stats, tour)
# The kinds worked by a job rather than a sender: read from their declaration.
JOB_KINDS = frozenset(kind for kind, spec in SPECS.items() if spec.worker == Worker.JOB)


def default_senders() -> dict[DeliveryKind, Sender]:
    return {**cycle.SENDERS}


def default_jobs(
    *,
    db: sessionmaker[Session],
    notifier: Notifier,
    settings: Settings,
    bot_user_id: Callable[[], str],
    names: NameLookup = no_names,
) -> dict[DeliveryKind, Job]:
    """Every job, as the module that works its kind declares it (`JOBS`), bound to what
    jobs use in this process."""
    deps = JobDeps(
        db=db, notifier=notifier, settings=settings, bot_user_id=bot_user_id, names=names
    )
    jobs: dict[DeliveryKind, Job] = {
        kind: partial(entry, deps) for module in JOB_MODULES for kind, entry in module.JOBS.items()
    }
    assert set(jobs) == JOB_KINDS
    return jobs
