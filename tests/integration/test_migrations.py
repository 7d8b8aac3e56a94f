"""The Alembic migrations build exactly the schema the code declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from luukku.store.audit.partitions import undeclared
from luukku.store.sql.engine import migrate
from luukku.store.sql.tables import metadata
from luukku.store.uow import Store


def _context(conn: Connection) -> MigrationContext:
    """Compared as the migrations compare: the audit log's partitions are not declared."""
    return MigrationContext.configure(conn, opts={"include_object": undeclared})


def test_migrations_produce_the_declared_schema_on_every_engine(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(_context(conn), metadata)
    assert diff == []


def test_migrating_twice_changes_nothing(store: Store) -> None:
    migrate(store.engine)
    with store.engine.connect() as conn:
        assert compare_metadata(_context(conn), metadata) == []
