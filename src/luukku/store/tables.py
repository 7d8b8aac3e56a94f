"""The database schema as SQLAlchemy Core tables.

Alembic migrations under ``migrations/versions`` create exactly these tables;
``tests/integration/test_migrations.py`` checks that the two agree.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
)

from luukku.store.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

organizations = Table(
    "organizations",
    metadata,
    Column("id", String(63), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("business_id", String(9), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

certificates = Table(
    "certificates",
    metadata,
    # Hex SHA-256 of the DER certificate: what the broker sees on every call.
    Column("fingerprint", String(64), primary_key=True),
    Column("org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("state", String(16), nullable=False),
    Column("subject", String(500), nullable=False),
    Column("not_after", UtcDateTime(), nullable=False),
    Column("added_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
    Index(None, "org_id"),
)
