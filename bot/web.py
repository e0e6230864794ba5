"""HTTP transport: one ASGI app with `POST /slack/events` and `GET /healthz`.

Bolt's sync `App.dispatch` runs in Starlette's thread pool so a slow request never blocks
the event loop, and a response Bolt would send as a 5xx is turned into a 200: Slack shows
members an opaque error and retries events on 5xx, and the error handler has already
logged the cause.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import anyio
import anyio.to_thread
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.starlette.handler import to_starlette_response
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.db.engine import database_answers

logger = logging.getLogger(__name__)

# Bolt dispatch runs on this many threads. The work is CPU-bound under the GIL, so more
# threads only add switching (measured: p99 of `programme` under 16 clients went from 52
# to 111 ms with Starlette's default 40); waiting requests queue in the event loop.
DISPATCH_THREADS = 2


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


def health_route(engine: Engine, is_connected: Callable[[], bool] | None = None) -> Route:
    """`GET /healthz`: 200 when the database answers, 503 when it does not.

    `is_connected` (Socket Mode) is asked first: a bot whose socket has been down for a
    while answers 503 too, since it no longer hears Slack even if its database is fine.
    """

    async def healthz(_request: Request) -> Response:
        if is_connected is not None and not is_connected():
            return JSONResponse({"status": "slack socket down"}, status_code=503)
        if await run_in_threadpool(database_answers, engine):
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "database unreachable"}, status_code=503)

    return Route("/healthz", healthz, methods=["GET"])


def build_health_app(engine: Engine, is_connected: Callable[[], bool] | None = None) -> Starlette:
    """Socket Mode needs no public endpoint, but container health checks and load
    balancers still ask `/healthz` on PORT; `is_connected` says whether the socket is up
    (or down for only a few seconds)."""
    return Starlette(routes=[health_route(engine, is_connected)])
