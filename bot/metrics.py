"""What an operator watches: `GET /metrics` in the Prometheus text format.

One `Metrics` per app, each with its own `CollectorRegistry` created at start (never the
library's global registry), so two apps in one process, and the tests, never add to each
other's counts. Nothing is created at import time.

Each figure is counted in the one place that knows it:

- what became of each delivery the dispatcher worked (`count_delivery`, called once per
  delivery from `Dispatcher._guarded`, from the dispatcher's own tally);
- what became of each Slack side effect of a delivery (`count_message`, from
  `Outbox.step`, where the outcome of the call is recorded);
- every HTTP request to the Web API, its latency and its 429s (`MeteredWebClient`: each
  try, including the 429s the client waits out in place, which no caller ever sees);
- the outbox lag, read from the database at scrape time with one indexed query;
- the Socket Mode connection, read from its `ConnectionState` at scrape time.

docs/operations.md lists every metric with its type, labels and meaning.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.error import HTTPError
from urllib.parse import urlparse
from urllib.request import Request

import anyio
import anyio.to_thread
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request as HttpRequest
from starlette.responses import Response
from starlette.routing import Route

from bot.db.engine import read_connection
from bot.db.models import Delivery
from bot.enums import DeliveryStatus
from bot.outages import outages

logger = logging.getLogger(__name__)

# Slack answers in tens to hundreds of milliseconds; its timeout is 10 s by default.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# The outbox lag is read from the database at each scrape; a database slower than this
# leaves it out of that scrape rather than holding the scraper.
SCRAPE_DATABASE_TIMEOUT_SECONDS = 1.0
# What the dispatcher tallies per delivery (`DispatchReport`): each worked delivery ends
# in exactly one of these.
DELIVERY_OUTCOMES = ("done", "skipped", "cancelled", "retried", "given_up")


class Tally(Protocol):
    """The dispatcher's running counts (`DispatchReport`), read by attribute."""

    done: int
    skipped: int
    cancelled: int
    retried: int
    given_up: int


def outcomes_of(tally: Tally) -> tuple[int, ...]:
    """The counts of `DELIVERY_OUTCOMES`, to compare before and after one delivery."""
    return tuple(int(getattr(tally, outcome)) for outcome in DELIVERY_OUTCOMES)


@dataclass(frozen=True)
class OutboxReading:
    """What is waiting at scrape time: deliveries due and not yet worked, and how long
    the oldest of them has been due (0 when none)."""

    due: int
    oldest_due_seconds: float


def read_outbox(db: sessionmaker[Session], now: datetime) -> OutboxReading:
    """One query on the (status, available_at) index: the planned deliveries whose time
    has come. A delivery put back after a failure counts from its new time, so the lag
    says how far behind the dispatcher is, not how long Slack has been failing."""
    statement = select(func.count(), func.min(Delivery.available_at)).where(
        Delivery.status == DeliveryStatus.PLANNED, Delivery.available_at <= now
    )
    with read_connection(db) as connection:
        count, oldest = connection.execute(statement).one()
    if oldest is None:
        return OutboxReading(due=0, oldest_due_seconds=0.0)
    return OutboxReading(due=int(count), oldest_due_seconds=(now - oldest).total_seconds())


class _OutboxCollector(Collector):
    """Yields the reading of the current scrape, if there is one: the gauges are absent
    from a scrape whose database read failed or was too slow, never stale."""

    def __init__(self) -> None:
        self.reading: OutboxReading | None = None

    def collect(self) -> Iterator[Metric]:
        reading = self.reading
        if reading is None:
            return
        yield GaugeMetricFamily(
            "partage_outbox_due_deliveries",
            "Deliveries due and not yet worked, at scrape time.",
            value=reading.due,
        )
        yield GaugeMetricFamily(
            "partage_outbox_lag_seconds",
            "How long the oldest delivery due and not yet worked has been due (0: none).",
            value=reading.oldest_due_seconds,
        )

    def describe(self) -> Iterator[Metric]:
        return iter(())


class Metrics:
    """The app's registry and every instrument in it."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.deliveries = Counter(
            "partage_deliveries",
            "Deliveries worked by the dispatcher, by kind and by what became of them.",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.messages = Counter(
            "partage_delivery_messages",
            "Slack side effects of deliveries (one per recipient or step), by kind, Web API "
            "method and outcome.",
            ["kind", "method", "outcome"],
            registry=self.registry,
        )
        self.slack_requests = Counter(
            "partage_slack_api_requests",
            "HTTP requests to the Slack Web API, by method and HTTP status (error: no answer).",
            ["method", "status"],
            registry=self.registry,
        )
        self.slack_seconds = Histogram(
            "partage_slack_api_request_duration_seconds",
            "Time from sending a Web API request to reading its answer, by method.",
            ["method"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.slack_rate_limited = Counter(
            "partage_slack_api_rate_limited",
            "Web API requests Slack answered with 429 Too Many Requests, by method.",
            ["method"],
            registry=self.registry,
        )
        self._outbox = _OutboxCollector()
        self.registry.register(self._outbox)
        self._outbox_source: Callable[[], OutboxReading] | None = None

    # --- counted where it happens -----------------------------------------------------

    def count_delivery(self, kind: str | None, before: tuple[int, ...], tally: Tally) -> None:
        """What one delivery ended in, from the dispatcher's tally before and after it."""
        if kind is None:  # lost to another process before it was read: not ours to count
            return
        for outcome, old, new in zip(DELIVERY_OUTCOMES, before, outcomes_of(tally), strict=True):
            if new > old:
                self.deliveries.labels(kind, outcome).inc(new - old)

    def count_message(self, kind: str, method: str, outcome: str) -> None:
        self.messages.labels(kind, method, outcome).inc()

    def count_slack_request(self, method: str, status: str, seconds: float) -> None:
        self.slack_requests.labels(method, status).inc()
        self.slack_seconds.labels(method).observe(seconds)
        if status == "429":
            self.slack_rate_limited.labels(method).inc()

    # --- read at scrape time ----------------------------------------------------------

    def watch_outbox(self, db: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        """Read the outbox lag from `db` at each scrape, as of `now()` (the app's clock)."""
        self._outbox_source = lambda: read_outbox(db, now())

    def watch_socket(self, connected: Callable[[], bool]) -> None:
        """Socket Mode: the connection's state, read at each scrape."""
        gauge = Gauge(
            "partage_socket_mode_connected",
            "1 while the Socket Mode connection is up (Slack's hello received), 0 while down.",
            registry=self.registry,
        )
        gauge.set_function(lambda: 1.0 if connected() else 0.0)

    def read_outbox(self) -> OutboxReading | None:
        """The outbox reading for one scrape; None when not watched or unreadable."""
        if self._outbox_source is None:
            return None
        try:
            return self._outbox_source()
        except Exception as error:
            # During a database outage, counted in its summary rather than one per scrape.
            outages().warn_or_count(
                logger,
                error,
                "metrics: outbox lag not read (%s)",
                type(error).__name__,
                effect="metrics scrapes without the outbox lag",
            )
            return None

    def render(self, outbox: OutboxReading | None) -> bytes:
        """The text exposition, with `outbox` as this scrape's reading. Called on the
        event loop only, so two scrapes never interleave their readings."""
        self._outbox.reading = outbox
        try:
            return generate_latest(self.registry)
        finally:
            self._outbox.reading = None


def metrics_route(metrics: Metrics) -> Route:
    """`GET /metrics`: the database is read on a thread of its own, within
    `SCRAPE_DATABASE_TIMEOUT_SECONDS`; the rest is in memory. Always a 200."""
    limiter = anyio.CapacityLimiter(1)

    async def endpoint(_request: HttpRequest) -> Response:
        reading: OutboxReading | None = None
        with anyio.move_on_after(SCRAPE_DATABASE_TIMEOUT_SECONDS):
            reading = await anyio.to_thread.run_sync(
                metrics.read_outbox, limiter=limiter, abandon_on_cancel=True
            )
        return Response(metrics.render(reading), media_type=CONTENT_TYPE_LATEST)

    return Route("/metrics", endpoint, methods=["GET"])


def api_method(url: str) -> str:
    """`chat.postMessage` from `https://slack.com/api/chat.postMessage?x=1`."""
    return urlparse(url).path.rsplit("/", 1)[-1] or "unknown"


class MeteredWebClient(WebClient):
    """slack_sdk's client, timing each HTTP try: a 429 waited out in place and its retry
    are two requests, as Slack saw them. Without `metrics`, a plain client."""

    def __init__(self, *args: Any, metrics: Metrics | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metrics = metrics

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.metrics is None:
            return super()._perform_urllib_http_request_internal(url, req)
        metrics = self.metrics
        started = time.perf_counter()
        status = "error"
        try:
            response = super()._perform_urllib_http_request_internal(url, req)
            status = str(response["status"])
            return response
        except HTTPError as error:
            status = str(error.code)
            raise
        finally:
            metrics.count_slack_request(api_method(url), status, time.perf_counter() - started)
