"""A TCP proxy in front of PostgreSQL that a test can pause or close.

Paused, it still accepts connections and reads what the client sends, but forwards
nothing either way: a database that is up at the TCP level and never answers (a stopped
server, a partition), which no server-side timeout can catch. Closed, it drops every
connection and refuses new ones: a database that is down.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from bot.clock import Clock
from tests.support.fake_slack import FakeSlack
from tests.support.server import SIGNING_SECRET, BotServer, bot_settings
from tests.support.slack_client import SlackSender


class DatabaseProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._flowing = threading.Event()
        self._flowing.set()
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self.port_kept = int(self._listener.getsockname()[1])

    @classmethod
    def in_front_of(cls, url: str) -> DatabaseProxy:
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or 5432)

    @property
    def port(self) -> int:
        return self.port_kept

    def url_for(self, url: str) -> str:
        """`url` with its host and port replaced by the proxy's."""
        parts = urlsplit(url)
        user = f"{parts.username}@" if parts.username else ""
        return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{self.port}"))

    def start(self) -> DatabaseProxy:
        self._thread.start()
        return self

    def pause(self) -> None:
        """Hold every byte in both directions, on open and new connections."""
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    def close(self) -> None:
        """Refuse new connections and reset the open ones."""
        self._stopped.set()
        self._flowing.set()
        self._listener.close()
        self._reset_open()

    def stop_database(self) -> None:
        """The database stops: open connections are reset and new ones refused (the
        port is closed) until `start_database`."""
        with self._lock:
            listener = self._listener
        # shutdown() wakes the accept() blocked on it (close() alone would leave the port
        # accepting until that call returns).
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        self._reset_open()

    def start_database(self) -> None:
        """The database is back on the same port."""
        listener = socket.create_server(("127.0.0.1", self.port_kept))
        with self._lock:
            self._listener = listener
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _reset_open(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self) -> None:
        listener = self._listener
        while not self._stopped.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self._target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                self._flowing.wait()
                if self._stopped.is_set():
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)


@contextmanager
def bot_behind_proxy(
    database_url: str, fake_slack: FakeSlack, clock: Clock
) -> Iterator[tuple[SlackSender, DatabaseProxy]]:
    """The running bot reaching PostgreSQL through a proxy the test can pause or close,
    and a sender for its signed requests."""
    with server_behind_proxy(database_url, fake_slack, clock) as (_server, sender, proxy):
        yield sender, proxy


@contextmanager
def server_behind_proxy(
    database_url: str, fake_slack: FakeSlack, clock: Clock
) -> Iterator[tuple[BotServer, SlackSender, DatabaseProxy]]:
    """`bot_behind_proxy` with the server itself, for its runtime (the dispatcher)."""
    proxy = DatabaseProxy.in_front_of(database_url).start()
    settings = bot_settings(proxy.url_for(database_url), fake_slack.api_url)
    server = BotServer(settings, clock).start()
    sender = SlackSender(server.port, SIGNING_SECRET, fake_slack.response_url(), server.drain)
    try:
        yield server, sender, proxy
    finally:
        proxy.close()
        server.stop()
