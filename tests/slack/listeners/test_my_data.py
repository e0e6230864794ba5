"""`/partage mes-donnees` through the real server: the ephemeral listing of what the bot
stores about the caller (nothing of anyone else), then "Supprimer mes données" behind its
confirmation, which deletes or anonymises it and refreshes the upcoming session's
messages."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.engine import transaction
from bot.db.models import Contribution, Group, MeetingRole
from bot.enums import Language
from bot.slack.ids import ActionId, BlockId
from tests.support.blocks import assert_valid_message
from tests.support.contributions import contribute, schedule
from tests.support.db_faults import tables_locked
from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.living import announce, refresh, updates
from tests.support.personal_data import ALICE, BOB, seed_member_data
from tests.support.slack_client import SlackSender, message_text


def erase_button(message: dict) -> dict:
    [button] = [
        e
        for b in message["blocks"]
        if b["type"] == "actions" and b["block_id"] == BlockId.MY_DATA.value
        for e in b["elements"]
    ]
    return button


def test_my_data_lists_everything_about_the_caller_and_nothing_else(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    with transaction(db) as session:
        seed_member_data(session)

    reply = slack.command("mes-données", user=ALICE)

    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert_valid_message({"text": body["text"], "blocks": body["blocks"]})
    text = message_text(body)
    for expected in [
        "*Groupe <#C0GROUP>*",
        "• Organisateur·rice du groupe depuis le",
        "• Guide de la session du jeudi 8 octobre 2026 à 14\u00a0h (passée)",
        "• Participation annoncée à la session du jeudi 14 janvier 2027 à 14\u00a0h (à venir)",
        "Exposé «\u202fLes formulaires\u202f» (prête)",
        "Exposé «\u202f<https://example.org/expose|Mon exposé à venir>\u202f» (proposée)",
        "• Invitation agenda (.ics) reçue pour la session du jeudi 14 janvier 2027 à 14\u00a0h",
        "«\u202fThème libre\u202f» (en attente d’un sondage)",
        "«\u202fThème voté\u202f» (retenu, soumis à un sondage)",
        "affiché sur les options de sondage que vous avez proposées\u202f: «\u202fu0alice\u202f»",
        "• Vous avez ouvert le sondage du",
        "• Copie de votre vote :one: au sondage du",
        "a confié le rôle de guide à <@U0ALICE>",
        "• Nommé·e guide dans le récapitulatif de la session du jeudi 8 octobre 2026 à 14\u00a0h",
        "• Nommé·e dans le récapitulatif de la session du jeudi 8 octobre 2026 à 14\u00a0h\u202f: "
        "«\u202fLes formulaires\u202f»",
        "• Trace de 1 message(s) que le bot vous a envoyés en privé",
        "• Vos réponses au tour de table de la session du jeudi 8 octobre 2026 à 14\u00a0h "
        "(partagées avec le groupe)\u202f: humeur «\u202fContent·e\u202f»",
        "(lues par le ou la guide seulement)\u202f: besoin «\u202fUn regard sur mon formulaire "
        "Un regard…\u202f»",
        "• Vous avez proposé votre aide pour un besoin du tour de table de la session du jeudi "
        "14 janvier 2027 à 14\u00a0h",
        "*Groupe <#C0OTHER>*",
        "• Vous ne recevez plus l’invitation au tour de table de ce groupe (depuis le",
        "• Vous avez programmé la session du jeudi 14 janvier 2027 à 14\u00a0h (à venir)",
        "vos votes sont vos réactions dans Slack",
    ]:
        assert expected in text, expected
    for foreign in ["Le retour de Bob", "Le truc de Bob", "Thème de Bob", "C0ELSE", "Fatigué"]:
        assert foreign not in text
    button = erase_button(body)
    assert button["action_id"] == ActionId.MY_DATA_ERASE.value
    assert button["confirm"]["title"]["text"] == "Supprimer vos données\u202f?"
    assert button["style"] == "danger"


def test_my_data_answers_in_a_dm_and_in_english(slack: SlackSender, fake_slack: FakeSlack, db):
    with transaction(db) as session:
        seed_member_data(session)
        for group in session.scalars(select(Group).where(Group.team_id == TEAM_ID)):
            group.language = Language.EN

    in_dm = slack.command("my-data", user=ALICE, channel="D0ALICE").json()
    in_channel = slack.command("my-data", user=ALICE).json()

    assert "• Organiser of the group since" in message_text(in_channel)
    assert erase_button(in_channel)["confirm"]["title"]["text"] == "Delete your data?"
    # A DM has no group: the deployment's language, the same data.
    assert "*Groupe <#C0GROUP>*" in message_text(in_dm)
    assert "*Groupe <#C0OTHER>*" in message_text(in_dm)


def test_my_data_with_nothing_stored_says_so(slack: SlackSender, fake_slack: FakeSlack, db):
    body = slack.command("mes-donnees", user="U0NEW").json()

    assert_valid_message({"text": body["text"], "blocks": body["blocks"]})
    assert "Le bot ne garde rien sur vous dans cet espace de travail." in message_text(body)
    assert [b for b in body["blocks"] if b["type"] == "actions"] == []


def test_erase_button_deletes_and_anonymises_then_says_what_it_did(
    slack: SlackSender, fake_slack: FakeSlack, db
):
    with transaction(db) as session:
        seeded = seed_member_data(session)
    listing = slack.command("mes-donnees", user=ALICE).json()

    clicked = slack.block_action(
        ActionId.MY_DATA_ERASE,
        erase_button(listing)["value"],
        user=ALICE,
        block_id=BlockId.MY_DATA,
    )

    assert clicked.status == 200
    [answer] = fake_slack.response_posts()
    assert answer["replace_original"] is True
    assert_valid_message({"text": answer["text"], "blocks": answer["blocks"]})
    text = message_text(answer)
    assert (
        "*Supprimé*\u202f: rôle d’organisateur·rice (1), rôles dans des sessions (1), "
        "contributions (1), invitations agenda (1), thèmes proposés (1), copies de votes (1)"
    ) in text
    assert (
        "*Anonymisé* (remplacé par un pseudonyme)\u202f: rôles dans des sessions (1), "
        "contributions (1), sessions programmées (1), thèmes proposés (1), sondages ouverts "
        "(1), lignes du journal (1), récapitulatifs (1), traces de messages envoyés (1)"
    ) in text
    with db() as session:
        authors = set(session.scalars(select(Contribution.author_user_id)))
        left = slack.command("mes-donnees", user=ALICE).json()
    assert ALICE not in authors and BOB in authors
    assert "Le bot ne garde rien sur vous" in message_text(left)
    # Bob still sees his own.
    assert "Le truc de Bob" in slack.command("mes-donnees", user=BOB).text
    with db() as session:
        upcoming_authors = set(
            session.scalars(
                select(Contribution.author_user_id).where(
                    Contribution.meeting_id == seeded.upcoming_id
                )
            )
        )
    assert upcoming_authors == {BOB}


def test_erase_withdraws_from_the_upcoming_session_and_refreshes_its_messages(
    slack: SlackSender, fake_slack: FakeSlack, db, *, bot_server, clock
):
    schedule(slack)
    slack.command("guide", user=ALICE)
    contribute(slack, fake_slack, user=ALICE, title="Mon exposé")
    contribute(slack, fake_slack, user=BOB, title="L'exposé de Bob")
    refresh(bot_server, clock)
    announce(bot_server, clock)
    fake_slack.reset()

    slack.block_action(ActionId.MY_DATA_ERASE, "erase", user=ALICE, block_id=BlockId.MY_DATA)
    refresh(bot_server, clock)

    [announcement] = [u for u in updates(fake_slack) if u["channel"] == "C0GROUP"]
    text = message_text(announcement)
    assert "Mon exposé" not in text
    assert "L'exposé de Bob" in text
    assert "<@U0ALICE>" not in text
    with db() as session:
        assert list(session.scalars(select(MeetingRole.user_id))) == []


def test_erase_while_the_database_fails_apologises_and_changes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, db, engine
):
    with transaction(db) as session:
        seed_member_data(session)
    listing = slack.command("mes-donnees", user=ALICE).json()
    fake_slack.reset()

    with tables_locked(engine):
        reply = slack.block_action(
            ActionId.MY_DATA_ERASE, "erase", user=ALICE, block_id=BlockId.MY_DATA
        )

    assert (reply.status, reply.body) == (200, "")
    [apology] = fake_slack.response_posts()
    assert "rien n’a été enregistré" in apology["text"]
    assert message_text(slack.command("mes-donnees", user=ALICE).json()) == message_text(listing)
