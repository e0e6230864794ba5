"""A fake Slack Socket Mode server: a real WebSocket server (RFC 6455) on 127.0.0.1.

Written by hand over plain sockets rather than with a WebSocket library because the tests
need what a well-behaved library will not do: drop a TCP connection without a close frame,
reset it (RST through SO_LINGER 0), or keep it up while no longer reading or answering
pings (half-open). Each accepted connection gets Slack's `hello`; the server sends
envelopes (slash_commands, interactive, events_api, with `retry_attempt`) on the newest
connection and records every ack with the time it took.

`install(fake_slack)` makes the fake Web API's `apps.connections.open` answer this
server's ws:// URL, so the bot finds it exactly as it finds Slack.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import select
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.support.fake_slack import FakeSlack

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


@dataclass
class Ack:
    envelope_id: str
    payload: dict[str, Any] | None
    seconds: float  # from the envelope's send to the ack's arrival
    connection: int  # index of the connection the ack came on


@dataclass
class Connection:
    """One accepted WebSocket; `index` counts connections from 0 in accept order."""

    index: int
    sock: socket.socket
    opened_at: float
    reading: bool = True
    closed_at: float | None = None
    pings: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    # Drops are carried out by the connection's own reader thread, woken through this
    # pair: a socket closed by another thread while a recv() blocks on it would only
    # send its FIN or RST once that recv() returns.
    wake: tuple[socket.socket, socket.socket] = field(default_factory=socket.socketpair)
    pending: str | None = None

    @property
    def open(self) -> bool:
        return self.closed_at is None

    def order(self, action: str) -> None:
        self.pending = action
        with contextlib.suppress(OSError):
            self.wake[1].send(b"!")


class FakeSocketMode:
    def __init__(self, *, hello: bool = True) -> None:
        self.hello = hello
        self.answer_pings = True
        self.reject_handshake = False  # answer the upgrade with HTTP 403
        self.unreachable = False  # apps.connections.open hands out a closed port
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._connections: list[Connection] = []
        self._sent: dict[str, tuple[float, int]] = {}  # envelope id -> (time, connection)
        self._acks: dict[str, Ack] = {}
        self._ids = itertools.count(1)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._stopped = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    # --- lifecycle ---------------------------------------------------------------
    def start(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped = True
        self._listener.close()
        for connection in self.connections():
            self._close_socket(connection)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=fake"

    def install(self, fake_slack: FakeSlack) -> None:
        """Point the fake Web API's `apps.connections.open` at this server (or, while
        `unreachable` is set, at a port where nothing listens)."""

        def open_connection(_args: dict[str, Any]) -> dict[str, Any]:
            return {"ok": True, "url": _closed_port_url() if self.unreachable else self.url}

        fake_slack.on("apps.connections.open", open_connection)

    # --- reading -------------------------------------------------------------------
    def connections(self) -> list[Connection]:
        with self._lock:
            return list(self._connections)

    def current(self) -> Connection:
        with self._lock:
            return self._connections[-1]

    def wait_connections(self, count: int, timeout: float = 10.0) -> Connection:
        """Block until `count` connections have been opened; return the last one."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._connections) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"{len(self._connections)} connection(s) within {timeout}s, "
                        f"expected {count}"
                    )
                self._changed.wait(remaining)
            return self._connections[count - 1]

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        deadline = time.monotonic() + timeout
        with self._changed:
            while envelope_id not in self._acks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no ack for {envelope_id} within {timeout}s")
                self._changed.wait(remaining)
            return self._acks[envelope_id]

    def ack(self, envelope_id: str) -> Ack | None:
        with self._lock:
            return self._acks.get(envelope_id)

    # --- sending -------------------------------------------------------------------
    def send_envelope(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        envelope_id: str | None = None,
        connection: Connection | None = None,
    ) -> str:
        """Send one envelope of `kind` (slash_commands, interactive, events_api)."""
        envelope_id = envelope_id or f"env-{next(self._ids)}"
        target = connection or self.current()
        message: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api" or retry_attempt:
            message["retry_attempt"] = retry_attempt
            message["retry_reason"] = retry_reason
        with self._lock:
            self._sent[envelope_id] = (time.monotonic(), target.index)
            self._acks.pop(envelope_id, None)
        self._send(target, OP_TEXT, json.dumps(message).encode())
        return envelope_id

    def send_many(self, kind: str, payloads: list[dict[str, Any]]) -> list[str]:
        """Send envelopes back to back in one write, as Slack does under load."""
        target = self.current()
        ids, frames = [], b""
        now = time.monotonic()
        for payload in payloads:
            envelope_id = f"env-{next(self._ids)}"
            ids.append(envelope_id)
            message = {"envelope_id": envelope_id, "type": kind, "payload": payload}
            frames += _frame(OP_TEXT, json.dumps(message).encode())
            with self._lock:
                self._sent[envelope_id] = (now, target.index)
        target.sock.sendall(frames)
        return ids

    def send_raw(self, message: dict[str, Any], connection: Connection | None = None) -> None:
        self._send(connection or self.current(), OP_TEXT, json.dumps(message).encode())

    # --- dropping ------------------------------------------------------------------
    def close_clean(self, connection: Connection | None = None) -> None:
        """A close frame (1000), then the TCP close: what a tidy server does."""
        target = connection or self.current()
        self._send(target, OP_CLOSE, struct.pack("!H", 1000) + b"bye", swallow=True)
        target.order("fin")

    def close_tcp(self, connection: Connection | None = None) -> None:
        """FIN with no close frame: a proxy or load balancer going away."""
        (connection or self.current()).order("fin")

    def reset(self, connection: Connection | None = None) -> None:
        """RST: SO_LINGER 0 makes close() discard the connection instead of ending it."""
        (connection or self.current()).order("rst")

    def half_open(self, connection: Connection | None = None) -> None:
        """Stop reading and answering pings; the TCP connection stays up."""
        target = connection or self.current()
        target.reading = False
        target.order("half_open")

    def refresh(self, connection: Connection | None = None) -> None:
        """Slack's warning that this connection will be closed soon."""
        self.send_raw(
            {
                "type": "disconnect",
                "reason": "refresh_requested",
                "debug_info": {"host": "fake-socket-mode"},
            },
            connection,
        )

    # --- internals -----------------------------------------------------------------
    def _mark_closed(self, connection: Connection) -> None:
        with self._changed:
            if connection.closed_at is None:
                connection.closed_at = time.monotonic()
            self._changed.notify_all()

    def _close_socket(self, connection: Connection) -> None:
        """From any thread: the reader thread does the closing."""
        connection.order("fin")

    def _send(
        self, connection: Connection, opcode: int, data: bytes, swallow: bool = False
    ) -> None:
        try:
            connection.sock.sendall(_frame(opcode, data))
        except OSError:
            if not swallow:
                raise

    def _accept_loop(self) -> None:
        while not self._stopped:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        # Measure the client, not this server: our own small writes must not wait.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection = Connection(-1, sock, time.monotonic())
        reader = _Reader(connection)
        try:
            if not self._handshake(sock, reader):
                sock.close()
                return
        except (OSError, _Dropped):
            sock.close()
            return
        with self._changed:
            connection.index = len(self._connections)
            connection.opened_at = time.monotonic()
            if self.hello:  # before the connection is visible: nothing can overtake it
                hello = {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "fake-socket-mode", "approximate_connection_time": 3600},
                    "connection_info": {"app_id": "A0001"},
                }
                self._send(connection, OP_TEXT, json.dumps(hello).encode(), swallow=True)
            self._connections.append(connection)
            self._changed.notify_all()
        action = "fin"
        try:
            self._read_frames(connection, reader)
        except _Dropped as dropped:
            action = dropped.action
        except (OSError, ValueError):
            pass
        self._mark_closed(connection)
        with contextlib.suppress(OSError):
            if action == "rst":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        for end in connection.wake:
            end.close()

    def _handshake(self, sock: socket.socket, reader: _Reader) -> bool:
        request = reader.until(b"\r\n\r\n").decode("latin-1").split("\r\n")
        headers: dict[str, str] = {}
        for line in request[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if self.reject_handshake:
            sock.sendall(
                b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            return False
        key = headers.get("sec-websocket-key", "")
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        sock.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        return True

    def _read_frames(self, connection: Connection, reader: _Reader) -> None:
        message = b""
        while True:
            header = reader.exactly(2)
            opcode, length = header[0] & 0x0F, header[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", reader.exactly(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", reader.exactly(8))[0]
            mask = reader.exactly(4) if header[1] & 0x80 else b"\0\0\0\0"
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(reader.exactly(length)))
            if opcode == OP_PING:
                connection.pings += 1
                if self.answer_pings:
                    self._send(connection, OP_PONG, data, swallow=True)
            elif opcode == OP_CLOSE:
                self._send(connection, OP_CLOSE, data[:2], swallow=True)
                return
            elif opcode in (OP_TEXT, OP_BINARY, OP_CONT):
                message += data
                if header[0] & 0x80:
                    self._record(connection, message)
                    message = b""

    def _record(self, connection: Connection, raw: bytes) -> None:
        arrived = time.monotonic()
        try:
            body = json.loads(raw)
        except ValueError:
            return
        with self._changed:
            connection.received.append(body)
            envelope_id = body.get("envelope_id")
            if envelope_id in self._sent and envelope_id not in self._acks:
                sent_at, _ = self._sent[envelope_id]
                self._acks[envelope_id] = Ack(
                    envelope_id, body.get("payload"), arrived - sent_at, connection.index
                )
            self._changed.notify_all()


class _Dropped(Exception):
    def __init__(self, action: str) -> None:
        super().__init__(action)
        self.action = action


class _Reader:
    """Buffered reads from a connection's socket that also obey its drop orders."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.buffer = b""

    def _fill(self) -> None:
        connection = self.connection
        while True:
            watched = [connection.wake[0]]
            if connection.reading:
                watched.append(connection.sock)
            ready, _, _ = select.select(watched, [], [])
            if connection.wake[0] in ready:
                connection.wake[0].recv(64)
                action = connection.pending
                if action in ("fin", "rst"):
                    raise _Dropped(action)
                continue  # half-open: from now on only a drop order is read
            chunk = connection.sock.recv(65536)
            if not chunk:
                raise _Dropped("fin")
            self.buffer += chunk
            return

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            self._fill()
        data, _, self.buffer = self.buffer.partition(marker)
        return data


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"ws://127.0.0.1:{sock.getsockname()[1]}/"


def _frame(opcode: int, data: bytes) -> bytes:
    """A server frame: final, unmasked (RFC 6455 section 5.2)."""
    head = bytes([0x80 | opcode])
    if len(data) < 126:
        head += bytes([len(data)])
    elif len(data) < 1 << 16:
        head += bytes([126]) + struct.pack("!H", len(data))
    else:
        head += bytes([127]) + struct.pack("!Q", len(data))
    return head + data
