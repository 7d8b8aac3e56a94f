"""PostgreSQL: the audit log's head read under the append lock in one statement, and a
directory version that moves with every change to organizations or certificates.

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-07

``luukku_audit_head()`` takes the transaction-scoped advisory lock that orders
audit appends (keyed by schema, as before), then reads the log's size and the
stored left siblings that appending leaf ``size`` completes (``audit.tree.completed_by``).
A PL/pgSQL function, because each statement in it takes a new snapshot under
READ COMMITTED: the size is read after the lock is held, which a single SQL
statement (one snapshot, taken before it waits for the lock) could not do. One
round trip instead of two plus one per sibling.

``directory_version`` holds one row; on PostgreSQL statement triggers on
``organizations`` and ``certificates`` add one to its version in the very
transaction that changes them, so it changes visibly exactly when they do. A
broker caches its callers with the version they were read at and checks the
version as it begins each call's first transaction (``store.callers.check``):
a revocation bites on the very next call. SQLite's brokers do not cache (their
lookup is cheaper than the check), and its row stays at 0.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_HEAD = """
CREATE FUNCTION luukku_audit_head()
RETURNS TABLE (size bigint, level smallint, hash bytea)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    n bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('luukku.audit.' || current_schema()));
    -- The tree's size, not max(seq): archived months' events leave the table (0020).
    SELECT coalesce(max(t.idx), -1) + 1 INTO n FROM audit_tree t WHERE t.level = 0;
    -- The head row alone (level NULL), then one row per left sibling leaf n completes:
    -- at level k while the k lowest bits of n are all ones, node (k, n >> k minus 1).
    RETURN QUERY
        SELECT n, NULL::smallint, NULL::bytea
        UNION ALL
        SELECT n, t.level, t.hash
        FROM generate_series(0, 62) AS k
        JOIN audit_tree t ON t.level = k AND t.idx = (n >> k) - 1
        WHERE (n >> k) & 1 = 1 AND (n & ((1::bigint << k) - 1)) = (1::bigint << k) - 1;
END
$$
"""


_DIRECTORY_CHANGED = """
CREATE FUNCTION luukku_directory_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE directory_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$
"""
_DIRECTORY_TABLES = ("organizations", "certificates")


def upgrade() -> None:
    op.create_table(
        "directory_version",
        sa.Column("id", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_version")),
    )
    op.execute("INSERT INTO directory_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_HEAD)
    op.execute(_DIRECTORY_CHANGED)
    for table in _DIRECTORY_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_directory_changed "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION luukku_directory_changed()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _DIRECTORY_TABLES:
            op.execute(f"DROP TRIGGER {table}_directory_changed ON {table}")
        op.execute("DROP FUNCTION luukku_directory_changed()")
        op.execute("DROP FUNCTION luukku_audit_head()")
    op.drop_table("directory_version")
