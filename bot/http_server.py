"""The uvicorn server's limits, and the two it lacks: a header deadline and a bound on
open connections.

uvicorn closes a keep-alive connection idle after a response, but nothing bounds the time
a client may take to send a request's headers: with httptools, 200 sockets sending one
header byte now and then were held open forever (slow-loris). `HeaderDeadline` closes a
connection whose request line and headers are not complete `HEADER_TIMEOUT_SECONDS` after
the connection opened or after the first byte of its next request, or that sends more than
`MAX_HEADER_BYTES` without completing them. The body is the ASGI app's business
(`bot.web.read_bounded_body`: a size bound and a read timeout).

uvicorn's `limit_concurrency` answers 503 only once a request's headers are in, so sockets
that never finish them are not counted against it: each would hold a file descriptor
until its deadline, and enough of them exhaust the process's (1024 by default), after
which nothing is accepted at all. So a connection beyond `MAX_CONNECTIONS` open ones gets
a bare 503 and is closed as soon as it is accepted, before anything is read.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import uvicorn

logger = logging.getLogger(__name__)

# Slack's request line and headers arrive in one packet; a client still sending them
# after this long is not Slack.
HEADER_TIMEOUT_SECONDS = 10.0
# Request line plus headers; Slack's are about 1 KiB.
MAX_HEADER_BYTES = 32 * 1024
# Idle keep-alive connections are closed after this. Longer than a reverse proxy's usual
# upstream idle timeout would be safer against its races, shorter frees sockets sooner;
# 30 s is what the bot used before these limits, and is kept.
KEEP_ALIVE_SECONDS = 30
# Connections and in-flight requests beyond this get a 503 instead of a thread or memory.
# 256 also leaves room for Slack while 200 slow-loris sockets wait for their deadline.
LIMIT_CONCURRENCY = 256
# Open connections, counted as soon as they are accepted: above uvicorn's concurrency
# limit (which answers those that get their headers in), below the 1024 file descriptors a
# process has by default, with room for the database's connections and the log.
MAX_CONNECTIONS = 512
_OVER_CAPACITY = (
    b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
    b"Content-Length: 0\r\nRetry-After: 1\r\n\r\n"
)


def _base_protocol() -> type[asyncio.Protocol]:
    """httptools when installed (uvicorn's fastest parser), else h11."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # pragma: no cover - httptools is a dependency
        from uvicorn.protocols.http.h11_impl import H11Protocol

        return H11Protocol
    return HttpToolsProtocol


def header_deadline_protocol(
    base: type[Any],
    timeout: float = HEADER_TIMEOUT_SECONDS,
    max_bytes: int = MAX_HEADER_BYTES,
    max_connections: int = MAX_CONNECTIONS,
) -> type[asyncio.Protocol]:
    """`base` (a uvicorn HTTP protocol) with a deadline on each request's headers and a
    bound on open connections.

    It relies only on what both uvicorn protocols share: `loop`, `transport`, `cycle`
    (set once a request's headers are parsed), `connections` (the server's open ones,
    which `connection_made` adds to) and `on_response_complete`.
    """

    class HeaderDeadline(base):
        _header_timer: asyncio.TimerHandle | None = None
        _header_bytes = 0

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                logger.debug("refusing a connection: %d open", len(self.connections))
                # uvloop's transports write but are not asyncio.WriteTransport subclasses.
                write = getattr(transport, "write", None)
                if callable(write):
                    write(_OVER_CAPACITY)
                transport.close()
                return
            self._arm()

        def data_received(self, data: bytes) -> None:
            waiting = not self._serving()
            if waiting and self._header_timer is None:
                self._arm()
            super().data_received(data)
            if not waiting or self._serving():
                self._header_bytes = 0
                return
            self._header_bytes += len(data)
            if self._header_bytes > max_bytes:
                logger.debug("closing a connection: headers above %d bytes", max_bytes)
                self._close()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _serving(self) -> bool:
            cycle = getattr(self, "cycle", None)
            return cycle is not None and not cycle.response_complete

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(timeout, self._deadline)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None
            self._header_bytes = 0

        def _deadline(self) -> None:
            self._header_timer = None
            if not self._serving():
                logger.debug("closing a connection: headers not complete in %ss", timeout)
                self._close()

        def _close(self) -> None:
            transport = getattr(self, "transport", None)
            if transport is not None and not transport.is_closing():
                transport.close()

    HeaderDeadline.__name__ = f"HeaderDeadline{base.__name__}"
    return HeaderDeadline


def server_config(
    asgi_app: Any,
    *,
    host: str,
    port: int,
    log_level: str = "info",
    access_log: bool = False,
    shutdown_grace: float = 5,
    header_timeout: float = HEADER_TIMEOUT_SECONDS,
    max_connections: int = MAX_CONNECTIONS,
) -> uvicorn.Config:
    """uvicorn with every limit this bot relies on; used by the bot and its tests."""
    return uvicorn.Config(
        asgi_app,
        host=host,
        port=port,
        http=header_deadline_protocol(
            _base_protocol(), timeout=header_timeout, max_connections=max_connections
        ),
        log_level=log_level,
        access_log=access_log,
        timeout_graceful_shutdown=int(shutdown_grace),
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        limit_concurrency=LIMIT_CONCURRENCY,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        lifespan="off",
    )
