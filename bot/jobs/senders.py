"""The registry of senders: which function computes the messages of each delivery kind.

The dispatcher only claims kinds found here, so a kind whose sender is not built yet
stays planned (and goes out late, while useful) instead of being claimed and lost. Add a
feature's senders by merging its table below; the dispatcher does not change.
"""

from __future__ import annotations

from bot.enums import DeliveryKind
from bot.jobs import cycle
from bot.jobs.dispatcher import Sender


def default_senders() -> dict[DeliveryKind, Sender]:
    return {**cycle.SENDERS}
