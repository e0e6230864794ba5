"""session end links: the session-end message and the poll it opened

`meetings.end_message_ts` records the message posted when a session ends, and
`polls.source_meeting_id` (unique) the poll that end opened, so a retried job finds what it
already did instead of posting a second poll.

Revision ID: a5e1d2c3b4f6
Revises: 0001
Create Date: 2026-11-30 08:47:29.996355
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a5e1d2c3b4f6"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("end_message_ts", sa.String(length=32), nullable=True))

    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_meeting_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_polls_source_meeting_id"), ["source_meeting_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_polls_source_meeting_id_meetings"),
            "meetings",
            ["source_meeting_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_polls_source_meeting_id_meetings"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_polls_source_meeting_id"), type_="unique")
        batch_op.drop_column("source_meeting_id")

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("end_message_ts")
