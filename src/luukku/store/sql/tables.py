"""The database schema as SQLAlchemy Core tables.

Alembic migrations under ``migrations/versions`` create exactly these tables;
``tests/integration/test_migrations.py`` checks that the two agree.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.sql.schema import SchemaItem

from luukku.store.sql.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

organizations = Table(
    "organizations",
    metadata,
    Column("id", String(63), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("business_id", String(9), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    # A portal's OpenID client id: the audience of the citizens' tokens it forwards.
    Column("oidc_client_id", String(255), nullable=True),
)

certificates = Table(
    "certificates",
    metadata,
    # Hex SHA-256 of the DER certificate: what the broker sees on every call.
    Column("fingerprint", String(64), primary_key=True),
    Column("org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("state", String(16), nullable=False),
    Column("subject", String(500), nullable=False),
    Column("not_after", UtcDateTime(), nullable=False),
    Column("added_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
    Index(None, "org_id"),
)

# One row, whose version PostgreSQL's triggers move with every change to
# organizations or certificates (migration 0022), in the changing transaction: a
# broker's cached caller is good while the version it was read at stands.
directory_version = Table(
    "directory_version",
    metadata,
    Column("id", SmallInteger(), primary_key=True, autoincrement=False),
    Column("version", BigInteger(), nullable=False),
)

# SQLite only autoincrements an INTEGER PRIMARY KEY.
SEQUENCE = BigInteger().with_variant(Integer(), "sqlite")

# The broker's own secrets, made once (migration 0017) and shared by every
# replica: ``citizen-pseudonyms`` keys the pairwise pseudonyms and the audit
# leaves' commitments (domain/pseudonyms.py). Never rotated: a new one would
# give every organisation new pseudonyms and orphan every commitment.
broker_secrets = Table(
    "broker_secrets",
    metadata,
    Column("name", String(63), primary_key=True),
    Column("secret", LargeBinary(64), nullable=False),
)

citizens = Table(
    "citizens",
    metadata,
    Column("id", String(32), primary_key=True),
    # The one place the personal identity code is kept; everything else
    # refers to the citizen by the opaque id.
    Column("identity_code", String(11), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
)

# The name a citizen's identity provider gave, as the portal passed it when they last
# asked a desk: shown only to the organisations handling their inquiry or holding
# their case, each read audited.
citizen_names = Table(
    "citizen_names",
    metadata,
    Column("citizen_id", String(32), ForeignKey("citizens.id"), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("citizen_id", String(32), ForeignKey("citizens.id"), nullable=False),
    Column("owner_org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("category", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("request_id", String(128), nullable=True),
    UniqueConstraint("owner_org_id", "request_id"),
    Index(None, "citizen_id", "category"),
    Index(None, "owner_org_id", "created_at"),
)

# A record's header: where it belongs and when it was first written.
records = Table(
    "records",
    metadata,
    Column("seq", SEQUENCE, primary_key=True, autoincrement=True),
    Column("id", String(32), nullable=False, unique=True),
    Column("case_id", String(32), ForeignKey("cases.id"), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index(None, "case_id", "seq"),
)

# Every revision of every record; append-only (enforced by triggers).
record_revisions = Table(
    "record_revisions",
    metadata,
    Column("record_id", String(32), ForeignKey("records.id"), nullable=False),
    Column("revision", Integer(), nullable=False),
    Column("text", Text(), nullable=False),
    Column("data", Text(), nullable=True),
    Column("author_org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("practitioner_id", String(200), nullable=False),
    Column("practitioner_name", String(200), nullable=False),
    Column("practitioner_role", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("request_id", String(128), nullable=True),
    PrimaryKeyConstraint("record_id", "revision"),
    UniqueConstraint("author_org_id", "request_id"),
)

# The current view of each consent; its history is in consent_revisions.
consents = Table(
    "consents",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("citizen_id", String(32), ForeignKey("citizens.id"), nullable=False),
    Column("org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("case_id", String(32), ForeignKey("cases.id"), nullable=True),
    Column("category", String(32), nullable=True),
    Column("permissions", String(64), nullable=False),
    Column("purpose", String(500), nullable=False),
    Column("valid_from", UtcDateTime(), nullable=False),
    Column("valid_until", UtcDateTime(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("revision", Integer(), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
    Column("request_id", String(128), nullable=True),
    UniqueConstraint("citizen_id", "request_id"),
    # The access check's lookup: this organisation's consents from this citizen.
    Index(None, "org_id", "citizen_id"),
    Index(None, "citizen_id", "created_at"),
)

consent_revisions = Table(
    "consent_revisions",
    metadata,
    Column("consent_id", String(32), ForeignKey("consents.id"), nullable=False),
    Column("revision", Integer(), nullable=False),
    Column("state", String(16), nullable=False),
    Column("changed_at", UtcDateTime(), nullable=False),
    Column("request_id", String(128), nullable=False),
    PrimaryKeyConstraint("consent_id", "revision"),
)

AUDIT_DONE_FOR_OTHERS = (
    "acting_for_citizen_id IS NOT NULL"
    " AND (subject_citizen_id IS NULL OR acting_for_citizen_id <> subject_citizen_id)"
)
"""Audit events done for a citizen about someone else or no one: the partial index's rows."""

# The audit log; append-only (enforced by triggers), each row hashed. On
# PostgreSQL partitioned by month of ``time`` (migration 0020, see
# store/audit/partitions.py), where the primary key is (seq, time) and the
# event id's unique key (event_id, time): a partitioned table's unique keys
# must hold the partition key. The comparison with the migrated schema
# (migrations/env.py) knows that difference and the partitions.
audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", SEQUENCE, primary_key=True, autoincrement=True),
    Column("event_id", String(32), nullable=False, unique=True),
    Column("time", UtcDateTime(), nullable=False),
    Column("org_id", String(63), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("practitioner_id", String(200), nullable=False),
    Column("practitioner_name", String(200), nullable=False),
    Column("practitioner_role", String(200), nullable=False),
    Column("acting_for_citizen_id", String(32), nullable=True),
    Column("action", String(64), nullable=False),
    Column("resource", String(200), nullable=False),
    Column("subject_citizen_id", String(32), nullable=True),
    Column("outcome", String(16), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("consent_id", String(32), nullable=True),
    Column("request_id", String(128), nullable=False),
    Column("leaf_hash", String(64), nullable=False),
    # SHA-256 of the identity provider's token that proved the citizen (never the token).
    Column("citizen_token_hash", String(64), nullable=True),
    # Which leaf encoding the hash covers (see audit/events.py): 1, the citizen
    # ids in clear, for the events written before migration 0017; 2, only
    # commitments to them. A leaf is never rewritten, so both stay.
    Column("leaf_version", SmallInteger(), nullable=False, server_default="1"),
    Index(None, "subject_citizen_id", "seq"),
    Index(None, "org_id", "seq"),
    Index("ix_audit_events_acting_for_citizen_id_seq", "acting_for_citizen_id", "seq"),
    # Only the events done for a citizen about someone else (migration 0021): one part
    # of a citizen's access log, which their own use of the portal would bury.
    Index(
        "ix_audit_events_acting_for_others_seq",
        "acting_for_citizen_id",
        "seq",
        postgresql_where=text(AUDIT_DONE_FOR_OTHERS),
        sqlite_where=text(AUDIT_DONE_FOR_OTHERS),
    ),
)

# The audit log's RFC 9162 tree: the hash of every complete subtree, leaves
# included (see audit/tree.py). Leaf index = audit_events.seq - 1. Append-only.
audit_tree = Table(
    "audit_tree",
    metadata,
    Column("level", SmallInteger(), nullable=False),
    Column("idx", BigInteger(), nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
    PrimaryKeyConstraint("level", "idx"),
)

# Signed checkpoints of the tree (C2SP tlog-checkpoint notes). Append-only.
audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("tree_size", BigInteger(), primary_key=True, autoincrement=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("note", Text(), nullable=False),
    Column("signed_at", UtcDateTime(), nullable=False),
)

# Each month moved out of the database by ``luukku audit archive``: its file,
# how many events and which numbers, the checkpoint covering them. Append-only.
audit_archives = Table(
    "audit_archives",
    metadata,
    Column("month", String(7), primary_key=True),
    Column("file_name", String(200), nullable=False),
    Column("events", BigInteger(), nullable=False),
    Column("first_seq", BigInteger(), nullable=False),
    Column("last_seq", BigInteger(), nullable=False),
    Column("checkpoint_size", BigInteger(), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("archived_at", UtcDateTime(), nullable=False),
)

threads = Table(
    "threads",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("case_id", String(32), ForeignKey("cases.id"), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("created_by_org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    # Bumped under the row lock by each post: what makes sequences gapless.
    Column("last_seq", BigInteger(), nullable=False),
    Column("request_id", String(128), nullable=True),
    UniqueConstraint("created_by_org_id", "request_id"),
    Index(None, "case_id", "created_at"),
)


def message_columns(owner: str, owners: str, *, corrects: bool) -> list[SchemaItem]:
    """The columns of a conversation's messages: a thread's (``owner`` ``thread_id`` of
    ``owners`` ``threads``) or an inquiry's, numbered per conversation; a retried post
    (same organisation, same request id) is one message. Only a thread's messages may
    correct an earlier one (``corrects``)."""
    return [
        Column(owner, String(32), ForeignKey(f"{owners}.id"), nullable=False),
        Column("seq", BigInteger(), nullable=False),
        Column("author_org_id", String(63), ForeignKey("organizations.id"), nullable=False),
        Column("practitioner_id", String(200), nullable=False),
        Column("practitioner_name", String(200), nullable=False),
        Column("practitioner_role", String(200), nullable=False),
        Column("author_citizen_id", String(32), nullable=True),
        Column("body", Text(), nullable=False),
        *([Column("corrects_seq", BigInteger(), nullable=True)] if corrects else []),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("request_id", String(128), nullable=True),
        PrimaryKeyConstraint(owner, "seq"),
        UniqueConstraint(owner, "author_org_id", "request_id"),
    ]


messages = Table("messages", metadata, *message_columns("thread_id", "threads", corrects=True))

# Read receipts: how far each participant (citizen or organisation) has read.
thread_reads = Table(
    "thread_reads",
    metadata,
    Column("thread_id", String(32), ForeignKey("threads.id"), nullable=False),
    Column("participant", String(64), nullable=False),
    Column("last_read_seq", BigInteger(), nullable=False),
    # Who moved the receipt last (the portal's id for a citizen's) and when.
    Column("marked_by_org_id", String(63), nullable=False),
    Column("marked_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("thread_id", "participant"),
)
