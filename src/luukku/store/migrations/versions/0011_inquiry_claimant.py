"""Inquiries name the practitioner who holds (or closed) them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

A colleague's queue shows who holds an inquiry without reading its history.
Inquiries claimed or closed before this revision take the practitioner from
their newest claiming or closing step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_COLUMNS = ("id", "name", "role")


def upgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        for part in _COLUMNS:
            batch.add_column(
                sa.Column(f"claimed_by_practitioner_{part}", sa.String(200), nullable=True)
            )
    for part in _COLUMNS:
        op.execute(
            f"UPDATE inquiries SET claimed_by_practitioner_{part} = ("  # noqa: S608 (fixed names)
            f"SELECT s.practitioner_{part} FROM inquiry_steps s"
            " WHERE s.inquiry_id = inquiries.id AND s.kind IN ('claimed', 'closed')"
            " ORDER BY s.seq DESC LIMIT 1)"
            " WHERE status <> 'queued'"
        )


def downgrade() -> None:
    # Not batch mode: recreating the table would break the foreign keys of its
    # steps and messages on SQLite (which drops a column itself since 3.35).
    for part in _COLUMNS:
        op.drop_column("inquiries", f"claimed_by_practitioner_{part}")
