"""The fairness phase: does one organisation's flood slow another organisation down?

The victim (the reading organisation) keeps a few WhoAmI calls in flight,
first on an idle broker, then while the owner organisation attacks, one attack
at a time:

- ``records``: oversized records (3.7 MB, refused by size before parsing) and
  maximal ones (64 KiB of structured data, accepted) from many calls in flight;
- ``oversized``: nothing but the 3.7 MB records, from a few calls in flight:
  what costs the others is then only the bytes;
- ``streams``: thousands of watch streams opened at once, closed once live,
  opened again;
- ``connections``: hundreds of fresh connections at once (a TLS handshake
  each), one call on each, closed, opened again.

Each figure is the victim's p99 during the attack over its idle p99 (target:
at most 2), idle measured before the attacks and after them, the lower taken.
Measured fairly: the broker runs on one CPU and the attacker on the others, so
that the attacker's own work (serialising, handshaking) does not take the
broker's CPU; the victim runs on any CPU at normal priority.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bench.harness.procs import pin
from bench.harness.stats import merge_unary, ratio
from bench.phases.seed import OWNER, READER

if TYPE_CHECKING:
    from bench.harness.procs import Child
    from bench.phases.run import Bench

VICTIM_CONCURRENCY = 4
FLOOD_CONCURRENCY = 128
OVERSIZED_CONCURRENCY = 2


@dataclass(frozen=True)
class Attack:
    """One way for the other organisation to load the broker."""

    name: str
    """The figures' infix: ``fairness_{name}_p99_ms``, ``fairness_{name}_ratio``."""
    says: str
    kind: str
    """The load kind (``bench.phases.load``)."""
    options: dict[str, Any]


def attacks(bench: Bench) -> list[Attack]:
    p = bench.profile
    cases = bench.data.owner_cases()
    return [
        Attack(
            "records",
            f"sends oversized and maximal records, {FLOOD_CONCURRENCY} in flight",
            "flood",
            {"concurrency": FLOOD_CONCURRENCY, "channels": 4, "cases": cases[:100]},
        ),
        Attack(
            "oversized",
            f"sends 3.7 MB records only, {OVERSIZED_CONCURRENCY} in flight",
            "oversized",
            {"concurrency": OVERSIZED_CONCURRENCY, "cases": cases[:4]},
        ),
        Attack(
            "streams",
            f"opens {p.fairness_streams} watch streams at once, again and again",
            "stream_storm",
            {"watchers": p.fairness_streams, "channels": 10, "cases": cases[2:3]},
        ),
        Attack(
            "connections",
            f"opens {p.fairness_connections} fresh connections at once, again and again",
            "connect_storm",
            {"connections": p.fairness_connections},
        ),
    ]


@dataclass(frozen=True)
class Placement:
    """Which CPUs the broker and the attacker run on (the victim: any)."""

    broker: set[int]
    attacker: set[int]

    @classmethod
    def of_this_machine(cls) -> Placement | None:
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            return None
        return cls({cpus[0]}, set(cpus[1:]))

    def describe(self) -> str:
        return (
            f"broker pinned to CPU {_cpus(self.broker)}, the attacking organisation's load to "
            f"CPU {_cpus(self.attacker)}, the victim's probe unpinned at normal priority"
        )


def _cpus(cpus: set[int]) -> str:
    return ",".join(str(c) for c in sorted(cpus))


async def fairness(bench: Bench, broker: Child, port: int) -> dict[str, Any]:
    """The victim idle, then during each attack: the p99s and their ratios."""
    placement = Placement.of_this_machine()
    pinning = placement.describe() if placement else "not pinned (one CPU only)"
    bench.say(f"fairness: {pinning}")
    before = pin(broker.pid, placement.broker) if placement else None
    try:
        return await _measure(bench, port, placement, pinning)
    finally:
        if before is not None:
            pin(broker.pid, before)


async def _measure(
    bench: Bench, port: int, placement: Placement | None, pinning: str
) -> dict[str, Any]:
    p = bench.profile
    within = p.warmup + p.duration + 120.0
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
    idle = merge_unary(await bench.run_load("fairness-idle", [victim], within), p.duration)
    result: dict[str, Any] = {"pinning": pinning, "idle": idle}
    # The victim's failures are findings; the attacker's refusals are the point.
    victim_errors: Counter[str] = Counter(idle["errors"])
    for n, attack in enumerate(attacks(bench)):
        attacker = bench.spec(
            attack.kind,
            port,
            OWNER,
            warmup=0.0,
            duration=p.warmup + p.duration + 1,
            seed=8 + n,
            cpus=sorted(placement.attacker) if placement else [],
            **attack.options,
        )
        bench.say(f"fairness: the same while another organisation {attack.says}")
        load = os.getloadavg()[0]
        reports = await bench.run_load(f"fairness-{attack.name}", [victim, attacker], within)
        during = merge_unary(reports[:1], p.duration)
        result[attack.name] = {
            "victim": during,
            "attacker": {k: v for k, v in reports[1].items() if k != "latencies_ms"},
            "load_average": round(load, 2),
        }
        result[f"{attack.name}_p99_ms"] = during["p99_ms"]
        victim_errors.update(during["errors"])
    bench.say("fairness: idle again")
    again = merge_unary(await bench.run_load("fairness-idle", [victim], within), p.duration)
    result["idle_again"] = again
    # The lower idle p99 of the two: the stricter ratio, on a machine whose
    # other load comes and goes.
    idle_p99 = min(
        (x["p99_ms"] for x in (idle, again) if not math.isnan(x["p99_ms"])), default=math.nan
    )
    victim_errors.update(again["errors"])
    result["errors"] = dict(victim_errors)
    result["idle_p99_ms"] = idle_p99
    for attack in attacks(bench):
        result[f"{attack.name}_ratio_p99"] = ratio(result[f"{attack.name}_p99_ms"], idle_p99)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return result
