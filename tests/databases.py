"""Test databases: empty ones, and migrated ones copied from a template.

Migrating a new database runs every Alembic revision: 0.3-0.5 s on SQLite and
1-1.5 s on PostgreSQL on the CI machine, for each of the thousand-odd tests that
take a database. Each test process therefore migrates one template per engine,
once, and hands every test a copy: a file copy on SQLite, and on PostgreSQL a
schema the process made earlier (the template schema's ``pg_dump`` replayed),
emptied and refilled (``_SchemaPool``). The migrations themselves stay tested on
empty databases (``tests/integration/test_migrations.py``).

The same goes for data: a module whose tests all start from the same world takes a
``snapshot`` of it once and gives each test a ``copy_of`` it.
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url

from luukku.store.opening import open_store
from luukku.store.sql.engine import normalise_url

POSTGRES_ENV = "LUUKKU_TEST_POSTGRES_URL"

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
"""The parameters of a fixture that gives each test a database on each engine."""


def postgres_base() -> URL:
    """The PostgreSQL server the suite may use, or skip the test saying why not."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: PostgreSQL storage tests skipped")
    return make_url(normalise_url(url))


class _AdminConnection:
    """One autocommit connection per test process for making, filling and dropping
    schemas (a connection of its own for each costs more than most of those do)."""

    def __init__(self) -> None:
        self._conn: psycopg.Connection[tuple[Any, ...]] | None = None

    def execute(self, statements: str, params: dict[str, str] | None = None) -> list[Any]:
        """Run ``statements`` (one query string: one transaction); the rows of the last.
        A connection the server dropped is replaced, and the statements run once more."""
        try:
            return self._run(statements, params)
        except psycopg.OperationalError:
            self.close()
            return self._run(statements, params)

    def _run(self, statements: str, params: dict[str, str] | None) -> list[Any]:
        conn = self._connection()
        # Without parameters straight as text: a dump's '%' is no placeholder.
        cursor = conn.execute(statements, params) if params else conn.execute(statements)
        return cursor.fetchall() if cursor.description else []

    def _connection(self) -> psycopg.Connection[tuple[Any, ...]]:
        if self._conn is None or self._conn.closed:
            libpq = postgres_base().set(drivername="postgresql")
            self._conn = psycopg.connect(libpq.render_as_string(hide_password=False))
            self._conn.autocommit = True
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


_ADMIN = _AdminConnection()


def _admin(statements: str) -> None:
    _ADMIN.execute(statements)


def vacuum_catalogs() -> None:
    """Clear the catalogs of the rows earlier runs' schemas left behind, if PostgreSQL is
    named (a server that cannot be reached is the storage tests' to report).

    Each run creates and drops a few thousand schemas, each leaving dead rows in
    ``pg_attribute``, ``pg_class``, ``pg_depend`` and the rest. Autovacuum would clear
    them; on a server where it is off (the CI machine's is), they pile up run after run
    (a million in ``pg_attribute`` was seen), and every schema made, dropped or planned
    wades through them.
    """
    if not os.environ.get(POSTGRES_ENV):
        return
    engine = create_engine(postgres_base(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("VACUUM")  # the whole database: its catalogs are what matter
    except Exception as exc:  # any failure here, the storage tests report as theirs
        print(f"PostgreSQL's catalogs were not vacuumed: {exc}")
    finally:
        engine.dispose()


def in_schema(schema: str) -> str:
    """The URL of ``schema`` on the suite's PostgreSQL (connections start in it)."""
    return (
        postgres_base()
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


def new_schema() -> str:
    """A new, empty PostgreSQL schema's name."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE SCHEMA "{schema}"')
    return schema


def drop_schema(schema: str) -> None:
    _admin(f'DROP SCHEMA "{schema}" CASCADE')


def migrated(engine: str) -> Snapshot:
    """The snapshot of a database holding what the migrations build, and no data."""
    if engine == "sqlite":
        return Snapshot(file=_sqlite_template())
    return _postgres_template()


@dataclass(frozen=True)
class Snapshot:
    """A database's content at one moment, to hand a copy of to each of many tests: a
    SQLite file, or a PostgreSQL schema's plain-SQL dumps naming its schema ``schema``:
    the whole schema, and its data alone."""

    file: Path | None = None
    schema: str = ""
    dump: str = ""
    data: str = ""
    shape: str = ""
    """The template's only: what tables, indexes, triggers and constraints it has
    (``_shape``), which a schema must still have to be kept."""


def snapshot(url: str, into: Path) -> Snapshot:
    """What the database at ``url`` holds now, consistently even while a broker writes to
    it: SQLite's online backup into a file under ``into``, or ``pg_dump`` (one snapshot
    transaction) of the schema the URL's connections start in."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        file = into / f"snapshot-{uuid.uuid4().hex[:8]}.db"
        source = closing(sqlite3.connect(str(parsed.database)))
        with source as original, closing(sqlite3.connect(str(file))) as copy:
            original.backup(copy)
        return Snapshot(file=file)
    options = parsed.query["options"]
    assert isinstance(options, str)
    schema = options.removeprefix("-csearch_path=")
    assert schema != options, options
    return _postgres_snapshot(schema)


@contextmanager
def copy_of(snapshot: Snapshot, tmp_path: Path) -> Iterator[str]:
    """The URL of a database holding what ``snapshot`` holds, for one test."""
    if snapshot.file is not None:
        path = tmp_path / "luukku.db"
        shutil.copyfile(snapshot.file, path)
        yield f"sqlite:///{path}"
        return
    schema = _SCHEMAS.take(snapshot)
    try:
        yield in_schema(schema)
    finally:
        _SCHEMAS.give_back(schema)


class _SchemaPool:
    """PostgreSQL schemas this process made, kept between tests and refilled.

    Making a schema (replaying the template's DDL) and dropping it cost 0.5-0.9 s of
    the server's time on a busy CI machine, and the suite takes a thousand; emptying
    one and inserting a snapshot's rows costs 0.03 s. A schema is kept only if its
    tables, indexes, triggers and constraints are still the template's (a test that
    drops a partition or archives a month gets its schema dropped), and emptied with
    triggers off (``session_replication_role``, for the append-only tables), which
    takes a superuser: on a server where the suite is none, each schema is dropped.
    """

    def __init__(self) -> None:
        self._free: list[str] = []
        self._reusable = True

    def take(self, snapshot: Snapshot) -> str:
        while self._free:
            schema = self._free.pop()
            try:
                _admin(_refill(schema, snapshot))
                return schema
            except psycopg.Error as exc:
                self._reusable = not isinstance(exc, psycopg.errors.InsufficientPrivilege)
                drop_schema(schema)
        return _replayed(snapshot)

    def give_back(self, schema: str) -> None:
        if self._reusable and _shape(schema) == _postgres_template().shape:
            self._free.append(schema)
        else:
            drop_schema(schema)

    def drop_all(self) -> None:
        """Drop the schemas kept (at the end of a test process's run)."""
        for schema in self._free:
            drop_schema(schema)
        self._free.clear()
        _ADMIN.close()


_SCHEMAS = _SchemaPool()


def drop_kept_schemas() -> None:
    """Drop the PostgreSQL schemas this process kept for its next tests."""
    _SCHEMAS.drop_all()


def _refill(schema: str, snapshot: Snapshot) -> str:
    """The statements that empty ``schema`` (shaped as the template) and insert
    ``snapshot``'s rows, the foreign keys' and append-only triggers off; one query
    string: one transaction."""
    deletes = "".join(f'DELETE FROM "{schema}"."{table}";\n' for table in _template_tables())
    return (
        "SET session_replication_role = replica;\n"
        + deletes
        + snapshot.data.replace(snapshot.schema, schema)
        + "\nRESET session_replication_role;\n"
    )


@functools.cache
def _template_tables() -> list[str]:
    """The names of the template's tables (partitions too)."""
    return [
        name.removesuffix(":r")
        for name in _postgres_template().shape.split(",")
        if name.endswith(":r")
    ]


def _shape(schema: str) -> str:
    """The names of ``schema``'s relations (``name:kind``), triggers (and whether on) and
    constraints (not the foreign keys' own triggers: named by oid, they differ from copy
    to copy)."""
    (row,) = _ADMIN.execute(
        """SELECT string_agg(name, ',' ORDER BY name) FROM (
             SELECT relname::text || ':' || relkind::text AS name FROM pg_class
              WHERE relnamespace = to_regnamespace(%(s)s)
             UNION ALL
             SELECT tgname::text || ':trigger:' || tgenabled::text FROM pg_trigger
               JOIN pg_class ON pg_class.oid = tgrelid
              WHERE relnamespace = to_regnamespace(%(s)s) AND NOT tgisinternal
             UNION ALL
             SELECT conname::text || ':constraint' FROM pg_constraint
              WHERE connamespace = to_regnamespace(%(s)s)) AS parts""",
        {"s": schema},
    )
    return str(row[0])


def _replayed(snapshot: Snapshot) -> str:
    """A new schema made by replaying ``snapshot``'s dump under a new name."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    _admin(snapshot.dump.replace(snapshot.schema, schema))
    return schema


@functools.cache
def _sqlite_template() -> Path:
    path = Path(tempfile.mkdtemp(prefix="luukku-template-")) / "luukku.db"
    # Disposed, the store's last connection checkpoints the WAL into the file.
    open_store(f"sqlite:///{path}").dispose()
    return path


@functools.cache
def _postgres_template() -> Snapshot:
    """The migrated template schema's snapshot (its schema's random name a placeholder)."""
    schema = f"luukku_template_{uuid.uuid4().hex}"
    _admin(f'CREATE SCHEMA "{schema}"')
    try:
        open_store(in_schema(schema)).dispose()
        return replace(_postgres_snapshot(schema), shape=_shape(schema))
    finally:
        drop_schema(schema)


def _postgres_snapshot(schema: str) -> Snapshot:
    return Snapshot(schema=schema, dump=_dump(schema), data=_dump(schema, "--data-only"))


def _dump(schema: str, *options: str) -> str:
    """``schema``'s plain-SQL dump, its data as INSERTs."""
    base = postgres_base().set(drivername="postgresql")
    dumped = subprocess.run(
        [
            *("pg_dump", "--no-owner", "--no-privileges", "--inserts", *options),
            *("--schema", schema, base.render_as_string(hide_password=False)),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # pg_dump 15.14 and later fence the dump with psql's \restrict meta-commands,
    # which only psql understands; the dump is replayed here as plain SQL.
    return "\n".join(
        line for line in dumped.splitlines() if not line.startswith(("\\restrict", "\\unrestrict"))
    )
