"""The event loop servers run on: uvloop where it is installed, else asyncio's own.

The broker's event loop thread is its bottleneck (every call's Python runs on
it), and uvloop's C implementation of callbacks, futures and polling takes
about a tenth off the time each call costs there. The bench's echo server uses
the same loop, so that the comparison stays like for like.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop factory, or None (asyncio's default) where uvloop is missing."""
    try:
        import uvloop
    except ImportError:  # Windows: uvloop does not build there
        return None
    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to completion on a fresh loop, as ``asyncio.run`` does."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(main)
