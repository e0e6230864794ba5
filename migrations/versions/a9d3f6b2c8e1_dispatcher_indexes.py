"""The dispatcher's reads on indexes: the claim's order, one group's history.

Revision ID: a9d3f6b2c8e1
Revises: a1b2c3d4e5f6
Create Date: 2026-12-08 03:05:00.000000

The guide call's rotation reads the group's sessions of the last six months, its held
ones and its recent proposals. Without an index starting with `group_id` (the only
ones, partial, cover the scheduled session and the open proposals), each read went
through every group's held sessions (`ix_meetings_status_starts_at`) or every group's
proposals (a full scan): a cost per delivery that grows with the number of groups.

The claim takes the first due rows in (`available_at`, `id`) order. With an index on
(`status`, `available_at`) only, PostgreSQL read and sorted every due row for each batch
of 25 (8 ms a claim with 10,000 due, 0.05 ms with the full order in the index).

`op.create_index`, not `batch_alter_table`: on SQLite a batch rebuild of `meetings`
would drop the triggers of `groups.revision` (migration f3a4b5c6d7e8).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a9d3f6b2c8e1"
down_revision: str | None = "a1b2c3d4e5f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_deliveries_status_available_at_id", "deliveries", ["status", "available_at", "id"]
    )
    op.drop_index("ix_deliveries_status_available_at", table_name="deliveries")
    op.create_index("ix_meetings_group_id_starts_at", "meetings", ["group_id", "starts_at"])
    op.create_index(
        "ix_theme_proposals_group_id_created_at", "theme_proposals", ["group_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_theme_proposals_group_id_created_at", table_name="theme_proposals")
    op.drop_index("ix_meetings_group_id_starts_at", table_name="meetings")
    op.create_index("ix_deliveries_status_available_at", "deliveries", ["status", "available_at"])
    op.drop_index("ix_deliveries_status_available_at_id", table_name="deliveries")
