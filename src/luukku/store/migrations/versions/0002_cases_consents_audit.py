"""Citizens, cases, records, consents and the audit log; append-only triggers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
APPEND_ONLY = ("records", "record_revisions", "consent_revisions", "audit_events")


def _practitioner() -> list[sa.Column[str]]:
    return [
        sa.Column("practitioner_id", sa.String(200), nullable=False),
        sa.Column("practitioner_name", sa.String(200), nullable=False),
        sa.Column("practitioner_role", sa.String(200), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "citizens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("identity_code", sa.String(11), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("identity_code", name="uq_citizens_identity_code"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("citizen_id", sa.String(32), sa.ForeignKey("citizens.id"), nullable=False),
        sa.Column("owner_org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.UniqueConstraint("owner_org_id", "request_id", name="uq_cases_owner_org_id_request_id"),
    )
    op.create_index("ix_cases_citizen_id_category", "cases", ["citizen_id", "category"])
    op.create_index("ix_cases_owner_org_id_created_at", "cases", ["owner_org_id", "created_at"])
    op.create_table(
        "records",
        sa.Column("seq", SEQUENCE, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("id", name="uq_records_id"),
    )
    op.create_index("ix_records_case_id_seq", "records", ["case_id", "seq"])
    op.create_table(
        "record_revisions",
        sa.Column("record_id", sa.String(32), sa.ForeignKey("records.id"), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=True),
        sa.Column(
            "author_org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False
        ),
        *_practitioner(),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("record_id", "revision", name="pk_record_revisions"),
        sa.UniqueConstraint(
            "author_org_id", "request_id", name="uq_record_revisions_author_org_id_request_id"
        ),
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("citizen_id", sa.String(32), sa.ForeignKey("citizens.id"), nullable=False),
        sa.Column("org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("category", sa.String(32), nullable=True),
        sa.Column("permissions", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(500), nullable=False),
        sa.Column("valid_from", UtcDateTime(), nullable=False),
        sa.Column("valid_until", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.UniqueConstraint("citizen_id", "request_id", name="uq_consents_citizen_id_request_id"),
    )
    op.create_index("ix_consents_org_id_citizen_id", "consents", ["org_id", "citizen_id"])
    op.create_index("ix_consents_citizen_id_created_at", "consents", ["citizen_id", "created_at"])
    op.create_table(
        "consent_revisions",
        sa.Column("consent_id", sa.String(32), sa.ForeignKey("consents.id"), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("consent_id", "revision", name="pk_consent_revisions"),
    )
    op.create_table(
        "audit_events",
        sa.Column("seq", SEQUENCE, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("time", UtcDateTime(), nullable=False),
        sa.Column("org_id", sa.String(63), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        *_practitioner(),
        sa.Column("acting_for_citizen_id", sa.String(32), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("resource", sa.String(200), nullable=False),
        sa.Column("subject_citizen_id", sa.String(32), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("consent_id", sa.String(32), nullable=True),
        sa.Column("request_id", sa.String(128), nullable=False),
        sa.Column("leaf_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("event_id", name="uq_audit_events_event_id"),
    )
    op.create_index(
        "ix_audit_events_subject_citizen_id_seq", "audit_events", ["subject_citizen_id", "seq"]
    )
    op.create_index("ix_audit_events_org_id_seq", "audit_events", ["org_id", "seq"])
    _append_only_triggers()


def _append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION luukku_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
            END $$
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION luukku_append_only()"
            )
        return
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    for table in ("audit_events", "consent_revisions", "consents", "record_revisions"):
        op.drop_table(table)
    op.drop_table("records")
    op.drop_table("cases")
    op.drop_table("citizens")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION luukku_append_only()")
