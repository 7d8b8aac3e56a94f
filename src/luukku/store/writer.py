"""Durable writes, with group commit on SQLite.

Nearly every call writes: at least its audit event, committed before any data
leaves the broker. On SQLite each commit is an fsync (about half a millisecond
here), and writers exclude each other, so committing call by call caps the
broker at a couple of thousand calls a second however idle the CPU is.

``GroupCommitWriter`` runs every write job on one writer thread: it takes all
jobs waiting, runs each in its own SAVEPOINT (so one job's failure undoes only
that job), commits them with a single fsync, and only then lets their callers
go on. Nothing is acknowledged before the commit that makes it durable.

PostgreSQL commits concurrent transactions well by itself, so there
``DirectWriter`` simply runs each job in its own transaction.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")

Job = Callable[[Connection], T]

# Upper bound on jobs in one transaction: keeps each commit's latency bounded.
MAX_BATCH = 256


class Writer(Protocol):
    """Runs a write job in a transaction and returns once it is durably committed."""

    def run(self, job: Callable[[Connection], T]) -> T:
        """Run ``job``; re-raise what it raised (its changes undone)."""
        ...

    def close(self) -> None:
        """Finish queued jobs and stop."""
        ...


class DirectWriter:
    """One transaction per job, on the calling thread."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def run(self, job: Callable[[Connection], T]) -> T:
        with self._engine.begin() as conn:
            return job(conn)

    def close(self) -> None:
        pass


_STOP = object()


class GroupCommitWriter:
    """All write jobs on one thread, many per commit."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="luukku-writer", daemon=True)
        self._closed = False
        self._thread.start()

    def run(self, job: Callable[[Connection], T]) -> T:
        if self._closed:
            raise RuntimeError("writer is closed")
        future: Future[T] = Future()
        self._queue.put((job, future))
        return future.result()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
            self._thread.join()

    def _loop(self) -> None:
        with self._engine.connect() as conn:
            while True:
                batch = [self._queue.get()]
                while len(batch) < MAX_BATCH:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                stop = any(item is _STOP for item in batch)
                jobs = [item for item in batch if item is not _STOP]
                if jobs:
                    self._commit(conn, jobs)
                if stop:
                    return

    def _commit(
        self, conn: Connection, jobs: list[tuple[Callable[[Connection], Any], Future[Any]]]
    ) -> None:
        outcomes: list[tuple[Future[Any], bool, Any]] = []
        try:
            with conn.begin():
                for job, future in jobs:
                    try:
                        with conn.begin_nested():
                            outcomes.append((future, True, job(conn)))
                    except Exception as exc:  # the job's own failure: only it is undone
                        outcomes.append((future, False, exc))
        except Exception as exc:  # the commit itself failed: nothing is durable
            for _, future in jobs:
                future.set_exception(exc)
            return
        for future, ok, value in outcomes:
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
