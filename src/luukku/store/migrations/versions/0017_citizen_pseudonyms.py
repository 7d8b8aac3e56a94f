"""Pairwise citizen pseudonyms and audit leaves that commit to citizen ids.

The broker's secret for pseudonyms and leaf commitments is made here, once,
so that every replica and every restart sees the same one. Existing audit
events keep their leaves (format 1, never rewritten); new ones use format 2.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

CITIZEN_SECRET_NAME = "citizen-pseudonyms"  # noqa: S105 - a row name, not the secret


def upgrade() -> None:
    table = op.create_table(
        "broker_secrets",
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("secret", sa.LargeBinary(64), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_broker_secrets"),
    )
    op.bulk_insert(table, [{"name": CITIZEN_SECRET_NAME, "secret": secrets.token_bytes(32)}])
    # A new column with a default: no row is updated (the log's triggers stay quiet).
    op.add_column(
        "audit_events",
        sa.Column("leaf_version", sa.SmallInteger(), nullable=False, server_default="1"),
    )


def downgrade() -> None:
    op.drop_column("audit_events", "leaf_version")
    op.drop_table("broker_secrets")
