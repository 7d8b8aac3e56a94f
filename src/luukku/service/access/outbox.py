"""Events of the use cases run in this context, collected for delivery after commit.

A use case emits through its ``Access``; the guard passes the events on here
only once its transaction has committed. The runner that ran the use case
opens the outbox around it and delivers what it holds once the commit is
durable, so that no watcher ever sees what a crash could still undo. Outside
an open outbox (the admin CLI, tests of the service layer) events go nowhere:
no stream in this process could want them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from luukku.domain.events import Event

_open: ContextVar[list[Event] | None] = ContextVar("luukku_outbox", default=None)


@contextmanager
def collecting() -> Iterator[list[Event]]:
    """Collect the events committed inside the block."""
    events: list[Event] = []
    token = _open.set(events)
    try:
        yield events
    finally:
        _open.reset(token)


def committed(events: Sequence[Event]) -> None:
    """Hand committed events to the open outbox, if there is one."""
    outbox = _open.get()
    if outbox is not None:
        outbox.extend(events)
