"""Work that follows an answer to Slack: channel notices, DMs, views.open.

Listeners run with `process_before_response=True`: Bolt sends the HTTP (or Socket Mode)
answer as soon as the listener returns, without polling for `ack()`. Whatever must happen
after the answer is handed to this pool, so a slow or rate-limited Web API never delays an
acknowledgement past Slack's 3 seconds, and acknowledgements never wait behind it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bot.outages import outages

logger = logging.getLogger(__name__)


class AfterAck:
    def __init__(self, workers: int = 8) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="after-ack")
        self._pending = 0
        self._idle = threading.Condition()

    def defer(self, work: Callable[[], None]) -> None:
        with self._idle:
            self._pending += 1
        self._executor.submit(self._run, work)

    def _run(self, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception as error:
            # The member already has their answer; the others' work must go on.
            outages().report(
                logger,
                error,
                "work after the acknowledgement failed",
                effect="work after acknowledgements failed",
            )
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Block until everything deferred so far has run; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Let deferred work finish (bounded), then stop the threads."""
        if not self.wait_idle(timeout):
            logger.warning("stopping with work still pending after acknowledgements")
        self._executor.shutdown(wait=False, cancel_futures=True)
