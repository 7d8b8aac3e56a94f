"""Index the audit events done for a citizen about someone else (or no one).

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-07

A citizen's access log is read in two parts, each in its own index's order
(``store/audit/conditions.py``): the events about them, and those done for them
about someone else. The second part is rare (a representative's calls), but in
``(acting_for_citizen_id, seq)`` it hides among the citizen's own use of the
portal (done for them, about them), which is thousands of events for an active
citizen: every page read them all to find none. A partial index of only the rare
rows makes that part a few index entries, however active the citizen.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

INDEX = "ix_audit_events_acting_for_others_seq"
DONE_FOR_OTHERS = (
    "acting_for_citizen_id IS NOT NULL"
    " AND (subject_citizen_id IS NULL OR acting_for_citizen_id <> subject_citizen_id)"
)


def upgrade() -> None:
    op.create_index(
        INDEX,
        "audit_events",
        ["acting_for_citizen_id", "seq"],
        postgresql_where=sa.text(DONE_FOR_OTHERS),
        sqlite_where=sa.text(DONE_FOR_OTHERS),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="audit_events")
