"""Group commit for SQLite: one fsync makes many commits durable.

Nearly every call writes (at least its audit event) and must not answer before
that write is durable. With ``synchronous=FULL`` SQLite fsyncs the WAL inside
every COMMIT (about half a millisecond here) while holding the write lock, so
commits queue behind each other's fsyncs.

Instead the store commits with ``synchronous=NORMAL`` (the commit's WAL frames
are written but not yet flushed) and then waits here: the first waiter fsyncs
the WAL file on behalf of everyone who committed before the fsync began, and
later arrivals are covered by the next round. That is exactly the fsync
``synchronous=FULL`` would have done, shared, and done outside the write lock.
A caller returns only after an fsync that started after its own commit.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


class GroupSync:
    """Leader/follower fsync of one file for all threads that committed to it."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._cond = threading.Condition()
        self._issued = 0  # tickets handed to committed transactions
        self._synced = 0  # every ticket up to this one is durable
        self._leader = False

    def wait(self) -> None:
        """Return once an fsync that began after this call's commit has finished."""
        with self._cond:
            self._issued += 1
            ticket = self._issued
            while self._synced < ticket:
                if self._leader:
                    self._cond.wait()
                    continue
                self._leader = True
                covered = self._issued
                self._cond.release()
                try:
                    self._fsync()
                finally:
                    self._cond.acquire()
                    self._leader = False
                self._synced = max(self._synced, covered)
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
