"""Ready answers per desk, and the language an inquiry was asked in.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _who(prefix: str) -> list[sa.Column[str]]:
    return [
        sa.Column(f"{prefix}_by_practitioner_id", sa.String(200), nullable=False),
        sa.Column(f"{prefix}_by_practitioner_name", sa.String(200), nullable=False),
        sa.Column(f"{prefix}_by_practitioner_role", sa.String(200), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "ready_answers",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("desk_id", sa.String(63), sa.ForeignKey("desks.id"), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("text_fi", sa.Text(), nullable=False),
        sa.Column("text_sv", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_by_org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False
        ),
        *_who("created"),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column(
            "updated_by_org_id", sa.String(63), sa.ForeignKey("organizations.id"), nullable=False
        ),
        *_who("updated"),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("deleted_at", UtcDateTime(), nullable=True),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ready_answers"),
        sa.UniqueConstraint("desk_id", "number", name="uq_ready_answers_desk_id_number"),
        sa.UniqueConstraint(
            "desk_id",
            "created_by_org_id",
            "request_id",
            name="uq_ready_answers_desk_id_created_by_org_id_request_id",
        ),
    )
    op.create_index(
        "ix_ready_answers_desk_id_deleted_at_number",
        "ready_answers",
        ["desk_id", "deleted_at", "number"],
    )
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("language", sa.String(2), nullable=False, server_default=""))


def downgrade() -> None:
    # Not batch mode: recreating the table would break the foreign keys of its
    # steps and messages on SQLite (which drops a column itself since 3.35).
    op.drop_column("inquiries", "language")
    op.drop_index("ix_ready_answers_desk_id_deleted_at_number", "ready_answers")
    op.drop_table("ready_answers")
