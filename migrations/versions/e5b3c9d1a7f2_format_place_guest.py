"""format, place and guest: a group's own session format, a session's place, a guest's
affiliation

`groups.session_minutes`, `presentation_minutes` and `tour_minutes` hold the group's format
(90, 30 and 28 by default: the run-of-show every group had so far); `meetings.place` is
where a session takes place (text or a video-call link); `contributions.guest_affiliation`
is the invited guest's organisation, next to `guest_name`.

Revision ID: e5b3c9d1a7f2
Revises: d4f2b8a1c3e5
Create Date: 2026-12-01 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5b3c9d1a7f2"
down_revision: str | None = "d4f2b8a1c3e5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_minutes", sa.Integer(), server_default="90", nullable=False)
        )
        batch_op.add_column(
            sa.Column("presentation_minutes", sa.Integer(), server_default="30", nullable=False)
        )
        batch_op.add_column(
            sa.Column("tour_minutes", sa.Integer(), server_default="28", nullable=False)
        )

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place", sa.String(length=1000), nullable=True))

    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guest_affiliation", sa.String(length=150), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_column("guest_affiliation")

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("place")

    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("tour_minutes")
        batch_op.drop_column("presentation_minutes")
        batch_op.drop_column("session_minutes")
