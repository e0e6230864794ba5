"""Waiting for work Bolt does after the ack (channel posts, event listeners).

Bolt answers Slack as soon as a listener acks and finishes the rest on a worker thread,
so a test checks the outcome of that rest by polling it, with a deadline, instead of
guessing a sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(probe: Callable[[], T], timeout: float = 5.0) -> T:
    """Return the first truthy value of `probe()`; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last value: {value!r})")
        time.sleep(0.01)
