"""Discussion threads, messages (append-only) and read receipts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "threads",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column(
            "created_by_org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False
        ),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.UniqueConstraint(
            "created_by_org_id", "request_id", name="uq_threads_created_by_org_id_request_id"
        ),
    )
    op.create_index("ix_threads_case_id_created_at", "threads", ["case_id", "created_at"])
    op.create_table(
        "messages",
        sa.Column("thread_id", sa.String(32), sa.ForeignKey("threads.id"), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column(
            "author_org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False
        ),
        sa.Column("practitioner_id", sa.String(200), nullable=False),
        sa.Column("practitioner_name", sa.String(200), nullable=False),
        sa.Column("practitioner_role", sa.String(200), nullable=False),
        sa.Column("author_citizen_id", sa.String(32), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("corrects_seq", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("thread_id", "seq", name="pk_messages"),
        sa.UniqueConstraint(
            "thread_id",
            "author_org_id",
            "request_id",
            name="uq_messages_thread_id_author_org_id_request_id",
        ),
    )
    op.create_table(
        "thread_reads",
        sa.Column("thread_id", sa.String(32), sa.ForeignKey("threads.id"), nullable=False),
        sa.Column("participant", sa.String(64), nullable=False),
        sa.Column("last_read_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("thread_id", "participant", name="pk_thread_reads"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER messages_append_only BEFORE UPDATE OR DELETE ON messages "
            "FOR EACH ROW EXECUTE FUNCTION luukku_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER messages_no_{verb.lower()} BEFORE {verb} ON messages "
                "BEGIN SELECT RAISE(ABORT, 'messages is append-only'); END"
            )


def downgrade() -> None:
    op.drop_table("thread_reads")
    op.drop_table("messages")
    op.drop_table("threads")
