"""group revision: a version of everything `programme` shows, moved by the database

Revision ID: f3a4b5c6d7e8
Revises: d1e2f3a4b5c6
Create Date: 2026-12-01 22:40:00.000000

`groups.revision` changes in the same transaction as any insert, update or delete of the
group's row, its meetings, their roles and their contributions, whoever writes: ORM
flushes, Core `update()`/`delete()` statements, another process, an operator's SQL. The
triggers do it, not the code, so no writer can forget. `/partage programme` reads this
one indexed value and reuses the reply built for it while it has not moved.

A new group starts at a random revision, not 0: a group deleted and created again in
the same channel (SQLite reuses the largest rowid, and so may the id) must never match a
reply cached for the old one.

On PostgreSQL the bumps of child rows are deferred to the commit, so the lock they take
on the group's row is always a transaction's last one (no new lock-order deadlock
between two writers of the same group). On SQLite every writer holds the database lock
(`BEGIN IMMEDIATE`) already. A later migration rebuilding one of these tables with
`batch_alter_table` on SQLite drops its triggers: recreate them with `create_triggers`
(tests/db/test_group_revision.py fails otherwise).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f3a4b5c6d7e8"
down_revision: str | None = "d1e2f3a4b5c6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Random starting points below 2**52: far from any overflow however many bumps follow.
_RANDOM_START_SQLITE = "abs(random() % 4503599627370496)"
_RANDOM_START_POSTGRES = "floor(random() * 4503599627370496)::bigint"

# The tables whose rows `programme` shows, and how a row leads to its group.
_VIA_GROUP_ID = ("meetings",)
_VIA_MEETING_ID = ("meeting_roles", "contributions")
_OPERATIONS = ("insert", "update", "delete")


def _sqlite_target(table: str, row: str) -> str:
    if table in _VIA_GROUP_ID:
        return f"{row}.group_id"
    return f"(SELECT group_id FROM meetings WHERE id = {row}.meeting_id)"


def _sqlite_triggers() -> list[str]:
    statements = [
        # An update of the group's own settings that did not move the revision moves it.
        "CREATE TRIGGER trg_groups_revision_update AFTER UPDATE ON groups "
        "WHEN NEW.revision = OLD.revision "
        "BEGIN UPDATE groups SET revision = revision + 1 WHERE id = NEW.id; END",
        "CREATE TRIGGER trg_groups_revision_insert AFTER INSERT ON groups "
        f"BEGIN UPDATE groups SET revision = {_RANDOM_START_SQLITE} WHERE id = NEW.id; END",
    ]
    for table in (*_VIA_GROUP_ID, *_VIA_MEETING_ID):
        for operation in _OPERATIONS:
            rows = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}[operation]
            targets = ", ".join(_sqlite_target(table, row) for row in rows)
            statements.append(
                f"CREATE TRIGGER trg_{table}_revision_{operation} "
                f"AFTER {operation.upper()} ON {table} "
                f"BEGIN UPDATE groups SET revision = revision + 1 WHERE id IN ({targets}); END"
            )
    return statements


def _postgres_triggers() -> list[str]:
    return [
        f"""
        CREATE FUNCTION groups_revision_own() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                NEW.revision := {_RANDOM_START_POSTGRES};
            ELSIF NEW.revision = OLD.revision THEN
                NEW.revision := OLD.revision + 1;
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER trg_groups_revision BEFORE INSERT OR UPDATE ON groups "
        "FOR EACH ROW EXECUTE FUNCTION groups_revision_own()",
        """
        CREATE FUNCTION groups_revision_via_group_id() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE groups SET revision = revision + 1
            WHERE id IN (
                CASE WHEN TG_OP <> 'INSERT' THEN OLD.group_id END,
                CASE WHEN TG_OP <> 'DELETE' THEN NEW.group_id END
            );
            RETURN NULL;
        END $$
        """,
        """
        CREATE FUNCTION groups_revision_via_meeting_id() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE groups SET revision = revision + 1
            WHERE id IN (
                SELECT group_id FROM meetings WHERE id IN (
                    CASE WHEN TG_OP <> 'INSERT' THEN OLD.meeting_id END,
                    CASE WHEN TG_OP <> 'DELETE' THEN NEW.meeting_id END
                )
            );
            RETURN NULL;
        END $$
        """,
        *(
            f"CREATE CONSTRAINT TRIGGER trg_{table}_revision "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            f"EXECUTE FUNCTION groups_revision_via_{via}()"
            for via, tables in (("group_id", _VIA_GROUP_ID), ("meeting_id", _VIA_MEETING_ID))
            for table in tables
        ),
    ]


def create_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _postgres_triggers() if dialect == "postgresql" else _sqlite_triggers():
        op.execute(statement)


def drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("groups", *_VIA_GROUP_ID, *_VIA_MEETING_ID):
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_revision ON {table}")
        for function in ("own", "via_group_id", "via_meeting_id"):
            op.execute(f"DROP FUNCTION IF EXISTS groups_revision_{function}()")
        return
    op.execute("DROP TRIGGER IF EXISTS trg_groups_revision_update")
    op.execute("DROP TRIGGER IF EXISTS trg_groups_revision_insert")
    for table in (*_VIA_GROUP_ID, *_VIA_MEETING_ID):
        for operation in _OPERATIONS:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_revision_{operation}")


def upgrade() -> None:
    op.add_column(
        "groups", sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False)
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"UPDATE groups SET revision = {_RANDOM_START_POSTGRES}")
    else:
        op.execute(f"UPDATE groups SET revision = {_RANDOM_START_SQLITE}")
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("revision")
