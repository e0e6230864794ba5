"""CPU per `/partage programme` inside one process: the whole ASGI request (edge, Bolt,
listener, response) and Bolt's dispatch alone, for the bot and for the bare Bolt app of
`benchmarks.bare_bolt`, one request at a time.

Under 16 concurrent clients on 2 cores the latency is mostly queueing, so it follows
this cost: where `ack_latency` says how far apart the two are, this says where.

    .venv/bin/python -m benchmarks.ack_cpu [--requests 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_bolt import Ack, App, BoltRequest
from slack_sdk import WebClient
from sqlalchemy import create_engine

from benchmarks.ack_latency import command_body, seed
from benchmarks.common import SIGNING_SECRET, Database, table
from bot.bootstrap import build_runtime
from bot.config import load_settings
from bot.web import build_asgi_app
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import sign


def bare_app(api_url: str) -> App:
    """The same app as `benchmarks.bare_bolt`, built in this process."""
    app = App(
        client=WebClient(token="xoxb-bench", base_url=api_url),
        signing_secret=SIGNING_SECRET,
        token_verification_enabled=False,
        process_before_response=True,
    )

    @app.command("/partage")
    def only_ack(ack: Ack, command: dict[str, Any]) -> None:
        ack()

    return app


def signed(index: int) -> tuple[str, dict[str, str]]:
    body = command_body("U0USER1", f"1.{index}.{time.time_ns()}")
    ts = str(int(time.time()))
    return body, {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": str(len(body)),
        "x-slack-request-timestamp": ts,
        "x-slack-signature": sign(SIGNING_SECRET, ts, body),
    }


async def asgi_call(app: Any, body: str, headers: dict[str, str]) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/slack/events",
        "raw_path": b"/slack/events",
        "query_string": b"",
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body.encode(), "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(_message: dict[str, Any]) -> None:
        return None

    await app(scope, receive, send)


def cpu_us(run: Callable[[list[tuple[str, dict[str, str]]]], None], requests: int) -> float:
    batch = [signed(i) for i in range(requests)]
    start = time.process_time()
    run(batch)
    return (time.process_time() - start) / requests * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    fake = FakeSlack().start()
    workdir = Path(tempfile.mkdtemp(prefix="partage-cpu-"))
    rows = []
    try:
        for backend in args.backends.split(","):
            database = Database(backend, workdir)
            seed(database.url)
            settings = load_settings(
                {
                    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                    "SLACK_API_URL": fake.api_url,
                    "SLACK_BOT_TOKEN": "xoxb-bench",
                    "DATABASE_URL": database.url,
                    "LOG_LEVEL": "WARNING",
                },
                dotenv=False,
            )
            runtime = build_runtime(settings, migrate=False)
            bare = bare_app(fake.api_url)
            apps = {
                "bot": (
                    runtime.app,
                    build_asgi_app(runtime.app, runtime.engine, signing_secret=SIGNING_SECRET),
                ),
                "bare Bolt": (
                    bare,
                    build_asgi_app(bare, create_engine("sqlite://"), signing_secret=SIGNING_SECRET),
                ),
            }
            loop = asyncio.new_event_loop()
            try:
                results: dict[str, dict[str, list[float]]] = {
                    name: {"asgi": [], "dispatch": []} for name in apps
                }
                for round_index in range(args.rounds + 1):  # the first round warms up
                    for name, (bolt, asgi) in apps.items():

                        def through_asgi(
                            batch: list[tuple[str, dict[str, str]]],
                            asgi: Any = asgi,
                            loop: asyncio.AbstractEventLoop = loop,
                        ) -> None:
                            for body, headers in batch:
                                loop.run_until_complete(asgi_call(asgi, body, headers))

                        def through_dispatch(
                            batch: list[tuple[str, dict[str, str]]], bolt: App = bolt
                        ) -> None:
                            for body, headers in batch:
                                bolt.dispatch(BoltRequest(body=body, query="", headers=headers))

                        asgi_us = cpu_us(through_asgi, args.requests)
                        dispatch_us = cpu_us(through_dispatch, args.requests)
                        if round_index:
                            results[name]["asgi"].append(asgi_us)
                            results[name]["dispatch"].append(dispatch_us)
                for name, measured in results.items():
                    rows.append(
                        [
                            name,
                            backend,
                            f"{sorted(measured['asgi'])[len(measured['asgi']) // 2]:.0f}",
                            f"{sorted(measured['dispatch'])[len(measured['dispatch']) // 2]:.0f}",
                        ]
                    )
            finally:
                loop.close()
                runtime.close()
                database.drop()
    finally:
        fake.stop()
    print(f"CPU per `/partage programme`, one process, median of {args.rounds} rounds, µs")
    print(table(["target", "database", "whole request", "Bolt dispatch"], rows))


if __name__ == "__main__":
    main()
