"""Index the audit log by the citizen acted for: their own attempts are theirs to see.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_events_acting_for_citizen_id_seq",
        "audit_events",
        ["acting_for_citizen_id", "seq"],
    )


def downgrade() -> None:
    op.drop_index("ix_audit_events_acting_for_citizen_id_seq", table_name="audit_events")
