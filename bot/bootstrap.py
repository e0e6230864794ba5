"""Wiring only: engine, Web API client, Bolt app, scheduler, transport. Nothing runs at
import time; `main()` is the process entry point behind `python -m bot`."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from types import FrameType
from typing import Any, TypeVar

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.calendar.feed import CalendarFeed
from bot.clock import Clock, SystemClock
from bot.config import ConfigError, Settings, configure_logging, load_settings
from bot.db.engine import make_engine, make_session_factory, migrate_to_head
from bot.deps import Deps
from bot.followups import Defaults, FollowUps
from bot.jobs import retention
from bot.jobs.claims import check_lease
from bot.jobs.dispatcher import Dispatcher
from bot.jobs.outbox import check_verify_after
from bot.jobs.scheduler import DispatchLoop, build_dispatch_loop, process_identity
from bot.jobs.senders import default_jobs, default_senders
from bot.metrics import MeteredWebClient, Metrics
from bot.services.deliveries import ImmediateDeliveries
from bot.slack import dedup
from bot.slack.admins import AdminDirectory
from bot.slack.after_ack import AfterAck
from bot.slack.home import HomeRefresher
from bot.slack.identity import BotIdentity, MemberNames
from bot.slack.listeners import errors, register_listeners
from bot.slack.notifier import BoundedRateLimitRetryHandler, Notifier, SlackBudget
from bot.timeouts import ADMIN_LOOKUP_TIMEOUT_SECONDS

logger = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 5
T = TypeVar("T")


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
    # This app's Prometheus registry and instruments, served on `/metrics`.
    metrics: Metrics | None = None
    # Members' display names, cached for the process's life (the rotation's suggestion).
    names: MemberNames | None = None

    def close(self) -> None:
        self.after_ack.shutdown()
        self.engine.dispose()


def slack_budget(settings: Settings) -> SlackBudget:
    """One call's worst case: SLACK_TIMEOUT_SECONDS per try, and a Retry-After waited in
    place only up to that long (a longer one goes back to the queue)."""
    timeout = settings.slack_timeout_seconds
    return SlackBudget(timeout_seconds=timeout, rate_limit_retries=2, max_wait_seconds=timeout)


def build_client(settings: Settings, metrics: Metrics | None = None) -> WebClient:
    """Every Web API call goes to SLACK_API_URL; a short 429 waits for Retry-After and
    retries in place, a long one fails at once (the dispatcher requeues the delivery).

    Only rate limits are retried here: a blind retry of a connection error or a 5xx
    could post a message twice (chat.postMessage has no idempotency key).
    """
    budget = slack_budget(settings)
    return MeteredWebClient(
        metrics=metrics,
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=budget.timeout_seconds,
        retry_handlers=[
            BoundedRateLimitRetryHandler(
                max_retry_count=budget.rate_limit_retries,
                max_wait_seconds=budget.max_wait_seconds,
            )
        ],
    )


def build_admin_lookup_client(settings: Settings, metrics: Metrics | None = None) -> WebClient:
    """`users.info` for organiser checks, made while the member waits for the answer: a
    short timeout and no retries (a 429's Retry-After would outlast Slack's 3 s; the
    lookup then answers "not an admin", uncached)."""
    return MeteredWebClient(
        metrics=metrics,
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=ADMIN_LOOKUP_TIMEOUT_SECONDS,  # urllib takes floats
    )


def build_runtime(
    settings: Settings, *, clock: Clock | None = None, migrate: bool = True
) -> Runtime:
    if migrate:
        migrate_to_head(settings.database_url)
    engine = make_engine(settings.database_url)
    metrics = Metrics()
    client = build_client(settings, metrics)
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
    # Every unit of work follows its events (`bot.followups`); the Homes' publisher is
    # attached below, once the Home refresher that reads this factory exists.
    follow_ups = FollowUps(
        Defaults(settings.bot_language, settings.bot_timezone, settings.slash_command)
    )
    db = follow_ups.install(make_session_factory(engine))
    deliveries = ImmediateDeliveries(db)
    admins = AdminDirectory(build_admin_lookup_client(settings, metrics))
    notifier = Notifier(client)
    deps = Deps(
        settings=settings,
        db=db,
        clock=clock or SystemClock(),
        admins=admins,
        after_ack=after_ack.defer,
        notifier=notifier,
        deliveries=deliveries,
        home=HomeRefresher(
            db=db,
            notifier=notifier,
            admins=admins,
            settings=settings,
            defer=after_ack.defer,
            delay_seconds=settings.home_refresh_delay_seconds,
        ),
    )
    follow_ups.homes = deps.home.refresh_group if deps.home is not None else None
    register_listeners(app, deps)
    dedup.register(app, deps.db, deps.clock, partial(errors.failure_response, deps))
    metrics.watch_outbox(db, deps.clock.now)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        client=client,
        app=app,
        deps=deps,
        after_ack=after_ack,
        metrics=metrics,
    )
    runtime.dispatcher = build_dispatcher(runtime)
    deliveries.attach(runtime.dispatcher, runtime.deps.clock)
    return runtime


def build_dispatcher(runtime: Runtime) -> Dispatcher:
    """The scheduled cycle's sender: claims due deliveries from the database. Refuses a
    lease that one Slack call could outlast (StartupError naming DISPATCH_LEASE_SECONDS)."""
    settings = runtime.settings
    lease = timedelta(seconds=settings.dispatch_lease_seconds)
    verify_after = timedelta(seconds=settings.outbox_verify_after_seconds)
    try:
        check_lease(lease, slack_budget(settings))
        check_verify_after(verify_after, slack_budget(settings))
    except ConfigError as error:
        raise StartupError(str(error)) from None
    notifier = Notifier(runtime.client)
    # One cache of display names per process, shared by the senders and the jobs.
    if runtime.names is None:
        runtime.names = MemberNames(runtime.client)
    names = runtime.names.names
    return Dispatcher(
        db=runtime.deps.db,
        notifier=notifier,
        senders=default_senders(),
        jobs=default_jobs(
            db=runtime.deps.db,
            notifier=notifier,
            settings=settings,
            bot_user_id=BotIdentity(runtime.client).user_id,
            names=names,
        ),
        default_language=settings.bot_language,
        default_timezone=settings.bot_timezone,
        command=settings.slash_command,
        process_id=process_identity(),
        lease=lease,
        verify_after=verify_after,
        names=names,
        metrics=runtime.metrics,
    )


def build_scheduler(runtime: Runtime) -> DispatchLoop:
    """One interval job per process ticking the dispatcher with the clock's `now`, and
    a daily one for the retention purges."""
    dispatcher = runtime.dispatcher or build_dispatcher(runtime)
    db = runtime.deps.db
    return build_dispatch_loop(
        dispatcher,
        runtime.deps.clock,
        runtime.settings.dispatch_interval_seconds,
        housekeeping=lambda now: retention.purge_tour_answers(db, now),
    )


# Slack's answers that mean the token itself is wrong, not that Slack is having trouble.
REFUSED_TOKEN_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)


def ask_slack(
    call: Callable[[], T],
    *,
    api_url: str,
    budget_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """`call()`, retried with backoff while Slack cannot be reached (no network, DNS, a
    5xx, a 429), for at most `budget_seconds`; then one StartupError line naming SLACK_API_URL.

    A bot started before the network is up (a container restarting with its host) gets
    to wait a little; a wrong URL or a machine with no way out still ends in one line.
    """
    deadline = clock() + budget_seconds
    delay = 0.5
    while True:
        try:
            return call()
        except SlackApiError as error:
            if error.response.status_code < 500 and error.response.status_code != 429:
                raise
            reason = f"HTTP {error.response.status_code}"
        except OSError as error:
            reason = str(getattr(error, "reason", None) or error) or type(error).__name__
        remaining = deadline - clock()
        if remaining <= 0:
            raise StartupError(
                f"SLACK_API_URL {api_url} cannot be reached ({reason}): check the network "
                "and SLACK_API_URL (default https://slack.com/api/), then start again."
            )
        pause = min(delay, remaining)
        logger.info("Slack unreachable at start (%s); retrying in %.1f s", reason, pause)
        sleep(pause)
        delay = min(delay * 2, 8.0)


def check_token(
    client: WebClient, *, budget_seconds: float = 0.0, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Fail fast on a revoked or mistyped bot token; wait a little for Slack to answer."""
    try:
        identity = ask_slack(
            client.auth_test,
            api_url=client.base_url,
            budget_seconds=budget_seconds,
            sleep=sleep,
        )
    except SlackApiError as error:
        code = error.response.get("error")
        if code in REFUSED_TOKEN_ERRORS:
            raise StartupError(
                f"SLACK_BOT_TOKEN was refused by Slack ({code}): copy the Bot User OAuth "
                "Token (xoxb-...) from your app's OAuth & Permissions page."
            ) from None
        logger.warning("auth.test failed (%s); starting anyway", code)
        return
    logger.info("connected as %s in team %s", identity.get("user"), identity.get("team"))


def check_app_token(
    client: WebClient,
    app_token: str,
    *,
    budget_seconds: float = 0.0,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Socket Mode: ask `apps.connections.open` once, so a refused app-level token is one
    line at start instead of a reconnection loop that never succeeds."""
    try:
        ask_slack(
            lambda: client.apps_connections_open(app_token=app_token),
            api_url=client.base_url,
            budget_seconds=budget_seconds,
            sleep=sleep,
        )
    except SlackApiError as error:
        code = error.response.get("error")
        if code in REFUSED_TOKEN_ERRORS or code in ("not_allowed_token_type", "invalid_token"):
            raise StartupError(
                f"SLACK_APP_TOKEN was refused by Slack ({code}): create an app-level token "
                "with connections:write (Basic Information > App-Level Tokens), or leave "
                "SLACK_APP_TOKEN empty to receive Slack over HTTP instead of Socket Mode."
            ) from None
        raise StartupError(
            f"SLACK_APP_TOKEN cannot open a Socket Mode connection ({code}): turn Socket "
            "Mode on in your app's settings, or leave SLACK_APP_TOKEN empty to use HTTP."
        ) from None


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


def calendar_feed(runtime: Runtime) -> CalendarFeed | None:
    """The group feeds, served when PUBLIC_URL says where members' calendars reach us."""
    settings = runtime.settings
    if settings.public_url is None:
        return None
    return CalendarFeed(
        runtime.deps.db,
        runtime.deps.clock,
        default_language=settings.bot_language,
        default_timezone=settings.bot_timezone,
    )


def run_http(runtime: Runtime, stop: threading.Event) -> None:
    import uvicorn

    from bot.web import build_asgi_app

    asgi_app = build_asgi_app(
        runtime.app,
        runtime.engine,
        signing_secret=runtime.settings.slack_signing_secret or "",
        feed=calendar_feed(runtime),
        metrics=runtime.metrics,
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
    """Slack over a WebSocket, plus `/healthz` and `/metrics` on PORT (in a thread:
    signals stay ours).

    `/healthz` answers 503 once the socket has been down for more than a few seconds, so
    a container orchestrator restarts a bot that cannot reach Slack any more.
    """
    import uvicorn

    from bot.slack.socket_mode import SocketModeRunner
    from bot.web import build_health_app

    settings = runtime.settings
    assert settings.slack_app_token is not None
    runner = SocketModeRunner(runtime.app, settings.slack_app_token, api_url=settings.slack_api_url)
    if runtime.metrics is not None:
        runtime.metrics.watch_socket(lambda: runner.state.up)
    health_app = build_health_app(
        runtime.engine,
        is_connected=runner.state.healthy,
        feed=calendar_feed(runtime),
        metrics=runtime.metrics,
    )
    health = uvicorn.Server(_server_config(runtime, health_app))
    health_thread = threading.Thread(target=health.run, name="healthz", daemon=True)
    health_thread.start()
    try:
        runner.start()
        stop.wait()
    finally:
        runner.stop(timeout=SHUTDOWN_GRACE_SECONDS)
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


def start(settings: Settings) -> Runtime:
    """Migrate, wire, then check each token against Slack; every failure the operator
    can fix is a StartupError (one line), never a traceback."""
    try:
        runtime = build_runtime(settings)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise StartupError(
            f"DATABASE_URL does not lead to a usable database ({reason}): check the URL and "
            "that the database server is running."
        ) from None
    # The checks turn every failure into one line; slack_sdk's own error log of each
    # attempt would only repeat it, so they use a client whose logger stays quiet.
    quiet = logging.getLogger("bot.startup.web_api")
    quiet.setLevel(logging.CRITICAL)
    checker = WebClient(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10, logger=quiet
    )
    try:
        budget = settings.startup_timeout_seconds
        check_token(checker, budget_seconds=budget)
        if settings.slack_app_token is not None:
            check_app_token(checker, settings.slack_app_token, budget_seconds=budget)
    except BaseException:
        runtime.close()
        raise
    return runtime


def start_matrix(settings: Settings, db: sessionmaker[Session], clock: Clock) -> Any:
    """The Matrix transport on its own thread, connected (or one StartupError line).

    Imported here and only when MATRIX_* are set: a process serving Slack alone never
    loads nio (nor its crypto)."""
    from bot.matrix.service import MatrixRunner, MatrixService
    from bot.matrix.transport import MatrixStartupError

    runner = MatrixRunner(MatrixService(settings, db, clock))
    try:
        runner.start(budget_seconds=settings.startup_timeout_seconds)
    except MatrixStartupError as error:
        raise StartupError(str(error)) from None
    return runner


def run_matrix_only(settings: Settings, stop: threading.Event) -> int:
    """Matrix without Slack: the database brought to head, the transport until a signal.
    The dispatcher sends through Slack's Web API, so it does not run here (yet)."""
    try:
        migrate_to_head(settings.database_url)
        engine = make_engine(settings.database_url)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(
            f"partage-bot: DATABASE_URL does not lead to a usable database ({reason}): check "
            "the URL and that the database server is running.",
            file=sys.stderr,
        )
        return 2
    try:
        matrix = start_matrix(settings, make_session_factory(engine), SystemClock())
    except StartupError as error:
        engine.dispose()
        print(f"partage-bot: {error}", file=sys.stderr)
        return 2
    try:
        stop.wait()
    finally:
        matrix.stop()
        engine.dispose()
    logger.info("stopped")
    return 0


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
    if not settings.serves_slack:
        return run_matrix_only(settings, stop)
    try:
        runtime = start(settings)
    except StartupError as error:
        print(f"partage-bot: {error}", file=sys.stderr)
        return 2
    matrix = None
    if settings.serves_matrix:
        try:
            matrix = start_matrix(settings, runtime.deps.db, runtime.deps.clock)
        except StartupError as error:
            runtime.close()
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
        if matrix is not None:
            matrix.stop()
        runtime.close()
    logger.info("stopped")
    return 0
