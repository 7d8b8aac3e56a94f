"""Each organisation's use cases wait their turn behind its own, never behind another's.

The broker runs every call's Python on one event loop, in the order the calls
became ready. One organisation that opens 2,000 watch streams at once puts
2,000 starts (each deciding access and writing its audit event) in front of
every other organisation's next call: another organisation's WhoAmI waited
143 ms behind 400 of them where it took 18 ms alone. In front of the store
runner, an organisation has at most ``per_org`` use cases under way; its
others wait (parked, not runnable) until one of its own ends. Another
organisation's call then waits behind at most ``per_org`` of the flood's,
whatever the flood's size, while one organisation alone keeps the concurrency
it had (the default is above what a client of one organisation commonly keeps
in flight).

Use cases run outside a call (the gate's own lookups, the directory watch,
the desk gauges) have no organisation and never wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from luukku.server.blocking import StoreRunner
from luukku.server.gate.request_context import current_caller

P = ParamSpec("P")
T = TypeVar("T")


class FairShare:
    """A store runner that admits at most ``per_org`` use cases per organisation at once.

    Runs on the event loop only (no locking).
    """

    def __init__(self, runner: StoreRunner, per_org: int) -> None:
        self._runner = runner
        self._per_org = per_org
        self._turns: dict[str, asyncio.Semaphore] = {}
        self._holders: dict[str, int] = {}

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn`` through the runner once the caller's organisation has a turn free."""
        try:
            org_id = current_caller().organization.id
        except LookupError:  # not within a call: the broker's own work
            return await self._runner.run(fn, *args, **kwargs)
        turns = self._turns.get(org_id)
        if turns is None:
            turns = self._turns[org_id] = asyncio.Semaphore(self._per_org)
        self._holders[org_id] = self._holders.get(org_id, 0) + 1
        try:
            async with turns:
                return await self._runner.run(fn, *args, **kwargs)
        finally:
            self._holders[org_id] -= 1
            if not self._holders[org_id]:  # no one holds or awaits a turn: forget the org
                del self._holders[org_id], self._turns[org_id]

    def shutdown(self) -> None:
        self._runner.shutdown()
