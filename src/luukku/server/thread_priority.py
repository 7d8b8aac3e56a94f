"""The event loop thread before the broker's other threads, when they compete for a core.

Every call's Python runs on the event loop thread; gRPC's own threads do the
transport, the TLS handshakes among it. 500 fresh connections at once put
500 handshakes on those threads, and the kernel shared the core between them
and the loop thread: another organisation's calls, already connected, waited
behind the handshakes (p99 162 ms where it was 2.5 ms idle). The broker's
other threads run at a lower priority (a higher nice value), so that the loop
thread has the core whenever it has work; the others still have every cycle it
leaves. Threads start over the broker's life (gRPC's pool grows), so the
priority is applied again every few seconds. Lowering a priority needs no
privilege.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from pathlib import Path

OTHER_THREADS_NICE = 10
"""How much lower than the loop thread the broker's other threads run (0 to 19)."""
EVERY_S = 2.0


def lower_other_threads(nice: int = OTHER_THREADS_NICE) -> None:
    """Give every thread of this process but the calling one ``nice`` more than it has."""
    if not hasattr(os, "setpriority") or not Path("/proc/self/task").is_dir():
        return  # not Linux: per-thread priorities are not reachable this way
    mine = threading.get_native_id()
    base = os.getpriority(os.PRIO_PROCESS, mine)
    for task in Path("/proc/self/task").iterdir():
        tid = int(task.name)
        if tid == mine:
            continue
        with contextlib.suppress(OSError):  # a thread that just ended
            if os.getpriority(os.PRIO_PROCESS, tid) < base + nice:
                os.setpriority(os.PRIO_PROCESS, tid, base + nice)


async def keep_other_threads_lower(every_s: float = EVERY_S) -> None:
    """Run on the event loop: :func:`lower_other_threads` now and every ``every_s``."""
    while True:
        lower_other_threads()
        await asyncio.sleep(every_s)
