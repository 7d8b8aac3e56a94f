"""The desks' queue logs: what happened in each queue, numbered without gaps, for queue watches.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "desks", sa.Column("queue_seq", sa.BigInteger(), nullable=False, server_default="0")
    )
    op.create_table(
        "desk_queue_entries",
        sa.Column("desk_id", sa.String(63), sa.ForeignKey("desks.id"), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("inquiry_id", sa.String(32), sa.ForeignKey("inquiries.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("org_id", sa.String(63), nullable=False),
        sa.Column("visible_to_org_id", sa.String(63), nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("desk_id", "seq", name="pk_desk_queue_entries"),
    )


def downgrade() -> None:
    op.drop_table("desk_queue_entries")
    op.drop_column("desks", "queue_seq")
