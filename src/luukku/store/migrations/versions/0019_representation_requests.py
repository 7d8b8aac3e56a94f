"""Representation rights and orders remember the request that made them, and why a clerk
ended or lifted one.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

``request_key`` makes a retried GiveMandate or RegisterRepresentationRight
return the right its first call made: it is ``citizen/<giver id>/<request id>``
for a mandate and ``org/<organisation id>/<request id>`` for a clerk's
registration. An order is keyed by the organisation that recorded it and its
request id. ``end_reason`` and ``lift_reason`` keep a clerk's reason.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("representation_rights") as batch:
        batch.add_column(sa.Column("request_key", sa.String(200), nullable=True))
        batch.add_column(sa.Column("end_reason", sa.String(500), nullable=True))
        batch.create_unique_constraint("uq_representation_rights_request_key", ["request_key"])
    with op.batch_alter_table("representation_blockers") as batch:
        batch.add_column(sa.Column("request_id", sa.String(128), nullable=True))
        batch.add_column(sa.Column("lift_reason", sa.String(500), nullable=True))
        batch.create_unique_constraint(
            "uq_representation_blockers_registered_by_org_id_request_id",
            ["registered_by_org_id", "request_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("representation_blockers") as batch:
        batch.drop_constraint(
            "uq_representation_blockers_registered_by_org_id_request_id", type_="unique"
        )
        batch.drop_column("lift_reason")
        batch.drop_column("request_id")
    with op.batch_alter_table("representation_rights") as batch:
        batch.drop_constraint("uq_representation_rights_request_key", type_="unique")
        batch.drop_column("end_reason")
        batch.drop_column("request_key")
