"""tour de table: the group's switch, offset and retention; answers, help offers, opt-outs

Revision ID: d1e2f3a4b5c6
Revises: a8b4d6f0e2c3
Create Date: 2026-12-01 22:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "d1e2f3a4b5c6"
down_revision: str | None = "a8b4d6f0e2c3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tour_enabled", sa.Boolean(), server_default="1", nullable=False)
        )
        batch_op.add_column(
            sa.Column("tour_days", sa.Integer(), server_default="2", nullable=False)
        )
        batch_op.add_column(
            sa.Column("tour_retention_months", sa.Integer(), server_default="12", nullable=False)
        )
    op.create_table(
        "tour_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("feeling", sa.Text(), nullable=False),
        sa.Column("doing", sa.Text(), nullable=False),
        sa.Column("learned", sa.Text(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("share_with_group", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_tour_answers_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_tour_answers_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tour_answers")),
        sa.UniqueConstraint(
            "meeting_id", "user_id", name=op.f("uq_tour_answers_meeting_id_user_id")
        ),
    )
    with op.batch_alter_table("tour_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tour_answers_group_id_user_id", ["group_id", "user_id"], unique=False
        )
    op.create_table(
        "tour_help_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("helper_user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["tour_answers.id"],
            name=op.f("fk_tour_help_offers_answer_id_tour_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tour_help_offers")),
        sa.UniqueConstraint(
            "answer_id", "helper_user_id", name=op.f("uq_tour_help_offers_answer_id_helper_user_id")
        ),
    )
    op.create_table(
        "tour_opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_tour_opt_outs_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tour_opt_outs")),
        sa.UniqueConstraint("group_id", "user_id", name=op.f("uq_tour_opt_outs_group_id_user_id")),
    )


def downgrade() -> None:
    op.drop_table("tour_opt_outs")
    op.drop_table("tour_help_offers")
    with op.batch_alter_table("tour_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_tour_answers_group_id_user_id")
    op.drop_table("tour_answers")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("tour_retention_months")
        batch_op.drop_column("tour_days")
        batch_op.drop_column("tour_enabled")
