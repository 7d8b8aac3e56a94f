"""``python -m bench.representation``: what acting for another person costs.

1. **Read for another person against a read for oneself**, in the same run, on
   one ``luukku serve`` (SQLite, and PostgreSQL with ``--database``): a parent
   signed in through the portal reads their own case (``GetCase``), then, acting
   for their 9-year-old under a guardianship from the population register, the
   child's case. The two kinds of call alternate in batches, one call in flight,
   so both see the same machine. Per kind: latency p50/p99 and the broker's CPU
   per call (its process's CPU time over the batch); the ratios acting / self
   (target: at most 1.2).
2. **Importing 100,000 guardianships** (``luukku representation import``) into
   a fresh database: seconds, on SQLite and on PostgreSQL (target: under 60 s).

Prints the figures and writes them as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.harness.cli import Org, luukku, make_pki, register
from bench.harness.issuer import citizen_token, start_dev_issuer
from bench.harness.postgres import fresh_schema
from bench.harness.procs import Supervisor, cpu_seconds
from bench.harness.stats import latency_summary
from luukku.client import Client, TLSConfig
from luukku.verify.identity_code import make_identity_code

PARENT = make_identity_code(date(1985, 5, 5), 501)
CHILD = make_identity_code(date(2017, 3, 2), 502)
ORGS = {"social": "public", "portal": "portal"}
START_TIMEOUT_S = 120.0
READ_RATIO_TARGET = 1.2
IMPORT_TARGET_S = 60.0


async def read_bench(database: str, work: Path, calls: int, batch: int) -> dict[str, Any]:
    """A parent's reads of their own case and, acting for their child, of the child's."""
    pki = work / "pki"
    make_pki(pki, ORGS)
    register(database, pki, (Org(org_id, org_id, kind) for org_id, kind in ORGS.items()))
    extract = work / "guardian.csv"
    extract.write_text(
        f"guardian_identity_code,child_identity_code,start_date\n{PARENT},{CHILD},2017-03-02\n"
    )
    luukku("representation", "import", str(extract), "--database", database)
    supervisor = Supervisor(work)
    try:
        issuer = await start_dev_issuer(supervisor, pki, START_TIMEOUT_S)
        child, port = await supervisor.start_server(
            "broker",
            [
                *("-m", "luukku.cli", "serve", "--listen", "127.0.0.1:0"),
                *("--pki", str(pki), "--database", database, "--workers", "1"),
                *("--citizen-issuer", issuer, "--citizen-dev-issuer"),
                *("--ready-message", "READY {port}"),
            ],
            START_TIMEOUT_S,
        )
        token = await citizen_token(issuer, PARENT)
        target = f"127.0.0.1:{port}"
        social = await Client.connect(target, tls=TLSConfig.from_pki_dir(pki, "social"))
        parent = await Client.connect(
            target,
            tls=TLSConfig.from_pki_dir(pki, "portal"),
            on_behalf_of=PARENT,
            citizen_token=token,
        )
        try:
            own = await social.create_case(PARENT, title="Health", category="health")
            childs = await social.create_case(CHILD, title="Child guidance", category="social_work")
            (right,) = (await parent.list_representation_rights()).held
            acting = parent.acting_as(on_behalf_of=PARENT, citizen_token=token, acting_for=right.id)
            return await _alternate(
                child.pid,
                calls,
                batch,
                {
                    "self": lambda: parent.get_case(own.id),
                    "acting": lambda: acting.get_case(childs.id),
                },
            )
        finally:
            for client in (social, parent):
                await client.close()
    finally:
        await supervisor.close()


async def _alternate(
    pid: int, calls: int, batch: int, kinds: dict[str, Callable[[], Awaitable[object]]]
) -> dict[str, Any]:
    latencies: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, float] = dict.fromkeys(kinds, 0.0)
    for call in kinds.values():  # warm-up: connections, caches, prepared paths
        for _ in range(batch):
            await call()
    for _ in range(max(1, calls // batch)):
        for kind, call in kinds.items():
            before = cpu_seconds(pid)
            for _ in range(batch):
                started = time.perf_counter()
                await call()
                latencies[kind].append(1000 * (time.perf_counter() - started))  # ms
            cpu[kind] += cpu_seconds(pid) - before
    figures: dict[str, Any] = {}
    for kind, samples in latencies.items():
        summary = latency_summary(samples)
        figures[kind] = {
            "calls": len(samples),
            "p50_ms": summary["p50_ms"],
            "p99_ms": summary["p99_ms"],
            "broker_cpu_ms_per_call": 1000 * cpu[kind] / len(samples),
        }
    figures["p50_ratio"] = figures["acting"]["p50_ms"] / figures["self"]["p50_ms"]
    figures["cpu_ratio"] = (
        figures["acting"]["broker_cpu_ms_per_call"] / figures["self"]["broker_cpu_ms_per_call"]
    )
    return figures


def write_extract(path: Path, rows: int) -> None:
    """A population-register extract of ``rows`` guardianships: two guardians per child."""
    lines = ["guardian_identity_code,child_identity_code,start_date"]
    for n in range(rows // 2):
        day = timedelta(days=n // 898)
        child_born = date(2010, 1, 1) + day
        child = make_identity_code(child_born, 2 + n % 898)
        for guardian_born in (date(1975, 1, 1) + day, date(1950, 1, 1) + day):
            lines.append(f"{make_identity_code(guardian_born, 2 + n % 898)},{child},{child_born}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def import_bench(database: str, extract: Path, rows: int) -> dict[str, Any]:
    """Seconds to import ``extract`` into ``database`` (migrated first, not timed)."""
    # An extract with no rows first: the schema is made and migrated outside the timing.
    empty = extract.with_name("empty.csv")
    empty.write_text(extract.read_text(encoding="utf-8").split("\n", 1)[0] + "\n")
    luukku("representation", "import", str(empty), "--database", database)
    started = time.monotonic()
    luukku("representation", "import", str(extract), "--database", database)
    return {"rows": rows, "seconds": time.monotonic() - started}


async def run_all(
    database: str | None, work: Path, *, calls: int, batch: int, rows: int
) -> dict[str, Any]:
    """Both measurements on SQLite, then on PostgreSQL if a URL is given."""
    extract = work / "guardians.csv"
    write_extract(extract, rows)
    engines = {"sqlite": None} | ({"postgresql": database} if database else {})
    figures: dict[str, Any] = {}
    for engine, url in engines.items():
        folder = work / engine
        folder.mkdir()
        if url is None:
            read = await read_bench(f"sqlite:///{folder / 'read.db'}", folder, calls, batch)
            imported = import_bench(f"sqlite:///{folder / 'import.db'}", extract, rows)
        else:
            with fresh_schema(url, prefix="bench_repr") as schema:
                read = await read_bench(schema, folder, calls, batch)
            with fresh_schema(url, prefix="bench_repr") as schema:
                imported = import_bench(schema, extract, rows)
        figures[engine] = {"read": read, "import": imported}
    return figures


def report(figures: dict[str, Any]) -> str:
    """The figures with their targets, one line each."""
    lines = []
    for engine, parts in figures.items():
        read, imported = parts["read"], parts["import"]
        for kind in ("self", "acting"):
            k = read[kind]
            lines.append(
                f"{engine:11} read {kind:7} p50 {k['p50_ms']:.2f} ms  p99 {k['p99_ms']:.2f} ms  "
                f"broker CPU {k['broker_cpu_ms_per_call']:.2f} ms/call"
            )
        for ratio in ("p50_ratio", "cpu_ratio"):
            verdict = "PASS" if read[ratio] <= READ_RATIO_TARGET else "MISS"
            lines.append(
                f"{engine:11} read acting/self {ratio[:-6]:4} {read[ratio]:.3f}  "
                f"<= {READ_RATIO_TARGET}  {verdict}"
            )
        verdict = "PASS" if imported["seconds"] < IMPORT_TARGET_S else "MISS"
        lines.append(
            f"{engine:11} import {imported['rows']:,} guardianships {imported['seconds']:.1f} s  "
            f"< {IMPORT_TARGET_S:.0f} s  {verdict}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.representation", description=__doc__)
    parser.add_argument("--database", metavar="URL", help="also on this PostgreSQL")
    parser.add_argument("--calls", type=int, default=2000, help="reads of each kind")
    parser.add_argument("--batch", type=int, default=100, help="reads of a kind in a row")
    parser.add_argument("--rows", type=int, default=100_000, help="guardianships imported")
    parser.add_argument("--out", type=Path, default=Path("var/bench-representation.json"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="luukku-bench-representation-") as work:
        figures = asyncio.run(
            run_all(args.database, Path(work), calls=args.calls, batch=args.batch, rows=args.rows)
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    print(report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
