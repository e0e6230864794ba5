"""proposer name: poll options name their proposer without pinging them

Revision ID: a7c1e4f9b2d3
Revises: b8d2f5a0c3e4
Create Date: 2026-12-01 20:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c1e4f9b2d3"
down_revision: str | None = "b8d2f5a0c3e4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("theme_proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposed_by_name", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("theme_proposals", schema=None) as batch_op:
        batch_op.drop_column("proposed_by_name")
