"""The audit log's Merkle tree and signed checkpoints; nothing of the log may be deleted.

Leaf bytes now include the event's sequence number, so the leaf hashes of
events already in the log are recomputed in that form and their tree built
(the one time the log's rows are rewritten; refused if their numbers have
gaps, which would leave the tree without a total order to follow).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NEW_TABLES = ("audit_tree", "audit_checkpoints")


def upgrade() -> None:
    op.create_table(
        "audit_tree",
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("idx", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.PrimaryKeyConstraint("level", "idx", name="pk_audit_tree"),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("tree_size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("root_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("signed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tree_size", name="pk_audit_checkpoints"),
    )
    _rehash_existing_events()
    if op.get_bind().dialect.name == "postgresql":
        for table in NEW_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION luukku_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION luukku_append_only()"
            )
        return
    for table in NEW_TABLES:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def _rehash_existing_events() -> None:
    from luukku.store.audit.log import rebuild_for_migration

    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if not bind.execute(sa.text("SELECT 1 FROM audit_events LIMIT 1")).first():
        return
    if postgres:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
    else:
        op.execute("DROP TRIGGER audit_events_no_update")
    rebuild_for_migration(bind)
    if postgres:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
    else:
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )


def downgrade() -> None:
    for table in NEW_TABLES:
        op.drop_table(table)
