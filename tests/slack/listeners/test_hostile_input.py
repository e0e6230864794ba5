"""Hostile member text through the running bot: signed requests in, what Slack is sent out.

A link that breaks out of `<url|label>` is refused on the modal, in the member's language;
a theme or a proposal made of mentions reaches the channel escaped; a payload whose user
id is not a Slack id changes nothing; a link stored before the rule renders as text.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.db.models import Contribution, Meeting, ThemeProposal
from bot.enums import ContributionKind, ContributionStatus
from bot.slack.ids import BlockId
from tests.conftest import DEFAULT_NOW
from tests.support.contributions import contribute, open_modal, schedule, submit
from tests.support.fake_slack import FakeSlack
from tests.support.living import announce, refresh, thread_replies
from tests.support.slack_client import SlackSender, message_text
from tests.support.wait import wait_for

BREAKOUT = "https://x.example/><!channel><https://evil.example"
HOSTILE_THEME = "<!channel> <@U0EVE> <https://evil.example|https://good.example> & co"
ESCAPED_THEME = (
    "&lt;!channel&gt; &lt;@U0EVE&gt; &lt;https://evil.example|https://good.example&gt; &amp; co"
)


def live_tokens(text: str) -> list[str]:
    """`<…>` tokens other than mentions of the members these tests use."""
    return [
        token
        for token in re.findall(r"<[^<>]*>", text)
        if not re.fullmatch(r"<@U0(ORGA|ALICE|BOB)>|<#C0GROUP>", token)
    ]


def test_submission_with_a_link_breaking_out_is_refused_saying_what_is_accepted(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    fake_slack.reset()

    reply = contribute(slack, fake_slack, user="U0ALICE", link=BREAKOUT)

    assert reply.status == 200
    assert reply.json()["response_action"] == "errors"
    assert reply.json()["errors"] == {
        BlockId.CONTRIBUTION_LINK.value: (
            "Le lien doit être une adresse web complète, qui commence par http:// ou "
            "https:// suivi d’un nom de domaine, sans espace ni caractère <, > ou |, "
            "par exemple https://exemple.fr/support. Laissez le champ vide s’il n’y a pas "
            "de lien."
        )
    }
    with db() as session:
        assert session.scalars(select(Contribution)).all() == []
    assert fake_slack.posts() == []


def test_submission_with_hostile_title_and_guest_tells_the_channel_escaped(
    slack: SlackSender, fake_slack: FakeSlack, bot_server, clock
):
    schedule(slack)
    announce(bot_server, clock)
    fake_slack.reset()

    reply = contribute(
        slack,
        fake_slack,
        user="U0ALICE",
        kind="guest",
        title="<!here> Sujet",
        guest="<@U0EVE>",
        affiliation="<!channel>",
        link="https://exemple.fr/support",
    )

    assert (reply.status, reply.body) == (200, "")
    refresh(bot_server, clock)
    [notice] = thread_replies(fake_slack)
    assert (
        "invite &lt;@U0EVE&gt; (&lt;!channel&gt;) à la session" in notice["text"]
        and "«\u202f&lt;!here&gt; Sujet\u202f»" in notice["text"]
    )
    assert live_tokens(message_text(notice)) == []


def test_command_theme_with_mentions_and_links_is_escaped_in_reply_and_notice(
    slack: SlackSender, fake_slack: FakeSlack, bot_server, clock
):
    schedule(slack)
    announce(bot_server, clock)
    fake_slack.reset()

    reply = slack.command(f"theme {HOSTILE_THEME}", user="U0ORGA")
    refresh(bot_server, clock)

    assert f"*{ESCAPED_THEME}*" in reply.text
    assert live_tokens(reply.text) == []
    [notice] = thread_replies(fake_slack)
    assert notice["text"] == (
        f"<@U0ORGA> a fixé le thème de la prochaine session\u202f: *{ESCAPED_THEME}*."
    )
    assert live_tokens(message_text(notice)) == []
    programme = slack.command("programme", user="U0BOB")
    assert f"*Thème\u202f:* {ESCAPED_THEME}" in programme.text
    assert live_tokens(programme.text) == []


def test_command_propose_with_mentions_is_escaped_in_reply_and_notice(
    slack: SlackSender, fake_slack: FakeSlack, bot_server, clock
):
    schedule(slack)
    announce(bot_server, clock)
    fake_slack.reset()

    reply = slack.command("proposer <!everyone> <!subteam^S0123>", user="U0BOB")
    refresh(bot_server, clock)

    assert "&lt;!everyone&gt; &lt;!subteam^S0123&gt;" in reply.text
    assert live_tokens(reply.text) == []
    [notice] = thread_replies(fake_slack)
    assert "*&lt;!everyone&gt; &lt;!subteam^S0123&gt;*" in notice["text"]
    assert live_tokens(message_text(notice)) == []


def test_unknown_subcommand_echoes_the_word_escaped(slack: SlackSender):
    reply = slack.command("<!channel>", user="U0BOB")

    assert "&lt;!channel&gt;" in reply.text
    assert live_tokens(reply.text) == []


def test_command_from_a_crafted_user_id_is_refused_and_changes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    reply = slack.command("session 2027-01-14 14:00", user="U0EVE|<!channel>")

    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral"
    assert reply.json()["text"] == (
        "Slack a envoyé cette demande avec un identifiant de membre que je ne reconnais "
        "pas\u202f: je n’ai rien fait. Réessayez\u202f; si cela se reproduit, prévenez la "
        "personne qui administre le bot."
    )
    with db() as session:
        assert session.scalars(select(Meeting)).all() == []
    assert fake_slack.posts() == []


def test_submission_from_a_crafted_user_id_gets_errors_and_stores_nothing(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    fake_slack.reset()
    opened = open_modal(slack, fake_slack, "U0ALICE")

    reply = submit(slack, opened, user="U0ALICE><!channel")

    # Errors on the form: an empty answer would close it as if it had been saved.
    assert reply.status == 200
    assert reply.json()["response_action"] == "errors"
    assert list(reply.json()["errors"]) == ["partage_contribution_kind_block"]
    with db() as session:
        assert session.scalars(select(Contribution)).all() == []
    assert fake_slack.posts() == []


def test_programme_shows_a_link_stored_before_the_rule_as_text(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    with db() as session:
        meeting = session.scalars(select(Meeting)).one()
        session.add(
            Contribution(
                meeting_id=meeting.id,
                author_user_id="U0ALICE",
                kind=ContributionKind.TALK,
                title="Ancien sujet",
                description="",
                duration_minutes=10,
                link=BREAKOUT,
                guest_name=None,
                status=ContributionStatus.PROPOSED,
                created_at=DEFAULT_NOW,
                updated_at=DEFAULT_NOW,
            )
        )
        session.commit()

    reply = slack.command("programme", user="U0BOB")

    assert (
        "Ancien sujet (https://x.example/&gt;&lt;!channel&gt;&lt;https://evil.example)"
        in reply.text
    )
    assert live_tokens(reply.text) == []


def test_stored_proposals_reach_the_poll_fallback_escaped(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    schedule(slack)
    slack.command("proposer <!everyone> vient", user="U0BOB")
    slack.command("proposer <@U0EVE> aussi", user="U0ALICE")
    fake_slack.reset()

    slack.command("sondage", user="U0ORGA")

    poll = wait_for(fake_slack.posts)[0]
    assert poll["text"].splitlines()[1:] == [
        ":one: &lt;!everyone&gt; vient",
        ":two: &lt;@U0EVE&gt; aussi",
    ]
    assert live_tokens(message_text(poll)) == []
    with db() as session:
        assert sorted(session.scalars(select(ThemeProposal.text))) == [
            "<!everyone> vient",
            "<@U0EVE> aussi",
        ]


@pytest.mark.parametrize(
    "command",
    ["session <!channel> 14:00", "retirer <!channel>"],
)
def test_refusals_that_echo_what_was_typed_echo_it_escaped(
    slack: SlackSender, fake_slack: FakeSlack, command
):
    schedule(slack)
    fake_slack.reset()

    reply = slack.command(command, user="U0ORGA")

    assert reply.status == 200
    assert "&lt;!" in reply.text
    assert live_tokens(reply.text) == []
    assert fake_slack.posts() == []


def test_a_duplicate_proposal_is_refused_echoing_it_escaped(
    slack: SlackSender, fake_slack: FakeSlack
):
    schedule(slack)
    slack.command("proposer <!here> encore", user="U0ALICE")
    fake_slack.reset()

    reply = slack.command("proposer <!here> encore", user="U0BOB")

    assert "«\u202f&lt;!here&gt; encore\u202f» est déjà proposé (par <@U0ALICE>)" in reply.text
    assert live_tokens(reply.text) == []
    assert fake_slack.posts() == []
