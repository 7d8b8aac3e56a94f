"""The citizen's name as their identity provider gave it, and whether an inquiry's
citizen wrote since a clerk last answered.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "citizen_names",
        sa.Column("citizen_id", sa.String(32), sa.ForeignKey("citizens.id"), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("citizen_id"),
    )
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(
            sa.Column(
                "citizen_wrote_since_answer",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_column("citizen_wrote_since_answer")
    op.drop_table("citizen_names")
