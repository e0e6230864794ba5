"""`!partage` in Matrix rooms, against a real Synapse, with real nio clients as members.

Every room here is end-to-end encrypted (`m.room.encryption` at creation), as Tchap's
private rooms are: the bot reads encrypted commands and the members' clients decrypt
its answers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.models import Group, Meeting
from bot.enums import Language
from bot.i18n import format_when, t
from bot.matrix.commands import MATRIX_TEAM
from bot.matrix.render import render
from bot.slack.blocks.common import text_message
from bot.slack.blocks.help import build_help
from bot.slack.parsing import nearest_subcommand
from tests.support.matrix_member import Member, open_member, run

pytestmark = pytest.mark.matrix

SESSION_AT = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)  # 14:00 in Paris
WHEN = format_when(SESSION_AT, "Europe/Paris", Language.FR)


def expected(message_text: str) -> tuple[str, str]:
    return render(text_message(message_text))


async def group_room(synapse, bot_id: str, tmp_path: Path, **levels: int) -> tuple[Member, str]:
    """A member who creates an encrypted room, invites the bot and waits for it to join."""
    owner = await open_member(synapse, tmp_path / "owner")
    room_id = await owner.create_room(invite=[bot_id], power_levels=levels or None)
    await owner.wait_joined(room_id, bot_id)
    return owner, room_id


def test_encrypted_session_command_creates_group_and_member_decrypts_answer(
    synapse, bot, bot_account, db, tmp_path
):
    async def scenario():
        owner, room_id = await group_room(synapse, bot_account.user_id, tmp_path)
        await owner.say(room_id, "!partage session 2027-01-14 14:00")
        direct = await owner.accept_direct_invite(bot_account.user_id)
        answer = await owner.next_message(direct, bot_account.user_id)
        await owner.close()
        return room_id, answer

    room_id, answer = run(scenario())

    body, formatted = expected(
        t(Language.FR, "session.created", when=WHEN)
        + "\n"
        + t(Language.FR, "session.created.organiser")
    )
    assert (answer.decrypted, answer.body, answer.formatted_body) == (True, body, formatted)
    assert answer.source["content"]["m.mentions"] == {}
    with db() as session:
        group = session.scalars(select(Group)).one()
        meeting = session.scalars(select(Meeting)).one()
    assert (group.team_id, group.channel_id) == (MATRIX_TEAM, room_id)
    assert meeting.starts_at.replace(tzinfo=UTC) == SESSION_AT


def test_unknown_word_gets_the_slack_refusal_in_the_direct_room(
    synapse, bot, bot_account, tmp_path
):
    async def scenario():
        owner, room_id = await group_room(synapse, bot_account.user_id, tmp_path)
        await owner.say(room_id, "!partage partciper")
        direct = await owner.accept_direct_invite(bot_account.user_id)
        answer = await owner.next_message(direct, bot_account.user_id)
        await owner.close()
        return answer

    answer = run(scenario())

    help_message = build_help(
        Language.FR,
        "!partage",
        "partciper",
        suggestion=nearest_subcommand("partciper", Language.FR),
    )
    assert (answer.body, answer.formatted_body) == render(help_message)
    assert "participer" in answer.body
