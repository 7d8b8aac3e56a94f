"""Consent requests: a clerk holding a citizen's inquiry asks them for a consent.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consent_requests",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("inquiry_id", sa.String(32), sa.ForeignKey("inquiries.id"), nullable=False),
        sa.Column("citizen_id", sa.String(32), sa.ForeignKey("citizens.id"), nullable=False),
        sa.Column("org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False),
        sa.Column("practitioner_id", sa.String(200), nullable=False),
        sa.Column("practitioner_name", sa.String(200), nullable=False),
        sa.Column("practitioner_role", sa.String(200), nullable=False),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("permissions", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(500), nullable=False),
        sa.Column("valid_from", UtcDateTime(), nullable=False),
        sa.Column("valid_until", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("answer", sa.String(16), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("consent_id", sa.String(32), sa.ForeignKey("consents.id"), nullable=True),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_consent_requests"),
        sa.UniqueConstraint("org_id", "request_id", name="uq_consent_requests_org_id_request_id"),
    )
    op.create_index(
        "ix_consent_requests_citizen_id_created_at",
        "consent_requests",
        ["citizen_id", "created_at"],
    )
    op.create_index(
        "ix_consent_requests_org_id_created_at", "consent_requests", ["org_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_consent_requests_org_id_created_at", "consent_requests")
    op.drop_index("ix_consent_requests_citizen_id_created_at", "consent_requests")
    op.drop_table("consent_requests")
