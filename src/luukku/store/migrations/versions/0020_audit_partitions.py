"""The audit log partitioned by month on PostgreSQL; the register of archived months.

On PostgreSQL ``audit_events`` becomes a table partitioned by range of
``time`` (one partition per UTC month, made from the oldest event's month to
two months ahead, and a default one). Its rows are copied over unchanged (the
log's name, columns, numbers and leaves stay; the Merkle tree is untouched).
A partitioned table's unique keys must include the partition key, so the
primary key becomes (seq, time) and the event id's unique key (event_id, time).
On SQLite, which has no partitions, the log stays one table.

On both engines ``audit_archives`` records each month moved out of the
database by ``luukku audit archive`` (append-only like the log).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_audit_events_subject_citizen_id_seq": "subject_citizen_id, seq",
    "ix_audit_events_org_id_seq": "org_id, seq",
    "ix_audit_events_acting_for_citizen_id_seq": "acting_for_citizen_id, seq",
}
_OLD = "audit_events_unpartitioned"


def upgrade() -> None:
    op.create_table(
        "audit_archives",
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("checkpoint_size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("archived_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("month", name="pk_audit_archives"),
    )
    if op.get_bind().dialect.name != "postgresql":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_archives_no_{verb.lower()} BEFORE {verb} ON audit_archives "
                "BEGIN SELECT RAISE(ABORT, 'audit_archives is append-only'); END"
            )
        return
    _append_only("audit_archives")
    _partition_the_log()


def _append_only(table: str) -> None:
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION luukku_append_only()"
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION luukku_append_only()"
    )


def _partition_the_log() -> None:
    from luukku.store.audit import partitions
    from luukku.store.audit.partitions import Month

    bind = op.get_bind()
    op.execute(f"ALTER TABLE audit_events RENAME TO {_OLD}")
    for name in _INDEXES:
        op.execute(f"DROP INDEX {name}")
    op.execute(f"ALTER TABLE {_OLD} DROP CONSTRAINT uq_audit_events_event_id")
    op.execute(f"ALTER TABLE {_OLD} DROP CONSTRAINT pk_audit_events")
    # The numbers' sequence outlives the old table: the new one takes it over.
    op.execute("ALTER SEQUENCE audit_events_seq_seq OWNED BY NONE")
    op.execute(
        f"CREATE TABLE audit_events (LIKE {_OLD} INCLUDING DEFAULTS) PARTITION BY RANGE (time)"
    )
    op.execute("ALTER TABLE audit_events ADD CONSTRAINT pk_audit_events PRIMARY KEY (seq, time)")
    op.execute(
        "ALTER TABLE audit_events ADD CONSTRAINT uq_audit_events_event_id UNIQUE (event_id, time)"
    )
    for name, columns in _INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON audit_events ({columns})")
    _append_only("audit_events")
    partitions.create_default(bind)
    oldest = bind.execute(sa.text(f"SELECT min(time) FROM {_OLD}")).scalar()  # noqa: S608
    now = datetime.now(UTC)
    month = Month.of(oldest if oldest is not None else now)
    while month <= Month.of(now):
        partitions.create(bind, month)
        month = month.next()
    partitions.make_ahead(bind, now)
    op.execute(f"INSERT INTO audit_events SELECT * FROM {_OLD}")  # noqa: S608 - fixed names
    op.execute(f"DROP TABLE {_OLD}")
    op.execute("ALTER SEQUENCE audit_events_seq_seq OWNED BY audit_events.seq")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _unpartition_the_log()
    op.drop_table("audit_archives")


def _unpartition_the_log() -> None:
    op.execute(f"ALTER TABLE audit_events RENAME TO {_OLD}")
    for name in _INDEXES:
        op.execute(f"ALTER INDEX {name} RENAME TO {name}_old")
    op.execute(f"ALTER TABLE {_OLD} RENAME CONSTRAINT pk_audit_events TO pk_audit_events_old")
    op.execute(
        f"ALTER TABLE {_OLD} RENAME CONSTRAINT uq_audit_events_event_id TO uq_audit_events_old"
    )
    op.execute("ALTER SEQUENCE audit_events_seq_seq OWNED BY NONE")
    op.execute(f"CREATE TABLE audit_events (LIKE {_OLD} INCLUDING DEFAULTS)")
    op.execute("ALTER TABLE audit_events ADD CONSTRAINT pk_audit_events PRIMARY KEY (seq)")
    op.execute("ALTER TABLE audit_events ADD CONSTRAINT uq_audit_events_event_id UNIQUE (event_id)")
    for name, columns in _INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON audit_events ({columns})")
    op.execute(f"INSERT INTO audit_events SELECT * FROM {_OLD}")  # noqa: S608 - fixed names
    op.execute(f"DROP TABLE {_OLD} CASCADE")
    op.execute("ALTER SEQUENCE audit_events_seq_seq OWNED BY audit_events.seq")
    _append_only("audit_events")
