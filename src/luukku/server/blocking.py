"""Runs the synchronous store use cases for the async servicers.

Two strategies, chosen by the database:

- PostgreSQL: a bounded thread pool. Each statement is a network round trip,
  and the server runs transactions concurrently. Commits do not wait for
  their WAL flush in the pool's threads: the event loop awaits a flush shared
  by every call that committed before it began (``store.sql.pg_flush``), so a
  thread is free for the next call while the flush runs.
- SQLite: inline, on the event loop. A statement takes microseconds and SQLite
  has one writer anyway; handing every call to a pool thread cost more than the
  work (a thread hop each way, and database threads queuing for the GIL while
  holding the write lock). Only the fsync that makes commits durable happens
  off the loop, shared by every call that committed before it began (group
  commit), and no call answers before its fsync has finished. The cost: while
  another process holds SQLite's write lock (the admin CLI, for milliseconds)
  the loop waits for it, up to the busy timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import NoReturn, ParamSpec, Protocol, TypeVar

from luukku.domain.events import Event
from luukku.service.access import outbox
from luukku.store.errors import DurabilityLost, StorageUnavailable
from luukku.store.sql.durability import Durability, deferring_durability
from luukku.store.uow import Store

P = ParamSpec("P")
T = TypeVar("T")


class StoreRunner(Protocol):
    """Runs a blocking use case and returns once its commits are durable."""

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    def shutdown(self) -> None:
        """Finish running work and release threads."""


Deliver = Callable[[Sequence[Event]], None]


def _nowhere(events: Sequence[Event]) -> None:
    """No live listeners (a runner used outside a broker)."""


DB_WORKERS = 4
"""Database threads of a broker on PostgreSQL (SQLite runs its calls on the event loop).

Few on purpose: every audited call appends to the one audit log under one
lock, and with many threads the lock's holder waits for Python's GIL behind
the others while everyone waits for the lock. Measured on 2 cores: 16
threads gave half the read and append throughput of 4, and let 50 clerks
racing for claims wait past 10 s; 4 threads kept every claim under 1.1 s.
"""


def runner_for(
    store: Store,
    db_workers: int,
    on_lost: Callable[[DurabilityLost], None] | None = None,
    deliver: Deliver = _nowhere,
) -> StoreRunner:
    """Inline on SQLite files (group-committed), a thread pool elsewhere.

    ``on_lost`` hears of a failed fsync, after which no write is acknowledged;
    ``deliver`` gets the events a use case committed, once they are durable.
    """
    if store.sync is not None:
        return InlineRunner(store, store.sync, on_lost, deliver)
    durable = DurableWaiter(store.flush, on_lost) if store.flush is not None else None
    return ThreadRunner(db_workers, deliver, durable)


class ThreadRunner:
    """A thread pool for database calls; its size caps concurrent transactions.

    With ``durable`` (PostgreSQL's shared flushes) a call's commits leave
    their tickets in the thread, and the call answers once the loop has
    awaited them; without, each commit is durable when it returns.
    """

    def __init__(
        self,
        max_workers: int = DB_WORKERS,
        deliver: Deliver = _nowhere,
        durable: DurableWaiter | None = None,
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="luukku-db")
        self._deliver = deliver
        self._durable = durable

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(*args, **kwargs)`` in the pool, await its result and the durability
        of its commits, then deliver its events."""
        loop = asyncio.get_running_loop()
        ctx = contextvars.copy_context()
        deferring = self._durable is not None

        def in_thread() -> tuple[Callable[[], T], list[Event], int]:
            scope = deferring_durability() if deferring else _NOT_DEFERRED
            with scope as deferred, outbox.collecting() as events:
                try:
                    result = fn(*args, **kwargs)
                except Exception as exc:
                    return _raiser(exc), events, deferred.ticket
                return (lambda: result), events, deferred.ticket

        outcome, events, ticket = await loop.run_in_executor(self._pool, lambda: ctx.run(in_thread))
        if ticket and self._durable is not None:
            # A refusal is committed too; only once durable may anyone hear of any of it.
            await self._durable.wait(ticket)
        # A refusal is committed (its audit event) before it is raised: it is news too.
        if events:
            self._deliver(events)
        return outcome()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
        if self._durable is not None:
            self._durable.shutdown()


class _NotDeferred:
    """No deferring scope: commits wait for their own durability; no ticket is left."""

    ticket = 0

    def __enter__(self) -> _NotDeferred:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


_NOT_DEFERRED = _NotDeferred()


def _raiser(exc: Exception) -> Callable[[], NoReturn]:
    def again() -> NoReturn:
        raise exc

    return again


class InlineRunner:
    """Runs use cases on the event loop; awaits their durability without blocking it."""

    def __init__(
        self,
        store: Store,
        sync: Durability,
        on_lost: Callable[[DurabilityLost], None] | None = None,
        deliver: Deliver = _nowhere,
    ) -> None:
        self._store = store
        self._durable = DurableWaiter(sync, on_lost)
        self._deliver = deliver

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn`` now; answer (or raise) only once everything it committed is durable."""
        self._store.pin_connections()  # once per thread; this one is the event loop's
        with deferring_durability() as deferred, outbox.collecting() as events:
            try:
                return fn(*args, **kwargs)
            finally:
                # A denial is committed before it is raised: it waits too, and
                # is news too. Only once durable may anyone see what the call
                # changed (a failed fsync raises here, and nothing is delivered).
                if deferred.ticket:
                    await self._durable.wait(deferred.ticket)
                if events:
                    self._deliver(events)

    def shutdown(self) -> None:
        self._durable.shutdown()


class DurableWaiter:
    """Awaits group fsyncs from the event loop: one fsync thread, one round at a time."""

    def __init__(
        self, sync: Durability, on_lost: Callable[[DurabilityLost], None] | None = None
    ) -> None:
        self._sync = sync
        self._on_lost = on_lost
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="luukku-fsync")
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []
        self._rounds: asyncio.Task[None] | None = None

    async def wait(self, ticket: int) -> None:
        """Return once an fsync that began after ``ticket`` was issued has finished."""
        if ticket < self._sync.valid_from:
            raise StorageUnavailable("the database went away before the commit was durable")
        if self._sync.synced >= ticket:
            return
        if self._sync.lost is not None:
            raise self._sync.lost
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._waiting.append((ticket, done))
        if self._rounds is None:
            self._rounds = loop.create_task(self._run_rounds())
        await done

    async def _run_rounds(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._waiting:
                newest = max(ticket for ticket, _ in self._waiting)
                # Tickets issued while this round's fsync runs wait for the next round.
                # PostgreSQL's flush may fail: its tickets are refused, later rounds go on.
                with contextlib.suppress(StorageUnavailable):
                    await loop.run_in_executor(self._thread, self._sync.wait, newest)
                self._release(self._sync.synced)
        except BaseException as exc:
            # A failed fsync: nobody waiting may be told their commit is durable.
            lost = exc if isinstance(exc, DurabilityLost) else DurabilityLost(repr(exc))
            for _, done in self._waiting:
                if not done.done():
                    done.set_exception(lost)
            self._waiting.clear()
            if not isinstance(exc, Exception):
                raise
            if self._on_lost is not None:
                self._on_lost(lost)
        finally:
            self._rounds = None

    def _release(self, synced: int) -> None:
        pending = []
        valid_from = self._sync.valid_from
        for ticket, done in self._waiting:
            if done.done():  # a cancelled call leaves a done future behind
                continue
            if ticket < valid_from:
                done.set_exception(
                    StorageUnavailable("the database went away before the commit was durable")
                )
            elif ticket > synced:
                pending.append((ticket, done))
            else:
                done.set_result(None)
        self._waiting = pending

    def shutdown(self) -> None:
        self._thread.shutdown(wait=True)
