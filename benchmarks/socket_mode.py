"""The Socket Mode clients slack_sdk offers, against the rules an operator relies on.

Each client runs in its own process (so a busy loop left by one cannot bill the next)
against the fake Socket Mode server of the test suite, and is measured on:
- reconnection after each kind of drop: clean close, TCP close with no close frame,
  reset (RST), half-open (the server stops reading and answering pings), and
  `refresh_requested`; the time is from the drop to the new connection's hello;
- CPU while it cannot reconnect (apps.connections.open keeps answering a closed port);
- the ack of an envelope sent on the new connection right after a drop (3 s rule);
- ack latency with 8 envelopes in flight (20 rounds after one of warm-up; under 10 ms is
  the target).

Rows `builtin`, `websocket_client`, `aiohttp` and `websockets` are slack_sdk's clients with
the defaults Bolt's adapters give them and a listener that only acks; `bot` is
`bot.slack.socket_mode` driving a bare Bolt app (the dispatch to Bolt included).

    .venv/bin/python -m benchmarks.socket_mode [--clients builtin,websockets,...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import ROOT, percentile, table
from tests.support.fake_slack import FakeSlack
from tests.support.fake_socket_mode import FakeSocketMode

CLIENTS = ("builtin", "websocket_client", "aiohttp", "websockets", "bot")
DROPS = ("close", "tcp", "reset", "half_open", "refresh")
GIVE_UP = 15.0  # seconds: a reconnection slower than this is reported as "> 15"
CPU_WINDOW = 6.0  # seconds after a drop over which CPU time is measured
APP_TOKEN = "xapp-1-A0001-1-bench"
COMMAND = {"command": "/partage", "text": "aide", "user_id": "U1", "team_id": "T0001"}


class Runner:
    """Starts one client with an ack-only listener; stop() releases it."""

    def __init__(self, kind: str, api_url: str) -> None:
        self.kind = kind
        self.api_url = api_url
        self._stop: Callable[[], None] = lambda: None

    def start(self) -> None:
        if self.kind in ("builtin", "websocket_client"):
            self._start_sync()
        elif self.kind in ("aiohttp", "websockets"):
            self._start_async()
        else:
            self._start_bot()

    def stop(self) -> None:
        self._stop()

    def _start_sync(self) -> None:
        from slack_sdk import WebClient
        from slack_sdk.socket_mode.response import SocketModeResponse

        if self.kind == "builtin":
            from slack_sdk.socket_mode.builtin import SocketModeClient
        else:
            from slack_sdk.socket_mode.websocket_client import SocketModeClient  # type: ignore[assignment]

        client = SocketModeClient(
            app_token=APP_TOKEN, web_client=WebClient(base_url=self.api_url), ping_interval=10
        )

        def ack(client: Any, request: Any) -> None:
            client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))

        client.socket_mode_request_listeners.append(ack)
        client.connect()
        self._stop = client.close

    def _start_async(self) -> None:
        from slack_sdk.socket_mode.response import SocketModeResponse
        from slack_sdk.web.async_client import AsyncWebClient

        loop = asyncio.new_event_loop()
        holder: dict[str, Any] = {}

        async def begin() -> None:
            if self.kind == "aiohttp":
                from slack_sdk.socket_mode.aiohttp import SocketModeClient
            else:
                from slack_sdk.socket_mode.websockets import SocketModeClient  # type: ignore[assignment]
            client = SocketModeClient(
                app_token=APP_TOKEN,
                web_client=AsyncWebClient(base_url=self.api_url),
                ping_interval=10,
            )

            async def ack(client: Any, request: Any) -> None:
                await client.send_socket_mode_response(
                    SocketModeResponse(envelope_id=request.envelope_id)
                )

            client.socket_mode_request_listeners.append(ack)
            await client.connect()
            holder["client"] = client

        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        asyncio.run_coroutine_threadsafe(begin(), loop).result(10)

        def stop() -> None:
            asyncio.run_coroutine_threadsafe(holder["client"].close(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)

        self._stop = stop

    def _start_bot(self) -> None:
        from slack_bolt import App
        from slack_sdk import WebClient

        from bot.slack.socket_mode import SocketModeRunner

        app = App(
            client=WebClient(token="xoxb-bench", base_url=self.api_url),
            token_verification_enabled=False,
            request_verification_enabled=False,
            process_before_response=True,
        )
        app.command("/partage")(lambda ack: ack())
        runner = SocketModeRunner(app, APP_TOKEN, api_url=self.api_url)
        runner.start()
        self._stop = runner.stop


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"ws://127.0.0.1:{sock.getsockname()[1]}/"


def drop(server: FakeSocketMode, kind: str) -> None:
    {
        "close": server.close_clean,
        "tcp": server.close_tcp,
        "reset": server.reset,
        "half_open": server.half_open,
        "refresh": server.refresh,
    }[kind]()


def measure_acks(server: FakeSocketMode) -> dict[str, Any]:
    latencies: list[float] = []
    for round_ in range(21):  # the first round warms up (imports, first dispatch)
        ids = server.send_many("slash_commands", [COMMAND] * 8)
        acks = [server.wait_ack(i, timeout=5).seconds for i in ids]
        if round_:
            latencies += acks
    return {
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


def measure_down(server: FakeSocketMode, routing: dict[str, str]) -> dict[str, Any]:
    """Every reconnection attempt lands on a closed port for 5 s, then Slack is back."""
    routing["url"] = closed_port_url()
    cpu, wall = time.process_time(), time.monotonic()
    server.close_tcp()
    time.sleep(5)
    result: dict[str, Any] = {"cpu": (time.process_time() - cpu) / (time.monotonic() - wall)}
    routing["url"] = server.url
    back = time.monotonic()
    try:
        server.wait_connections(2, timeout=GIVE_UP)
        result["back_s"] = time.monotonic() - back
    except AssertionError:
        result["back_s"] = None
    return result


def measure_drop(server: FakeSocketMode, scenario: str) -> dict[str, Any]:
    result: dict[str, Any] = {"reconnect_s": None, "ack_s": None}
    started, cpu = time.monotonic(), time.process_time()
    drop(server, scenario)
    try:
        server.wait_connections(2, timeout=GIVE_UP)
        result["reconnect_s"] = time.monotonic() - started
        envelope = server.send_envelope("slash_commands", COMMAND)
        result["ack_s"] = server.wait_ack(envelope, timeout=5).seconds
    except AssertionError:
        pass
    # CPU over a fixed window after the drop: a client that spins on a dead socket shows
    # it here, however long it takes to notice.
    time.sleep(max(0.0, started + CPU_WINDOW - time.monotonic()))
    result["cpu"] = (time.process_time() - cpu) / (time.monotonic() - started)
    return result


def measure(kind: str, scenario: str) -> dict[str, Any]:
    """Run one scenario against a fresh client; return its numbers (seconds)."""
    logging.basicConfig(level=logging.CRITICAL)
    fake_slack = FakeSlack().start()
    server = FakeSocketMode().start()
    routing = {"url": server.url}
    fake_slack.on("apps.connections.open", lambda _args: {"ok": True, "url": routing["url"]})
    runner = Runner(kind, fake_slack.api_url)
    runner.start()
    try:
        server.wait_connections(1, timeout=GIVE_UP)
        if scenario == "ack":
            return measure_acks(server)
        if scenario == "down":
            return measure_down(server, routing)
        return measure_drop(server, scenario)
    finally:
        threading.Thread(target=runner.stop, daemon=True).start()
        server.stop()


def run_one(kind: str, scenario: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.socket_mode", "--one", f"{kind}:{scenario}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        print(f"{kind} {scenario}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
        return {}


def seconds(value: float | None) -> str:
    return f"> {GIVE_UP:.0f}" if value is None else f"{value:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, scenario = args.one.split(":")
        print(json.dumps(measure(kind, scenario)), flush=True)
        import os

        os._exit(0)  # some clients leave non-daemon threads behind
    rows = []
    for kind in args.clients.split(","):
        drops = {name: run_one(kind, name) for name in DROPS}
        down = run_one(kind, "down")
        ack = run_one(kind, "ack")
        acks = [d["ack_s"] for d in drops.values() if d.get("ack_s") is not None]
        worst_cpu = max([d.get("cpu", 0.0) for d in drops.values()] + [down.get("cpu", 0.0)])
        rows.append(
            [
                kind,
                *(seconds(drops[name].get("reconnect_s")) for name in DROPS),
                f"{max(acks) * 1000:.0f} ms" if acks else "-",
                f"{worst_cpu * 100:.0f} %",
                seconds(down.get("back_s")),
                f"{ack.get('p50_ms', float('nan')):.1f} / {ack.get('p99_ms', float('nan')):.1f}",
            ]
        )
        print(f"{kind}: {json.dumps({'drops': drops, 'down': down, 'ack': ack})}", file=sys.stderr)
    print(
        table(
            [
                "client",
                "close s",
                "tcp s",
                "reset s",
                "half-open s",
                "refresh s",
                "worst ack after reconnecting",
                "CPU (worst)",
                "back up s",
                "ack 8 in flight p50/p99 ms",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
