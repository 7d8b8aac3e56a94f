"""Desk topics get names in Finnish, Swedish and English; inquiry steps a note for the citizen.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

Topics move from the desks' space-separated ``topics`` column to a table of
their own, in the same order, not named yet (the operator names them with
``luukku desk topic set``). Steps written before this revision have no public
note: their notes stay internal to the desk's members.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    topics = op.create_table(
        "desk_topics",
        sa.Column("desk_id", sa.String(63), sa.ForeignKey("desks.id"), nullable=False),
        sa.Column("topic", sa.String(63), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_fi", sa.String(100), nullable=False),
        sa.Column("name_sv", sa.String(100), nullable=False),
        sa.Column("name_en", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("desk_id", "topic", name="pk_desk_topics"),
    )
    rows = op.get_bind().execute(sa.text("SELECT id, topics FROM desks")).all()
    op.bulk_insert(
        topics,
        [
            {"desk_id": desk_id, "topic": slug, "position": n, **_unnamed()}
            for desk_id, slugs in rows
            for n, slug in enumerate(slugs.split())
        ],
    )
    with op.batch_alter_table("desks") as batch:
        batch.drop_column("topics")
    with op.batch_alter_table("inquiry_steps") as batch:
        batch.add_column(sa.Column("public_note", sa.Text(), nullable=False, server_default=""))


def _unnamed() -> dict[str, str]:
    return {"name_fi": "", "name_sv": "", "name_en": ""}


def downgrade() -> None:
    with op.batch_alter_table("inquiry_steps") as batch:
        batch.drop_column("public_note")
    with op.batch_alter_table("desks") as batch:
        batch.add_column(sa.Column("topics", sa.Text(), nullable=False, server_default=""))
    rows = op.get_bind().execute(
        sa.text("SELECT desk_id, topic FROM desk_topics ORDER BY desk_id, position")
    )
    slugs: dict[str, list[str]] = {}
    for desk_id, slug in rows:
        slugs.setdefault(desk_id, []).append(slug)
    for desk_id, found in slugs.items():
        op.get_bind().execute(
            sa.text("UPDATE desks SET topics = :topics WHERE id = :id"),
            {"topics": " ".join(found), "id": desk_id},
        )
    op.drop_table("desk_topics")
