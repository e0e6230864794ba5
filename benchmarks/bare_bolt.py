"""The floor: a Bolt app whose only listener acks, on the bot's own server stack
(uvicorn, Starlette, Bolt dispatch in the thread pool). Run as `python -m benchmarks.bare_bolt`
with SLACK_SIGNING_SECRET, PORT and SLASH_COMMAND set."""

from __future__ import annotations

import os
from typing import Any

import uvicorn
from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import create_engine

from bot.web import build_asgi_app


def main() -> None:
    app = App(
        client=WebClient(token="xoxb-bench", base_url=os.environ.get("SLACK_API_URL", "")),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        token_verification_enabled=False,
    )

    @app.command(os.environ.get("SLASH_COMMAND", "/partage"))
    def only_ack(ack: Ack, command: dict[str, Any]) -> None:
        ack()

    engine = create_engine("sqlite://")  # /healthz only
    uvicorn.run(
        # Starlette's default 40 threads: Bolt's default listener mode polls for the ack
        # with 10 ms sleeps, which the bot's 2 threads would queue behind each other.
        build_asgi_app(app, engine, signing_secret=os.environ["SLACK_SIGNING_SECRET"], workers=40),
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        log_level="warning",
        lifespan="off",
    )


if __name__ == "__main__":
    main()
