"""FairShare: while others are served, an organisation's use cases beyond its share wait
behind its own only; alone, it is not held back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from luukku.domain.caller import Caller, Practitioner
from luukku.domain.organizations import Organization, OrgKind, OrgStatus
from luukku.server.gate.fair_share import FairShare
from luukku.server.gate.request_context import bind_caller


class HeldRunner:
    """Runs each use case once the test lets it finish; remembers which are under way."""

    def __init__(self) -> None:
        self.under_way: list[str] = []
        self.finish: dict[str, asyncio.Event] = {}

    async def run(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        name = fn(*args, **kwargs)
        self.under_way.append(name)
        await self.finish.setdefault(name, asyncio.Event()).wait()
        self.under_way.remove(name)
        return name

    def shutdown(self) -> None:
        """Nothing to release."""


def _caller(org_id: str) -> Caller:
    org = Organization(
        org_id, org_id, "0201256-6", OrgKind.PUBLIC, OrgStatus.ACTIVE, datetime.now(UTC)
    )
    return Caller(org, "f" * 64, Practitioner(), f"req-{org_id}")


async def _settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_an_organisation_over_its_share_waits_and_another_goes_ahead() -> None:
    inner = HeldRunner()
    fair = FairShare(inner, per_org=2, others_busy=lambda org_id: True)

    async def call(org_id: str, name: str) -> str:
        bind_caller(_caller(org_id))  # each task its own context, as each gRPC call
        return await fair.run(str, name)

    flood = [asyncio.create_task(call("flooder", f"flood-{n}")) for n in range(5)]
    await _settle()
    other = asyncio.create_task(call("other", "other"))
    await _settle()
    # Two of the flood under way, the other organisation's beside them at once.
    assert sorted(inner.under_way) == ["flood-0", "flood-1", "other"]

    inner.finish.setdefault("flood-0", asyncio.Event()).set()
    await _settle()
    assert sorted(inner.under_way) == ["flood-1", "flood-2", "other"]  # the next in line

    for name in ("other", *(f"flood-{n}" for n in range(1, 5))):
        inner.finish.setdefault(name, asyncio.Event()).set()
    assert await asyncio.gather(*flood, other) == [*(f"flood-{n}" for n in range(5)), "other"]


async def test_an_organisation_alone_is_not_held_back_and_is_once_others_come() -> None:
    inner = HeldRunner()
    busy: set[str] = set()
    fair = FairShare(inner, per_org=2, others_busy=lambda org_id: bool(busy - {org_id}))

    async def call(name: str) -> str:
        bind_caller(_caller("flooder"))
        return await fair.run(str, name)

    alone = [asyncio.create_task(call(f"alone-{n}")) for n in range(4)]
    await _settle()
    assert len(inner.under_way) == 4  # nobody else wants the broker

    busy.add("other")  # another organisation's calls now in flight
    later = [asyncio.create_task(call(f"later-{n}")) for n in range(2)]
    await _settle()
    assert len(inner.under_way) == 4  # over its share: the new ones wait
    for n in range(3):
        inner.finish.setdefault(f"alone-{n}", asyncio.Event()).set()
    await _settle()
    # Back under its share of two: one more starts.
    assert sorted(inner.under_way) == ["alone-3", "later-0"]

    busy.clear()
    for name in ("alone-3", "later-0", "later-1"):
        inner.finish.setdefault(name, asyncio.Event()).set()
    await asyncio.gather(*alone, *later)


async def test_a_waiter_cancelled_gives_its_turn_to_the_next() -> None:
    inner = HeldRunner()
    fair = FairShare(inner, per_org=1, others_busy=lambda org_id: True)

    async def call(name: str) -> str:
        bind_caller(_caller("flooder"))
        return await fair.run(str, name)

    first, second, third = (asyncio.create_task(call(n)) for n in ("first", "second", "third"))
    await _settle()
    second.cancel()  # its client went away while it waited
    inner.finish.setdefault("first", asyncio.Event()).set()
    await _settle()
    assert inner.under_way == ["third"]
    inner.finish.setdefault("third", asyncio.Event()).set()
    assert list(await asyncio.gather(first, third)) == ["first", "third"]


async def test_the_brokers_own_use_cases_never_wait() -> None:
    inner = HeldRunner()
    fair = FairShare(inner, per_org=1, others_busy=lambda org_id: True)

    async def as_caller() -> str:
        bind_caller(_caller("flooder"))
        return await fair.run(str, "call")

    held = asyncio.create_task(as_caller())
    await _settle()
    # No caller bound (the directory watch, the desk gauges): straight through.
    own = asyncio.create_task(fair.run(str, "broker's own"))
    await _settle()
    assert sorted(inner.under_way) == ["broker's own", "call"]
    for event in inner.finish.values():
        event.set()
    assert list(await asyncio.gather(held, own)) == ["call", "broker's own"]
