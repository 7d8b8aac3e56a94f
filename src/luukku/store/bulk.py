"""Bulk loading: many citizens, cases, records, consents and audit events in one transaction.

For setting up a large database at once (the benchmarks' realistic data),
where going through the use cases one call at a time would take hours. The
rows are the repositories' own (:func:`~luukku.store.cases.case_row` and the
rest), written in chunks (on PostgreSQL through ``COPY``, each value bound as
its column's type binds it; on SQLite with ``executemany``): a loaded database
reads back through the repositories exactly as one the broker wrote.

A load is an operator's act on a database no broker is serving, not a call:
it audits nothing of its own and announces nothing to running brokers. (It
may load audit events, numbered on from the log's end, with their Merkle
tree: a log as large as a country's in a day or a month, to measure on.)
Tables are named as the repositories name them (never their partitions), so
a load goes wherever PostgreSQL routes the parent's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.exc import DBAPIError

from luukku.audit import tree
from luukku.audit.events import AuditEvent
from luukku.domain.cases import Case, Record
from luukku.domain.consents import Consent, ConsentState
from luukku.store.audit.log import AuditRepository, event_row
from luukku.store.cases import case_row, record_row, revision_row
from luukku.store.citizens import citizen_keys
from luukku.store.consents import consent_row, history_row
from luukku.store.opening import open_store
from luukku.store.sql.tables import (
    audit_events,
    audit_tree,
    cases,
    citizens,
    consent_revisions,
    consents,
    record_revisions,
    records,
)

_CHUNK = 5000


@dataclass(frozen=True, repr=False)
class NewCitizen:
    """A citizen to load: the opaque id cases and consents refer to, and the identity code.

    Its ``repr`` leaves the identity code out.
    """

    id: str
    identity_code: str
    created_at: datetime


class BulkLoad:
    """Rows into one open transaction; each method returns how many it wrote."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._copy = conn.dialect.name == "postgresql"
        self.written: set[str] = set()
        """The tables rows went into."""

    def citizens(self, rows: Iterable[NewCitizen]) -> int:
        """Citizens (identity codes not yet known to the database)."""
        return self._insert(
            citizens,
            [
                {"id": c.id, "identity_code": c.identity_code, "created_at": c.created_at}
                for c in rows
            ],
        )

    def cases(self, rows: Iterable[Case]) -> int:
        """Cases, open or closed, of citizens already loaded or known."""
        return self._insert(cases, [case_row(case, None) for case in rows])

    def records(self, rows: Iterable[Record]) -> int:
        """Records, each given as its first revision."""
        first = list(rows)
        if any(r.revision != 1 for r in first):
            raise ValueError("a bulk load takes records as their first revision")
        self._insert(records, [record_row(r) for r in first])
        return self._insert(record_revisions, [revision_row(r, None) for r in first])

    def consents(self, rows: Iterable[Consent]) -> int:
        """Consents with their history: granted at ``created_at``; revoked at ``revoked_at``.

        A revoked consent is at revision 2, as :meth:`ConsentRepository.revoke`
        leaves it.
        """
        current: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        for consent in rows:
            granted = (consent.id, 1, ConsentState.ACTIVE, consent.created_at, _request_id())
            history.append(history_row(*granted))
            if consent.revoked_at is None:
                expected = 1
            else:
                expected = 2
                revoked = (consent.id, 2, ConsentState.REVOKED, consent.revoked_at, _request_id())
                history.append(history_row(*revoked))
            if consent.revision != expected:
                raise ValueError(f"consent {consent.id}: revision {consent.revision} != {expected}")
            current.append(consent_row(consent, ""))
        written = self._insert(consents, current)
        self._insert(consent_revisions, history)
        return written

    def audit_size(self) -> int:
        """How many events the audit log holds: the next one loaded is number ``size + 1``."""
        return AuditRepository(self._conn).size()

    def audit_events(self, rows: Iterable[AuditEvent]) -> int:
        """Audit events appended to the log in order, each with the tree nodes
        :meth:`AuditRepository.append` would store for it.

        The events stream through in chunks (a million of them need not fit in
        memory); only the tree's open left siblings are kept between appends.
        """
        keys = citizen_keys(self._conn)  # new leaves commit to citizen ids, as appends do
        log = AuditRepository(self._conn, keys)
        size = log.size()
        # The complete subtrees of the log so far are the left siblings its next leaves need.
        open_nodes = dict(log.nodes(tree.covering(0, size)))
        events: list[dict[str, Any]] = []
        nodes: list[dict[str, Any]] = []
        written = 0
        for seq, event in enumerate(rows, start=size + 1):
            leaf = event.leaf_hash(seq, keys)
            events.append(event_row(event, seq, leaf))
            for (level, idx), h in tree.appended(seq - 1, leaf, open_nodes):
                nodes.append({"level": level, "idx": idx, "hash": h})
                if idx % 2 == 0:  # a left child: a later leaf's sibling
                    open_nodes[(level, idx)] = h
            for used in tree.completed_by(seq - 1):  # each sibling serves once
                del open_nodes[used]
            if len(events) >= _CHUNK:
                written += self._flush_audit(events, nodes)
        return written + self._flush_audit(events, nodes)

    def _flush_audit(self, events: list[dict[str, Any]], nodes: list[dict[str, Any]]) -> int:
        written = self._insert(audit_events, events)
        self._insert(audit_tree, nodes)
        events.clear()
        nodes.clear()
        return written

    def _insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> int:
        if rows:
            self.written.add(table.name)
        if self._copy:
            _copy(self._conn, table, rows)
            return len(rows)
        for start in range(0, len(rows), _CHUNK):
            self._conn.execute(insert(table), list(rows[start : start + _CHUNK]))
        return len(rows)


def _copy(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``rows`` into ``table`` through PostgreSQL's ``COPY … FROM STDIN``, in the open transaction.

    Several times faster than ``executemany`` for millions of rows. COPY skips
    SQLAlchemy's binding, so each value passes first through its column type's
    own bind processor (a UTC timestamp checked and normalised, as an insert would).
    """
    if not rows:
        return
    names = list(rows[0])
    dialect = conn.dialect
    binders = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    quote = dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    driver = conn.connection.driver_connection  # psycopg's, inside the same transaction
    if driver is None:
        raise RuntimeError("the bulk load's connection is closed")
    driver_error = dialect.loaded_dbapi.Error
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        value if bind is None else bind(value)
                        for bind, value in zip(binders, (row[name] for name in names), strict=True)
                    ]
                )
    except driver_error as exc:
        # The error SQLAlchemy would have raised for an insert (IntegrityError, …).
        raise DBAPIError.instance(statement, None, exc, driver_error) from exc


def _request_id() -> str:
    # A history entry always has one (the grant's or the revocation's call); a load has no call.
    return uuid.uuid4().hex


@contextmanager
def loading(database_url: str) -> Iterator[BulkLoad]:
    """A bulk load into the database at ``database_url`` (migrated first), in one transaction.

    Everything written inside the block commits together when it ends, or
    nothing does. On PostgreSQL the tables loaded are then analysed, as
    autovacuum would in its own time: a planner that still believes a table
    of millions holds what it held before the load picks the wrong index for
    the next queries (a citizen's access-log page walked an organisation's
    every event).
    """
    store = open_store(database_url)
    try:
        session = store.flush.session() if store.flush is not None else 0
        with store.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                # A page cache big enough for the indexes the load grows (256 MiB).
                conn.exec_driver_sql("PRAGMA cache_size=-262144")
            load = BulkLoad(conn)
            yield load
        if store.flush is not None:
            # PostgreSQL's store commits without waiting for the WAL flush: wait for one.
            store.flush.wait(store.flush.committed(session))
        if store.engine.dialect.name == "postgresql" and load.written:
            quote = store.engine.dialect.identifier_preparer.quote
            with store.engine.begin() as conn:
                conn.exec_driver_sql(f"ANALYZE {', '.join(map(quote, sorted(load.written)))}")
    finally:
        store.dispose()
