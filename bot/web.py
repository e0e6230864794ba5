"""HTTP transport: one ASGI app with `POST /slack/events` and `GET /healthz`.

Bolt's sync `App.dispatch` runs in Starlette's thread pool so a slow request never blocks
the event loop, and a response Bolt would send as a 5xx is turned into a 200: Slack shows
members an opaque error and retries events on 5xx, and the error handler has already
logged the cause.
"""

from __future__ import annotations

import logging

import anyio
import anyio.to_thread
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.starlette.handler import to_starlette_response
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.db.engine import database_answers
from bot.timeouts import HEALTH_CHECK_TIMEOUT_SECONDS

logger = logging.getLogger(__name__)

# Bolt dispatch runs on this many threads. The work is CPU-bound under the GIL, so more
# threads only add switching (measured: p99 of `programme` under 16 clients went from 52
# to 111 ms with Starlette's default 40); waiting requests queue in the event loop.
DISPATCH_THREADS = 2
# Health checks stuck on a silent database hold at most this many threads.
HEALTH_CHECK_THREADS = 4


def build_asgi_app(bolt_app: App, engine: Engine, workers: int = DISPATCH_THREADS) -> Starlette:
    limiter = anyio.CapacityLimiter(workers)

    async def slack_events(request: Request) -> Response:
        body = (await request.body()).decode("utf-8", errors="replace")
        bolt_request = BoltRequest(
            body=body,
            query=request.url.query,
            headers=dict(request.headers),
        )
        bolt_response = await anyio.to_thread.run_sync(
            bolt_app.dispatch, bolt_request, limiter=limiter
        )
        if bolt_response.status >= 500:
            logger.error("request answered %s by Bolt; sending 200", bolt_response.status)
            return Response(status_code=200)
        if bolt_response.status == 404:
            # An event or action nobody listens to: acknowledge so Slack stops retrying.
            return Response(status_code=200)
        return to_starlette_response(bolt_response)

    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            health_route(engine),
        ]
    )


def health_route(engine: Engine) -> Route:
    """`GET /healthz`: 200 when the database answers, 503 when it does not, or not within
    `HEALTH_CHECK_TIMEOUT_SECONDS`: health checkers time out too, and must get an answer.

    The check runs on its own few threads: a check stuck on a silent database is
    abandoned (it ends with the connect or statement deadline) and cannot take threads
    from anything else; when all of them are stuck, the answer is a 503 within the same bound.
    """
    limiter = anyio.CapacityLimiter(HEALTH_CHECK_THREADS)

    async def healthz(_request: Request) -> Response:
        answered = False
        with anyio.move_on_after(HEALTH_CHECK_TIMEOUT_SECONDS):
            answered = await anyio.to_thread.run_sync(
                database_answers, engine, limiter=limiter, abandon_on_cancel=True
            )
        if answered:
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "database unreachable"}, status_code=503)

    return Route("/healthz", healthz, methods=["GET"])


def build_health_app(engine: Engine) -> Starlette:
    """Socket Mode needs no public endpoint, but container health checks and load
    balancers still ask `/healthz` on PORT."""
    return Starlette(routes=[health_route(engine)])
