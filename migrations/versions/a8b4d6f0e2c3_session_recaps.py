"""session recaps: the group's history of held sessions

Revision ID: a8b4d6f0e2c3
Revises: f7a3c5e9d1b2
Create Date: 2026-12-01 21:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "a8b4d6f0e2c3"
down_revision: str | None = "f7a3c5e9d1b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "session_recaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("theme", sa.String(length=200), nullable=True),
        sa.Column("guide_user_id", sa.String(length=32), nullable=True),
        sa.Column("participants", sa.Integer(), server_default="0", nullable=False),
        sa.Column("contributions", sa.Text(), nullable=False),
        sa.Column("poll_winner", sa.String(length=200), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_session_recaps_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_session_recaps_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_recaps")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_session_recaps_meeting_id")),
    )
    with op.batch_alter_table("session_recaps", schema=None) as batch_op:
        batch_op.create_index(
            "ix_session_recaps_group_id_starts_at", ["group_id", "starts_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("session_recaps", schema=None) as batch_op:
        batch_op.drop_index("ix_session_recaps_group_id_starts_at")
    op.drop_table("session_recaps")
