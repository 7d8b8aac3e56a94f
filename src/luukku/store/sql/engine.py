"""Engines for SQLite (the embedded default) and PostgreSQL, and schema migration."""

from __future__ import annotations

import functools
import os
import select
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from psycopg import pq
from sqlalchemy import Engine, event, text
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

DEFAULT_SQLITE_PATH = Path("var") / "luukku.db"
# Execution option marking a transaction that only reads.
READ_ONLY = "luukku_read_only"
_MIGRATIONS = Path(__file__).parent.parent / "migrations"


def default_database_url() -> str:
    """``LUUKKU_DATABASE_URL`` if set, else a SQLite file under ``var/``."""
    return os.environ.get("LUUKKU_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def normalise_url(url: str) -> str:
    """Map a plain ``postgresql://`` URL to the psycopg 3 driver this project ships."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


IDLE_PING_S = 1.0
"""A pooled PostgreSQL connection idle this long is pinged before it is used again."""


def _pinged_when_idle(engine: Engine) -> Engine:
    """Ping a pooled connection before use only when it has been idle a while.

    A connection the database dropped (a restart, ``pg_terminate_backend``) is
    found and replaced before a call uses it, as with SQLAlchemy's
    ``pool_pre_ping``, but a connection handed back a moment ago, which is
    every connection under load, goes straight to work: the ping was a round
    trip on every checkout, two a call (measured: 9 % of a PostgreSQL read's
    samples). A connection that fails in use all the same is reported as a
    disconnect, and the pool replaces all of its connections.
    """

    @event.listens_for(engine, "checkin")
    def _idle_from(dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        if _hung_up(dbapi_connection):
            raise DisconnectionError("the database ended the pooled connection")
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("the pooled connection is gone") from exc
        if not alive:
            raise DisconnectionError("the pooled connection is gone")

    return engine


def _hung_up(dbapi_connection: Any) -> bool:
    """Whether the server has spoken on an idle pooled connection, or closed it.

    Unasked, a server says something to a connection that listens for nothing only
    as it ends the session (``pg_terminate_backend``, a shutdown: an error, then the
    socket's end), so this costs a ``poll`` and no round trip. A rarer word (a
    notice) costs a fresh connection, never a failed call.
    """
    pgconn = dbapi_connection.pgconn
    if pgconn.status != pq.ConnStatus.OK:
        return True
    # poll, not select: a broker holding thousands of streams has descriptors past
    # select's limit.
    poller = select.poll()
    poller.register(pgconn.socket, select.POLLIN)
    return bool(poller.poll(0))


def create_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with Luukku's durability settings.

    SQLite runs in WAL mode with ``synchronous=NORMAL``: the store makes each
    commit durable itself, with one shared fsync for many commits (see
    ``durability.GroupSync``), before anyone is told it succeeded. Write
    transactions start with ``BEGIN IMMEDIATE`` (taking the write lock up
    front avoids two readers both upgrading to writers); read-only ones
    (execution option ``luukku_read_only``) with a plain ``BEGIN``.

    Bound parameters are never logged: they can hold identity codes.
    """
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return _pinged_when_idle(sa_create_engine(url, hide_parameters=True, **kwargs))
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa_create_engine(
        url, connect_args={"check_same_thread": False}, hide_parameters=True, **kwargs
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below own transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        # Straight to the driver: this runs on every call of the broker.
        conn.connection.dbapi_connection.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def conninfo(engine: Engine) -> str:
    """The libpq connection string of a PostgreSQL engine (its search path included)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def sqlite_wal_path(engine: Engine) -> Path | None:
    """The WAL file of a file-backed SQLite database, else None."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    if engine.url.database == ":memory:":
        return None
    return Path(f"{engine.url.database}-wal")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


@functools.cache
def _head() -> str | None:
    """The newest revision the code knows (read from the migration scripts once)."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest Alembic revision (one process at a time).

    A database already at the newest revision is left as it is without running
    Alembic's environment (most opens: every broker start, every CLI command).
    """
    config = _config()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Replicas starting together on a new database: one migrates, the
            # others wait for it and then find nothing left to do.
            connection.execute(
                text(
                    "SELECT pg_advisory_xact_lock(hashtext('luukku.migrate.' || current_schema()))"
                )
            )
        if MigrationContext.configure(connection).get_current_revision() == _head():
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
