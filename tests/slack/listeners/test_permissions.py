"""Who may move the session and set the theme: organisers, the next session's guide and
workspace admins or owners (users.info, cached); anyone else is told who can."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from bot.db.models import Meeting
from tests.support.contributions import schedule
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import SlackSender

JANUARY_14 = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)  # 14:00 in Paris
JANUARY_21 = datetime(2027, 1, 21, 13, 0, tzinfo=UTC)


def fresh_user(prefix: str) -> str:
    """A user id the bot has never looked up: its users.info cache outlives one test."""
    return f"U{prefix}{uuid.uuid4().hex[:8].upper()}"


def meeting(db) -> Meeting:
    with db() as session:
        return session.scalars(select(Meeting)).one()


def users_info_calls(fake_slack: FakeSlack, user: str) -> int:
    return sum(1 for c in fake_slack.calls("users.info") if c.args.get("user") == user)


def test_non_organiser_moving_the_session_is_refused_naming_who_can(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    member = fresh_user("MEMBER")
    fake_slack.reset()

    reply = slack.command("session 2027-01-21 14:00", user=member)

    assert reply.json()["response_type"] == "ephemeral"
    assert "Seul·es les organisateur·rices du groupe (<@U0ORGA>)" in reply.text
    assert "le ou la guide de la prochaine session" in reply.text
    assert meeting(db).starts_at == JANUARY_14
    assert fake_slack.posts() == []


def test_non_organiser_setting_the_theme_is_refused_naming_who_can(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    member = fresh_user("MEMBER")

    reply = slack.command("theme L'accessibilité", user=member)

    assert "Seul·es les organisateur·rices du groupe (<@U0ORGA>)" in reply.text
    assert "`/partage proposer &lt;thème&gt;`" in reply.text
    assert meeting(db).theme is None


def test_guide_of_the_next_session_may_move_it_and_set_the_theme(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    guide = fresh_user("GUIDE")
    slack.command("guide", user=guide)
    fake_slack.reset()

    moved = slack.command("session 2027-01-21 14:00", user=guide)
    themed = slack.command("theme L'accessibilité", user=guide)

    assert "Session déplacée" in moved.text
    assert "L'accessibilité" in themed.text
    assert (meeting(db).starts_at, meeting(db).theme) == (JANUARY_21, "L'accessibilité")
    assert users_info_calls(fake_slack, guide) == 0  # the cheaper checks answered


def test_guide_who_released_the_role_may_no_longer_move_the_session(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    guide = fresh_user("GUIDE")
    slack.command("guide", user=guide)
    slack.command("retirer", user=guide)

    reply = slack.command("session 2027-01-21 14:00", user=guide)

    assert "Seul·es les organisateur·rices" in reply.text
    assert meeting(db).starts_at == JANUARY_14


def test_workspace_admin_may_move_the_session_and_set_the_theme(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    admin = fresh_user("ADMIN")
    fake_slack.admins.add(admin)

    moved = slack.command("session 2027-01-21 14:00", user=admin)
    themed = slack.command("theme Les communs numériques", user=admin)

    assert "Session déplacée" in moved.text
    assert "Les communs numériques" in themed.text
    assert (meeting(db).starts_at, meeting(db).theme) == (JANUARY_21, "Les communs numériques")
    assert users_info_calls(fake_slack, admin) == 1


def test_workspace_admin_answer_is_cached_between_commands(
    slack: SlackSender, fake_slack: FakeSlack
):
    schedule(slack, user="U0ORGA")
    member = fresh_user("CACHED")

    first = slack.command("session 2027-01-21 14:00", user=member)
    second = slack.command("theme Un thème", user=member)

    assert "Seul·es les organisateur·rices" in first.text
    assert "Seul·es les organisateur·rices" in second.text
    assert users_info_calls(fake_slack, member) == 1


def test_users_info_failure_refuses_rather_than_grants(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack, user="U0ORGA")
    member = fresh_user("FAIL")
    fake_slack.admins.add(member)
    fake_slack.fail("users.info", "ratelimited_forever")

    reply = slack.command("session 2027-01-21 14:00", user=member)

    assert "Seul·es les organisateur·rices" in reply.text
    assert meeting(db).starts_at == JANUARY_14
