"""Contribution rules: validation (pure), create-or-edit, ready, budget (real databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.models import Contribution, Meeting
from bot.domain.contributions import (
    ContributionInput,
    Field,
    FieldError,
    InvalidContribution,
    budget_used,
    mark_ready,
    submit_contribution,
)
from bot.domain.errors import DomainError
from bot.domain.roles import SessionGone, claim_guide
from bot.enums import ContributionKind, ContributionStatus, MeetingStatus
from tests.support import factories

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
VALID = ContributionInput(kind="talk", title="Le design des politiques", duration="10")


def make_meeting(session, *, status=MeetingStatus.SCHEDULED, channel="C0GROUP") -> Meeting:
    group = factories.make_group(session, channel=channel, now=NOW)
    return factories.make_meeting(session, group, now=NOW, status=status)


# --- validation (pure) --------------------------------------------------------------------


def test_validate_minimal_input_has_no_errors():
    assert VALID.validate() == {}


def test_clean_trims_and_types_values():
    data = ContributionInput(
        kind="guest",
        title="  Un invité  ",
        description="  Une ligne\nDeux lignes  ",
        duration=" 15 ",
        link=" https://exemple.fr/support ",
        guest_name="  Camille Dupont ",
    ).clean()

    assert (data.kind, data.title, data.description) == (
        ContributionKind.GUEST,
        "Un invité",
        "Une ligne\nDeux lignes",
    )
    assert (data.duration_minutes, data.link, data.guest_name) == (
        15,
        "https://exemple.fr/support",
        "Camille Dupont",
    )


def test_clean_drops_guest_name_when_kind_is_not_guest():
    data = ContributionInput(kind="demo", title="Démo", duration="5", guest_name="X").clean()

    assert data.guest_name is None


def test_clean_keeps_the_guest_affiliation_apart_from_the_title():
    data = ContributionInput(
        kind="guest",
        title="L'accessibilité vue par une usagère",
        duration="12",
        guest_name=" Marie Dupont ",
        guest_affiliation="  APF France handicap ",
    ).clean()

    assert (data.title, data.guest_name, data.guest_affiliation) == (
        "L'accessibilité vue par une usagère",
        "Marie Dupont",
        "APF France handicap",
    )


def test_clean_guest_without_affiliation_stores_none():
    data = ContributionInput(kind="guest", title="T", duration="5", guest_name="Marie").clean()

    assert data.guest_affiliation is None


def test_clean_drops_guest_affiliation_when_kind_is_not_guest():
    data = ContributionInput(
        kind="talk", title="T", duration="5", guest_name="X", guest_affiliation="Y"
    ).clean()

    assert (data.guest_name, data.guest_affiliation) == (None, None)


def test_validate_guest_affiliation_over_150_characters_is_refused():
    errors = ContributionInput(
        kind="guest", title="T", duration="5", guest_name="Marie", guest_affiliation="a" * 151
    ).validate()

    assert errors == {
        Field.GUEST_AFFILIATION: FieldError(
            "contribution.error.affiliation_length", {"length": 151}
        )
    }


def test_submit_contribution_stores_the_guest_and_the_groups_budget(db):
    guest = ContributionInput(
        kind="guest",
        title="Vue d'usagère",
        duration="12",
        guest_name="Marie Dupont",
        guest_affiliation="APF France handicap",
    )
    with db.begin() as session:
        meeting = make_meeting(session)
        meeting.group.presentation_minutes = 10
        result = submit_contribution(
            session, meeting_id=meeting.id, user_id="U0INES", data=guest, now=NOW
        )

    assert (result.budget, result.over_budget) == (10, 2)
    with db() as session:
        stored = session.scalars(select(Contribution)).one()
        assert (stored.title, stored.guest_name, stored.guest_affiliation) == (
            "Vue d'usagère",
            "Marie Dupont",
            "APF France handicap",
        )


def test_clean_empty_link_is_none():
    assert ContributionInput(kind="talk", title="T", duration="5", link="  ").clean().link is None


@pytest.mark.parametrize("kind", [None, "", "keynote", "TALK"])
def test_validate_kind_outside_the_four_kinds_is_refused(kind):
    errors = ContributionInput(kind=kind, title="T", duration="5").validate()

    assert errors == {Field.KIND: FieldError("contribution.error.kind")}


@pytest.mark.parametrize(
    ("title", "length"), [(None, 0), ("", 0), ("    ", 0), ("x" * 151, 151), (" " + "y" * 151, 151)]
)
def test_validate_title_outside_1_to_150_after_trimming_is_refused(title, length):
    errors = ContributionInput(kind="talk", title=title, duration="5").validate()

    assert errors == {Field.TITLE: FieldError("contribution.error.title", {"length": length})}


@pytest.mark.parametrize("title", ["x", "x" * 150, "  " + "z" * 150 + "  "])
def test_validate_title_of_1_to_150_after_trimming_is_accepted(title):
    assert ContributionInput(kind="talk", title=title, duration="5").validate() == {}


@pytest.mark.parametrize("duration", [None, "", "0", "31", "-5", "12.5", "10 min", "dix", "1e1"])
def test_validate_duration_not_a_whole_number_1_to_30_is_refused(duration):
    errors = ContributionInput(kind="talk", title="T", duration=duration).validate()

    assert errors == {Field.DURATION: FieldError("contribution.error.duration")}


@pytest.mark.parametrize("duration", ["1", "30", " 7 ", "07"])
def test_validate_duration_whole_number_1_to_30_is_accepted(duration):
    assert ContributionInput(kind="talk", title="T", duration=duration).validate() == {}


@pytest.mark.parametrize(
    "link",
    [
        "ftp://exemple.fr/f",
        "javascript:alert(1)",
        "exemple.fr/support",
        "https://",
        "http://exemple .fr",
        "mailto:a@b.fr",
        "https://[::1",
    ],
)
def test_validate_link_other_than_http_or_https_is_refused(link):
    errors = ContributionInput(kind="talk", title="T", duration="5", link=link).validate()

    assert errors == {Field.LINK: FieldError("contribution.error.link")}


@pytest.mark.parametrize(
    "link",
    [
        "https://x.example/><!channel><https://evil.example",
        "https://evil.example|https://good.example",
        "https://good.example/<@U0ALICE>",
        "https://good.example/a>b",
        "https://good.example/\tb",
        "https://good.example/a\nb",
        "https://good.example/\u202egnp.exe",
        "https://good\u200b.example/",
        "https://good.example/\ufeff",
        "https://good.example/\x00",
        "https://good.example/a\u00a0b",
        'https://good.example/"onclick',
    ],
)
def test_validate_link_with_markup_whitespace_or_invisible_characters_is_refused(link):
    errors = ContributionInput(kind="talk", title="T", duration="5", link=link).validate()

    assert errors == {Field.LINK: FieldError("contribution.error.link")}


@pytest.mark.parametrize(
    "link",
    [
        "http://exemple.fr",
        "HTTPS://Exemple.fr/a?b=c#d",
        "https://exemple.fr/a?x=1&y=2",
        "https://exemple.fr/%3C!channel%3E",
        "https://はじめよう.みんな/😀",
    ],
)
def test_validate_http_and_https_links_are_accepted(link):
    assert ContributionInput(kind="talk", title="T", duration="5", link=link).validate() == {}


def test_validate_link_over_2000_characters_is_refused():
    link = "https://exemple.fr/" + "a" * 1990
    errors = ContributionInput(kind="talk", title="T", duration="5", link=link).validate()

    assert errors == {Field.LINK: FieldError("contribution.error.link_length")}


@pytest.mark.parametrize("guest", [None, "", "   "])
def test_validate_guest_kind_without_guest_name_is_refused(guest):
    errors = ContributionInput(kind="guest", title="T", duration="5", guest_name=guest).validate()

    assert errors == {Field.GUEST_NAME: FieldError("contribution.error.guest_required")}


def test_validate_guest_name_over_150_characters_is_refused():
    errors = ContributionInput(
        kind="guest", title="T", duration="5", guest_name="g" * 151
    ).validate()

    assert errors == {
        Field.GUEST_NAME: FieldError("contribution.error.guest_length", {"length": 151})
    }


def test_validate_description_over_3000_characters_is_refused():
    errors = ContributionInput(
        kind="talk", title="T", duration="5", description="d" * 3001
    ).validate()

    assert errors == {
        Field.DESCRIPTION: FieldError("contribution.error.description", {"length": 3001})
    }


def test_validate_description_of_3000_characters_is_accepted():
    data = ContributionInput(kind="talk", title="T", duration="5", description="d" * 3000)

    assert data.validate() == {}


def test_validate_reports_every_broken_rule_at_once():
    errors = ContributionInput(kind="guest", title=" ", duration="45", link="ftp://x").validate()

    assert set(errors) == {Field.TITLE, Field.DURATION, Field.LINK, Field.GUEST_NAME}


def test_clean_invalid_input_raises_with_the_errors():
    with pytest.raises(InvalidContribution) as raised:
        ContributionInput(kind="talk", title="", duration="5").clean()

    assert set(raised.value.errors) == {Field.TITLE}


# --- storing (SQLite and PostgreSQL) --------------------------------------------------------


def test_submit_contribution_creates_a_proposed_contribution(db):
    with db.begin() as session:
        meeting = make_meeting(session)
        result = submit_contribution(
            session, meeting_id=meeting.id, user_id="U0ALICE", data=VALID, now=NOW
        )

    assert (result.created, result.budget_used, result.over_budget) == (True, 10, 0)
    with db() as session:
        stored = session.scalars(select(Contribution)).one()
        assert (stored.author_user_id, stored.kind, stored.status) == (
            "U0ALICE",
            ContributionKind.TALK,
            ContributionStatus.PROPOSED,
        )
        assert (stored.title, stored.duration_minutes, stored.created_at) == (
            "Le design des politiques",
            10,
            NOW,
        )


def test_submit_contribution_again_edits_and_keeps_created_at(db):
    later = NOW + timedelta(hours=2)
    with db.begin() as session:
        meeting = make_meeting(session)
        submit_contribution(session, meeting_id=meeting.id, user_id="U0ALICE", data=VALID, now=NOW)
        result = submit_contribution(
            session,
            meeting_id=meeting.id,
            user_id="U0ALICE",
            data=ContributionInput(kind="demo", title="Autre titre", duration="20"),
            now=later,
        )

    assert result.created is False
    with db() as session:
        stored = session.scalars(select(Contribution)).one()
        assert (stored.kind, stored.title, stored.duration_minutes) == (
            ContributionKind.DEMO,
            "Autre titre",
            20,
        )
        assert (stored.created_at, stored.updated_at) == (NOW, later)


def test_submit_contribution_after_withdrawal_creates_a_new_one(db):
    with db.begin() as session:
        meeting = make_meeting(session)
        first = submit_contribution(
            session, meeting_id=meeting.id, user_id="U0ALICE", data=VALID, now=NOW
        ).contribution
        first.status = ContributionStatus.WITHDRAWN
        session.flush()
        result = submit_contribution(
            session, meeting_id=meeting.id, user_id="U0ALICE", data=VALID, now=NOW
        )

    assert result.created is True
    with db() as session:
        assert len(session.scalars(select(Contribution)).all()) == 2


def test_submit_contribution_sums_active_durations_and_names_the_guide(db):
    with db.begin() as session:
        meeting = make_meeting(session)
        claim_guide(session, meeting=meeting, user_id="U0GUIDE", now=NOW)
        submit_contribution(
            session,
            meeting_id=meeting.id,
            user_id="U0BOB",
            data=ContributionInput(kind="talk", title="A", duration="25"),
            now=NOW,
        )
        result = submit_contribution(
            session, meeting_id=meeting.id, user_id="U0ALICE", data=VALID, now=NOW
        )

    assert (result.budget_used, result.over_budget, result.guide_user_id) == (35, 5, "U0GUIDE")


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.CANCELLED])
def test_submit_contribution_to_a_session_no_longer_scheduled_is_refused(db, status):
    with db.begin() as session:
        meeting_id = make_meeting(session, status=status).id

    with db.begin() as session, pytest.raises(SessionGone):
        submit_contribution(session, meeting_id=meeting_id, user_id="U0ALICE", data=VALID, now=NOW)


def test_submit_contribution_to_a_deleted_session_is_refused(db):
    with db.begin() as session, pytest.raises(SessionGone):
        submit_contribution(session, meeting_id=999, user_id="U0ALICE", data=VALID, now=NOW)


def test_submit_contribution_invalid_stores_nothing(db):
    with db.begin() as session:
        meeting_id = make_meeting(session).id

    with db.begin() as session, pytest.raises(InvalidContribution):
        submit_contribution(
            session,
            meeting_id=meeting_id,
            user_id="U0ALICE",
            data=ContributionInput(kind="talk", title="T", duration="45"),
            now=NOW,
        )

    with db() as session:
        assert session.scalars(select(Contribution)).all() == []


def test_mark_ready_sets_status_and_time(db):
    later = NOW + timedelta(days=3)
    with db.begin() as session:
        meeting = make_meeting(session)
        submit_contribution(session, meeting_id=meeting.id, user_id="U0ALICE", data=VALID, now=NOW)
        result = mark_ready(session, meeting=meeting, user_id="U0ALICE", now=later)
        again = mark_ready(session, meeting=meeting, user_id="U0ALICE", now=later)

    assert (result.already, again.already) == (False, True)
    with db() as session:
        stored = session.scalars(select(Contribution)).one()
        assert (stored.status, stored.ready_at) == (ContributionStatus.READY, later)


def test_mark_ready_without_contribution_is_refused(db):
    with db.begin() as session:
        meeting = make_meeting(session)

        with pytest.raises(DomainError) as raised:
            mark_ready(session, meeting=meeting, user_id="U0ALICE", now=NOW)

    assert raised.value.key == "ready.error.none"


def test_budget_used_ignores_withdrawn_contributions(db):
    with db.begin() as session:
        meeting = make_meeting(session)
        withdrawn = submit_contribution(
            session, meeting_id=meeting.id, user_id="U0BOB", data=VALID, now=NOW
        ).contribution
        withdrawn.status = ContributionStatus.WITHDRAWN
        submit_contribution(
            session,
            meeting_id=meeting.id,
            user_id="U0ALICE",
            data=ContributionInput(kind="talk", title="T", duration="7"),
            now=NOW,
        )

        assert budget_used(session, meeting_id=meeting.id) == 7
