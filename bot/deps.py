"""What listeners and jobs need, handed over once by `bootstrap` (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.services.deliveries import DeliveryState


@dataclass(frozen=True)
class Deps:
    settings: Settings
    db: sessionmaker[Session]
    clock: Clock
    # user id -> is a workspace admin or owner (cached; may call Slack's users.info).
    is_workspace_admin: Callable[[str], bool]
    # Runs a callable after the current answer to Slack (see bot.slack.after_ack).
    after_ack: Callable[[Callable[[], None]], None]
    # Works one delivery at once (a poll opened by command), through the outbox.
    deliveries: _RunsNow | None = None


class _RunsNow(Protocol):
    def run_now(self, delivery_id: int) -> DeliveryState: ...
