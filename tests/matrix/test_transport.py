"""The Matrix transport against a real Synapse: idempotent sends, rate limits waited
out, direct rooms kept in `m.direct`, a crypto store that survives a restart."""

from __future__ import annotations

import asyncio
import logging
import urllib.parse
from datetime import UTC, datetime

import pytest

from bot.enums import Language
from bot.i18n import format_when, t
from bot.matrix.render import matrix_content, render
from bot.slack.blocks.common import text_message
from tests.support.synapse import require_nio

require_nio()

from tests.support.matrix_member import Member, group_room, group_room_driven  # noqa: E402

pytestmark = pytest.mark.matrix


def notice(text: str) -> dict:
    return matrix_content(text_message(text))


def test_send_retried_with_the_same_transaction_id_shows_once(synapse, bot, bot_account, tmp_path):
    transport = bot.service.transport

    async def scenario():
        owner, room_id = await group_room(synapse, bot_account.user_id, tmp_path / "owner")
        await transport.wait_for_room(room_id)
        first = await transport.send(room_id, notice("Une fois"), txn_id="outbox.7.post")
        again = await transport.send(room_id, notice("Une fois"), txn_id="outbox.7.post")
        other = await transport.send(room_id, notice("Une fois"), txn_id="outbox.8.post")
        await owner.next_message(room_id, bot_account.user_id, 1)
        history = await owner.history(room_id)
        await owner.close()
        return first, again, other, history

    first, again, other, history = bot.call(scenario(), 120)

    assert first == again
    assert other != first
    shown = [e.event_id for e in history if getattr(e, "body", None) == "Une fois"]
    assert sorted(shown) == sorted([first, other])


def test_limit_exceeded_is_waited_out_and_every_message_arrives(
    synapse, bot, bot_account, tmp_path
):
    transport = bot.service.transport
    synapse.limit_messages(bot_account.user_id, per_second=1, burst_count=1)

    async def scenario():
        owner, room_id = await group_room(synapse, bot_account.user_id, tmp_path / "owner")
        await transport.wait_for_room(room_id)
        sent = [
            await transport.send(room_id, notice(f"Message {n}"), txn_id=f"limited.{n}")
            for n in range(3)
        ]
        bodies = [
            (await owner.next_message(room_id, bot_account.user_id, n)).body for n in range(3)
        ]
        await owner.close()
        return sent, bodies

    sent, bodies = bot.call(scenario(), 120)

    assert len(set(sent)) == 3
    assert bodies == ["Message 0", "Message 1", "Message 2"]
    assert transport.stats.rate_limited >= 1
    assert all(0 < wait <= 2 for wait in transport.stats.rate_limit_waits)


def test_restart_keeps_crypto_store_direct_room_and_sync_position(
    synapse, start_bot, bot_account, tmp_path
):
    bot_id = bot_account.user_id
    bot = start_bot()

    async def before_restart():
        owner, room_id = await group_room(synapse, bot_id, tmp_path / "owner")
        await owner.say(room_id, "!partage aide")
        direct = await owner.accept_direct_invite(bot_id)
        await owner.next_message(direct, bot_id, 0)
        await owner.say(room_id, "!partage session 2027-01-14 14:00")
        await owner.next_message(direct, bot_id, 1)
        await owner.close()
        return owner.user, room_id, direct

    user, room_id, direct = bot.call(before_restart(), 120)
    bot = start_bot()  # a new client object on the same crypto store

    async def after_restart():
        owner = await Member(synapse, user, tmp_path / "owner").open()
        await owner.say(room_id, "!partage programme")
        programme = await owner.next_message(direct, bot_id, 0)
        await owner.sync(timeout_ms=1000)  # room for a replayed answer to show
        answers = owner.messages_in(direct, bot_id)
        members = sorted(owner.client.rooms[direct].users)
        await owner.close()
        return programme, answers, members

    programme, answers, members = bot.call(after_restart(), 120)

    assert programme.decrypted is True
    when = format_when(datetime(2027, 1, 14, 13, 0, tzinfo=UTC), "Europe/Paris", Language.FR)
    assert t(Language.FR, "programme.title", when=when).plain() in programme.body
    # Since the restart, one answer: the commands read before it were not run again.
    assert answers == [programme]
    assert members == sorted([user.user_id, bot_id])
    path = f"/_matrix/client/v3/user/{urllib.parse.quote(bot_id)}/account_data/m.direct"
    m_direct = synapse.request("GET", path, token=bot_account.access_token)
    assert m_direct == {user.user_id: [direct]}


def test_invitation_to_a_room_the_bot_cannot_join_is_logged(bot, bot_account, caplog):
    transport = bot.service.transport
    caplog.set_level(logging.WARNING, logger="bot.matrix.transport")

    bot.call(transport._accept("!nowhere:partage.test", []), 30)

    assert any(
        "cannot join" in record.getMessage() and "!nowhere:partage.test" in record.getMessage()
        for record in caplog.records
    )


def test_render_of_an_answer_matches_what_members_read(synapse, bot, bot_account, tmp_path):
    """The content sent is the renderer's output, unchanged by the way (encrypted)."""
    transport = bot.service.transport
    message = text_message(t(Language.FR, "error.no_session", cmd="!partage"))

    async def scenario():
        owner, room_id = await group_room(synapse, bot_account.user_id, tmp_path / "owner")
        await transport.wait_for_room(room_id)
        await transport.send(room_id, matrix_content(message), txn_id="render.1")
        read = await owner.next_message(room_id, bot_account.user_id)
        await owner.close()
        return read

    read = bot.call(scenario(), 120)

    assert (read.body, read.formatted_body) == render(message)
    assert read.source["content"]["msgtype"] == "m.notice"


def test_command_read_but_not_answered_before_a_stop_is_answered_after_restart(
    synapse, start_bot, bot_account, db, tmp_path
):
    """The sync token is saved once a sync's commands are answered: a bot stopped in
    between reads them again."""
    from bot.matrix.transport import MatrixTransport
    from tests.matrix.conftest import matrix_settings

    database_url = db.kw["bind"].url.render_as_string(hide_password=False)
    settings = matrix_settings(database_url, bot_account, tmp_path / "bot-store", synapse.url)
    bot_id = bot_account.user_id
    read: list[str] = []

    async def remember(incoming) -> None:
        read.append(incoming.body)

    transports: list[MatrixTransport] = []

    async def synced(token: str) -> None:
        """Saved while there is nothing to answer; after the command is read, the bot
        stands for one stopped before its answer: the token stays where it was."""
        if not read:
            transports[0].save_sync_token(token)

    async def read_then_stop():
        transport = MatrixTransport(
            settings, on_command=remember, on_synced=synced, is_command=lambda b: "!" in b
        )
        transports.append(transport)
        await transport.start()
        await transport.sync_once()
        owner, room_id = await group_room_driven(synapse, transport, bot_id, tmp_path / "owner")
        await owner.say(room_id, "!partage aide")
        while not read:
            await transport.sync_once(timeout_ms=1000)
        await transport.close()
        return owner, room_id

    owner, _room_id = asyncio.run(read_then_stop())
    user = owner.user
    bot = start_bot()  # the same crypto store, whose token predates the command

    async def after_restart():
        member = await Member(synapse, user, tmp_path / "owner").open()
        direct = await member.accept_direct_invite(bot_id)
        answer = await member.next_message(direct, bot_id)
        await member.close()
        return answer

    answer = bot.call(after_restart(), 120)

    assert read == ["!partage aide"]
    assert "!partage session" in answer.body
