"""Shared service desks (members, topics, rota) and their inquiries (history, conversation).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _practitioner() -> list[sa.Column[str]]:
    return [
        sa.Column("practitioner_id", sa.String(200), nullable=False),
        sa.Column("practitioner_name", sa.String(200), nullable=False),
        sa.Column("practitioner_role", sa.String(200), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "desks",
        sa.Column("id", sa.String(63), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("overflow_seconds", sa.Integer(), nullable=False),
        sa.Column("reopen_seconds", sa.Integer(), nullable=False),
        sa.Column("rota", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "desk_members",
        sa.Column("desk_id", sa.String(63), sa.ForeignKey("desks.id"), nullable=False),
        sa.Column("org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("desk_id", "org_id", name="pk_desk_members"),
    )
    op.create_index("ix_desk_members_org_id", "desk_members", ["org_id"])
    op.create_table(
        "inquiries",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("desk_id", sa.String(63), sa.ForeignKey("desks.id"), nullable=False),
        sa.Column("citizen_id", sa.String(32), sa.ForeignKey("citizens.id"), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("topic", sa.String(63), nullable=False),
        sa.Column("municipality", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("offered_to_org_id", sa.String(63), nullable=True),
        sa.Column("overflow_at", UtcDateTime(), nullable=False),
        sa.Column("claimed_by_org_id", sa.String(63), nullable=True),
        sa.Column("outcome", sa.String(500), nullable=False),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column(
            "created_by_org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False
        ),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.UniqueConstraint(
            "created_by_org_id", "request_id", name="uq_inquiries_created_by_org_id_request_id"
        ),
    )
    op.create_index(
        "ix_inquiries_desk_id_status_created_at", "inquiries", ["desk_id", "status", "created_at"]
    )
    op.create_index("ix_inquiries_citizen_id_created_at", "inquiries", ["citizen_id", "created_at"])
    op.create_table(
        "inquiry_steps",
        sa.Column("inquiry_id", sa.String(32), sa.ForeignKey("inquiries.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("org_id", sa.String(63), nullable=False),
        *_practitioner(),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("to_org_id", sa.String(63), nullable=True),
        sa.Column("to_desk_id", sa.String(63), nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("inquiry_id", "seq", name="pk_inquiry_steps"),
    )
    op.create_table(
        "inquiry_messages",
        sa.Column("inquiry_id", sa.String(32), sa.ForeignKey("inquiries.id"), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column(
            "author_org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False
        ),
        *_practitioner(),
        sa.Column("author_citizen_id", sa.String(32), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("inquiry_id", "seq", name="pk_inquiry_messages"),
        sa.UniqueConstraint(
            "inquiry_id",
            "author_org_id",
            "request_id",
            name="uq_inquiry_messages_inquiry_id_author_org_id_request_id",
        ),
    )


def downgrade() -> None:
    for table in ("inquiry_messages", "inquiry_steps", "inquiries", "desk_members", "desks"):
        op.drop_table(table)
