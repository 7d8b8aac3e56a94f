"""Read receipts remember who moved them last and when, so a thread can show them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

Receipts written before this revision get, as their time, that of the message
read up to (they were read no earlier), else the thread's creation; as their
organisation, the one the participant key names ("" for a citizen's: the
portal that acted is not known).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_BACKFILL = """
UPDATE thread_reads SET
  marked_by_org_id = CASE WHEN participant LIKE 'org:%' THEN substr(participant, 5) ELSE '' END,
  marked_at = COALESCE(
    (SELECT m.created_at FROM messages m
      WHERE m.thread_id = thread_reads.thread_id AND m.seq = thread_reads.last_read_seq),
    (SELECT t.created_at FROM threads t WHERE t.id = thread_reads.thread_id))
"""


def upgrade() -> None:
    with op.batch_alter_table("thread_reads") as batch:
        batch.add_column(sa.Column("marked_by_org_id", sa.String(63), nullable=True))
        batch.add_column(sa.Column("marked_at", UtcDateTime(), nullable=True))
    op.execute(_BACKFILL)
    with op.batch_alter_table("thread_reads") as batch:
        batch.alter_column("marked_by_org_id", existing_type=sa.String(63), nullable=False)
        batch.alter_column("marked_at", existing_type=UtcDateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("thread_reads") as batch:
        batch.drop_column("marked_at")
        batch.drop_column("marked_by_org_id")
