"""PostgreSQL: the audit log's head (its size and the nodes the next leaf completes) read
under the append lock in one statement.

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-07

``luukku_audit_head()`` takes the transaction-scoped advisory lock that orders
audit appends (keyed by schema, as before), then reads the log's size and the
stored left siblings that appending leaf ``size`` completes (``audit.tree.completed_by``).
A PL/pgSQL function, because each statement in it takes a new snapshot under
READ COMMITTED: the size is read after the lock is held, which a single SQL
statement (one snapshot, taken before it waits for the lock) could not do. One
round trip instead of two plus one per sibling. SQLite has nothing to add.
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0019"
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
    SELECT coalesce(max(e.seq), 0) INTO n FROM audit_events e;
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


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_HEAD)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION luukku_audit_head()")
