"""Socket Mode an operator can trust: slack_sdk's `websockets` client, tuned and watched.

Measured against a fake Socket Mode server (benchmarks/socket_mode.py), slack_sdk's
clients as Bolt configures them take 10 s or more to notice some drops, and
none of Bolt's adapters acks an envelope that no listener handles. This module keeps
slack_sdk's asyncio `websockets` client (its URL issuing, message queue, listener
dispatch, `disconnect` handling) and replaces what the measurements faulted:

- keepalive: a ping every `PING_INTERVAL` s answered within `PING_TIMEOUT` s, so a
  half-open connection is dropped within 3.5 s (slack_sdk pings every 10 s and the
  library then waits 20 s for the pong);
- reconnection starts the moment the receive loop ends (close frame, FIN, RST, keepalive
  timeout), not on the next monitor tick, and retries with a bounded backoff (no busy
  loop while Slack is unreachable); `refresh_requested` opens the new connection first,
  then lets the old one drain;
- "Socket Mode connected" is logged, and the state turns up, only once Slack's `hello`
  arrived on the new connection;
- every envelope is acked, including those no listener handles (Bolt answers 404) and
  those whose listener failed (the error handler has logged it): Slack would otherwise
  retry them for nothing;
- TCP_NODELAY on the socket (asyncio sets it too; it is the point of the choice), so acks
  of envelopes in flight do not wait for delayed TCP acknowledgements.

Bolt's listeners are synchronous: each envelope is dispatched on a small thread pool,
off the event loop, so the loop keeps answering pings while a listener works.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import websockets
from slack_bolt import App
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_bolt.response import BoltResponse
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.socket_mode.websockets import SocketModeClient
from slack_sdk.web.async_client import AsyncWebClient

from bot.outages import outages

logger = logging.getLogger(__name__)

# Keepalive: a half-open connection is dropped within PING_INTERVAL + PING_TIMEOUT +
# CLOSE_TIMEOUT (the closing handshake it then tries), 3.5 s.
PING_INTERVAL = 1.0
PING_TIMEOUT = 2.0
# Opening a connection (TCP, TLS, upgrade) and then waiting for Slack's hello.
OPEN_TIMEOUT = 5.0
HELLO_TIMEOUT = 5.0
CLOSE_TIMEOUT = 0.5
# Reconnection attempts: immediately, then doubling up to this many seconds apart.
FIRST_RETRY_DELAY = 0.25
MAX_RETRY_DELAY = 5.0
# `/healthz` turns 503 once the socket has been down longer than this.
HEALTH_GRACE_SECONDS = 10.0
DISPATCH_THREADS = 4


class HandshakeError(Exception):
    """The WebSocket opened but Slack's hello did not arrive: not connected."""


class ConnectionState:
    """Up or down, and since when (monotonic seconds); read by `/healthz` from another
    thread, so each change is one assignment of an immutable tuple."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._state: tuple[bool, float] = (False, clock())

    @property
    def up(self) -> bool:
        return self._state[0]

    @property
    def since(self) -> float:
        return self._state[1]

    def mark_up(self) -> None:
        if not self._state[0]:
            self._state = (True, self._clock())

    def mark_down(self) -> None:
        if self._state[0]:
            self._state = (False, self._clock())

    def down_for(self) -> float:
        """Seconds the socket has been down (0 while it is up)."""
        up, since = self._state
        return 0.0 if up else self._clock() - since

    def healthy(self, grace: float = HEALTH_GRACE_SECONDS) -> bool:
        """Up, or down for less than `grace` seconds (a reconnection in progress, or the
        first connection of a process that just started)."""
        return self.down_for() <= grace


def ack_payload(response: BoltResponse) -> dict[str, Any] | None:
    """What goes back with the ack: the listener's answer when it gave one.

    A 404 (no listener) or a 5xx (a listener failed) is still acked, with no payload.
    """
    if response.status != 200 or not response.body:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    if content_type.startswith("application/json"):
        return json.loads(response.body)
    return {"text": response.body}


class _Client(SocketModeClient):
    """slack_sdk's websockets client with the connection lifecycle of this module."""

    def __init__(
        self,
        app_token: str,
        web_client: AsyncWebClient,
        state: ConnectionState,
        hello_timeout: float = HELLO_TIMEOUT,
    ) -> None:
        super().__init__(
            app_token=app_token,
            logger=logging.getLogger("bot.socket_mode.client"),
            web_client=web_client,
            ping_interval=PING_INTERVAL,
        )
        self.state = state
        self.hello_timeout = hello_timeout
        self._reconnecting: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        """Open a new connection, wait for hello, then make it the current one."""
        url = await self.issue_new_wss_url()
        session = await websockets.connect(
            url,
            ping_interval=PING_INTERVAL,
            ping_timeout=PING_TIMEOUT,
            open_timeout=OPEN_TIMEOUT,
            close_timeout=CLOSE_TIMEOUT,
        )
        sock = session.transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            first = await asyncio.wait_for(session.recv(), self.hello_timeout)
            kind = json.loads(first).get("type")
        except (TimeoutError, ValueError, AttributeError, websockets.ConnectionClosed) as error:
            await session.close()
            raise HandshakeError(f"no hello from Slack ({type(error).__name__})") from None
        if kind != "hello":
            await session.close()
            raise HandshakeError(f"expected hello first, got a {kind!r} message")
        old = self.current_session
        self.current_session = session
        self.message_receiver = asyncio.ensure_future(self.receive_messages())
        self.state.mark_up()
        logger.info("Socket Mode connected")
        if old is not None:
            # Envelopes already read from the old connection are queued; its own receive
            # loop ends when it closes, without starting a reconnection.
            await old.close()

    async def receive_messages(self) -> None:
        """Read until the connection ends, then reconnect at once if it was current."""
        session = self.current_session
        assert session is not None
        try:
            async for message in session:
                text = message.decode("utf-8") if isinstance(message, bytes) else message
                await self.enqueue_message(text)
        except websockets.ConnectionClosed:
            pass
        if session is self.current_session and not self.closed:
            self.state.mark_down()
            logger.warning(
                "Socket Mode connection lost (code %s); reconnecting", session.close_code
            )
            self.reconnect()

    async def monitor_current_session(self) -> None:
        """Unused: `receive_messages` notices every end of connection itself."""

    def reconnect(self) -> None:
        """Start one reconnection loop unless one is already running."""
        if self._reconnecting is None or self._reconnecting.done():
            self._reconnecting = asyncio.ensure_future(self._reconnect_until_up())

    async def _reconnect_until_up(self) -> None:
        delay = FIRST_RETRY_DELAY
        while not self.closed:
            try:
                await self.connect()
                return
            except asyncio.CancelledError:
                raise
            except Exception as error:  # any failure to connect is retried, never fatal
                if self.closed:
                    return
                logger.warning(
                    "Socket Mode connection failed (%s: %s); retrying in %.1f s",
                    type(error).__name__,
                    error,
                    delay,
                )
                self.state.mark_down()
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_DELAY)

    async def run_message_listeners(self, message: dict, raw_message: str) -> None:
        kind = message.get("type")
        if kind == "disconnect":
            # Slack is about to close this connection: open the next one now; the old one
            # keeps delivering what it already has until it closes.
            logger.info("Slack asked to reconnect (%s)", message.get("reason"))
            self.reconnect()
            return
        if kind == "hello":
            return
        await super().run_message_listeners(message, raw_message)

    async def close(self) -> None:
        self.closed = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        await super().close()
        self.state.mark_down()


class SocketModeRunner:
    """Runs Socket Mode for a Bolt `App` on its own event loop thread.

    `start()` returns at once: the first connection, like every reconnection, is retried
    until it succeeds (start-up has already checked the app token); `state` tells whether
    the socket is up and since when.
    """

    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        api_url: str,
        state: ConnectionState | None = None,
        dispatch_threads: int = DISPATCH_THREADS,
        hello_timeout: float = HELLO_TIMEOUT,
    ) -> None:
        self.app = app
        self.app_token = app_token
        self.api_url = api_url
        self.state = state or ConnectionState()
        self.hello_timeout = hello_timeout
        self._executor = ThreadPoolExecutor(dispatch_threads, thread_name_prefix="socket-mode")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="socket-mode")
        self._client: _Client | None = None

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._begin(), self._loop).result(timeout=10)

    def stop(self, timeout: float = 5.0) -> None:
        """Close the connection, let running listeners finish, stop the loop."""
        if self._client is not None:
            future = asyncio.run_coroutine_threadsafe(self._shutdown(self._client), self._loop)
            try:
                future.result(timeout=timeout)
            except Exception:  # already closing, or the loop is wedged: stop it anyway
                logger.warning("Socket Mode did not close cleanly", exc_info=True)
        self._executor.shutdown(wait=True, cancel_futures=True)
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=timeout)

    @staticmethod
    async def _shutdown(client: _Client) -> None:
        await client.close()
        # The library's keepalive and closing tasks end with the loop, not before it.
        current = asyncio.current_task()
        pending = [task for task in asyncio.all_tasks() if task is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _begin(self) -> None:
        web_client = AsyncWebClient(base_url=self.api_url, timeout=10)
        self._client = _Client(self.app_token, web_client, self.state, self.hello_timeout)
        self._client.socket_mode_request_listeners.append(self._handle)
        self._client.reconnect()

    async def _handle(self, client: AsyncBaseSocketModeClient, request: SocketModeRequest) -> None:
        """Dispatch to Bolt off the loop, then ack whatever Bolt answered."""
        loop = asyncio.get_running_loop()
        payload = None
        try:
            response = await loop.run_in_executor(self._executor, run_bolt_app, self.app, request)
            payload = ack_payload(response)
            if response.status == 404:
                logger.debug("no listener for envelope %s; acked", request.envelope_id)
        except Exception as error:  # Bolt itself failed: ack so Slack does not resend it
            outages().report(
                logger,
                error,
                "dispatch of envelope %s failed",
                request.envelope_id,
                effect="envelopes not handled",
            )
        try:
            await client.send_socket_mode_response(
                SocketModeResponse(envelope_id=request.envelope_id, payload=payload)
            )
        except websockets.WebSocketException as error:
            # The connection went away meanwhile: Slack redelivers what it got no ack for.
            logger.warning("ack of envelope %s not sent (%s)", request.envelope_id, error)
