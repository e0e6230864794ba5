"""`!partage` in Matrix rooms, against a real Synapse, with real nio clients as members.

Every room here is end-to-end encrypted (`m.room.encryption` at creation), as Tchap's
private rooms are: the bot reads encrypted commands and the members' clients decrypt
its answers.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.db.models import Group, Meeting
from bot.enums import Language
from bot.i18n import format_when, t
from bot.matrix.commands import MATRIX_TEAM, counts_as_admin
from bot.matrix.render import render
from bot.slack.blocks.common import text_message
from bot.slack.blocks.help import build_help
from bot.slack.parsing import nearest_subcommand
from tests.support.synapse import require_nio

require_nio()

from tests.support.matrix_member import group_room, localpart, open_member  # noqa: E402  (nio)

pytestmark = pytest.mark.matrix

SESSION_AT = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)  # 14:00 in Paris
WHEN = format_when(SESSION_AT, "Europe/Paris", Language.FR)


def expected(message_text: str) -> tuple[str, str]:
    return render(text_message(message_text))


def test_encrypted_session_command_creates_group_and_member_decrypts_answer(
    synapse, bot, bot_account, db, tmp_path
):
    async def scenario():
        owner, room_id = await group_room(synapse, bot_account.user_id, tmp_path / "owner")
        await owner.say(room_id, "!partage session 2027-01-14 14:00")
        direct = await owner.accept_direct_invite(bot_account.user_id)
        answer = await owner.next_message(direct, bot_account.user_id)
        await owner.close()
        return room_id, answer

    room_id, answer = bot.call(scenario(), 180)

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
        owner, room_id = await group_room(synapse, bot_account.user_id, tmp_path / "owner")
        await owner.say(room_id, "!partage partciper")
        direct = await owner.accept_direct_invite(bot_account.user_id)
        answer = await owner.next_message(direct, bot_account.user_id)
        await owner.close()
        return answer

    answer = bot.call(scenario(), 180)

    help_message = build_help(
        Language.FR,
        "!partage",
        "partciper",
        suggestion=nearest_subcommand("partciper", Language.FR),
    )
    assert (answer.body, answer.formatted_body) == render(help_message)
    assert "participer" in answer.body


def test_guide_then_programme_show_the_guide_by_name(synapse, bot, bot_account, tmp_path):
    bot_id = bot_account.user_id

    async def scenario():
        owner, room_id = await group_room(synapse, bot_id, tmp_path / "owner")
        await owner.say(room_id, "!partage session 2027-01-14 14:00")
        direct = await owner.accept_direct_invite(bot_id)
        await owner.next_message(direct, bot_id, 0)
        await owner.say(room_id, "!partage guide")
        claimed = await owner.next_message(direct, bot_id, 1)
        notice = await owner.next_message(room_id, bot_id, 0)
        await owner.say(room_id, "!partage programme")
        programme = await owner.next_message(direct, bot_id, 2)
        await owner.close()
        return owner.user_id, claimed, notice, programme

    owner_id, claimed, notice, programme = bot.call(scenario(), 180)

    name = localpart(owner_id)
    assert claimed.body == expected(t(Language.FR, "guide.claimed", when=WHEN))[0]
    assert (
        notice.body
        == render(
            text_message(t(Language.FR, "guide.notice", user=owner_id, when=WHEN)),
            names=localpart,
        )[0]
    )
    assert name in notice.body
    assert owner_id not in notice.body + notice.formatted_body
    assert t(Language.FR, "programme.title", when=WHEN).plain() in programme.body
    assert name in programme.body
    assert (notice.decrypted, programme.decrypted) == (True, True)


def test_join_propose_and_theme_answer_member_and_room(synapse, bot, bot_account, tmp_path):
    bot_id = bot_account.user_id

    async def scenario():
        owner, room_id = await group_room(synapse, bot_id, tmp_path / "owner")
        await owner.say(room_id, "!partage session 2027-01-14 14:00")
        direct = await owner.accept_direct_invite(bot_id)
        await owner.say(room_id, "!partage participer")
        await owner.say(room_id, "!partage proposer L’accessibilité numérique")
        await owner.say(room_id, "!partage theme Le design des politiques publiques")
        answers = [await owner.next_message(direct, bot_id, n) for n in range(4)]
        notices = [await owner.next_message(room_id, bot_id, n) for n in range(2)]
        await owner.close()
        return owner.user_id, answers, notices

    owner_id, answers, notices = bot.call(scenario(), 180)

    theme = "Le design des politiques publiques"
    proposal = "L’accessibilité numérique"
    names = {"names": localpart}
    assert [a.body for a in answers[1:]] == [
        expected(t(Language.FR, "join.done", when=WHEN, count=1))[0],
        expected(t(Language.FR, "proposal.added", text=proposal))[0],
        expected(t(Language.FR, "theme.set", when=WHEN, theme=theme))[0],
    ]
    assert [n.body for n in notices] == [
        render(
            text_message(
                t(Language.FR, "proposal.notice", user=owner_id, text=proposal, cmd="!partage")
            ),
            **names,
        )[0],
        render(text_message(t(Language.FR, "theme.notice", user=owner_id, theme=theme)), **names)[
            0
        ],
    ]


def test_power_level_50_counts_as_admin(synapse, bot, bot_account, db, tmp_path):
    bot_id = bot_account.user_id

    async def scenario():
        moderator = await open_member(synapse, tmp_path / "moderator")
        member = await open_member(synapse, tmp_path / "member")
        owner, room_id = await group_room(
            synapse, bot_id, tmp_path / "owner", levels={moderator.user_id: 50}
        )
        for person in (moderator, member):
            await owner.client.room_invite(room_id, person.user_id)
            await person.sync()
            await person.join(room_id)
            await owner.wait_joined(room_id, person.user_id)
        await owner.say(room_id, "!partage session 2027-01-14 14:00")
        await moderator.say(room_id, "!partage theme Accessibilité")
        await member.say(room_id, "!partage theme Autre chose")
        moderator_dm = await moderator.accept_direct_invite(bot_id)
        member_dm = await member.accept_direct_invite(bot_id)
        allowed = await moderator.next_message(moderator_dm, bot_id)
        refused = await member.next_message(member_dm, bot_id)
        for person in (owner, moderator, member):
            await person.close()
        levels = {
            person.user_id: bot.service.transport.power_level(room_id, person.user_id)
            for person in (owner, moderator, member)
        }
        return owner.user_id, allowed, refused, levels, (moderator.user_id, member.user_id)

    owner_id, allowed, refused, levels, (moderator_id, member_id) = bot.call(scenario(), 180)

    assert (
        allowed.body == expected(t(Language.FR, "theme.set", when=WHEN, theme="Accessibilité"))[0]
    )
    refusal = t(
        Language.FR,
        "theme.error.not_allowed",
        organisers=f"@{owner_id}",
        cmd="!partage",
    )
    assert refused.body == render(text_message(refusal), names=localpart)[0]
    with db() as session:
        assert session.scalars(select(Meeting.theme)).one() == "Accessibilité"
    # The room's creator (version 12: above every level), a moderator, a member.
    assert {user: counts_as_admin(level) for user, level in levels.items()} == {
        owner_id: True,
        moderator_id: True,
        member_id: False,
    }
    assert levels[moderator_id] == 50


def test_moved_session_is_told_to_the_room_and_group_commands_refused_in_direct_room(
    synapse, bot, bot_account, tmp_path
):
    bot_id = bot_account.user_id

    async def scenario():
        owner, room_id = await group_room(synapse, bot_id, tmp_path / "owner")
        await owner.say(room_id, "!partage session 2027-01-14 14:00")
        direct = await owner.accept_direct_invite(bot_id)
        await owner.say(room_id, "!partage session 21/01/2027 15h")
        moved = await owner.next_message(direct, bot_id, 1)
        notice = await owner.next_message(room_id, bot_id, 0)
        await owner.say(direct, "!partage programme")
        out_of_place = await owner.next_message(direct, bot_id, 2)
        await owner.close()
        return owner.user_id, moved, notice, out_of_place

    owner_id, moved, notice, out_of_place = bot.call(scenario(), 180)

    later = format_when(datetime(2027, 1, 21, 14, 0, tzinfo=UTC), "Europe/Paris", Language.FR)
    assert moved.body == expected(t(Language.FR, "session.moved", when=later, previous=WHEN))[0]
    assert (
        notice.body
        == render(
            text_message(
                t(Language.FR, "living.moved.notice", user=owner_id, when=later, previous=WHEN)
            ),
            names=localpart,
        )[0]
    )
    assert out_of_place.body == expected(t(Language.FR, "matrix.out_of_place", cmd="!partage"))[0]
