"""working days and the participants' J-1 reminder: three group switches

Revision ID: f7a3c5e9d1b2
Revises: c9e3a6b1d4f5
Create Date: 2026-12-01 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f7a3c5e9d1b2"
down_revision: str | None = "c9e3a6b1d4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("working_days_enabled", sa.Boolean(), server_default="1", nullable=False)
        )
        batch_op.add_column(
            sa.Column("alsace_moselle", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "participant_reminder_enabled", sa.Boolean(), server_default="1", nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("participant_reminder_enabled")
        batch_op.drop_column("alsace_moselle")
        batch_op.drop_column("working_days_enabled")
