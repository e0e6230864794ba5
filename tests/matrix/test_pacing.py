"""Calls to one homeserver are paced: at most one per MATRIX_PACE_SECONDS."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.synapse import require_nio

require_nio()

from bot.matrix.transport import Pacer  # noqa: E402  (nio)


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_pacer_spaces_calls_by_the_interval():
    time = FakeTime()
    pacer = Pacer(1.0, clock=time.clock, sleep=time.sleep)

    async def calls():
        await pacer.wait()
        await pacer.wait()
        time.now += 0.25
        await pacer.wait()
        time.now += 5
        await pacer.wait()

    asyncio.run(calls())

    assert time.slept == [1.0, 0.75]


@pytest.mark.parametrize("interval", [0.0])
def test_pacer_at_zero_never_waits(interval):
    time = FakeTime()
    pacer = Pacer(interval, clock=time.clock, sleep=time.sleep)

    async def calls():
        for _ in range(5):
            await pacer.wait()

    asyncio.run(calls())

    assert time.slept == []
