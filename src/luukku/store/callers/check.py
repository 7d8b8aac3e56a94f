"""PostgreSQL: a call's cached caller checked against the directory in its first BEGIN.

A broker on PostgreSQL keeps the callers it has admitted (certificate and
organisation rows) with the ``directory_version`` they were read at; triggers
move that version in every transaction that changes an organisation or a
certificate (migration 0022). A call served from the cache carries a
``CallerCheck``; the first transaction it begins sends its ``BEGIN`` together
with a read of the version, one round trip as a plain ``BEGIN`` was. If the
version moved, the caller's rows are read again in that transaction: unchanged
(another organisation changed), the check passes and remembers the new version;
changed, ``CallerChanged`` is raised before the call has read or written
anything, and the gate looks the caller up afresh (and refuses it, if revoked).

So a revocation committed before a call began is seen by that call's first
statement on any broker, as an uncached lookup would have seen it. The broker
begins its transactions itself for this (its connections are in the driver's
autocommit mode, and ``BEGIN`` is sent by the hook below): COMMIT and ROLLBACK
are still sent by the driver, which asks the server whether a transaction is open.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import psycopg
from psycopg import pq
from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError

from luukku.domain.organizations import Certificate, Organization
from luukku.store.callers.directory import DirectoryRepository
from luukku.store.errors import CallerChanged

Rows = tuple[Certificate | None, Organization | None]


class CachedCaller:
    """A caller's directory rows as read at ``version`` (shared by the calls it serves)."""

    __slots__ = ("rows", "version")

    def __init__(self, rows: Rows, version: int) -> None:
        self.rows = rows
        self.version = version


class CallerCheck:
    """One call's pending check of its cached caller."""

    __slots__ = ("cached", "confirmed", "fingerprint")

    def __init__(self, fingerprint: str, cached: CachedCaller, confirmed: bool = False) -> None:
        self.fingerprint = fingerprint
        self.cached = cached
        self.confirmed = confirmed
        """Whether a transaction of this call has found the directory as cached."""


_PENDING: ContextVar[CallerCheck | None] = ContextVar("luukku_caller_check", default=None)

_BEGIN = b"BEGIN"
_COMMIT = b"COMMIT"
_BEGIN_AND_VERSION = b"BEGIN; SELECT version FROM directory_version WHERE id = 1"
_OK = (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK)
_IN_TRANSACTION = pq.TransactionStatus.INTRANS


@contextmanager
def checking(check: CallerCheck | None) -> Iterator[None]:
    """Transactions begun in this scope (and the threads it hands work to) check ``check``."""
    token = _PENDING.set(check)
    try:
        yield
    finally:
        _PENDING.reset(token)


def begin_transactions_here(engine: Engine) -> None:
    """Send every transaction's ``BEGIN`` from here, with the pending caller check if any,
    and its ``COMMIT``: both straight through libpq, none of the driver's Python on the way
    (the driver's own ``commit()`` then finds no transaction open and sends nothing)."""

    @event.listens_for(engine, "commit")
    def _commit(conn: Any) -> None:
        # Only a transaction in good standing: a failed one is the driver's to end.
        if conn.connection.dbapi_connection.pgconn.transaction_status == _IN_TRANSACTION:
            _run(conn, _COMMIT)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        dbapi_connection = conn.connection.dbapi_connection
        if not dbapi_connection.autocommit:
            # SQLAlchemy resets it after a connection lent out in AUTOCOMMIT; while
            # idle this only flips the driver's flag.
            dbapi_connection.autocommit = True
        check = _PENDING.get()
        if check is None or check.confirmed:
            _run(conn, _BEGIN)
            return
        found = _run(conn, _BEGIN_AND_VERSION)
        version = int(found) if found is not None else -1
        if version != check.cached.version:
            rows = DirectoryRepository(conn).find_caller(check.fingerprint)
            if rows != check.cached.rows:
                dbapi_connection.rollback()
                raise CallerChanged("the caller's certificate or organisation changed")
            check.cached.version = version  # another organisation's change
        check.confirmed = True


def _run(conn: Any, sql: bytes) -> bytes | None:
    """``sql`` straight through libpq (one round trip, none of the driver's Python on the
    way); the first value of its last result, if any. A failure is raised as SQLAlchemy
    raises the driver's errors (``OperationalError`` for a connection gone)."""
    dbapi_connection = conn.connection.dbapi_connection
    try:
        result = dbapi_connection.pgconn.exec_(sql)
        if result.status not in _OK:
            if dbapi_connection.pgconn.status != pq.ConnStatus.OK:
                # What SQLAlchemy does on a disconnect it sees itself: the database
                # restarted or cut its sessions, so every pooled connection is replaced
                # (a public way: a new pool; the dead one's connections are dropped).
                # A BEGIN that failed so is sent again on a fresh one (``Store._begin``).
                conn.engine.dispose(close=False)
                # As the driver's own cursor says it: a lost connection is operational
                # (the store answers UNAVAILABLE), not an error of the statement.
                raise psycopg.OperationalError("the connection is lost")
            raise psycopg.errors.error_from_result(result, encoding=dbapi_connection.info.encoding)
    except psycopg.Error as exc:
        raise DBAPIError.instance(
            sql.decode(), None, exc, psycopg.Error, hide_parameters=True, dialect=conn.dialect
        ) from exc
    if result.status == pq.ExecStatus.TUPLES_OK and result.ntuples:
        value: bytes | None = result.get_value(0, 0)
        return value
    return None
