"""Group commit for PostgreSQL: one WAL flush makes many commits durable.

Every audited call appends to the one audit log under one advisory lock,
held to the end of its transaction. With ``synchronous_commit = on`` that end
includes the commit's WAL flush (an fsync), so the appenders queue behind each
other's fsyncs and a broker serves at most one call per fsync, whatever its
threads.

Instead the store's connections commit with ``synchronous_commit = off``: the
commit record is written to the WAL and the lock released, but the flush is
not waited for. The commit takes a ticket, and the call answers only once a
flush that began after the ticket was issued has finished, as on SQLite
(``durability.GroupSync``). The flush is a tiny transaction committed with the
server's own ``synchronous_commit`` on a connection of its own: PostgreSQL
flushes the WAL up to its commit record, which lies after every commit made
before it began, so one round makes all of them durable (and, where the
server waits for synchronous standbys, replicated, to the same level).

A flush that fails (the server restarted, the connection dropped) may have
lost commits made since the last flush: every ticket issued until then is
refused (``StorageUnavailable``: the call fails, its client may retry), and so
is every transaction that began on the flush connection that failed. A flush
vouches only for commits made while its own connection was alive from before
they began, which a server restart (that ends every session) would have cut.
Unlike SQLite's lost fsync, the next rounds go on, on a new connection.
"""

from __future__ import annotations

import threading

import psycopg

from luukku.store.errors import StorageUnavailable

CONNECT_TIMEOUT_S = 3
# One round trip; txid_current() gives the transaction an id, so its commit is
# a WAL record that the server flushes (a commit without one flushes nothing).
_FLUSH = "BEGIN; SELECT txid_current(); COMMIT"


class PgGroupFlush:
    """Leader/follower WAL flushes for the threads of one process that committed."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._cond = threading.Condition()
        self._conn: psycopg.Connection[object] | None = None
        self._session = 0  # bumped whenever the flush connection is replaced or lost
        self._issued = 0
        self._synced = 0
        self._valid_from = 1  # tickets below this one were made unsafe by a lost flush
        self._leader = False
        # Until connected (the first round retries) every transaction is refused.
        self._conn = _connect_or_none(conninfo)

    lost = None
    """Never set: a failed flush refuses the commits it could not vouch for, no later ones."""

    @property
    def synced(self) -> int:
        """Every valid ticket up to this one is durable."""
        return self._synced

    @property
    def valid_from(self) -> int:
        """Tickets below this one are refused (``StorageUnavailable``)."""
        return self._valid_from

    def session(self) -> int:
        """The flush connection's session, taken before a transaction begins."""
        return self._session

    def committed(self, session: int) -> int:
        """A ticket for a commit that has just returned, whose transaction began in ``session``.

        Raises:
            StorageUnavailable: the flush connection changed since, or there is none: no
                flush can vouch for it. (Without one, a new one is sought first, so
                that the transactions after this one can be acknowledged.)
        """
        with self._cond:
            if session == self._session and self._conn is not None:
                self._issued += 1
                return self._issued
            reconnect = self._conn is None and not self._leader
            if reconnect:
                self._leader = True  # one thread at a time replaces the connection
        if reconnect:
            fresh = _connect_or_none(self._conninfo)
            with self._cond:
                self._leader = False
                if fresh is not None:
                    self._lose_session()
                    self._conn = fresh
                self._cond.notify_all()
        raise StorageUnavailable("the database went away before the commit was durable")

    def wait(self, ticket: int) -> None:
        """Return once a flush that began after ``ticket`` was issued has finished.

        Raises:
            StorageUnavailable: the flush failed, or the connection changed, before it did.
        """
        with self._cond:
            while True:
                if ticket < self._valid_from:
                    raise StorageUnavailable("the database went away before the commit was durable")
                if self._synced >= ticket:
                    return
                if self._leader:
                    self._cond.wait()
                    continue
                self._lead_one_round()

    def _lead_one_round(self) -> None:
        """Flush once for every ticket issued so far (called holding ``_cond``)."""
        self._leader = True
        covered = self._issued
        conn = self._conn
        ok = False
        fresh: psycopg.Connection[object] | None = None
        self._cond.release()
        try:
            if conn is not None:
                ok = _flushed(conn)
            if not ok:
                fresh = _connect_or_none(self._conninfo)
        finally:
            self._cond.acquire()
            self._leader = False
            if ok:
                self._synced = max(self._synced, covered)
            else:
                self._lose_session()
                self._conn = fresh
            self._cond.notify_all()

    def _lose_session(self) -> None:
        """Refuse every ticket issued so far and every transaction begun in this session."""
        self._valid_from = self._issued + 1
        self._session += 1
        if self._conn is not None:
            self._conn.close()
        self._conn = None

    def close(self) -> None:
        with self._cond:
            if self._conn is not None:
                self._conn.close()
            self._conn = None


def _flushed(conn: psycopg.Connection[object]) -> bool:
    """Whether the flush transaction committed (its WAL, and all before it, flushed)."""
    try:
        conn.execute(_FLUSH)
    except psycopg.Error:
        return False
    return True


def _connect_or_none(conninfo: str) -> psycopg.Connection[object] | None:
    """A flush connection that commits as durably as the server does at its most (never
    asynchronously, whatever the server's default), or None if it cannot be had now."""
    try:
        conn: psycopg.Connection[object] = psycopg.Connection.connect(
            conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S
        )
    except psycopg.Error:
        return None
    try:
        row = conn.execute("SHOW synchronous_commit").fetchone()
        if not isinstance(row, tuple) or row[0] == "off":
            conn.execute("SET synchronous_commit = on")
    except psycopg.Error:
        conn.close()
        return None
    return conn
