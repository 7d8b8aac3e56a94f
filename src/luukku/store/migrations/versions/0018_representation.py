"""Representation rights, the orders that bar them, and minors' decision capacity.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from luukku.store.sql.types import UtcDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _citizen(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(32), sa.ForeignKey("citizens.id"), nullable=False)


def _org(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(63), sa.ForeignKey("organizations.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "representation_rights",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        _citizen("representative_id"),
        _citizen("represented_id"),
        sa.Column("codes", sa.String(200), nullable=False),
        sa.Column("valid_from", UtcDateTime(), nullable=False),
        sa.Column("valid_until", UtcDateTime(), nullable=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("accepted_at", UtcDateTime(), nullable=True),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.Column("represented_birth_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_representation_rights"),
    )
    op.create_index(
        "ix_representation_rights_represented_id_representative_id",
        "representation_rights",
        ["represented_id", "representative_id"],
    )
    op.create_index(
        "ix_representation_rights_representative_id",
        "representation_rights",
        ["representative_id"],
    )
    op.create_table(
        "representation_blockers",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        _citizen("represented_id"),
        sa.Column("valid_from", UtcDateTime(), nullable=False),
        sa.Column("lifted_at", UtcDateTime(), nullable=True),
        _org("registered_by_org_id"),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_representation_blockers"),
    )
    op.create_index(
        "ix_representation_blockers_represented_id",
        "representation_blockers",
        ["represented_id"],
    )
    op.create_table(
        "minor_capacity_decisions",
        sa.Column("seq", SEQUENCE, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False),
        _citizen("child_id"),
        sa.Column("capacity", sa.String(32), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        _org("decided_by_org_id"),
    )
    op.create_index(
        "ix_minor_capacity_decisions_case_id_seq",
        "minor_capacity_decisions",
        ["case_id", "seq"],
    )


def downgrade() -> None:
    op.drop_table("minor_capacity_decisions")
    op.drop_table("representation_blockers")
    op.drop_table("representation_rights")
