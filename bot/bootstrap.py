"""Wiring only: engine, Web API client, Bolt app, scheduler, transport. Nothing runs at
import time; `main()` is the process entry point behind `python -m bot`."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from types import FrameType
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.clock import Clock, SystemClock
from bot.config import ConfigError, Settings, configure_logging, load_settings
from bot.db.engine import make_engine, make_session_factory, migrate_to_head
from bot.deps import Deps
from bot.jobs.claims import check_lease
from bot.jobs.dispatcher import Dispatcher
from bot.jobs.scheduler import DispatchLoop, build_dispatch_loop, process_identity
from bot.jobs.senders import default_jobs, default_senders
from bot.services.deliveries import ImmediateDeliveries
from bot.slack import dedup
from bot.slack.admins import AdminDirectory
from bot.slack.after_ack import AfterAck
from bot.slack.identity import BotIdentity
from bot.slack.listeners import errors, register_listeners
from bot.slack.notifier import BoundedRateLimitRetryHandler, Notifier, SlackBudget
from bot.timeouts import ADMIN_LOOKUP_TIMEOUT_SECONDS

logger = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 5


class StartupError(Exception):
    """A problem the operator must fix before the bot can run; one line, exit code 2."""


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    client: WebClient
    app: App
    deps: Deps
    after_ack: AfterAck
    dispatcher: Dispatcher | None = None

    def close(self) -> None:
        self.after_ack.shutdown()
        self.engine.dispose()


def slack_budget(settings: Settings) -> SlackBudget:
    """One call's worst case: SLACK_TIMEOUT_SECONDS per try, and a Retry-After waited in
    place only up to that long (a longer one goes back to the queue)."""
    timeout = settings.slack_timeout_seconds
    return SlackBudget(timeout_seconds=timeout, rate_limit_retries=2, max_wait_seconds=timeout)


def build_client(settings: Settings) -> WebClient:
    """Every Web API call goes to SLACK_API_URL; a short 429 waits for Retry-After and
    retries in place, a long one fails at once (the dispatcher requeues the delivery).

    Only rate limits are retried here: a blind retry of a connection error or a 5xx
    could post a message twice (chat.postMessage has no idempotency key).
    """
    budget = slack_budget(settings)
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=budget.timeout_seconds,  # type: ignore[arg-type]
        retry_handlers=[
            BoundedRateLimitRetryHandler(
                max_retry_count=budget.rate_limit_retries,
                max_wait_seconds=budget.max_wait_seconds,
            )
        ],
    )


def build_admin_lookup_client(settings: Settings) -> WebClient:
    """`users.info` for organiser checks, made while the member waits for the answer: a
    short timeout and no retries (a 429's Retry-After would outlast Slack's 3 s; the
    lookup then answers "not an admin", uncached)."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=ADMIN_LOOKUP_TIMEOUT_SECONDS,  # type: ignore[arg-type]  # urllib takes floats
    )


def build_runtime(
    settings: Settings, *, clock: Clock | None = None, migrate: bool = True
) -> Runtime:
    if migrate:
        migrate_to_head(settings.database_url)
    engine = make_engine(settings.database_url)
    client = build_client(settings)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        # auth.test is called by `check_token` at start, where its failure can be reported.
        token_verification_enabled=False,
        request_verification_enabled=not settings.socket_mode,
        # Answer as soon as the listener returns; follow-up work goes to `after_ack`.
        process_before_response=True,
        logger=logging.getLogger("bot.bolt"),
    )
    after_ack = AfterAck()
    db = make_session_factory(engine)
    deliveries = ImmediateDeliveries(db)
    deps = Deps(
        settings=settings,
        db=db,
        clock=clock or SystemClock(),
        admins=AdminDirectory(build_admin_lookup_client(settings)),
        after_ack=after_ack.defer,
        notifier=Notifier(client),
        deliveries=deliveries,
    )
    register_listeners(app, deps)
    dedup.register(app, deps.db, deps.clock, partial(errors.failure_response, deps))
    runtime = Runtime(
        settings=settings, engine=engine, client=client, app=app, deps=deps, after_ack=after_ack
    )
    runtime.dispatcher = build_dispatcher(runtime)
    deliveries.attach(runtime.dispatcher, runtime.deps.clock)
    return runtime


def build_dispatcher(runtime: Runtime) -> Dispatcher:
    """The scheduled cycle's sender: claims due deliveries from the database. Refuses a
    lease that one Slack call could outlast (StartupError naming DISPATCH_LEASE_SECONDS)."""
    settings = runtime.settings
    lease = timedelta(seconds=settings.dispatch_lease_seconds)
    try:
        check_lease(lease, slack_budget(settings))
    except ConfigError as error:
        raise StartupError(str(error)) from None
    notifier = Notifier(runtime.client)
    return Dispatcher(
        db=runtime.deps.db,
        notifier=notifier,
        senders=default_senders(),
        jobs=default_jobs(
            db=runtime.deps.db,
            notifier=notifier,
            settings=settings,
            bot_user_id=BotIdentity(runtime.client).user_id,
        ),
        default_language=settings.bot_language,
        default_timezone=settings.bot_timezone,
        command=settings.slash_command,
        process_id=process_identity(),
        lease=lease,
    )


def build_scheduler(runtime: Runtime) -> DispatchLoop:
    """One interval job per process ticking the dispatcher with the clock's `now`."""
    dispatcher = runtime.dispatcher or build_dispatcher(runtime)
    return build_dispatch_loop(
        dispatcher, runtime.deps.clock, runtime.settings.dispatch_interval_seconds
    )


def check_token(client: WebClient) -> None:
    """Fail fast on a revoked or mistyped token; tolerate Slack being unreachable."""
    try:
        identity = client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error")
        if code in ("invalid_auth", "not_authed", "account_inactive", "token_revoked"):
            raise StartupError(
                f"SLACK_BOT_TOKEN was refused by Slack ({code}): copy the Bot User OAuth "
                "Token (xoxb-...) from your app's OAuth & Permissions page."
            ) from None
        logger.warning("auth.test failed (%s); starting anyway", code)
        return
    except OSError as error:
        logger.warning("Slack unreachable at start (%s); starting anyway", error)
        return
    logger.info("connected as %s in team %s", identity.get("user"), identity.get("team"))


def _server_config(runtime: Runtime, asgi_app: Any) -> Any:
    """uvicorn with the limits of `bot.http_server` (sizes, timeouts, header deadline)."""
    from bot.http_server import server_config

    return server_config(
        asgi_app,
        host="0.0.0.0",
        port=runtime.settings.port,
        log_level=runtime.settings.log_level.lower(),
        access_log=runtime.settings.log_level == "DEBUG",
        shutdown_grace=SHUTDOWN_GRACE_SECONDS,
    )


def run_http(runtime: Runtime, stop: threading.Event) -> None:
    import uvicorn

    from bot.web import build_asgi_app

    asgi_app = build_asgi_app(
        runtime.app, runtime.engine, signing_secret=runtime.settings.slack_signing_secret or ""
    )
    config = _server_config(runtime, asgi_app)
    if stop.is_set():  # a signal arrived while starting
        return
    # uvicorn installs its own SIGTERM/SIGINT handlers, drains in-flight requests, then
    # restores ours and raises the signal again: ours only records it, so `main` goes on
    # to stop the dispatcher instead of the process dying on the default handler.
    uvicorn.Server(config).run()
    stop.set()


def run_socket_mode(runtime: Runtime, stop: threading.Event) -> None:
    """Slack over a WebSocket, plus `/healthz` on PORT (in a thread: signals stay ours)."""
    import uvicorn
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.web import build_health_app

    health = uvicorn.Server(_server_config(runtime, build_health_app(runtime.engine)))
    health_thread = threading.Thread(target=health.run, name="healthz", daemon=True)
    health_thread.start()
    handler = SocketModeHandler(runtime.app, runtime.settings.slack_app_token)
    try:
        handler.connect()
        logger.info("Socket Mode connected")
        stop.wait()
        handler.close()
    finally:
        health.should_exit = True
        health_thread.join(timeout=SHUTDOWN_GRACE_SECONDS)


def install_signal_handlers() -> threading.Event:
    """SIGTERM and SIGINT set the returned event: the transport returns, then the
    dispatcher hands back what it has not started and the process exits 0."""
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        logger.info("signal %s received, stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return stop


class _DropClientTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment even when given a client, then
    warns that it ignores it; the client carries that very token, so the line is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def main() -> int:
    # First thing: a SIGTERM during start-up (migrations, auth.test) must stop the bot
    # once it is up, not be lost.
    stop = install_signal_handlers()
    logging.getLogger("bot.bolt").addFilter(_DropClientTokenWarning())
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"partage-bot: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        runtime = build_runtime(settings)
        check_token(runtime.client)
    except StartupError as error:
        print(f"partage-bot: {error}", file=sys.stderr)
        return 2
    dispatch = build_scheduler(runtime)
    dispatch.start()
    try:
        if settings.socket_mode:
            run_socket_mode(runtime, stop)
        else:
            run_http(runtime, stop)
    finally:
        dispatch.stop()
        runtime.close()
    logger.info("stopped")
    return 0
