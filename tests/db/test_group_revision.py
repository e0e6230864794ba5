"""`groups.revision` moves with every write to what `programme` shows, whoever writes.

The tables are read from the programme's own query, so a table added to it fails here
until it has a row below and the migration's triggers cover it; and every write is a
plain Core statement on a connection of its own, as another process or an operator's
SQL would make it, with no ORM hook that could help.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, Table, delete, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.util import find_tables

from bot.db.engine import make_engine, read_connection, transaction
from bot.db.models import Contribution, Group, Meeting, MeetingRole
from bot.domain.programme import _CHANNEL_PROGRAMME, channel_programme, channel_version
from bot.enums import ContributionKind, ContributionStatus, MeetingStatus, RoleKind
from tests.support.factories import BEFORE, CHANNEL, SESSION_START, make_group, make_meeting
from tests.support.fake_slack import TEAM_ID

# A new row for each table the programme reads, given the group and its meeting.
NewRow = Callable[[int, int], dict[str, Any]]
NEW_ROWS: dict[str, NewRow] = {
    "groups": lambda _group, _meeting: {
        "team_id": TEAM_ID,
        "channel_id": "C0OTHER",
        "created_at": BEFORE,
    },
    "meetings": lambda group, _meeting: {
        "group_id": group,
        "starts_at": SESSION_START - timedelta(days=35),
        "status": MeetingStatus.HELD,
        "created_by": "U0ORGA",
        "created_at": BEFORE,
        "updated_at": BEFORE,
    },
    "meeting_roles": lambda _group, meeting: {
        "meeting_id": meeting,
        "user_id": "U0PART",
        "role": RoleKind.PARTICIPANT,
        "created_at": BEFORE,
    },
    "contributions": lambda _group, meeting: {
        "meeting_id": meeting,
        "author_user_id": "U0CONTRIB",
        "kind": ContributionKind.TALK,
        "title": "Un exposé",
        "description": "",
        "duration_minutes": 8,
        "status": ContributionStatus.PROPOSED,
        "created_at": BEFORE,
        "updated_at": BEFORE,
    },
}


def programme_tables() -> dict[str, Table]:
    """Every table `channel_programme` reads, its scalar subqueries included."""
    found = find_tables(_CHANNEL_PROGRAMME, check_columns=True, include_crud=False)
    return {table.name: table for table in found if isinstance(table, Table)}


def revision(connection: Connection, group_id: int) -> int:
    return connection.execute(select(Group.revision).where(Group.id == group_id)).scalar_one()


@pytest.fixture
def seeded(db: sessionmaker[Session]) -> tuple[int, int]:
    with transaction(db) as session:
        meeting = make_meeting(session, make_group(session), guide="U0GUIDE")
        return meeting.group_id, meeting.id


def write_and_read(engine: Engine, group_id: int, statement: Any) -> tuple[int, int]:
    """The revision before and after `statement`, committed on its own connection."""
    with engine.connect() as connection:
        before = revision(connection, group_id)
    with engine.begin() as connection:
        connection.execute(statement)
    with engine.connect() as connection:
        return before, revision(connection, group_id)


def test_group_revision_covers_every_table_the_programme_reads():
    assert set(programme_tables()) == set(NEW_ROWS)


# A new group has a revision of its own (see the random start test).
@pytest.mark.parametrize("table_name", sorted(set(NEW_ROWS) - {"groups"}))
def test_group_revision_moves_on_insert(engine: Engine, seeded: tuple[int, int], table_name):
    group_id, meeting_id = seeded
    table = programme_tables()[table_name]

    before, after = write_and_read(
        engine, group_id, insert(table).values(**NEW_ROWS[table_name](group_id, meeting_id))
    )

    assert after != before


@pytest.mark.parametrize("table_name", sorted(NEW_ROWS))
def test_group_revision_moves_on_update(engine: Engine, seeded: tuple[int, int], table_name):
    group_id, meeting_id = seeded
    table = programme_tables()[table_name]
    with engine.begin() as connection:
        row_id = connection.execute(
            insert(table).values(**NEW_ROWS[table_name](group_id, meeting_id)).returning(table.c.id)
        ).scalar_one()
    owner = row_id if table_name == "groups" else group_id

    # Touching a row, even without changing a value, is a change as far as readers know.
    before, after = write_and_read(
        engine, owner, update(table).where(table.c.id == row_id).values(id=table.c.id)
    )

    assert after != before


@pytest.mark.parametrize("table_name", sorted(set(NEW_ROWS) - {"groups"}))
def test_group_revision_moves_on_delete(engine: Engine, seeded: tuple[int, int], table_name):
    group_id, meeting_id = seeded
    table = programme_tables()[table_name]
    with engine.begin() as connection:
        row_id = connection.execute(
            insert(table).values(**NEW_ROWS[table_name](group_id, meeting_id)).returning(table.c.id)
        ).scalar_one()

    before, after = write_and_read(engine, group_id, delete(table).where(table.c.id == row_id))

    assert after != before


def test_group_revision_moves_when_a_meeting_moves_to_another_group(
    engine: Engine, db: sessionmaker[Session], seeded: tuple[int, int]
):
    group_id, meeting_id = seeded
    with transaction(db) as session:
        other = make_group(session, channel="C0OTHER").id
    with engine.connect() as connection:
        before = {g: revision(connection, g) for g in (group_id, other)}

    with engine.begin() as connection:
        connection.execute(update(Meeting).where(Meeting.id == meeting_id).values(group_id=other))

    with engine.connect() as connection:
        after = {g: revision(connection, g) for g in (group_id, other)}
    assert [after[g] != before[g] for g in (group_id, other)] == [True, True]


def test_group_revision_of_other_groups_stays(engine: Engine, db: sessionmaker[Session], seeded):
    group_id, meeting_id = seeded
    with transaction(db) as session:
        other = make_group(session, channel="C0OTHER").id

    before, after = write_and_read(
        engine,
        other,
        insert(Contribution).values(**NEW_ROWS["contributions"](group_id, meeting_id)),
    )

    assert after == before


def test_group_revision_starts_at_a_random_point(db: sessionmaker[Session]):
    """A group deleted and created again in the same channel (same id on SQLite) must not
    take up the old group's revisions, or a reply cached for it would be reused."""
    revisions = set()
    for _ in range(3):
        with transaction(db) as session:
            make_group(session)
        with transaction(db) as session:
            revisions.add(session.scalars(select(Group.revision)).one())
            session.execute(delete(Group))

    assert len(revisions) == 3


def test_group_revision_of_the_read_is_the_one_read(db: sessionmaker[Session], seeded):
    group_id, _meeting_id = seeded

    with read_connection(db) as connection:
        found = channel_programme(connection, team_id=TEAM_ID, channel_id=CHANNEL)
    version = channel_version(db, team_id=TEAM_ID, channel_id=CHANNEL)

    assert found is not None
    assert found.version == version
    assert version is not None and version.group_id == group_id


def test_group_revision_moves_for_an_orm_flush_too(db: sessionmaker[Session], seeded):
    group_id, meeting_id = seeded
    with read_connection(db) as connection:
        before = revision(connection, group_id)

    with transaction(db) as session:
        session.add(
            MeetingRole(
                meeting_id=meeting_id, user_id="U0ORM", role=RoleKind.PARTICIPANT, created_at=BEFORE
            )
        )

    with read_connection(db) as connection:
        assert revision(connection, group_id) != before


def test_group_revision_seen_by_another_engine(database_url: str, db, seeded):
    """Another process sharing the database: its own engine, its own pool."""
    group_id, meeting_id = seeded
    other_process = make_engine(database_url)
    try:
        before, after = write_and_read(
            other_process,
            group_id,
            insert(Contribution).values(**NEW_ROWS["contributions"](group_id, meeting_id)),
        )
    finally:
        other_process.dispose()
    with read_connection(db) as connection:
        assert revision(connection, group_id) == after != before


def test_group_revision_triggers_exist_after_migrations(engine: Engine):
    """A later SQLite table rebuild (`batch_alter_table`) would drop them silently."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            query = "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'trg_%_revision%'"
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        names = set(connection.execute(text(query)).scalars())

    covered = {
        table for table in NEW_ROWS if any(name.startswith(f"trg_{table}_") for name in names)
    }
    assert covered == set(NEW_ROWS)
