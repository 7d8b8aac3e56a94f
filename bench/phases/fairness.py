"""The fairness phase: does one organisation's flood slow another organisation down?

The victim (the reading organisation) keeps a few WhoAmI calls in flight,
first on an idle broker, then while the owner organisation floods it with
oversized records (refused by size before any conversion) and maximal ones
(64 KiB of structured data, accepted) from many calls in flight. The figure is
the victim's p99 under the flood over its idle p99 (target: at most 2).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from bench.harness.stats import merge_unary
from bench.phases.seed import OWNER, READER

if TYPE_CHECKING:
    from bench.harness.procs import Child
    from bench.phases.run import Bench

VICTIM_CONCURRENCY = 4
FLOOD_CONCURRENCY = 128


async def fairness(bench: Bench, broker: Child, port: int) -> dict[str, Any]:
    """Run the victim idle, then under the flood; report both p99s and their ratio."""
    p = bench.profile
    victim = bench.spec(
        "identity",
        port,
        READER,
        concurrency=VICTIM_CONCURRENCY,
        warmup=p.warmup,
        duration=p.duration,
        seed=7,
    )
    bench.say(f"fairness: {VICTIM_CONCURRENCY} WhoAmI in flight, idle")
    idle = merge_unary(await bench.run_load("fairness-idle", [victim], _within(bench)), p.duration)
    flood = bench.spec(
        "flood",
        port,
        OWNER,
        concurrency=FLOOD_CONCURRENCY,
        channels=4,
        warmup=0.0,
        duration=p.warmup + p.duration + 1,
        cases=bench.data.owner_cases()[:100],
        seed=8,
    )
    bench.say(
        f"fairness: the same while another organisation floods ({FLOOD_CONCURRENCY} in flight)"
    )
    reports = await bench.run_load("fairness-flood", [victim, flood], _within(bench))
    flooded = merge_unary(reports[:1], p.duration)
    attacker = reports[1]
    await asyncio.sleep(0)
    return {
        "idle_p99_ms": idle.get("p99_ms"),
        "flooded_p99_ms": flooded.get("p99_ms"),
        "ratio_p99": round(flooded["p99_ms"] / idle["p99_ms"], 2)
        if idle.get("p99_ms") and flooded.get("p99_ms")
        else None,
        "victim_errors": flooded.get("errors") or {},
        "flood_accepted": attacker.get("count", 0),
        "flood_refused_by_status": attacker.get("errors", {}),
    }


def _within(bench: Bench) -> float:
    return bench.profile.warmup + bench.profile.duration + 60.0
