"""The citizen proven to the broker: a portal's OpenID client id, the token's hash in audit events.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: the audit log's append-only triggers stay as they are.
    op.add_column("organizations", sa.Column("oidc_client_id", sa.String(255), nullable=True))
    op.add_column("audit_events", sa.Column("citizen_token_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    # Not batch mode: recreating organizations would break the foreign keys pointing at
    # it on SQLite (which drops a column itself since 3.35).
    op.drop_column("audit_events", "citizen_token_hash")
    op.drop_column("organizations", "oidc_client_id")
