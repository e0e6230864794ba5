"""What the bot stores about a member, and its erasure, on real databases: every table
holding user ids is covered, the erasure follows the README's rule per table, touches
nobody else's data, and a failure leaves the database as it was."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import String, Text, select

from bot.db.base import Base
from bot.db.engine import transaction
from bot.db.models import (
    AuditEntry,
    CalendarInvite,
    Contribution,
    Delivery,
    DeliveryMessage,
    Meeting,
    MeetingRole,
    Organiser,
    Poll,
    PollVote,
    SessionRecap,
    ThemeProposal,
    TourAnswer,
    TourHelpOffer,
    TourOptOut,
)
from bot.domain.personal_data import (
    NOT_MEMBER_IDS,
    SECTIONS,
    Member,
    Section,
    describe_member,
    erase_member,
)
from bot.domain.pseudonyms import is_pseudonym, new_pseudonym
from bot.enums import RoleKind
from bot.slack.text import mention
from tests.support.fake_slack import TEAM_ID
from tests.support.personal_data import ALICE, BOB, NOW, seed_member_data

PSEUDONYM = "anonyme-0123456789ab"
ALICE_HERE = Member(TEAM_ID, ALICE)


def _holds_user_ids(table: str, column: str) -> bool:
    """Columns that hold a member's id by their name; free-form columns that embed one
    (JSON copies, the outbox's payloads and keys) are declared by their sections."""
    return column.endswith(("user_id", "_by", "_by_name")) or column == "recipient"


def test_every_column_holding_a_user_id_is_covered_by_a_section():
    covered = set().union(*(s.columns for s in SECTIONS)) | set(NOT_MEMBER_IDS)
    columns = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | Text)
    }
    holding = {c for c in columns if _holds_user_ids(*c.split("."))}

    assert holding - covered == set()
    # And nothing claimed is stale.
    assert covered - columns == set()


def test_describe_lists_each_kind_of_data_of_the_member_only(db):
    with transaction(db) as session:
        seeded = seed_member_data(session)

        entries = describe_member(session, member=ALICE_HERE)

    keys = sorted({e.key for e in entries})
    assert keys == sorted(
        [
            "organiser",
            "role.guide",
            "role.participant",
            "contribution",
            "created",
            "invite",
            "proposal",
            "proposal.polled",
            "proposal.name",
            "poll_opened",
            "vote",
            "audit",
            "recap.guide",
            "recap.contribution",
            "outbox",
            "tour.answer",
            "tour.help_offer",
            "tour.opt_out",
        ]
    )
    answers = [(e.param("feeling"), e.param("needs")) for e in entries if e.key == "tour.answer"]
    # Quoted, not copied whole: 40 characters at most.
    assert answers == [("Content·e", ""), ("", "Un regard sur mon formulaire Un regard…")]
    assert [e.param("shared") for e in entries if e.key == "tour.answer"] == [True, False]
    titles = [e.param("title") for e in entries if e.key == "contribution"]
    assert titles == ["Les formulaires", "Mon exposé à venir"]
    texts = [e.param("text") for e in entries if e.key in ("proposal", "proposal.polled")]
    assert [e.param("name") for e in entries if e.key == "proposal.name"] == ["u0alice"]
    assert texts == ["Thème libre", "Thème voté"]
    assert [e.param("count") for e in entries if e.key == "outbox"] == [1]
    # Nothing from the other workspace.
    assert seeded.elsewhere_group_id not in {e.group_id for e in entries}


def _state(db) -> dict[str, object]:
    """Every row that names a member, as comparable tuples."""
    with db() as session:
        return {
            "organisers": sorted(
                (o.group_id, o.user_id) for o in session.scalars(select(Organiser))
            ),
            "roles": sorted(
                (r.meeting_id, r.user_id, r.role.value)
                for r in session.scalars(select(MeetingRole))
            ),
            "contributions": sorted(
                (c.meeting_id, c.author_user_id, c.title)
                for c in session.scalars(select(Contribution))
            ),
            "created": sorted((m.id, m.created_by) for m in session.scalars(select(Meeting))),
            "invites": sorted(i.user_id for i in session.scalars(select(CalendarInvite))),
            "proposals": sorted(
                (p.text, p.proposed_by, p.proposed_by_name)
                for p in session.scalars(select(ThemeProposal))
            ),
            "polls": [p.opened_by for p in session.scalars(select(Poll))],
            "votes": sorted(v.user_id for v in session.scalars(select(PollVote))),
            "audit": [
                (a.actor_user_id, a.subject_user_id) for a in session.scalars(select(AuditEntry))
            ],
            "recaps": [
                (r.guide_user_id, [i["author"] for i in json.loads(r.contributions)])
                for r in session.scalars(select(SessionRecap))
            ],
            "outbox": sorted(m.recipient for m in session.scalars(select(DeliveryMessage))),
            "tour": sorted(a.user_id for a in session.scalars(select(TourAnswer))),
            "offers": sorted(o.helper_user_id for o in session.scalars(select(TourHelpOffer))),
            "opt_outs": sorted(o.user_id for o in session.scalars(select(TourOptOut))),
            "keys": sorted(d.dedup_key for d in session.scalars(select(Delivery))),
        }


def test_erase_deletes_the_future_and_anonymises_the_past(db):
    with transaction(db) as session:
        seeded = seed_member_data(session)

    with transaction(db) as session:
        outcome = erase_member(session, member=ALICE_HERE, pseudonym=PSEUDONYM, now=NOW)

    state = _state(db)
    p = PSEUDONYM
    assert outcome.deleted == {
        "organisers": 1,
        "roles": 1,
        "contributions": 1,
        "invites": 1,
        "proposals": 1,
        "votes": 1,
        "tour_answers": 2,
        "tour_help_offers": 1,
        "tour_opt_outs": 1,
    }
    assert outcome.anonymised == {
        "roles": 1,
        "contributions": 1,
        "created": 1,
        "proposals": 1,
        "polls": 1,
        "audit": 1,
        "recaps": 1,
        "outbox": 1,
    }
    # Her organiser role here is gone; the one in the other workspace stays.
    assert state["organisers"] == sorted(
        [
            (seeded.group_id, "U0ORGA"),
            (seeded.other_group_id, "U0ORGA"),
            (seeded.elsewhere_group_id, ALICE),
        ]
    )
    assert state["roles"] == sorted(
        [(seeded.held_id, p, "guide"), (seeded.held_id, BOB, RoleKind.PARTICIPANT.value)]
    )
    assert state["contributions"] == sorted(
        [
            (seeded.held_id, p, "Les formulaires"),
            (seeded.held_id, BOB, "Le retour de Bob"),
            (seeded.upcoming_id, BOB, "Le truc de Bob"),
        ]
    )
    assert [c for _m, c in state["created"] if c == ALICE] == []  # type: ignore[union-attr]
    assert state["invites"] == []
    assert state["proposals"] == sorted([("Thème de Bob", BOB, "u0bob"), ("Thème voté", p, None)])
    assert state["polls"] == [p]
    assert state["votes"] == [BOB]
    assert state["audit"] == [("U0ORGA", p)]
    assert state["recaps"] == [(p, [p, BOB])]
    assert state["outbox"] == sorted([p, BOB])
    assert (state["tour"], state["offers"], state["opt_outs"]) == ([BOB], [], [BOB])


def test_erase_leaves_another_members_data_as_it_was(db):
    with transaction(db) as session:
        seed_member_data(session)
    before = _state(db)

    with transaction(db) as session:
        erase_member(session, member=Member(TEAM_ID, "U0NOBODY"), pseudonym=PSEUDONYM, now=NOW)

    assert _state(db) == before


def test_erase_then_describe_finds_nothing_and_a_second_erase_does_nothing(db):
    with transaction(db) as session:
        seed_member_data(session)
    with transaction(db) as session:
        erase_member(session, member=ALICE_HERE, pseudonym=PSEUDONYM, now=NOW)

    with transaction(db) as session:
        left = describe_member(session, member=ALICE_HERE)
        again = erase_member(session, member=ALICE_HERE, pseudonym="anonyme-ffffffffffff", now=NOW)

    assert left == []
    assert again.anything is False


def test_a_failed_erasure_leaves_the_database_as_it_was(db):
    with transaction(db) as session:
        seed_member_data(session)
    before = _state(db)

    def explode(_session, _erasure) -> None:
        raise RuntimeError("disk full")

    failing = (*SECTIONS, Section("late", frozenset(), lambda _s, _m: [], explode))
    with pytest.raises(RuntimeError), transaction(db) as session:
        erase_member(session, member=ALICE_HERE, pseudonym=PSEUDONYM, now=NOW, sections=failing)

    assert _state(db) == before


def test_pseudonyms_are_shown_as_text_never_as_mentions():
    assert (is_pseudonym(new_pseudonym()), is_pseudonym(ALICE)) == (True, False)
    assert mention(new_pseudonym()).startswith("@anonyme-")
