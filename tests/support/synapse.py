"""A real Synapse homeserver for the Matrix tests, started once per pytest run.

`python -m synapse.app.homeserver` on SQLite, listening on 127.0.0.1 on a free port, with
no federation and no open registration: users are made through the shared-secret admin
API (`/_synapse/admin/v1/register`, an HMAC of the nonce and the user's fields), as an
operator creates the bot's account. Rate limits are high so that tests never wait,
except for a user given low ones on purpose (`limit_messages`).
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SERVER_NAME = "partage.test"
START_TIMEOUT_SECONDS = 60.0

# Everything a test run needs and nothing more: one client listener, SQLite, no
# federation, no key servers, no open registration, small caches.
_HIGH = {"per_second": 1000, "burst_count": 1000}
_CONFIG = """\
server_name: "{server_name}"
pid_file: "{dir}/homeserver.pid"
listeners:
  - port: {port}
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: "{dir}/homeserver.db"
media_store_path: "{dir}/media"
signing_key_path: "{dir}/signing.key"
registration_shared_secret: "{secret}"
enable_registration: false
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
send_federation: false
presence:
  enabled: false
caches:
  global_factor: 0.5
event_cache_size: "1K"
rc_message: {high}
rc_registration: {high}
rc_login:
  address: {high}
  account: {high}
  failed_attempts: {high}
rc_joins:
  local: {high}
  remote: {high}
rc_joins_per_room: {high}
rc_invites:
  per_room: {high}
  per_user: {high}
  per_issuer: {high}
rc_admin_redaction: {high}
rc_3pid_validation: {high}
rc_key_requests: {high}
rc_room_creation: {high}
rc_delayed_event_mgmt: {high}
"""


def synapse_installed() -> bool:
    return importlib.util.find_spec("synapse") is not None


def require_nio() -> None:
    """Skip the calling test module when matrix-nio is not installed, unless
    REQUIRE_MATRIX=1 (CI), where its absence is a failure. Call it before importing
    anything that imports nio."""
    if importlib.util.find_spec("nio") is not None:
        return
    if environment_requires_matrix():
        raise ImportError("REQUIRE_MATRIX=1 but matrix-nio is not installed")
    pytest.skip("matrix-nio is not installed", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class MatrixUser:
    user_id: str
    password: str
    access_token: str
    device_id: str


class Synapse:
    """One homeserver process and what the tests ask of it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.secret = secrets.token_hex(16)
        self.process: subprocess.Popen[bytes] | None = None
        self.start_seconds = 0.0
        self._admin: MatrixUser | None = None

    # --- life ---------------------------------------------------------------------------

    def start(self) -> None:
        (self.directory / "media").mkdir(parents=True, exist_ok=True)
        config = self.directory / "homeserver.yaml"
        config.write_text(
            _CONFIG.format(
                server_name=SERVER_NAME,
                dir=self.directory,
                port=self.port,
                secret=self.secret,
                high=json.dumps(_HIGH),
            )
        )
        started = time.monotonic()
        command = [sys.executable, "-m", "synapse.app.homeserver", "-c", str(config)]
        subprocess.run(
            [*command, "--generate-keys"], check=True, capture_output=True, cwd=self.directory
        )
        log = (self.directory / "synapse.log").open("wb")
        self.process = subprocess.Popen(
            command, cwd=self.directory, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = started + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Synapse exited at start: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_matrix/client/versions", timeout=1):
                    self.start_seconds = time.monotonic() - started
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"Synapse did not answer in {START_TIMEOUT_SECONDS} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        path = self.directory / "synapse.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    # --- HTTP ---------------------------------------------------------------------------

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return dict(json.loads(response.read() or b"{}"))
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: {error.code} {error.read()!r}") from None

    # --- users --------------------------------------------------------------------------

    def register(self, localpart: str | None = None, *, admin: bool = False) -> MatrixUser:
        """A new account through the shared-secret registration API, logged in on a
        device of its own."""
        localpart = localpart or f"u{secrets.token_hex(5)}"
        password = secrets.token_urlsafe(12)
        nonce = self.request("GET", "/_synapse/admin/v1/register")["nonce"]
        # The MAC covers the fields joined by NUL bytes (Synapse's admin API documentation).
        fields = (nonce, localpart, password, "admin" if admin else "notadmin")
        mac = hmac.new(self.secret.encode(), b"\x00".join(f.encode() for f in fields), hashlib.sha1)
        digest = mac.hexdigest()
        answer = self.request(
            "POST",
            "/_synapse/admin/v1/register",
            {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": digest,
            },
        )
        return MatrixUser(
            user_id=answer["user_id"],
            password=password,
            access_token=answer["access_token"],
            device_id=answer["device_id"],
        )

    @property
    def admin(self) -> MatrixUser:
        if self._admin is None:
            self._admin = self.register(f"admin{secrets.token_hex(3)}", admin=True)
        return self._admin

    def limit_messages(self, user_id: str, *, per_second: int, burst_count: int) -> None:
        """Give one user low message rate limits (Synapse's per-user override), so that
        its sends meet M_LIMIT_EXCEEDED while everyone else's do not."""
        self.request(
            "POST",
            f"/_synapse/admin/v1/users/{urllib.request.quote(user_id)}/override_ratelimit",
            {"messages_per_second": per_second, "burst_count": burst_count},
            token=self.admin.access_token,
        )


def start_synapse(directory: Path) -> Synapse:
    server = Synapse(directory)
    server.start()
    return server


def environment_requires_matrix() -> bool:
    return os.environ.get("REQUIRE_MATRIX") == "1"
