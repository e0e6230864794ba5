"""A member's Matrix client for the tests: a real matrix-nio client with its own crypto
store, which sends encrypted messages and decrypts what the bot answers.

Members run on the bot's own event loop (`MatrixRunner.call`): nio's crypto stores bind
their peewee models for the length of each call, process-wide, so two clients used from
two threads at once would unbind each other's store mid-query. One thread, no race.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    MegolmEvent,
    RoomCreateResponse,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomSendResponse,
    SyncResponse,
)
from nio.api import RoomPreset
from nio.event_builders import EnableEncryptionBuilder

from tests.support.synapse import MatrixUser, Synapse

WAIT_SECONDS = 30.0


class Member:
    """One member's device. Every event it syncs is kept (decrypted when it can be)."""

    def __init__(self, synapse: Synapse, user: MatrixUser, store: Path) -> None:
        store.mkdir(parents=True, exist_ok=True)
        self.user = user
        self.client = AsyncClient(
            synapse.url,
            user.user_id,
            device_id=user.device_id,
            store_path=str(store),
            config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True),
        )
        self.events: list[tuple[str, Any]] = []
        self.invites: list[tuple[str, list[Any]]] = []

    @property
    def user_id(self) -> str:
        return self.user.user_id

    async def open(self) -> Member:
        self.client.restore_login(self.user.user_id, self.user.device_id, self.user.access_token)
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        # A reopened store has a sync token but no room state: ask for all of it.
        await self.sync(full_state=True)
        return self

    async def close(self) -> None:
        await self.client.close()

    async def sync(self, timeout_ms: int = 0, *, full_state: bool = False) -> None:
        response = await self.client.sync(timeout=timeout_ms, full_state=full_state or None)
        assert isinstance(response, SyncResponse), response
        for room_id, invite in response.rooms.invite.items():
            self.invites.append((room_id, invite.invite_state))
        for room_id, info in response.rooms.join.items():
            self.events += [(room_id, event) for event in info.timeline.events]
        client = self.client
        if client.outgoing_to_device_messages:
            await client.send_to_device_messages()
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())

    async def wait_for(self, found: Any, what: str, timeout: float = WAIT_SECONDS) -> Any:
        """Sync until `found()` returns something (not None); fail naming `what`."""
        deadline = time.monotonic() + timeout
        while True:
            result = found()
            if result is not None:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.user_id} never saw {what}; events: {self.events}")
            await self.sync(timeout_ms=500)

    # --- rooms ----------------------------------------------------------------------------

    async def create_room(
        self,
        *,
        invite: list[str],
        encrypted: bool = True,
        power_levels: dict[str, int] | None = None,
    ) -> str:
        initial = [EnableEncryptionBuilder().as_dict()] if encrypted else []
        override = None
        if power_levels:
            # Room version 12: the creator holds every right and must not be listed.
            override = {"users": dict(power_levels)}
        response = await self.client.room_create(
            preset=RoomPreset.private_chat,
            invite=invite,
            initial_state=initial,
            power_level_override=override,
        )
        assert isinstance(response, RoomCreateResponse), response
        await self.sync()
        return str(response.room_id)

    async def join(self, room_id: str) -> None:
        await self.client.join(room_id)
        await self.sync()

    async def wait_joined(self, room_id: str, user_id: str) -> None:
        """Until `user_id`'s join shows in the room (and so in its members' key sharing)."""

        def joined() -> bool | None:
            room = self.client.rooms.get(room_id)
            return (
                True
                if room is not None and user_id in room.users and not (room.users[user_id].invited)
                else None
            )

        await self.wait_for(joined, f"{user_id} join {room_id}")

    async def say(self, room_id: str, body: str) -> str:
        """An m.text message (encrypted in an encrypted room, for every device known)."""
        await self.sync()
        response = await self.client.room_send(
            room_id,
            "m.room.message",
            {"msgtype": "m.text", "body": body},
            ignore_unverified_devices=True,
        )
        assert isinstance(response, RoomSendResponse), response
        return str(response.event_id)

    async def accept_direct_invite(self, sender: str) -> str:
        """Join the direct room `sender` invited us to (`is_direct`); its id."""

        def invited() -> str | None:
            for room_id, state in self.invites:
                for event in state:
                    if (
                        isinstance(event, InviteMemberEvent)
                        and event.sender == sender
                        and event.state_key == self.user_id
                        and event.content.get("is_direct")
                    ):
                        return room_id
            return None

        room_id = await self.wait_for(invited, f"a direct invitation from {sender}")
        await self.join(room_id)
        return str(room_id)

    def _decrypt_late(self) -> None:
        """A room key may arrive a sync after its message: try the undecrypted again,
        as members' clients do."""
        for index, (room_id, event) in enumerate(self.events):
            if isinstance(event, MegolmEvent):
                try:
                    decrypted = self.client.decrypt_event(event)
                except Exception:
                    continue
                self.events[index] = (room_id, decrypted)

    def messages_in(self, room_id: str, sender: str) -> list[Any]:
        """What `sender` said in the room, as this device reads it (decrypted, or a
        MegolmEvent it could not decrypt)."""
        self._decrypt_late()
        return [
            event
            for room, event in self.events
            if room == room_id
            and getattr(event, "sender", None) == sender
            and not isinstance(event, (RoomMemberEvent,))
            and (hasattr(event, "body") or isinstance(event, MegolmEvent))
        ]

    async def next_message(
        self, room_id: str, sender: str, after: int = 0, timeout: float = WAIT_SECONDS
    ) -> Any:
        """The `after`-th message (0-based) from `sender` in the room, once it arrived."""

        def found() -> Any:
            messages = self.messages_in(room_id, sender)
            if len(messages) <= after or isinstance(messages[after], MegolmEvent):
                return None  # not there yet, or its key not yet
            return messages[after]

        return await self.wait_for(found, f"message #{after} from {sender}", timeout)

    async def history(self, room_id: str) -> list[Any]:
        """The room's timeline read back from the server (newest first), decrypted."""
        start = str(self.client.next_batch or "")
        response = await self.client.room_messages(room_id, start=start, limit=100)
        assert isinstance(response, RoomMessagesResponse), response
        return list(response.chunk)


async def open_member(synapse: Synapse, store: Path, localpart: str | None = None) -> Member:
    return await Member(synapse, synapse.register(localpart), store).open()


async def group_room(
    synapse: Synapse, bot_id: str, store: Path, *, levels: dict[str, int] | None = None
) -> tuple[Member, str]:
    """A member who creates an encrypted room, invites the bot, and sees it join."""
    owner = await open_member(synapse, store)
    room_id = await owner.create_room(invite=[bot_id], power_levels=levels)
    await owner.wait_joined(room_id, bot_id)
    return owner, room_id


async def group_room_driven(
    synapse: Synapse, transport: Any, bot_id: str, store: Path
) -> tuple[Member, str]:
    """`group_room` for a bot transport whose syncs the test drives itself (no loop)."""
    owner = await open_member(synapse, store)
    room_id = await owner.create_room(invite=[bot_id])

    def joined() -> bool | None:
        room = owner.client.rooms.get(room_id)
        if room is not None and bot_id in room.users and not room.users[bot_id].invited:
            return True
        return None

    while joined() is None:
        await transport.sync_once(timeout_ms=500)
        await owner.sync(timeout_ms=500)
    while room_id not in transport.client.rooms:
        await transport.sync_once(timeout_ms=500)
    return owner, room_id


def localpart(user_id: str) -> str:
    """The display name Synapse gives a new account."""
    return user_id[1:].split(":", 1)[0]
