"""The bot's Matrix client: sync, invitations, encrypted rooms, paced and idempotent sends.

Built from the settings with an access token made once (no password login on each
start) and a persistent crypto store (`MATRIX_STORE_PATH`), which also keeps the sync
token: a restart resumes where the last sync stopped, so old commands are not run again.
A store seen for the first time skips the first sync's timeline for the same reason.
The token is saved once the commands a sync brought have been answered (`on_synced`),
not when it arrives: a crash in between reads them again after the restart, and their
answers, sent with the same transaction ids, show once.

Trust is on first use: members' devices are not verified, and the bot's messages are
encrypted for them anyway (`ignore_unverified_devices=True`), as Tchap's clients do for
unverified devices. nio shares a new megolm session whenever a room's membership or a
member's devices change.

Every call that writes goes through `_call`: paced to one per `MATRIX_PACE_SECONDS` for
the homeserver, and an `M_LIMIT_EXCEEDED` answer is waited out for its `retry_after_ms`
and the call made again (with the same transaction id for a send: Matrix deduplicates
sends per device and transaction id, so a retried send shows once).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from nio import (
    AsyncClient,
    AsyncClientConfig,
    DirectRoomsResponse,
    ErrorResponse,
    InviteMemberEvent,
    JoinError,
    MegolmEvent,
    RoomCreateEvent,
    RoomCreateResponse,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
    WhoamiResponse,
)
from nio.api import Api, RoomPreset
from nio.event_builders import EnableEncryptionBuilder
from nio.exceptions import LocalProtocolError, SendRetryError

from bot.config import Settings

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A rate-limited call is made again at most this many times, each after the wait the
# homeserver asked for, capped: a longer wait gives up (logged), not the whole process.
RATE_LIMIT_RETRIES = 5
MAX_RETRY_AFTER_SECONDS = 60.0
# Long-poll: the homeserver answers at once when something happens, else after this.
SYNC_TIMEOUT_MS = 30_000
# Room version 12 gives its creators a power above every level (they are not listed in
# m.room.power_levels); this stands for it.
CREATOR_POWER_LEVEL = 2**53 - 1
# How long a freshly created direct room may take to show up in the sync.
DIRECT_ROOM_SYNC_SECONDS = 15.0


class MatrixStartupError(Exception):
    """What the operator must fix before the bot can serve Matrix; one line."""


class MatrixSendError(Exception):
    """The homeserver refused a send (after the rate-limit retries)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class Pacer:
    """At most one call per `interval` seconds, in call order (Tchap's bot guide asks
    for about one a second per homeserver)."""

    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            delay = self._next - self._clock()
            if delay > 0:
                await self._sleep(delay)
            self._next = max(self._clock(), self._next) + self.interval


@dataclass
class Stats:
    """What the transport counted, for logs and tests."""

    sends: int = 0
    rate_limited: int = 0
    rate_limit_waits: list[float] = field(default_factory=list)


def check_homeserver(url: str, budget_seconds: float, sleep: Callable[[float], None]) -> None:
    """`/_matrix/client/versions` answers, retried for `budget_seconds`; else one line
    naming MATRIX_HOMESERVER."""
    deadline = time.monotonic() + budget_seconds
    delay = 0.5
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_matrix/client/versions", timeout=10):
                return
        except urllib.error.HTTPError as error:
            reason = f"HTTP {error.code}"
        except OSError as error:
            reason = str(getattr(error, "reason", None) or error) or type(error).__name__
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise MatrixStartupError(
                f"MATRIX_HOMESERVER {url} cannot be reached ({reason}): check the network "
                "and the URL (the homeserver's base URL, without /_matrix), then start again."
            )
        logger.info("Matrix homeserver unreachable at start (%s); retrying", reason)
        sleep(min(delay, remaining))
        delay = min(delay * 2, 8.0)


class _Client(AsyncClient):
    """nio's client, with a sync's state changes kept apart from a send in flight.

    The sync loop and the command worker run side by side. A sync that brings a
    membership change invalidates the room's megolm session; landing while a send is
    sharing that session, it can leave the message encrypted with a key its members
    never get. A sync's response is therefore applied only between sends
    (`crypto_lock`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.crypto_lock = asyncio.Lock()

    async def receive_response(self, response: Any) -> None:
        if isinstance(response, SyncResponse):
            async with self.crypto_lock:
                await super().receive_response(response)
            return
        await super().receive_response(response)


def build_client(settings: Settings) -> _Client:
    """An AsyncClient with encryption on, its store in MATRIX_STORE_PATH keeping the
    sync token too, and 429s handed back to `_call` (which paces and bounds them)."""
    assert settings.matrix_homeserver is not None and settings.matrix_user_id is not None
    store = Path(settings.matrix_store_path)
    store.mkdir(parents=True, exist_ok=True)
    config = AsyncClientConfig(
        encryption_enabled=True,
        # Saved by the caller once a sync's commands are answered (`save_sync_token`).
        store_sync_tokens=False,
        max_limit_exceeded=0,
        request_timeout=60,
    )
    return _Client(
        settings.matrix_homeserver,
        settings.matrix_user_id,
        device_id=settings.matrix_device_id or "",
        store_path=str(store),
        config=config,
    )


@dataclass(frozen=True)
class IncomingCommand:
    """A `!partage` message the bot read (decrypted if the room is encrypted)."""

    room_id: str
    event_id: str
    sender: str
    body: str


class MatrixTransport:
    """One bot account on one homeserver: start, sync, send, direct rooms, power levels."""

    def __init__(
        self,
        settings: Settings,
        *,
        on_command: Callable[[IncomingCommand], Awaitable[None]] | None = None,
        on_synced: Callable[[str], Awaitable[None]] | None = None,
        is_command: Callable[[str], bool] = lambda body: False,
    ) -> None:
        self.settings = settings
        self.client = build_client(settings)
        self.pacer = Pacer(settings.matrix_pace_seconds)
        self.stats = Stats()
        self._on_command = on_command
        self._on_synced = on_synced
        self._since: str | None = None
        self._is_command = is_command
        # user id -> direct rooms, as the bot's `m.direct` account data lists them.
        self.direct: dict[str, list[str]] = {}
        self._direct_lock = asyncio.Lock()
        self._room_seen: dict[str, asyncio.Event] = {}
        self._skip_timeline = False
        self.synced_once = asyncio.Event()
        # room id -> its creators, in rooms whose version ranks them above power levels.
        self._creators: dict[str, frozenset[str]] = {}

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    # --- start --------------------------------------------------------------------------

    async def start(self, *, budget_seconds: float = 0.0) -> None:
        """Check the homeserver and the token, open the crypto store, upload the device's
        keys if new. Every failure the operator can fix is a MatrixStartupError."""
        settings = self.settings
        assert settings.matrix_homeserver is not None and settings.matrix_user_id is not None
        assert settings.matrix_access_token is not None
        await asyncio.to_thread(
            check_homeserver, settings.matrix_homeserver, budget_seconds, time.sleep
        )
        # nio warns of every error answer that does not match its success schema; each
        # failure here is reported once, by the caller, as one line.
        logging.getLogger("nio.responses").setLevel(logging.ERROR)
        self.client.access_token = settings.matrix_access_token
        self.client.user_id = settings.matrix_user_id
        who = await self.client.whoami()
        if not isinstance(who, WhoamiResponse):
            raise MatrixStartupError(
                f"MATRIX_ACCESS_TOKEN was refused by the homeserver ({who.status_code}): "
                "make a new access token for the bot's account (see docs/matrix.md)."
            )
        if who.user_id != settings.matrix_user_id:
            raise MatrixStartupError(
                f"MATRIX_USER_ID is {settings.matrix_user_id} but the access token belongs "
                f"to {who.user_id}: set MATRIX_USER_ID to the token's account."
            )
        device_id = settings.matrix_device_id or who.device_id
        if not device_id:
            raise MatrixStartupError(
                "MATRIX_DEVICE_ID is missing and the homeserver does not name the token's "
                "device: set it to the device id given with the access token."
            )
        self.client.restore_login(settings.matrix_user_id, device_id, settings.matrix_access_token)
        # A store without a sync token: the first sync's timeline is history, not commands.
        store = self.client.store
        self._since = store.load_sync_token() if store is not None else None
        self._skip_timeline = self._since is None
        if self.client.should_upload_keys:
            uploaded = await self.client.keys_upload()
            if isinstance(uploaded, ErrorResponse):
                raise MatrixStartupError(
                    f"MATRIX_STORE_PATH {settings.matrix_store_path} does not hold the keys "
                    f"of device {device_id} ({uploaded.status_code}: the store was lost or "
                    "belongs to another device): restore it, or make a new access token "
                    "(a new device) for the bot's account."
                )
        direct = await self.client.list_direct_rooms()
        if isinstance(direct, DirectRoomsResponse):
            self.direct = {user: list(rooms) for user, rooms in direct.rooms.items()}
        logger.info(
            "Matrix: %s on %s, device %s", who.user_id, settings.matrix_homeserver, device_id
        )

    async def close(self) -> None:
        await self.client.close()

    # --- sync ---------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Sync until `stop` is set; a failing sync is logged and tried again."""
        delay = 1.0
        while not stop.is_set():
            sync = asyncio.ensure_future(self.sync_once(SYNC_TIMEOUT_MS))
            stopped = asyncio.ensure_future(stop.wait())
            done, _ = await asyncio.wait({sync, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if sync not in done:
                sync.cancel()
                break
            stopped.cancel()
            try:
                sync.result()
                delay = 1.0
            except Exception as error:
                logger.warning("Matrix sync failed (%s); retrying in %.0f s", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)

    async def sync_once(self, timeout_ms: int = 0) -> None:
        """One sync and what follows it: invitations, commands, key traffic."""
        first = not self.synced_once.is_set()
        response = await self.client.sync(
            timeout=timeout_ms, since=self._since if first else None, full_state=first
        )
        if not isinstance(response, SyncResponse):
            raise RuntimeError(getattr(response, "message", str(response)))
        skip = self._skip_timeline
        self._skip_timeline = False
        for room_id, info in response.rooms.join.items():
            for event in (*info.state, *info.timeline.events):
                if isinstance(event, RoomCreateEvent):
                    self._note_creators(room_id, event)
            seen = self._room_seen.get(room_id)
            if seen is not None:
                seen.set()
        await self._key_traffic()
        for room_id, invite in response.rooms.invite.items():
            await self._accept(room_id, invite.invite_state)
        for room_id, info in response.rooms.join.items():
            for event in info.timeline.events:
                if skip:
                    continue
                await self._read(room_id, event)
        self.synced_once.set()
        if self._on_synced is not None:
            await self._on_synced(str(response.next_batch))
        else:
            self.save_sync_token(str(response.next_batch))

    def save_sync_token(self, token: str) -> None:
        """Where the next start resumes: everything before `token` has been handled."""
        if self.client.store is not None:
            self.client.store.save_sync_token(token)

    async def _key_traffic(self) -> None:
        client = self.client
        if client.outgoing_to_device_messages:
            await client.send_to_device_messages()
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())

    async def _read(self, room_id: str, event: Any) -> None:
        if getattr(event, "sender", None) == self.user_id:
            return
        if isinstance(event, MegolmEvent):
            # A message the bot has no key for (sent before it joined, or a session it
            # never got): ask the sender's devices for it and say so in the log.
            logger.warning(
                "Matrix: cannot decrypt %s in %s (session %s); key requested",
                event.event_id,
                room_id,
                event.session_id,
            )
            with contextlib.suppress(LocalProtocolError):  # already requested
                await self.client.request_room_key(event)
            return
        if not isinstance(event, RoomMessageText) or not self._is_command(event.body):
            return
        if self._on_command is not None:
            await self._on_command(
                IncomingCommand(room_id, event.event_id, event.sender, event.body)
            )

    async def _accept(self, room_id: str, invite_state: list[Any]) -> None:
        """Join a room the bot is invited to; a direct invitation (`is_direct`) becomes
        the inviter's direct room unless they have one. A room the bot cannot join is
        logged, never raised."""
        inviter: str | None = None
        for event in invite_state:
            if (
                isinstance(event, InviteMemberEvent)
                and event.state_key == self.user_id
                and event.membership == "invite"
            ):
                direct = bool(event.content.get("is_direct"))
                inviter = event.sender if direct else None
        response = await self._call(lambda: self.client.join(room_id))
        if isinstance(response, JoinError):
            logger.warning(
                "Matrix: invited to %s but cannot join it (%s: %s)",
                room_id,
                response.status_code,
                response.message,
            )
            return
        logger.info("Matrix: joined %s", room_id)
        if inviter is not None and not self.direct.get(inviter):
            await self._record_direct(inviter, room_id)

    # --- calls --------------------------------------------------------------------------

    async def _call(self, make: Callable[[], Awaitable[T]]) -> T:
        """Paced, and an M_LIMIT_EXCEEDED waited out (`retry_after_ms`) and tried again."""
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            await self.pacer.wait()
            response = await make()
            if not (
                isinstance(response, ErrorResponse) and response.status_code == "M_LIMIT_EXCEEDED"
            ):
                return response
            self.stats.rate_limited += 1
            wait = (response.retry_after_ms or 1000) / 1000
            if attempt == RATE_LIMIT_RETRIES or wait > MAX_RETRY_AFTER_SECONDS:
                logger.warning("Matrix: rate limited, asked to wait %.1f s; giving up", wait)
                return response
            logger.info("Matrix: rate limited; waiting %.1f s as asked", wait)
            self.stats.rate_limit_waits.append(wait)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def send(self, room_id: str, content: dict[str, Any], *, txn_id: str) -> str:
        """Send `content` as an m.room.message with `txn_id` (the caller's idempotency
        key: the same id sent twice shows once). Returns the event id."""

        async def attempt() -> Any:
            try:
                async with self.client.crypto_lock:
                    return await self.client.room_send(
                        room_id,
                        "m.room.message",
                        content,
                        tx_id=txn_id,
                        ignore_unverified_devices=True,
                    )
            except (LocalProtocolError, SendRetryError) as error:
                raise MatrixSendError("M_LOCAL", str(error)) from None

        response = await self._call(attempt)
        if not isinstance(response, RoomSendResponse):
            raise MatrixSendError(str(response.status_code), str(response.message))
        self.stats.sends += 1
        return str(response.event_id)

    # --- direct rooms -------------------------------------------------------------------

    def _usable_direct(self, room_id: str, user_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return room is not None and user_id in room.users

    def direct_rooms(self) -> set[str]:
        return {room for rooms in self.direct.values() for room in rooms}

    async def direct_room(self, user_id: str) -> str:
        """The member's direct room with the bot: the one `m.direct` records while both
        are in it, else a new encrypted one, recorded there."""
        async with self._direct_lock:
            for room_id in self.direct.get(user_id, ()):
                if self._usable_direct(room_id, user_id):
                    return room_id
            response = await self._call(
                lambda: self.client.room_create(
                    is_direct=True,
                    preset=RoomPreset.private_chat,
                    invite=[user_id],
                    initial_state=[EnableEncryptionBuilder().as_dict()],
                )
            )
            if not isinstance(response, RoomCreateResponse):
                raise MatrixSendError(str(response.status_code), str(response.message))
            room_id = str(response.room_id)
            await self._record_direct(user_id, room_id)
            await self.wait_for_room(room_id, user_id)
            logger.info("Matrix: direct room %s with %s", room_id, user_id)
            return room_id

    async def _record_direct(self, user_id: str, room_id: str) -> None:
        """Add the room to the bot's `m.direct` account data (read back at start)."""
        rooms = [room_id, *(r for r in self.direct.get(user_id, ()) if r != room_id)]
        self.direct[user_id] = rooms
        path = Api._build_path(["user", self.user_id, "account_data", "m.direct"])
        body = json.dumps(self.direct)
        headers = {
            "Authorization": f"Bearer {self.client.access_token}",
            "Content-Type": "application/json",
        }
        await self.pacer.wait()
        answer = await self.client.send("PUT", path, body, headers)
        if answer.status >= 300:
            logger.warning("Matrix: m.direct not saved (HTTP %s)", answer.status)

    async def wait_for_room(self, room_id: str, member: str | None = None) -> None:
        """Until the sync has brought the room's state (with `member` in it): a room
        can be sent to only then, and the megolm session is shared with the members the
        client knows, so a message sent before an invitation shows is readable by no one.
        TimeoutError after DIRECT_ROOM_SYNC_SECONDS."""

        def ready() -> bool:
            if member is None:
                return room_id in self.client.rooms
            return self._usable_direct(room_id, member)

        deadline = asyncio.get_running_loop().time() + DIRECT_ROOM_SYNC_SECONDS
        while not ready():
            seen = self._room_seen.setdefault(room_id, asyncio.Event())
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                await asyncio.wait_for(seen.wait(), max(remaining, 0.001))
            finally:
                self._room_seen.pop(room_id, None)

    # --- rooms --------------------------------------------------------------------------

    def _note_creators(self, room_id: str, event: RoomCreateEvent) -> None:
        version = str(event.room_version or "1")
        if not (version.isdigit() and int(version) >= 12):
            return
        extra = event.source.get("content", {}).get("additional_creators") or []
        self._creators[room_id] = frozenset({event.sender, *map(str, extra)})

    def power_level(self, room_id: str, user_id: str) -> int:
        """The member's power level in the room, as the last sync left the room's state
        (a creator of a version 12 room ranks above every level)."""
        if user_id in self._creators.get(room_id, ()):
            return CREATOR_POWER_LEVEL
        room = self.client.rooms.get(room_id)
        if room is None:
            return 0
        return int(room.power_levels.get_user_level(user_id))

    def display_name(self, user_id: str, room_id: str | None = None) -> str:
        """How the room names the member (their display name), else their id's localpart."""
        rooms = [self.client.rooms.get(room_id)] if room_id else []
        rooms += list(self.client.rooms.values())
        for room in rooms:
            if room is not None and user_id in room.users:
                name = room.users[user_id].display_name
                if name:
                    return str(name)
        return user_id.lstrip("@").split(":", 1)[0]
