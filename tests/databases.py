"""Test databases: empty ones, and migrated ones copied from a template.

Migrating a new database runs every Alembic revision: 0.3-0.5 s on SQLite and
1-1.5 s on PostgreSQL on the CI machine, for each of the thousand-odd tests that
take a database. Each test process therefore migrates one template per engine,
once, and hands every test a copy: a file copy on SQLite, and on PostgreSQL the
template schema's ``pg_dump`` replayed into a new schema. The migrations
themselves stay tested on empty databases (``tests/integration/test_migrations.py``).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url

from luukku.store.opening import open_store
from luukku.store.sql.engine import normalise_url

POSTGRES_ENV = "LUUKKU_TEST_POSTGRES_URL"


def postgres_base() -> URL:
    """The PostgreSQL server the suite may use, or skip the test saying why not."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: PostgreSQL storage tests skipped")
    return make_url(normalise_url(url))


def _admin(statements: str) -> None:
    engine = create_engine(postgres_base(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            # Straight to psycopg, with no parameters: a dump's '%' is no placeholder.
            conn.connection.dbapi_connection.execute(statements)  # type: ignore[union-attr]
    finally:
        engine.dispose()


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


def new_migrated_schema() -> str:
    """A new PostgreSQL schema holding what the migrations build, copied from the template."""
    placeholder, dump = _postgres_template()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    _admin(dump.replace(placeholder, schema))
    return schema


def migrated_sqlite(path: Path) -> None:
    """A migrated SQLite database at ``path``, copied from the template."""
    shutil.copyfile(_sqlite_template(), path)


@functools.cache
def _sqlite_template() -> Path:
    path = Path(tempfile.mkdtemp(prefix="luukku-template-")) / "luukku.db"
    # Disposed, the store's last connection checkpoints the WAL into the file.
    open_store(f"sqlite:///{path}").dispose()
    return path


@functools.cache
def _postgres_template() -> tuple[str, str]:
    """The template schema's name (a placeholder in the dump) and its plain-SQL dump."""
    schema = f"luukku_template_{uuid.uuid4().hex}"
    _admin(f'CREATE SCHEMA "{schema}"')
    try:
        open_store(in_schema(schema)).dispose()
        base = postgres_base().set(drivername="postgresql")
        dumped = subprocess.run(
            [
                *("pg_dump", "--no-owner", "--no-privileges", "--inserts"),
                *("--schema", schema, base.render_as_string(hide_password=False)),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        drop_schema(schema)
    # pg_dump 15.14 and later fence the dump with psql's \restrict meta-commands,
    # which only psql understands; the dump is replayed here as plain SQL.
    return schema, "\n".join(line for line in dumped.splitlines() if not line.startswith("\\"))
