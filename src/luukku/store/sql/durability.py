"""Group commit for SQLite: one fsync makes many commits durable.

Nearly every call writes (at least its audit event) and must not answer before
that write is durable. With ``synchronous=FULL`` SQLite fsyncs the WAL inside
every COMMIT (about half a millisecond here) while holding the write lock, so
commits queue behind each other's fsyncs.

Instead the store commits with ``synchronous=NORMAL`` (the commit's WAL frames
are written but not yet flushed), takes a ticket, and then waits for an fsync
that began after the ticket was issued: the first waiter fsyncs the WAL file on
behalf of everyone who committed before the fsync began, and later arrivals are
covered by the next round. That is exactly the fsync ``synchronous=FULL`` would
have done, shared, and done outside the write lock.

Code that must not block (the broker's event loop) defers the wait: inside
``deferring_durability()`` a commit only records its ticket, and whoever opened
the scope awaits durability before answering anyone.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Protocol

from luukku.store.errors import DurabilityLost


class GroupSync:
    """Leader/follower fsync of one file for all threads that committed to it."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._cond = threading.Condition()
        self._issued = 0  # tickets handed to committed transactions
        self._synced = 0  # every ticket up to this one is durable
        self._leader = False
        self._lost: DurabilityLost | None = None

    @property
    def lost(self) -> DurabilityLost | None:
        """Why commits can no longer be made durable, once an fsync has failed."""
        return self._lost

    @property
    def synced(self) -> int:
        """Every ticket up to this one is durable."""
        return self._synced

    valid_from = 1
    """Every ticket is good until a failed fsync (then ``lost``); see ``pg_flush`` for
    a log whose failed flush refuses only the tickets it could not vouch for."""

    def committed(self) -> int:
        """A ticket for a commit that has just returned; pass it to ``wait``."""
        with self._cond:
            self._issued += 1
            return self._issued

    def wait(self, ticket: int) -> None:
        """Return once an fsync that began after ``ticket`` was issued has finished.

        Raises:
            DurabilityLost: if this or any earlier fsync failed.
        """
        with self._cond:
            while self._synced < ticket:
                if self._lost is not None:
                    raise self._lost
                if self._leader:
                    self._cond.wait()
                    continue
                self._leader = True
                covered = self._issued
                failure: OSError | None = None
                self._cond.release()
                try:
                    self._fsync()
                except OSError as exc:
                    failure = exc
                finally:
                    self._cond.acquire()
                    self._leader = False
                    if failure is None:
                        self._synced = max(self._synced, covered)
                    else:
                        self._lost = DurabilityLost(f"fsync of {self._path} failed: {failure}")
                    self._cond.notify_all()

    def _fsync(self) -> None:
        # Opened each round: SQLite may delete and recreate the WAL file.
        try:
            fd = os.open(self._path, os.O_RDONLY)
        except FileNotFoundError:
            return  # no WAL: every commit has been checkpointed and synced already
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class DeferredDurability:
    """The newest commit ticket of a scope whose owner awaits durability itself."""

    __slots__ = ("ticket",)

    def __init__(self) -> None:
        self.ticket = 0


_DEFERRED: ContextVar[DeferredDurability | None] = ContextVar("luukku_deferred", default=None)


@contextmanager
def deferring_durability() -> Iterator[DeferredDurability]:
    """Commits inside this scope do not block; the caller must await ``ticket``."""
    deferred = DeferredDurability()
    token = _DEFERRED.set(deferred)
    try:
        yield deferred
    finally:
        _DEFERRED.reset(token)


class Durability(Protocol):
    """Commit tickets made durable in shared rounds: ``GroupSync``, ``PgGroupFlush``."""

    @property
    def synced(self) -> int: ...

    @property
    def valid_from(self) -> int: ...

    @property
    def lost(self) -> DurabilityLost | None: ...

    def wait(self, ticket: int) -> None: ...


def settle(sync: Durability, ticket: int) -> None:
    """Make a commit's ticket durable now, or hand it to the enclosing deferring scope."""
    deferred = _DEFERRED.get()
    if deferred is None:
        sync.wait(ticket)
    else:
        deferred.ticket = max(deferred.ticket, ticket)
