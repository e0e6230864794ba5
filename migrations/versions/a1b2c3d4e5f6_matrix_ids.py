"""member, channel and workspace ids up to 255 characters (Matrix ids)

Matrix user ids (`@name:server`) and room ids (`!opaque:server`) may take up to 255
bytes; Slack's ids fit in 32. VARCHAR widening is a catalogue change on PostgreSQL (no
table rewrite). On SQLite, where the length is not enforced, batch mode copies each
table, and renaming the copy fails while a trigger names that table: the triggers (those
of `groups.revision`) are read, dropped, and created again once every table is done.

Revision ID: a1b2c3d4e5f6
Revises: f3a4b5c6d7e8
Create Date: 2026-12-08 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1b2c3d4e5f6"
down_revision: str | None = "f3a4b5c6d7e8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: dict[str, tuple[tuple[str, bool], ...]] = {
    # table: ((column, nullable), ...)
    "audit_entries": (("actor_user_id", False), ("subject_user_id", True)),
    "calendar_invites": (("user_id", False),),
    "contributions": (("author_user_id", False),),
    "delivery_messages": (("recipient", False), ("channel_id", True)),
    "groups": (("team_id", False), ("channel_id", False)),
    "meeting_roles": (("user_id", False),),
    "meetings": (("created_by", False),),
    "organisers": (("user_id", False),),
    "poll_votes": (("user_id", False),),
    "polls": (("channel_id", False), ("opened_by", True), ("posted_by", True)),
    "session_recaps": (("guide_user_id", True),),
    "theme_proposals": (("proposed_by", False),),
    "tour_answers": (("user_id", False),),
    "tour_help_offers": (("helper_user_id", False),),
    "tour_opt_outs": (("user_id", False),),
}


def _resize(old: int, new: int) -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    triggers: list[tuple[str, str]] = []
    if sqlite:
        triggers = [
            (name, sql)
            for name, sql in bind.execute(
                sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            )
        ]
        for name, _sql in triggers:
            bind.execute(sa.text(f'DROP TRIGGER "{name}"'))
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, nullable in columns:
                batch_op.alter_column(
                    column,
                    existing_type=sa.String(length=old),
                    type_=sa.String(length=new),
                    existing_nullable=nullable,
                )
    for _name, sql in triggers:
        bind.execute(sa.text(sql))


def upgrade() -> None:
    _resize(32, 255)


def downgrade() -> None:
    _resize(255, 32)
