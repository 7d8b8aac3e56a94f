"""Append-only tables refuse TRUNCATE too on PostgreSQL.

The row triggers of 0002 and 0003 do not fire on TRUNCATE, which would empty
the audit log (and a case's records, a thread's messages) in one statement.
SQLite has no TRUNCATE: its ``DELETE FROM`` is refused by the row triggers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

APPEND_ONLY = (
    "audit_events",
    "records",
    "record_revisions",
    "consent_revisions",
    "messages",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION luukku_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
