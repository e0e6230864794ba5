"""Runs the real bot (bootstrap wiring, Bolt, Starlette, uvicorn) on a free local port,
in a thread of the test process so tests can move its clock."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace

import uvicorn

from bot.bootstrap import Runtime, build_runtime, calendar_feed
from bot.clock import Clock
from bot.config import Settings, load_settings
from bot.http_server import server_config
from bot.web import build_asgi_app

SIGNING_SECRET = "test-signing-secret"


def bot_settings(database_url: str, api_url: str, **overrides: str) -> Settings:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "BOT_TIMEZONE": "Europe/Paris",
        "BOT_LANGUAGE": "fr",
        "LOG_LEVEL": "WARNING",
        "PUBLIC_URL": "https://partage.test",
        # Homes are republished as soon as a worker is free: the tests wait for the
        # after-ack work (`drain`), never for a timer.
        "HOME_REFRESH_DELAY_SECONDS": "0",
    }
    env.update(overrides)
    return load_settings(env, dotenv=False)


class BotServer:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        *,
        header_timeout: float | None = None,
        body_timeout: float | None = None,
    ) -> None:
        """The deadlines are the settings' (HTTP_*_TIMEOUT_SECONDS) unless given."""
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.settings = replace(settings, port=self.port)
        self.runtime: Runtime = build_runtime(self.settings, clock=clock, migrate=False)
        config = server_config(
            build_asgi_app(
                self.runtime.app,
                self.runtime.engine,
                signing_secret=self.settings.slack_signing_secret or "",
                body_timeout=(
                    settings.http_body_timeout_seconds if body_timeout is None else body_timeout
                ),
                feed=calendar_feed(self.runtime),
                metrics=self.runtime.metrics,
            ),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            header_timeout=(
                settings.http_header_timeout_seconds if header_timeout is None else header_timeout
            ),
            max_connections=settings.http_max_connections,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def start(self) -> BotServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("bot server did not start")
            time.sleep(0.01)
        return self

    def drain(self, timeout: float = 10.0) -> None:
        """Return once the bot has finished what it does after its acks (notices, DMs,
        views.open), so a test can assert on the fake Slack, including what was NOT sent."""
        if not self.runtime.after_ack.wait_idle(timeout):
            raise TimeoutError("the bot's after-ack work did not finish")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.runtime.close()
