"""Job tests move the session-wide clock; each one hands it back where it found it, so
the order tests run in does not matter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.clock import ManualClock


@pytest.fixture(autouse=True)
def _clock_restored(request: pytest.FixtureRequest) -> Iterator[None]:
    if "clock" not in request.fixturenames:
        yield
        return
    clock: ManualClock = request.getfixturevalue("clock")
    before = clock.now()
    yield
    clock.set(before)
