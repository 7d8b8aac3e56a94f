"""Each organisation's use cases wait their turn behind its own, never behind another's.

The broker runs every call's Python on one event loop, in the order the calls
became ready. One organisation that opens 2,000 watch streams at once puts
2,000 starts (each deciding access and writing its audit event) in front of
every other organisation's next call. In front of the store runner, while
another organisation has calls in flight, an organisation has at most
``per_org`` use cases under way; its others wait (parked, not runnable) until
one of its own ends. Another organisation's call then waits behind a few of
the flood's use cases, whatever the flood's size. An organisation alone on the
broker is not held back: its share is everything nobody else wants.

Use cases run outside a call (the gate's own lookups, the directory watch,
the desk gauges) have no organisation and never wait.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from luukku.server.blocking import StoreRunner
from luukku.server.gate.request_context import current_caller

P = ParamSpec("P")
T = TypeVar("T")

OthersBusy = Callable[[str], bool]
"""Whether any organisation but the one named has calls in flight."""


@dataclass
class _Share:
    under_way: int = 0
    waiting: deque[asyncio.Future[None]] = field(default_factory=deque)


class FairShare:
    """A store runner that, while others are served too, admits at most ``per_org`` use
    cases per organisation at once.

    Runs on the event loop only (no locking).
    """

    def __init__(self, runner: StoreRunner, per_org: int, others_busy: OthersBusy) -> None:
        self._runner = runner
        self._per_org = per_org
        self._others_busy = others_busy
        self._shares: dict[str, _Share] = {}

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn`` through the runner once the caller's organisation may."""
        try:
            org_id = current_caller().organization.id
        except LookupError:  # not within a call: the broker's own work
            return await self._runner.run(fn, *args, **kwargs)
        share = self._shares.setdefault(org_id, _Share())
        if share.waiting or not self._may_start(org_id, share):
            await self._wait_turn(org_id, share)  # counted under way when given its turn
        else:
            share.under_way += 1
        try:
            return await self._runner.run(fn, *args, **kwargs)
        finally:
            share.under_way -= 1
            self._pass_turns(org_id, share)

    def _may_start(self, org_id: str, share: _Share) -> bool:
        return share.under_way < self._per_org or not self._others_busy(org_id)

    async def _wait_turn(self, org_id: str, share: _Share) -> None:
        turn = asyncio.get_running_loop().create_future()
        share.waiting.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # given a turn it will not take
                share.under_way -= 1
                self._pass_turns(org_id, share)
            else:
                share.waiting.remove(turn)
                self._forget_if_idle(org_id, share)
            raise

    def _pass_turns(self, org_id: str, share: _Share) -> None:
        """Give the organisation's next waiters their turns, as many as may start now."""
        while share.waiting and self._may_start(org_id, share):
            turn = share.waiting.popleft()
            if not turn.done():
                share.under_way += 1
                turn.set_result(None)
        self._forget_if_idle(org_id, share)

    def _forget_if_idle(self, org_id: str, share: _Share) -> None:
        if not share.under_way and not share.waiting and self._shares.get(org_id) is share:
            del self._shares[org_id]

    def shutdown(self) -> None:
        self._runner.shutdown()
