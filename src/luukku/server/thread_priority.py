"""The event loop thread before gRPC's own threads, when they compete for a core.

Every call's Python runs on the event loop thread; gRPC's C-core threads
(``event_engine`` and the like) do the transport, the TLS handshakes among it.
500 fresh connections at once put 500 handshakes on those threads, and the
kernel shared the core between them and the loop thread: another
organisation's calls, already connected, waited behind them. gRPC's threads
run at a lower priority (a higher nice value), so that the loop thread has the
core whenever it has work; they still have every cycle it leaves. Python's own
threads (the database pool, the fsync thread) keep the loop's priority: on
PostgreSQL the use cases run there. gRPC starts threads over the broker's life,
so the priority is applied again every few seconds. Lowering a priority needs
no privilege.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from pathlib import Path

GRPC_THREADS_NICE = 10
"""How much lower than the loop thread gRPC's threads run (0 to 19)."""
EVERY_S = 2.0


def lower_grpc_threads(nice: int = GRPC_THREADS_NICE) -> None:
    """Give gRPC's threads of this process ``nice`` more than the calling thread has.

    gRPC names its threads; Python's threads carry the process's name.
    """
    if not hasattr(os, "setpriority") or not Path("/proc/self/task").is_dir():
        return  # not Linux: per-thread priorities are not reachable this way
    python = Path("/proc/self/comm").read_text()
    base = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that just ended
            if (task / "comm").read_text() == python:
                continue
            tid = int(task.name)
            if os.getpriority(os.PRIO_PROCESS, tid) < base + nice:
                os.setpriority(os.PRIO_PROCESS, tid, base + nice)


async def keep_grpc_threads_lower(every_s: float = EVERY_S) -> None:
    """Run on the event loop: :func:`lower_grpc_threads` now and every ``every_s``."""
    while True:
        lower_grpc_threads()
        await asyncio.sleep(every_s)
