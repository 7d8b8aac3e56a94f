"""Organisation directory: organisations and their client certificates.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.String(63), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("business_id", sa.String(9), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "certificates",
        sa.Column("fingerprint", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("not_after", UtcDateTime(), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
    )
    op.create_index("ix_certificates_org_id", "certificates", ["org_id"])


def downgrade() -> None:
    op.drop_table("certificates")
    op.drop_table("organizations")
