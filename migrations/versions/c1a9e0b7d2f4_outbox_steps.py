"""The outbox for every side effect: queued calls carry their payload; polls keep the
bot user id Slack reported when posting them.

Revision ID: c1a9e0b7d2f4
Revises: b7c4e9d2f1a3
Create Date: 2026-12-01 19:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c1a9e0b7d2f4"
down_revision: str | None = "b7c4e9d2f1a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("delivery_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payload", sa.Text(), nullable=True))
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("posted_by", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.drop_column("posted_by")
    with op.batch_alter_table("delivery_messages", schema=None) as batch_op:
        batch_op.drop_column("payload")
