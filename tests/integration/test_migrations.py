"""The Alembic migrations build exactly the schema the code declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from luukku.store.audit.partitions import undeclared
from luukku.store.opening import open_store
from luukku.store.sql.engine import migrate
from luukku.store.sql.tables import metadata


def _context(conn: Connection) -> MigrationContext:
    """Compared as the migrations compare: the audit log's partitions are not declared."""
    return MigrationContext.configure(conn, opts={"include_object": undeclared})


def test_migrations_produce_the_declared_schema_on_every_engine(empty_database_url: str) -> None:
    store = open_store(empty_database_url)
    try:
        with store.engine.connect() as conn:
            diff = compare_metadata(_context(conn), metadata)
    finally:
        store.dispose()
    assert diff == []


def test_migrating_twice_changes_nothing(empty_database_url: str) -> None:
    store = open_store(empty_database_url)
    try:
        migrate(store.engine)
        with store.engine.connect() as conn:
            assert compare_metadata(_context(conn), metadata) == []
    finally:
        store.dispose()


def test_the_suites_copied_databases_hold_the_declared_schema(database_url: str) -> None:
    """The suite's other tests run on copies of a migrated template (tests/databases.py)."""
    store = open_store(database_url)
    try:
        with store.engine.connect() as conn:
            assert compare_metadata(_context(conn), metadata) == []
    finally:
        store.dispose()
