"""Index deliveries by group: `/partage planning` reads one group's pending rows.

Revision ID: b7c4e9d2f1a3
Revises: a5e1d2c3b4f6
Create Date: 2026-11-30 09:29:22.164639
"""

from collections.abc import Sequence

from alembic import op

revision: str = "b7c4e9d2f1a3"
down_revision: str | None = "a5e1d2c3b4f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_group_id_status", ["group_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_group_id_status")
