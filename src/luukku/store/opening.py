"""Opening the store: connect, check that the database is there, migrate.

Every failure to open is a ``StorageUnavailable`` with one line that says what
is wrong and what to do: the CLI prints it as it is.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from luukku.store.errors import StorageUnavailable
from luukku.store.sql.engine import create_engine, migrate
from luukku.store.uow import Store

_SUPPORTED = ("sqlite", "postgresql", "postgres")


def open_store(database_url: str, *, create: bool = True) -> Store:
    """Connect to the database, apply pending migrations, and return the store.

    Args:
        database_url: a ``sqlite:///PATH`` or ``postgresql://…`` URL.
        create: make a missing SQLite file (and its folder); read-only
            commands pass False, so that a mistyped path is an error, not a
            new empty database.

    Raises:
        StorageUnavailable: with a one-line explanation.
    """
    url = _parsed(database_url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(str(url.database))
        if not path.exists():
            if not create:
                raise StorageUnavailable(f"no such database: {shown}")
            path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        migrate(engine)
    except OperationalError as exc:
        engine.dispose()
        raise StorageUnavailable(_why(exc, shown)) from exc
    return Store(engine)


def database_kind(database_url: str) -> str:
    """``sqlite`` or ``postgresql``: the kind of database a URL names.

    Raises:
        StorageUnavailable: not a database URL, or one of an unsupported kind.
    """
    backend = _parsed(database_url).get_backend_name()
    return "postgresql" if backend == "postgres" else backend


def _parsed(database_url: str) -> URL:
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise StorageUnavailable(
            "not a database URL: use sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
        ) from exc
    if url.get_backend_name() not in _SUPPORTED:
        raise StorageUnavailable(
            f"unsupported database {url.get_backend_name()!r}: use sqlite:///PATH "
            "or postgresql://USER@HOST:PORT/DB"
        )
    return url


def _why(exc: OperationalError, shown: str) -> str:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    if "does not exist" in detail and "database" in detail:
        return f"no such database: {shown} (create it first, e.g. createdb)"
    return f"cannot open the database {shown}: {detail}"


__all__ = ["StorageUnavailable", "database_kind", "open_store"]
