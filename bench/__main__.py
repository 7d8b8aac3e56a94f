"""``python -m bench``: the broker against a bare grpc.aio echo server, same machine.

Phases, one after another, each with its servers and load generators in
separate processes over mutual TLS on loopback:

1. echo: unary calls to a bare grpc.aio echo server (the ceiling here);
2. identity: WhoAmI on the broker, the floor of any broker call (the
   interceptor and the certificate lookup; no access check, no audit);
3. read: GetRecord by a private organisation under consent (broker on SQLite);
4. append: CreateRecord by the owner organisation;
5. fan-out: a message to a thread watched by 100 streams, until the last has it;
6. streams: broker resident memory with 1,000 open watch streams;
7. fairness: another organisation's WhoAmI p99 over its idle p99 while one
   organisation floods the broker with oversized and maximal records; sends
   only 3.7 MB records; opens 2,000 watch streams at once; opens 500 fresh
   connections at once (broker on one CPU, the attacker on the others);
8. portal: the citizen portal (a ``luukku portal`` process on its own broker):
   a heavy citizen's access log and case page, then 20 signed-in citizens
   browsing at once (pages a second, latency percentiles);
9. consent scale: read latency with 100,000 consents over that with 100.

With ``--database URL`` (PostgreSQL), the read and append phases run again
on one broker on a fresh schema of that database, seeded with the same data
(the schema is dropped afterwards): their figures beside SQLite's; then the
read phase on ``luukku serve --workers N``, N the cores (its default there).

Prints a table of figures against their targets and writes ``var/bench.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Coroutine, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.harness.postgres import fresh_schema
from bench.harness.procs import ChildFailed, Supervisor, rss_mb
from bench.harness.stats import ratio
from bench.phases.fairness import fairness
from bench.phases.prepare import Prepared, prepare, seed_postgres
from bench.phases.profile import DEFAULT, QUICK, Profile
from bench.phases.report import FAIRNESS_ATTACKS, TARGETS, machine, table, verdicts, write_json
from bench.phases.run import Bench, progress
from bench.portal.phase import portal


def _positive(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError("must be positive")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="a short smoke run (about a minute)")
    parser.add_argument("--duration", type=_positive(float), help="measured seconds per phase")
    parser.add_argument("--warmup", type=_positive(float), help="warm-up seconds per phase")
    parser.add_argument("--concurrency", type=_positive(int), help="calls in flight in total")
    parser.add_argument("--processes", type=_positive(int), help="load generator processes")
    parser.add_argument("--out", type=Path, default=Path("var/bench.json"), help="JSON report")
    parser.add_argument("--keep", action="store_true", help="keep the work directory and logs")
    parser.add_argument(
        "--only",
        type=lambda text: frozenset(text.split(",")),
        default=None,
        metavar="PHASE,...",
        help=f"run only these phases ({', '.join(_SELECTABLE)}); for profiling one at a "
        "time (read and append bring pg_read and pg_append with --database)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 2 when a target is missed"
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="a PostgreSQL URL: also run read and append on one broker on a fresh schema of it",
    )
    return parser


def profile_of(args: argparse.Namespace) -> Profile:
    profile = QUICK if args.quick else DEFAULT
    overrides = {
        name: getattr(args, name)
        for name in ("duration", "warmup", "concurrency", "processes")
        if getattr(args, name) is not None
    }
    return replace(profile, **overrides)


def figures_of(phases: dict[str, dict[str, Any]]) -> dict[str, float]:
    """The headline figures; NaN for what could not be measured."""

    def get(phase: str, key: str) -> float:
        value = phases.get(phase, {}).get(key)
        return float(value) if isinstance(value, int | float) else math.nan

    echo_qps = get("echo", "qps")
    return {
        "echo_qps": echo_qps,
        "echo_p99_ms": get("echo", "p99_ms"),
        "identity_qps": get("identity", "qps"),
        "identity_ratio": ratio(get("identity", "qps"), echo_qps),
        "read_qps": get("read", "qps"),
        "read_p99_ms": get("read", "p99_ms"),
        "read_ratio": ratio(get("read", "qps"), echo_qps),
        "append_qps": get("append", "qps"),
        "append_p99_ms": get("append", "p99_ms"),
        "append_ratio": ratio(get("append", "qps"), echo_qps),
        "fanout_p99_ms": get("fanout", "p99_ms"),
        "streams_rss_mb": get("streams", "rss_mb"),
        "consent_scale_ratio": get("consent_scale", "ratio_p50"),
        "fairness_idle_p99_ms": get("fairness", "idle_p99_ms"),
        **{
            f"fairness_{attack}_{figure}": get("fairness", f"{attack}_{key}")
            for attack in FAIRNESS_ATTACKS
            for figure, key in (("p99_ms", "p99_ms"), ("ratio", "ratio_p99"))
        },
        "portal_pages_per_s": get("portal", "pages_per_s"),
        "portal_p50_ms": get("portal", "p50_ms"),
        "portal_p95_ms": get("portal", "p95_ms"),
        "portal_p99_ms": get("portal", "p99_ms"),
        "heavy_access_p50_ms": get("portal", "heavy_access_p50_ms"),
        "heavy_access_p95_ms": get("portal", "heavy_access_p95_ms"),
        "heavy_case_p50_ms": get("portal", "heavy_case_p50_ms"),
        "heavy_case_p95_ms": get("portal", "heavy_case_p95_ms"),
        # Server CPU time per call: a server whose Python runs on one core
        # cannot answer more than 1000 / this many calls a second.
        "echo_server_cpu_ms": get("echo", "server_cpu_ms_per_call"),
        "identity_server_cpu_ms": get("identity", "server_cpu_ms_per_call"),
        "read_server_cpu_ms": get("read", "server_cpu_ms_per_call"),
        "append_server_cpu_ms": get("append", "server_cpu_ms_per_call"),
        # The same two on one broker on PostgreSQL (``--database``).
        "pg_read_qps": get("pg_read", "qps"),
        "pg_read_p99_ms": get("pg_read", "p99_ms"),
        "pg_read_server_cpu_ms": get("pg_read", "server_cpu_ms_per_call"),
        "pg_append_qps": get("pg_append", "qps"),
        "pg_append_p99_ms": get("pg_append", "p99_ms"),
        "pg_append_server_cpu_ms": get("pg_append", "server_cpu_ms_per_call"),
        # Reads on ``serve --workers`` (one process per core), beside one broker's.
        "pg_workers_read_qps": get("pg_workers_read", "qps"),
        "pg_workers_read_p99_ms": get("pg_workers_read", "p99_ms"),
        # CPU time per page of the portal process and of the broker behind it.
        "portal_cpu_ms_per_page": get("portal", "portal_cpu_ms_per_page"),
        "broker_cpu_ms_per_page": get("portal", "broker_cpu_ms_per_page"),
    }


PHASES = (
    "echo",
    "identity",
    "read",
    "append",
    "fanout",
    "streams",
    "fairness",
    "portal",
    "consent_scale",
)
_BROKER_PHASES = frozenset(PHASES[1:7])
_POSTGRES_PHASES = {"read": "pg_read", "append": "pg_append"}
_WORKERS_PHASE = "pg_workers_read"
"""The read phase again on ``serve --workers`` (one per core): with ``read``, on PostgreSQL."""
# Named on their own (``--only pg_read``), the PostgreSQL phases run without SQLite's.
_SELECTABLE = (*PHASES, *_POSTGRES_PHASES.values(), _WORKERS_PHASE)


class Run:
    """Runs the phases in order; a failed phase is recorded and the run goes on."""

    def __init__(
        self,
        profile: Profile,
        started: float,
        only: frozenset[str] | None = None,
        database: str | None = None,
    ) -> None:
        self.profile = profile
        self.started = started
        self.database = database
        only = frozenset(PHASES) if only is None else only
        self.only = only | {_POSTGRES_PHASES[p] for p in only & _POSTGRES_PHASES.keys()}
        if "read" in only:
            self.only |= {_WORKERS_PHASE}
        self.phases: dict[str, dict[str, Any]] = {}
        self.errors: dict[str, str] = {}

    async def phase(self, name: str, work: Coroutine[Any, Any, dict[str, Any]]) -> None:
        if name not in self.only:
            work.close()
            return
        try:
            result = self.phases[name] = await work
        except Exception as exc:
            self.errors[name] = f"{type(exc).__name__}: {exc}"
        else:
            # A call or stream the broker failed is a finding too, not noise to average away.
            failures = result.get("errors") or result.get("stream_failures")
            if failures:
                self.errors[name] = f"failed calls by status: {failures}"
        if name in self.errors:
            progress(self.started, f"{name} FAILED: {self.errors[name]}")

    async def all(self, supervisor: Supervisor, prepared: Prepared) -> None:
        bench = Bench(supervisor, self.profile, prepared, self.started)
        await self.phase("echo", bench.echo())
        if self.only & _BROKER_PHASES:
            await self._broker_phases(bench, prepared)
        if self.database is not None and self.only & set(_POSTGRES_PHASES.values()):
            await self._postgres_phases(bench.sup, prepared, self.database)
        # Before consent_scale, whose brokers write to the database this phase copies.
        await self.phase("portal", portal(bench))
        await self.phase("consent_scale", bench.consent_scale())

    async def _broker_phases(self, bench: Bench, prepared: Prepared) -> None:
        progress(self.started, "starting the broker")
        try:
            broker, port = await bench.start_broker(prepared.main_db)
        except Exception as exc:
            self.errors["broker"] = f"{type(exc).__name__}: {exc}"
            progress(self.started, f"broker FAILED: {self.errors['broker']}")
        else:
            try:
                await self.phase("identity", bench.identity(broker, port))
                await self.phase("read", bench.read(broker, port))
                await self.phase("append", bench.append(broker, port))
                await self.phase("fanout", bench.fanout(port))
                await self.phase("streams", bench.streams(broker, port))
                await self.phase("fairness", fairness(bench, broker, port))
                with contextlib.suppress(OSError, ChildFailed):
                    self.phases["broker"] = {"rss_at_end_mb": rss_mb(broker.pid)}
            finally:
                await bench.stop(broker)

    async def _postgres_phases(
        self, supervisor: Supervisor, prepared: Prepared, database: str
    ) -> None:
        """Read and append again, on one broker on a fresh schema of ``database``."""
        progress(self.started, "PostgreSQL: seeding a fresh schema with the same data")
        try:
            with fresh_schema(database) as url:
                data = await asyncio.to_thread(seed_postgres, url, prepared, self.profile)
                bench = Bench(supervisor, self.profile, data, self.started)
                broker, port = await bench.start_broker(url)
                try:
                    await self.phase("pg_read", bench.read(broker, port))
                    await self.phase("pg_append", bench.append(broker, port))
                finally:
                    await bench.stop(broker)
                await self.phase("pg_workers_read", bench.read_on_workers(url))
        except Exception as exc:
            self.errors["postgres"] = f"{type(exc).__name__}: {exc}"
            progress(self.started, f"PostgreSQL FAILED: {self.errors['postgres']}")


def _data_summary(profile: Profile, prepared: Prepared | None) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "citizens": profile.sizes.citizens,
        "cases": profile.sizes.cases,
        "records": profile.sizes.records,
    }
    if prepared is not None:
        summary.update(
            read_consents=prepared.read.consents,
            readable_records=len(prepared.read.pairs),
            open_cases=len(prepared.owner_cases()),
        )
    return summary


async def main_async(
    profile: Profile,
    out: Path,
    keep: bool,
    only: frozenset[str] | None = None,
    database: str | None = None,
) -> tuple[dict[str, Any], str]:
    """Run every phase; return the JSON document and the table."""
    started = time.monotonic()
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    work = Path(tempfile.mkdtemp(prefix="luukku-bench-"))
    supervisor = Supervisor(work)
    run = Run(profile, started, only, database)
    prepared: Prepared | None = None
    try:
        progress(started, f"seeding {profile.sizes} in {work}")
        prepared = await asyncio.to_thread(prepare, work, profile)
        await run.all(supervisor, prepared)
    finally:
        await supervisor.close()
        if keep:
            progress(started, f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    figures = figures_of(run.phases)
    info = machine()
    elapsed = round(time.monotonic() - started, 1)
    header = (
        f"Luukku bench ({profile.name}): {profile.duration:g} s measured per phase after "
        f"{profile.warmup:g} s warm-up, {profile.concurrency} calls in flight over "
        f"{len(profile.per_process())} load processes; broker on SQLite (durable commits)"
        f"{', and on PostgreSQL (pg_)' if database else ''}; "
        f"took {elapsed:g} s"
    )
    if "fairness" in run.phases:
        fair = run.phases["fairness"]
        header += f"\nfairness: {fair['pinning']}; load average {fair['load_average']}"
    document: dict[str, Any] = {
        **figures,
        "targets": verdicts(figures),
        "targets_met": sum(1 for t in TARGETS if t.met(figures)),
        "profile": profile.to_json(),
        "data": _data_summary(profile, prepared),
        "machine": info,
        "elapsed_seconds": elapsed,
        "phases": run.phases,
        "errors": run.errors,
    }
    write_json(out, document)
    return document, table(figures, info, header)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.only is not None and not args.only <= set(_SELECTABLE):
        parser.error(f"--only: unknown phase in {','.join(sorted(args.only))}")
    profile = profile_of(args)
    try:
        document, text = asyncio.run(
            main_async(profile, args.out, args.keep, args.only, args.database)
        )
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    except asyncio.CancelledError:
        print("bench: terminated", file=sys.stderr)
        return 143
    print(text)
    print(f"wrote {args.out}")
    if document["errors"]:
        print(f"bench: failed phases: {', '.join(document['errors'])}", file=sys.stderr)
        return 1
    if args.only is None and any(math.isnan(document[t.key]) for t in TARGETS):
        return 1
    if args.check and document["targets_met"] < len(TARGETS):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
