"""The portal phase: citizens' pages from a real portal process on a real broker.

The broker runs on a copy of the consent-scale baseline database (the seeded
citizens, cases and records, which no earlier phase writes to); the portal's
own citizens are written through the SDK (:mod:`bench.portal.seed`).
Then ``luukku portal`` starts as the portal organisation with test
identification, and one load process (:mod:`bench.portal.load`)
measures, over plain HTTP on loopback:

1. the heavy citizen's access log (over 10,000 accesses) and big case (500
   records), their first pages, one request at a time;
2. the citizens browsing the main pages together: pages a second, latency
   percentiles, and the CPU time the portal and the broker spend per page.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from typing import TYPE_CHECKING, Any

from bench.harness.stats import latency_summary
from bench.phases.run import LOOPBACK
from bench.phases.seed import copy_database
from bench.portal.seed import PortalData, seed_portal

if TYPE_CHECKING:
    from bench.harness.procs import Child
    from bench.phases.run import Bench

STAGE_TIMEOUT = 300.0


async def portal(bench: Bench) -> dict[str, Any]:
    """Seed, start the broker and the portal, measure; the phase's figures."""
    p = bench.profile
    database = bench.sup.work / "portal.db"
    copy_database(bench.data.scale_db, database)
    broker, broker_port = await bench.start_broker(database)
    try:
        bench.say(
            f"portal: seeding {p.portal_citizens} citizens, and one whose "
            f"{p.portal_heavy_records} records are read {p.portal_heavy_reads} times"
        )
        began = time.monotonic()
        data = await seed_portal(
            f"{LOOPBACK}:{broker_port}",
            bench.data.pki,
            citizens=p.portal_citizens,
            heavy_records=p.portal_heavy_records,
            heavy_reads=p.portal_heavy_reads,
            issuer=await bench.issuer(),
        )
        seeded = round(time.monotonic() - began, 1)
        server, port = await bench.start_portal(broker_port)
        try:
            result = await _measure(bench, data, f"http://{LOOPBACK}:{port}", server, broker)
        finally:
            await bench.stop(server)
    finally:
        await bench.stop(broker)
    return {
        **result,
        "citizens": len(data.citizens),
        "heavy_records": p.portal_heavy_records,
        "heavy_events": data.heavy_events,
        "seed_seconds": seeded,
    }


async def _measure(
    bench: Bench, data: PortalData, url: str, server: Child, broker: Child
) -> dict[str, Any]:
    p = bench.profile
    spec = {
        "url": url,
        "heavy": dataclasses.asdict(data.heavy),
        "citizens": [dataclasses.asdict(c) for c in data.citizens],
        "samples": p.portal_samples,
        "warmup": p.warmup,
        "duration": p.portal_duration,
    }
    child = await bench.spawn_load("portal-load", spec, module="bench.portal.load")
    portal_cpu: dict[str, float] = {}
    broker_cpu: dict[str, float] = {}
    try:
        bench.say(
            f"portal: the heavy citizen's access log ({data.heavy_events} accesses) and "
            f"case, first page, {p.portal_samples} requests each"
        )
        await child.send("GO")
        first = json.loads((await child.expect("FIRST", STAGE_TIMEOUT)).split(" ", 1)[1])
        bench.say(f"portal: {len(data.citizens)} citizens browsing for {p.portal_duration:g} s")
        await child.send("GO")
        measuring = asyncio.gather(
            bench.server_cpu(server, portal_cpu, p.portal_duration),
            bench.server_cpu(broker, broker_cpu, p.portal_duration),
        )
        try:
            report = await child.report(p.warmup + p.portal_duration + STAGE_TIMEOUT)
        finally:
            await measuring
    finally:
        await child.stop(2)
    return _figures(first, report, portal_cpu, broker_cpu)


def _figures(
    first: dict[str, Any],
    report: dict[str, Any],
    portal_cpu: dict[str, float],
    broker_cpu: dict[str, float],
) -> dict[str, Any]:
    pages: dict[str, list[float]] = report["latencies_ms"]
    samples = [ms for page in pages.values() for ms in page]
    seconds = float(report["seconds"])
    heavy = {name: latency_summary(ms) for name, ms in first["latencies_ms"].items()}
    result: dict[str, Any] = {
        "count": len(samples),
        "seconds": seconds,
        "pages_per_s": round(len(samples) / seconds, 1),
        **latency_summary(samples),
        "heavy_access_p50_ms": heavy["access"]["p50_ms"],
        "heavy_access_p95_ms": heavy["access"]["p95_ms"],
        "heavy_case_p50_ms": heavy["case"]["p50_ms"],
        "heavy_case_p95_ms": heavy["case"]["p95_ms"],
        "heavy_first_pages": heavy,
        "by_page": {name: {"count": len(ms), **latency_summary(ms)} for name, ms in pages.items()},
        "errors": {
            **{f"heavy {k}": n for k, n in first["errors"].items()},
            **report["errors"],
        },
    }
    for name, cpu in (("portal", portal_cpu), ("broker", broker_cpu)):
        if "cpu_s" in cpu and samples:
            result[f"{name}_cpu_ms_per_page"] = round(cpu["cpu_s"] * 1000 / len(samples), 2)
            result[f"{name}_main_thread_busy"] = round(cpu["main_cpu_s"] / seconds, 2)
    return result
