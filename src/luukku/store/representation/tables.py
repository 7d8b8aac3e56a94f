"""The tables of representation rights, declared on the schema's one ``MetaData``."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
)

from luukku.store.sql.tables import SEQUENCE, metadata
from luukku.store.sql.types import UtcDateTime

# Current state of each right; ending one sets ended_at (the row stays).
representation_rights = Table(
    "representation_rights",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("representative_id", String(32), ForeignKey("citizens.id"), nullable=False),
    Column("represented_id", String(32), ForeignKey("citizens.id"), nullable=False),
    # Mandate codes, space-separated in a fixed order.
    Column("codes", String(200), nullable=False),
    Column("valid_from", UtcDateTime(), nullable=False),
    Column("valid_until", UtcDateTime(), nullable=True),
    Column("source", String(32), nullable=False),
    Column("accepted_at", UtcDateTime(), nullable=True),
    Column("ended_at", UtcDateTime(), nullable=True),
    # A child's birth date, from the identity code: when a guardian's right ends.
    Column("represented_birth_date", Date(), nullable=True),
    Column("reason", String(500), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    # "citizen/<giver>/<request id>" or "org/<organisation>/<request id>": a retry's key.
    Column("request_key", String(200), nullable=True, unique=True),
    # A clerk's reason for ending it early.
    Column("end_reason", String(500), nullable=True),
    # The decision's lookup: this representative's rights over this person.
    Index(None, "represented_id", "representative_id"),
    Index(None, "representative_id"),
)

# Care orders and non-disclosure orders on a person, until lifted.
representation_blockers = Table(
    "representation_blockers",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("represented_id", String(32), ForeignKey("citizens.id"), nullable=False),
    Column("valid_from", UtcDateTime(), nullable=False),
    Column("lifted_at", UtcDateTime(), nullable=True),
    Column("registered_by_org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("request_id", String(128), nullable=True),
    Column("lift_reason", String(500), nullable=True),
    UniqueConstraint("registered_by_org_id", "request_id"),
    Index(None, "represented_id"),
)

# Every judgement of a minor's decision capacity for a case; the latest counts.
minor_capacity_decisions = Table(
    "minor_capacity_decisions",
    metadata,
    Column("seq", SEQUENCE, primary_key=True, autoincrement=True),
    Column("case_id", String(32), ForeignKey("cases.id"), nullable=False),
    Column("child_id", String(32), ForeignKey("citizens.id"), nullable=False),
    Column("capacity", String(32), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=False),
    Column("decided_by_org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Index(None, "case_id", "seq"),
)
