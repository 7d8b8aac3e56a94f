"""The unit of work: one transaction and the repositories that share it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cached_property
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, RootTransaction, event
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
)

from luukku.domain.pseudonyms import CitizenKeys
from luukku.store.audit.archive_shelf import ArchiveShelf
from luukku.store.audit.archives import ArchiveRepository
from luukku.store.audit.log import AuditRepository
from luukku.store.callers.check import begin_transactions_here
from luukku.store.callers.directory import DirectoryRepository
from luukku.store.cases import CaseRepository
from luukku.store.citizens import CitizenRepository, citizen_keys
from luukku.store.consents import ConsentRepository
from luukku.store.desks.consent_requests import ConsentRequestRepository
from luukku.store.desks.desks import DeskRepository
from luukku.store.desks.figures import DeskFigures
from luukku.store.desks.inquiries import InquiryRepository
from luukku.store.desks.inquiry_notes import InquiryNoteRepository
from luukku.store.desks.queue import DeskQueueRepository
from luukku.store.desks.ready_answers import ReadyAnswerRepository
from luukku.store.errors import Conflict, StorageUnavailable
from luukku.store.representation.rights import RepresentationRepository
from luukku.store.sql.durability import GroupSync, settle
from luukku.store.sql.engine import READ_ONLY, conninfo, sqlite_wal_path
from luukku.store.sql.pg_flush import PgGroupFlush
from luukku.store.threads import ThreadRepository


class Tx:
    """Repositories bound to one open transaction, each made when first reached (a call
    reaches two or three of them)."""

    def __init__(
        self, conn: Connection, keys: CitizenKeys, shelf: ArchiveShelf | None = None
    ) -> None:
        self.connection = conn
        self._keys = keys
        self._shelf = shelf

    @cached_property
    def directory(self) -> DirectoryRepository:
        return DirectoryRepository(self.connection)

    @cached_property
    def citizens(self) -> CitizenRepository:
        return CitizenRepository(self.connection)

    @cached_property
    def cases(self) -> CaseRepository:
        return CaseRepository(self.connection)

    @cached_property
    def consents(self) -> ConsentRepository:
        return ConsentRepository(self.connection)

    @cached_property
    def consent_requests(self) -> ConsentRequestRepository:
        return ConsentRequestRepository(self.connection)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.connection, self._keys, self._shelf)

    @cached_property
    def audit_archives(self) -> ArchiveRepository:
        return ArchiveRepository(self.connection)

    @cached_property
    def threads(self) -> ThreadRepository:
        return ThreadRepository(self.connection)

    @cached_property
    def desks(self) -> DeskRepository:
        return DeskRepository(self.connection)

    @cached_property
    def desk_queue(self) -> DeskQueueRepository:
        return DeskQueueRepository(self.connection)

    @cached_property
    def inquiries(self) -> InquiryRepository:
        return InquiryRepository(self.connection)

    @cached_property
    def inquiry_notes(self) -> InquiryNoteRepository:
        return InquiryNoteRepository(self.connection)

    @cached_property
    def ready_answers(self) -> ReadyAnswerRepository:
        return ReadyAnswerRepository(self.connection)

    @cached_property
    def desk_figures(self) -> DeskFigures:
        return DeskFigures(self.connection)

    @cached_property
    def representation(self) -> RepresentationRepository:
        return RepresentationRepository(self.connection)


class Store:
    """Hands out transactions; commits when the block succeeds, rolls back otherwise.

    A write transaction returns only once its commit is durable, or, inside
    ``durability.deferring_durability()``, leaves its commit's ticket for the
    caller to await (the broker's event loop). On SQLite the writers of one
    process queue on a lock here (waking the moment it is free, unlike
    SQLite's sleeping busy handler) and share fsyncs through ``GroupSync``;
    on PostgreSQL they commit without waiting for the WAL flush and share
    flushes through ``PgGroupFlush``.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.flush: PgGroupFlush | None = None
        """Shared WAL flushes of PostgreSQL, whose commits here do not wait for their own."""
        if engine.dialect.name == "postgresql":
            _commit_without_waiting_for_the_flush(engine)
            begin_transactions_here(engine)
            self.flush = PgGroupFlush(conninfo(engine))
        with _DRIVER_ERRORS, engine.connect() as conn:
            keys = citizen_keys(conn)
        self.citizen_keys = keys
        """The keys of citizen pseudonyms and audit leaf commitments: read from the
        database that made them, so the same on every replica and after every restart."""
        self.audit_shelf: ArchiveShelf | None = None
        """Archived months the audit listings read too (``serve --audit-archive``); set
        before the first transaction."""
        self._pinned = _Pinned()
        self._all_pinned: list[Connection] = []
        wal = sqlite_wal_path(engine)
        self.sync = GroupSync(wal) if wal is not None else None
        """Shared WAL fsyncs of a SQLite file; None where each commit is durable itself."""
        self._write_lock: AbstractContextManager[object] = (
            threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        )

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """A read-write transaction; valid inside the ``with`` block only.

        Raises:
            Conflict: a write collided with a unique key (rolled back).
            StorageUnavailable: the database went away.
            DurabilityLost: the commit can no longer be made durable.
        """
        session = self.flush.session() if self.flush is not None else 0
        with _DRIVER_ERRORS, self._write_lock:
            pinned = self._pinned.writer
            if pinned is None:
                with self._begun(read_only=False) as conn:
                    yield Tx(conn, self.citizen_keys, self.audit_shelf)
            else:
                with pinned.connection.begin():
                    yield pinned
        self._settle(session)

    def _settle(self, session: int) -> None:
        """Everything committed so far is durable before the caller answers (or, in a
        deferring scope, the ticket that says so is handed to it)."""
        if self.sync is not None:
            settle(self.sync, self.sync.committed())
        elif self.flush is not None:
            settle(self.flush, self.flush.committed(session))

    @contextmanager
    def read_to_pass_on(self) -> Iterator[Tx]:
        """A read whose rows go at once to someone who did not write them (a watch
        stream's backlog), and so may go only once they are durable.

        Commits here do not wait for their own fsync or WAL flush but share rounds, so
        a read can see another call's commit before that call may answer. A watcher must
        not be sent a message that a crash could still take back: its sequence number
        would be given again to another, which the watcher, resuming after it, would
        miss. A shared round that begins after this read covers every commit it saw, so
        the read settles a ticket as a commit does.

        Raises:
            StorageUnavailable: the database went away, or the flush that was to cover
                the read was lost.
        """
        session = self.flush.session() if self.flush is not None else 0
        with self.read() as tx:
            yield tx
        self._settle(session)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A read-only transaction: a consistent snapshot that takes no write lock.

        Raises:
            StorageUnavailable: the database went away.
        """
        with _DRIVER_ERRORS:
            pinned = self._pinned.reader
            if pinned is not None and not pinned.connection.in_transaction():
                with pinned.connection.begin():
                    yield pinned
                return
            # No pinned connection, or it is busy with an enclosing read: a pooled one.
            with self._begun(read_only=True) as conn:
                yield Tx(conn, self.citizen_keys, self.audit_shelf)

    @contextmanager
    def _begun(self, *, read_only: bool) -> Iterator[Connection]:
        """A pooled connection in a new transaction: committed when the block ends, rolled
        back if it raises."""
        conn, transaction = self._begin(read_only)
        with conn, transaction:
            yield conn

    def _begin(self, read_only: bool) -> tuple[Connection, RootTransaction]:
        """Check a connection out and begin. On PostgreSQL a ``BEGIN`` that fails (a pooled
        connection the database cut an instant ago, before the pool could see it) is sent
        once more on a fresh connection (``callers.check`` has replaced the pool's): safe,
        since nothing was done in the transaction yet. On SQLite a failed ``BEGIN IMMEDIATE``
        has waited out the busy timeout already.
        """
        for last in (self.flush is None, True):
            conn = self.engine.connect()
            if read_only:
                conn = conn.execution_options(**{READ_ONLY: True})
            try:
                return conn, conn.begin()
            except OperationalError:
                conn.close()
                if last:
                    raise
        raise AssertionError("unreachable")

    @contextmanager
    def lookup(self) -> Iterator[Tx]:
        """For one single-statement read, which is its own consistent snapshot.

        On this thread's pinned SQLite connection the statement runs without
        BEGIN and COMMIT around it (SQLite wraps it in a read transaction of
        its own); on PostgreSQL on a pooled connection (in the driver's
        autocommit: see ``callers.check``) without BEGIN and ROLLBACK either,
        one round trip instead of three; elsewhere this is ``read()``.
        """
        pinned = self._pinned.reader
        if pinned is None and self.flush is not None:
            with _DRIVER_ERRORS, self.engine.connect() as conn:
                yield Tx(conn, self.citizen_keys)
            return
        if pinned is None or pinned.connection.in_transaction():
            with self.read() as tx:
                yield tx
            return
        with _DRIVER_ERRORS:
            try:
                yield pinned
            finally:
                # Had anything begun a transaction, its snapshot must not outlive the lookup.
                if pinned.connection.in_transaction():
                    pinned.connection.rollback()

    def pin_connections(self) -> None:
        """Keep a writing and a reading connection open for this thread's transactions.

        For a thread that runs transactions back to back (the broker's event
        loop on SQLite): checking a connection out of the pool and back in
        cost as much as an indexed lookup.
        """
        if self._pinned.writer is not None:
            return
        with _DRIVER_ERRORS:
            writer = self.engine.connect()
            reader = self.engine.connect().execution_options(**{READ_ONLY: True})
        self._all_pinned += (writer, reader)
        self._pinned.writer = Tx(writer, self.citizen_keys, self.audit_shelf)
        self._pinned.reader = Tx(reader, self.citizen_keys, self.audit_shelf)

    def dispose(self) -> None:
        """Close pinned and pooled connections."""
        if self.audit_shelf is not None:
            self.audit_shelf.dispose()
        for conn in self._all_pinned:
            conn.close()
        self._all_pinned.clear()
        self._pinned = _Pinned()
        if self.flush is not None:
            self.flush.close()
        self.engine.dispose()


_ASYNC_COMMIT = "luukku_async_commit"


def _commit_without_waiting_for_the_flush(engine: Engine) -> None:
    """Every pooled connection commits with ``synchronous_commit = off`` (set once per
    connection): ``Store.transaction`` waits for a shared flush instead (``pg_flush``).
    The driver's autocommit: the store sends BEGIN itself (``callers.check``)."""

    @event.listens_for(engine, "checkout")
    def _once_per_connection(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        if record.info.get(_ASYNC_COMMIT):
            return
        dbapi_connection.autocommit = True
        try:
            dbapi_connection.execute("SET synchronous_commit = off")
        except Exception as exc:  # a dead connection: the pool replaces it
            raise DisconnectionError("the pooled connection is gone") from exc
        record.info[_ASYNC_COMMIT] = True


class _Pinned(threading.local):
    """This thread's pinned connections (with their repositories), if it has any."""

    writer: Tx | None = None
    reader: Tx | None = None


class _DriverErrors:
    """The store's boundary: driver errors leave it as the store's own (``store.errors``).

    A class rather than a generator context manager: it is entered on every
    transaction of the broker, and holds no state, so one instance serves all.
    """

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if isinstance(error, IntegrityError) and _is_unique_violation(error):
            raise Conflict("a unique key is taken by a row another transaction wrote") from error
        if isinstance(error, OperationalError | InterfaceError):
            # The database is away (restarting, unreachable, a dropped connection).
            raise StorageUnavailable("the database cannot be reached") from error


_DRIVER_ERRORS = _DriverErrors()

# SQLite (sqlite3's extended error names) and PostgreSQL (SQLSTATE unique_violation).
_SQLITE_UNIQUE = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})
_PG_UNIQUE_VIOLATION = "23505"


def _is_unique_violation(error: DBAPIError) -> bool:
    """A unique or primary key collision, not another constraint (e.g. an append-only trigger)."""
    driver_error = error.orig
    return (
        getattr(driver_error, "sqlite_errorname", None) in _SQLITE_UNIQUE
        or getattr(driver_error, "sqlstate", None) == _PG_UNIQUE_VIOLATION
    )
