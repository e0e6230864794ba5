"""Where "now" comes from. Everything time-dependent takes a `now` from a Clock, so tests
pass an explicit instant instead of sleeping or patching the system time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
