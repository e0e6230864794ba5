"""calendar: a sequence per session, the group's feed token and alarm, who took the invite

Revision ID: b8d2f5a0c3e4
Revises: e5b3c9d1a7f2
Create Date: 2026-12-01 20:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "b8d2f5a0c3e4"
down_revision: str | None = "e5b3c9d1a7f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ics_sequence", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("calendar_alarm_minutes", sa.Integer(), server_default="30", nullable=False)
        )
        batch_op.add_column(sa.Column("calendar_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_groups_calendar_token"), ["calendar_token"]
        )
    op.create_table(
        "calendar_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_calendar_invites_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_invites")),
        sa.UniqueConstraint(
            "meeting_id", "user_id", name=op.f("uq_calendar_invites_meeting_id_user_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("calendar_invites")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_groups_calendar_token"), type_="unique")
        batch_op.drop_column("calendar_token")
        batch_op.drop_column("calendar_alarm_minutes")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("ics_sequence")
