"""Internal notes on inquiries, for the members of their desk.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inquiry_notes",
        sa.Column("inquiry_id", sa.String(32), sa.ForeignKey("inquiries.id"), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False),
        sa.Column("practitioner_id", sa.String(200), nullable=False),
        sa.Column("practitioner_name", sa.String(200), nullable=False),
        sa.Column("practitioner_role", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("inquiry_id", "seq", name="pk_inquiry_notes"),
        sa.UniqueConstraint(
            "inquiry_id",
            "org_id",
            "request_id",
            name="uq_inquiry_notes_inquiry_id_org_id_request_id",
        ),
    )


def downgrade() -> None:
    op.drop_table("inquiry_notes")
