"""SESSION_CANCEL: the DMs telling everyone concerned that a session was cancelled.

They were queued in the transaction that cancelled the session (one outbox row per
member), so this job only sends what is queued, each DM at most once, even when it runs
again after a crash. Past the session's start the news is no longer useful: skipped.
"""

from __future__ import annotations

from bot.enums import DeliveryKind
from bot.jobs.contracts import JobEntry
from bot.jobs.dispatcher import DueItem


def send_cancellation(item: DueItem) -> None:
    if not item.useful or item.outbox is None:
        return
    item.outbox.flush()


JOBS: dict[DeliveryKind, JobEntry] = {
    DeliveryKind.SESSION_CANCEL: lambda _deps, item, _now: send_cancellation(item)
}
