"""The unit of work: one transaction and the repositories that share it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from luukku.store.audit import AuditRepository
from luukku.store.cases import CaseRepository
from luukku.store.citizens import CitizenRepository
from luukku.store.consents import ConsentRepository
from luukku.store.directory import DirectoryRepository
from luukku.store.threads import ThreadRepository


class Tx:
    """Repositories bound to one open transaction."""

    def __init__(self, conn: Connection) -> None:
        self.connection = conn
        self.directory = DirectoryRepository(conn)
        self.citizens = CitizenRepository(conn)
        self.cases = CaseRepository(conn)
        self.consents = ConsentRepository(conn)
        self.audit = AuditRepository(conn)
        self.threads = ThreadRepository(conn)


class Store:
    """Hands out transactions; commits when the block succeeds, rolls back otherwise."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """Open a transaction; its repositories are valid inside the ``with`` block only."""
        with self.engine.begin() as conn:
            yield Tx(conn)

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()
