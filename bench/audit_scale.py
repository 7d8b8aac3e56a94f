"""``python -m bench.audit_scale``: the audit log at a country's size, on PostgreSQL.

A country's log grows by tens of millions of events a day. In one fresh schema
the log is grown step by step to each of ``--sizes`` (default 1, 3 and 10
million) through the store's bulk loader (a realistic mix, bench/harness/
audit_mix.py: many citizens, a few heavy ones, many organisations; events and
their Merkle tree as appends store them), and at each size, with one
``luukku serve`` on it reached through the SDK:

- a heavy citizen's first access-log page, and a page filtered to one
  organisation, through the portal (p50/p95; target at 10 million: first page
  p95 <= 50 ms); and a typical citizen's first page (some twenty events in all);
- that citizen's SummarizeAuditEvents over the last year (p50/p95);
- inclusion proofs of events all over the log and consistency proofs from
  random sizes to the latest checkpoint (p50/p99; target p99 <= 5 ms), each
  inclusion proof checked against the signed root;
- ``luukku audit verify`` over the whole log (events a second; target >= 50,000);
- bytes per event on disk (events with their indexes, and the tree).

The heavy citizen measured is one of the newest step's, with as many events as
those of the steps before: from size to size only the log grows, so the
per-citizen figures should stay flat and the proofs grow with log2 of the size.
Prints a table with the targets and writes the figures as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.harness.audit_mix import BIG_ORG, PORTAL, BatchMix
from bench.harness.audit_report import growth, report
from bench.harness.cli import Org, luukku, make_pki, register
from bench.harness.issuer import citizen_token, start_dev_issuer
from bench.harness.postgres import fresh_schema, relation_bytes
from bench.harness.procs import Supervisor, cpu_seconds
from bench.harness.stats import latency_summary
from luukku.client import (
    Client,
    TLSConfig,
    verify_checkpoint,
    verify_consistency,
    verify_inclusion,
)
from luukku.store.bulk import loading

START_TIMEOUT_S = 600.0
SIGNED_TIMEOUT_S = 120.0
EVENTS_PER_DAY = 20_000_000
"""A country's log: tens of millions of events a day."""
PAGE_SIZE = 50
ORGS = (
    Org(PORTAL, "Kansalaisen asiointiportaali", "portal"),
    Org(BIG_ORG, "Iso kaupunki", "public"),
)


def seed(url: str, mix: BatchMix) -> dict[str, float]:
    """Load ``mix`` (its citizens and events, tree included); how long it took."""
    started = time.perf_counter()
    with loading(url) as load:
        mix.first_seq = load.audit_size() + 1
        load.citizens(mix.citizens())
        loaded = load.audit_events(mix.events())
    seconds = time.perf_counter() - started
    return {"seeded_events": loaded, "seed_s": seconds, "seed_events_per_s": loaded / seconds}


async def _timed(call: Callable[[], Awaitable[object]], times: int) -> list[float]:
    """Milliseconds of each of ``times`` calls, one in flight."""
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        await call()
        samples.append(1000 * (time.perf_counter() - started))
    return samples


async def _signed(client: Client, at_least: int, verifier_key: str) -> tuple[int, bytes]:
    """The size and root of the broker's first checkpoint of ``at_least`` events."""
    deadline = time.monotonic() + SIGNED_TIMEOUT_S
    while True:
        note = await client.get_checkpoint()
        if note:
            checkpoint = verify_checkpoint(note, verifier_key)
            if checkpoint.size >= at_least:
                return checkpoint.size, checkpoint.root
        if time.monotonic() > deadline:
            raise TimeoutError(f"no checkpoint of {at_least} events in {SIGNED_TIMEOUT_S} s")
        await asyncio.sleep(0.5)


async def measure_calls(
    broker_pid: int,
    target: str,
    pki: Path,
    issuer: str,
    citizen: str,
    typical: str,
    sampled: list[int],
    size: int,
    earlier: tuple[int, bytes] | None,
    samples: int,
) -> tuple[dict[str, Any], tuple[int, bytes]]:
    """The heavy ``citizen``'s pages and summary, a ``typical`` one's first page, and the
    proofs, on the broker at ``target``."""
    verifier_key = (pki / "audit-log.vkey").read_text(encoding="ascii").strip()
    token = await citizen_token(issuer, citizen)
    portal = await Client.connect(
        target, tls=TLSConfig.from_pki_dir(pki, PORTAL), on_behalf_of=citizen, citizen_token=token
    )
    everyman = await Client.connect(
        target,
        tls=TLSConfig.from_pki_dir(pki, PORTAL),
        on_behalf_of=typical,
        citizen_token=await citizen_token(issuer, typical),
    )
    org = await Client.connect(target, tls=TLSConfig.from_pki_dir(pki, BIG_ORG))
    figures: dict[str, Any] = {}
    try:
        signed, root = await _signed(org, size, verifier_key)
        since = datetime.now(UTC) - timedelta(days=365)

        async def first_page() -> None:
            events, _ = await portal.audit_events_page(page_size=PAGE_SIZE)
            if len(events) != PAGE_SIZE:
                raise AssertionError(f"the heavy citizen's first page has {len(events)} events")

        async def typical_first_page() -> None:
            await everyman.audit_events_page(page_size=PAGE_SIZE)

        async def filtered_page() -> None:
            await portal.audit_events_page(page_size=PAGE_SIZE, organization_id=BIG_ORG)

        async def summary() -> None:
            await portal.summarize_audit_events(since=since)

        rng = random.Random(size)

        async def inclusion() -> None:
            sequence = rng.choice(sampled)
            proof = await org.get_inclusion_proof(sequence, tree_size=signed)
            verify_inclusion(proof.leaf_hash, proof.leaf_index, signed, proof.hashes, root)

        async def consistency() -> None:
            await org.get_consistency_proof(rng.randrange(1, signed), new_size=signed)

        calls = {
            "first_page": (first_page, samples),
            "filtered_page": (filtered_page, samples),
            "typical_first_page": (typical_first_page, samples),
            "summary": (summary, max(10, samples // 4)),
            "inclusion_proof": (inclusion, samples * 2),
            "consistency_proof": (consistency, samples * 2),
        }
        for name, (call, times) in calls.items():
            await _timed(call, max(3, times // 20))  # warm-up: caches, prepared statements
            cpu = cpu_seconds(broker_pid)
            latencies = await _timed(call, times)
            figures[name] = {
                "calls": times,
                **latency_summary(latencies),
                # The broker's own CPU per call: a figure the machine's other load moves less.
                "broker_cpu_ms": 1000 * (cpu_seconds(broker_pid) - cpu) / times,
            }
        if earlier is not None:  # the log grew as a prefix of the one signed at the last size
            proof = await org.get_consistency_proof(earlier[0], new_size=signed)
            verify_consistency(earlier[0], signed, earlier[1], root, proof.hashes)
            figures["consistent_with_last_size"] = True
    finally:
        for client in (portal, everyman, org):
            await client.close()
    return figures, (signed, root)


def verify(url: str, pki: Path) -> dict[str, float]:
    """``luukku audit verify`` over the whole log: how long, how many events a second
    (of the elapsed time, and of the command's own CPU time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = luukku("audit", "verify", "--database", url, "--pki", str(pki))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    found = re.match(r"(\d+) audit events verified", out)
    if found is None:
        raise RuntimeError(f"luukku audit verify said: {out.strip()}")
    events = int(found.group(1))
    return {
        "verified_events": events,
        "verify_s": seconds,
        "verify_events_per_s": events / seconds,
        "verify_cpu_s": cpu,
        "verify_events_per_cpu_s": events / cpu,
    }


async def at_size(
    url: str,
    work: Path,
    pki: Path,
    mix: BatchMix,
    earlier: tuple[int, bytes] | None,
    sampled: list[int],
    samples: int,
) -> tuple[dict[str, Any], tuple[int, bytes]]:
    """Seed ``mix``, then every figure at the size it grows the log to."""
    figures: dict[str, Any] = {"seed": seed(url, mix)}
    size = mix.first_seq + mix.count - 1
    _progress(size, "seeded", figures["seed"])
    sampled.extend(mix.sampled)
    supervisor = Supervisor(work)
    try:
        issuer = await start_dev_issuer(supervisor, pki, START_TIMEOUT_S)
        broker, port = await supervisor.start_server(
            "broker",
            [
                # One broker process, whose CPU per call is measured (--workers defaults
                # to one a core on PostgreSQL, behind a supervisor).
                *("-m", "luukku.cli", "serve", "--listen", "127.0.0.1:0", "--workers", "1"),
                *("--pki", str(pki), "--database", url, "--checkpoint-seconds", "1"),
                *("--citizen-issuer", issuer, "--citizen-dev-issuer"),
                *("--ready-message", "READY {port}"),
            ],
            START_TIMEOUT_S,
        )
        heavy_code = mix.heavy()[0][1]
        calls, signed = await measure_calls(
            broker.pid,
            f"127.0.0.1:{port}",
            pki,
            issuer,
            heavy_code,
            mix.typical(),
            sampled,
            size,
            earlier,
            samples,
        )
        figures |= calls
        figures["load_average_1m"] = os.getloadavg()[0]
        _progress(size, "calls", calls)
        # The broker stays up, idle: it signs the events the calls wrote, as verify expects.
        await asyncio.sleep(2)
        figures["verify"] = verify(url, pki)
    finally:
        await supervisor.close()
    events_bytes = relation_bytes(url, "audit_events")
    tree_bytes = relation_bytes(url, "audit_tree")
    log_size = figures["verify"]["verified_events"]
    figures["disk"] = {
        "events_bytes_per_event": events_bytes / log_size,
        "tree_bytes_per_event": tree_bytes / log_size,
        "bytes_per_event": (events_bytes + tree_bytes) / log_size,
    }
    figures["size"] = log_size
    return figures, signed


def _progress(size: int, step: str, figures: dict[str, Any]) -> None:
    """A line on standard error as each step of a size ends: a long run shows its way."""
    print(f"{size:,} {step}: {json.dumps(figures)}", file=sys.stderr, flush=True)


async def run_all(
    database: str,
    work: Path,
    sizes: list[int],
    *,
    samples: int,
    seed_value: int,
    out: Path | None = None,
) -> dict[str, Any]:
    """Grow one log to each size in turn, measuring at each; with ``out``, each size's
    figures are printed and written there as soon as they are measured (a run to ten
    million takes hours)."""
    pki = work / "pki"
    make_pki(pki, [org.id for org in ORGS])
    results: dict[str, Any] = {"sizes": {}, "seed": seed_value}
    with fresh_schema(database, prefix="bench_auditscale") as url:
        register(url, pki, ORGS)
        start = datetime.now(UTC) - timedelta(days=max(sizes) / EVENTS_PER_DAY)
        earlier: tuple[int, bytes] | None = None
        sampled: list[int] = []
        grown = 0
        for batch, size in enumerate(sorted(sizes)):
            count = size - grown
            mix = BatchMix(seed_value, batch, count, 0, start, EVENTS_PER_DAY)
            figures, earlier = await at_size(url, work, pki, mix, earlier, sampled, samples)
            results["sizes"][str(size)] = figures
            results["growth"] = growth(results)
            if out is not None:
                await asyncio.to_thread(out.write_text, json.dumps(results, indent=2) + "\n")
                print(report({"sizes": {str(size): figures}}), flush=True)
            start += timedelta(days=count / EVENTS_PER_DAY)
            grown = size
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.audit_scale", description=__doc__)
    parser.add_argument("--database", required=True, metavar="URL", help="a PostgreSQL")
    parser.add_argument(
        "--sizes",
        default="1000000,3000000,10000000",
        help="log sizes to grow to and measure at, comma-separated",
    )
    parser.add_argument("--samples", type=int, default=400, help="calls timed per page figure")
    parser.add_argument("--seed", type=int, default=1, help="of the mix: the same log each run")
    parser.add_argument("--out", type=Path, default=Path("var/bench-audit-scale.json"))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="luukku-bench-audit-scale-") as work:
        results = asyncio.run(
            run_all(
                args.database,
                Path(work),
                sizes,
                samples=args.samples,
                seed_value=args.seed,
                out=args.out,
            )
        )
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
