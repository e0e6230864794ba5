"""CONTRIBUTOR_NUDGE: the friendly DM a guide's "Relancer" queued with the click
(`bot.domain.nudges`), sent once through the delivery's outbox."""

from __future__ import annotations

from bot.enums import DeliveryKind
from bot.jobs.contracts import JobEntry
from bot.jobs.dispatcher import DueItem


def send_nudge(item: DueItem) -> None:
    """Nothing once it is no longer useful (the session has started)."""
    if not item.useful or item.outbox is None:
        return
    item.outbox.flush()


JOBS: dict[DeliveryKind, JobEntry] = {
    DeliveryKind.CONTRIBUTOR_NUDGE: lambda _deps, item, _now: send_nudge(item),
}
