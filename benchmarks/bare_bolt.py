"""The floor: a Bolt app whose only listener acks, on the bot's own server stack
(uvicorn, Starlette, Bolt dispatch in the thread pool), in Bolt's fastest configuration:
`process_before_response=True` (the answer leaves when the listener returns, no polling
for the ack) on the same dispatch threads as the bot. Run as
`python -m benchmarks.bare_bolt` with SLACK_SIGNING_SECRET, PORT and SLASH_COMMAND set."""

from __future__ import annotations

import os
from typing import Any

import uvicorn
from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import create_engine, text
from sqlalchemy.pool import StaticPool

from bot.web import build_asgi_app


def main() -> None:
    app = App(
        client=WebClient(token="xoxb-bench", base_url=os.environ.get("SLACK_API_URL", "")),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        token_verification_enabled=False,
        process_before_response=True,
    )

    @app.command(os.environ.get("SLASH_COMMAND", "/partage"))
    def only_ack(ack: Ack, command: dict[str, Any]) -> None:
        ack()

    # /healthz only: one in-memory database holding the table its write probe touches.
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('bench')"))
    uvicorn.run(
        build_asgi_app(app, engine, signing_secret=os.environ["SLACK_SIGNING_SECRET"]),
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        log_level="warning",
        lifespan="off",
    )


if __name__ == "__main__":
    main()
