"""The phases of a run: each starts what it needs, drives load, and reports its figures."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from bench.harness.issuer import start_dev_issuer
from bench.harness.procs import Child, ChildFailed, Supervisor, cpu_seconds, rss_mb
from bench.harness.stats import latency_summary, merge_unary, ratio
from bench.harness.tls import ClientFiles
from bench.phases.prepare import Prepared, grow_consents, sqlite_url
from bench.phases.profile import Profile
from bench.phases.seed import OWNER, PORTAL, READER, copy_database

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 60.0
CONNECT_TIMEOUT = 30.0
BROKER_STOP_GRACE = 20.0


def progress(started: float, message: str) -> None:
    """A progress line on stderr (stdout carries the table)."""
    print(f"[{time.monotonic() - started:6.1f}s] {message}", file=sys.stderr, flush=True)


class Bench:
    """One run's processes and data; each method is a phase."""

    def __init__(
        self, supervisor: Supervisor, profile: Profile, prepared: Prepared, started: float
    ) -> None:
        self.sup = supervisor
        self.profile = profile
        self.data = prepared
        self.started = started
        self._specs = 0
        self._issuer: str | None = None

    def say(self, message: str) -> None:
        progress(self.started, message)

    # Servers ---------------------------------------------------------------

    async def start_echo(self) -> tuple[Child, int]:
        return await self.sup.start_server(
            "echo",
            ["-m", "bench.phases.echo", "--listen", f"{LOOPBACK}:0", "--pki", str(self.data.pki)],
            START_TIMEOUT,
        )

    async def issuer(self) -> str:
        """The development issuer of citizens' tokens (``luukku demo issuer``), started once
        for the whole bench: the brokers trust it, the portal signs citizens in with it."""
        if self._issuer is None:
            self._issuer = await start_dev_issuer(self.sup, self.data.pki, START_TIMEOUT)
        return self._issuer

    async def start_broker(self, database: Path | str, workers: int = 1) -> tuple[Child, int]:
        """``luukku serve`` on a SQLite file, or on a database URL (PostgreSQL); with
        ``workers`` above one, the supervisor of that many broker processes."""
        issuer = await self.issuer()
        return await self.sup.start_server(
            "broker",
            [
                "-m",
                "luukku.cli",
                "serve",
                "--listen",
                f"{LOOPBACK}:0",
                "--pki",
                str(self.data.pki),
                "--database",
                sqlite_url(database) if isinstance(database, Path) else database,
                *("--workers", str(workers)),
                *("--citizen-issuer", issuer, "--citizen-dev-issuer"),
                "--ready-message",
                "READY {host}:{port}",
            ],
            START_TIMEOUT,
        )

    async def start_portal(self, broker_port: int) -> tuple[Child, int]:
        """``luukku portal`` as the portal organisation, with test identification."""
        return await self.sup.start_server(
            "portal",
            [
                "-m",
                "luukku.cli",
                "portal",
                "--listen",
                f"{LOOPBACK}:0",
                "--broker",
                f"{LOOPBACK}:{broker_port}",
                "--pki",
                str(self.data.pki),
                "--org",
                PORTAL,
                "--identification",
                "dev",
                *("--dev-issuer", await self.issuer()),
                "--ready-message",
                "READY {address}",
            ],
            START_TIMEOUT,
        )

    async def stop(self, child: Child) -> None:
        code = await child.stop(BROKER_STOP_GRACE)
        # uvicorn (the portal) ends a clean shutdown by raising the SIGTERM it caught again.
        clean = (0, -signal.SIGTERM) if child.name == "portal" else (0,)
        if code not in clean:
            self.say(f"warning: {child.name} stopped with status {code} (see {child.log})")

    # Load ------------------------------------------------------------------

    def spec(self, kind: str, port: int, org: str, **extra: Any) -> dict[str, Any]:
        return {
            "kind": kind,
            "target": f"{LOOPBACK}:{port}",
            "tls": dataclasses.asdict(ClientFiles.of(self.data.pki, org)),
            **extra,
        }

    async def spawn_load(
        self, name: str, spec: dict[str, Any], module: str = "bench.phases.load"
    ) -> Child:
        """A load process (``python -m MODULE SPEC.json``), once it has said READY."""
        self._specs += 1
        path = self.sup.work / f"{name}-spec-{self._specs}.json"
        path.write_text(json.dumps(spec))
        child = await self.sup.spawn(name, ["-m", module, str(path)], stdin=True)
        try:
            await child.expect("READY", CONNECT_TIMEOUT)
        except BaseException:
            await child.stop(2)
            raise
        return child

    async def run_load(
        self,
        name: str,
        specs: Sequence[dict[str, Any]],
        within: float,
        on_start: Callable[[], Awaitable[object]] | None = None,
    ) -> list[dict[str, Any]]:
        """Start the load processes, wait until all are connected, start them together."""
        children: list[Child] = []
        try:
            for spec in specs:
                children.append(await self.spawn_load(name, spec))
            for child in children:
                await child.send("GO")
            watching = asyncio.ensure_future(on_start() if on_start else asyncio.sleep(0))
            try:
                reports = list(await asyncio.gather(*(c.report(within) for c in children)))
                await watching
            finally:
                watching.cancel()
            return reports
        finally:
            await asyncio.gather(*(c.stop(2) for c in children))

    async def server_cpu(
        self, server: Child, into: dict[str, float], duration: float | None = None
    ) -> None:
        """The server's CPU seconds over the measured period (warm-up excluded)."""
        await asyncio.sleep(self.profile.warmup)
        before = cpu_seconds(server.pid), cpu_seconds(server.pid, main_thread_only=True)
        await asyncio.sleep(self.profile.duration if duration is None else duration)
        into["cpu_s"] = cpu_seconds(server.pid) - before[0]
        into["main_cpu_s"] = cpu_seconds(server.pid, main_thread_only=True) - before[1]

    async def throughput(
        self, kind: str, server: Child, port: int, org: str, **extra: Any
    ) -> dict[str, Any]:
        """A unary phase: fixed concurrency, warm-up discarded, merged over the processes.

        Also reports the server's CPU time per call: what limits a server that
        runs its Python on one core.
        """
        p = self.profile
        split = p.per_process()
        specs = [
            self.spec(
                kind,
                port,
                org,
                concurrency=n,
                channels=max(1, min(4, n // 8)),
                warmup=p.warmup,
                duration=p.duration,
                seed=i + 1,
                **extra,
            )
            for i, n in enumerate(split)
        ]
        cpu: dict[str, float] = {}
        reports = await self.run_load(
            kind,
            specs,
            p.warmup + p.duration + START_TIMEOUT,
            on_start=lambda: self.server_cpu(server, cpu),
        )
        merged = merge_unary(reports, p.duration)
        merged.update(concurrency=sum(split), warmup_s=p.warmup)
        calls = merged.get("count") or 0
        if "cpu_s" in cpu and calls:
            merged["server_cpu_cores"] = round(cpu["cpu_s"] / p.duration, 2)
            merged["server_cpu_ms_per_call"] = round(cpu["cpu_s"] * 1000 / calls, 3)
            # The thread that runs the Python (event loop, gRPC callbacks, SQLite):
            # at 100% of a core it is the limit.
            merged["server_main_thread_busy"] = round(cpu["main_cpu_s"] / p.duration, 2)
            merged["server_main_thread_ms_per_call"] = round(cpu["main_cpu_s"] * 1000 / calls, 3)
        return merged

    # Phases ----------------------------------------------------------------

    async def echo(self) -> dict[str, Any]:
        server, port = await self.start_echo()
        try:
            self.say(f"echo: {self.profile.concurrency} in flight for {self.profile.duration:g} s")
            return await self.throughput("echo", server, port, READER)
        finally:
            await self.stop(server)

    async def identity(self, broker: Child, port: int) -> dict[str, Any]:
        self.say("identity: WhoAmI (certificate lookup, no access check, no audit)")
        return await self.throughput("identity", broker, port, READER)

    async def read(self, broker: Child, port: int) -> dict[str, Any]:
        pairs = [list(p) for p in self.data.read.pairs]
        self.say(f"read: GetRecord under consent over {len(pairs)} records")
        result = await self.throughput("read", broker, port, READER, pairs=pairs)
        result["records"] = len(pairs)
        return result

    async def read_on_workers(self, database: str) -> dict[str, Any]:
        """The read phase on ``luukku serve --workers N`` (N: this machine's cores, the
        default on PostgreSQL), beside one broker's."""
        workers = len(os.sched_getaffinity(0))
        broker, port = await self.start_broker(database, workers)
        try:
            result = await self.read(broker, port)
        finally:
            await self.stop(broker)
        # The supervisor's own CPU time says nothing of its workers'.
        for key in [k for k in result if k.startswith("server_")]:
            del result[key]
        result["workers"] = workers
        return result

    async def append(self, broker: Child, port: int) -> dict[str, Any]:
        cases = self.data.owner_cases()
        self.say(f"append: CreateRecord by the owner over {len(cases)} open cases")
        result = await self.throughput("append", broker, port, OWNER, cases=cases)
        result["cases"] = len(cases)
        return result

    async def fanout(self, port: int) -> dict[str, Any]:
        p = self.profile
        self.say(f"fan-out: {p.fanout_messages} messages to {p.fanout_watchers} watchers")
        spec = self.spec(
            "fanout",
            port,
            OWNER,
            channels=4,
            watchers=p.fanout_watchers,
            messages=p.fanout_messages,
            cases=self.data.owner_cases()[:1],
        )
        (report,) = await self.run_load("fanout", [spec], 300.0)
        samples = report.pop("latencies_ms")
        return {**report, **latency_summary(samples)}

    async def streams(self, broker: Child, port: int) -> dict[str, Any]:
        p = self.profile
        self.say(f"streams: {p.streams} watch streams over {p.stream_channels} channels")
        before = rss_mb(broker.pid)
        spec = self.spec(
            "streams",
            port,
            OWNER,
            channels=p.stream_channels,
            watchers=p.streams,
            cases=self.data.owner_cases()[1:2],
            timeout=240.0,
        )
        child = await self.spawn_load("streams", spec)
        try:
            await child.send("GO")
            holding = json.loads((await child.expect("HOLDING", 300.0)).split(" ", 1)[1])
            await asyncio.sleep(1.0)  # let the broker settle with every stream open
            during = rss_mb(broker.pid)
            await child.send("GO")
            report = await child.report(60.0)
        finally:
            await child.stop(2)
        return {
            **report,
            "rss_before_mb": before,
            "rss_mb": during,
            "established_s": round(float(holding["established_s"]), 3),
        }

    async def consent_scale(self) -> dict[str, Any]:
        """Reads against 100 consents and against 100,000, interleaved call by call.

        A copy of the 100-consent database gets the filler consents (no broker
        has it open), then a broker on each file serves alternate reads of the
        same records: disk-flush latency, which dominates a single durable
        read here, drifts over seconds, and interleaving lets both sides see
        the same drift.
        """
        p = self.profile
        large_db = self.sup.work / "scale-large.db"
        copy_database(self.data.scale_db, large_db)
        self.say(f"consent scale: filling a copy up to {p.scale_large} consents")
        began = time.monotonic()
        total = await asyncio.to_thread(grow_consents, self.data, large_db, p.scale_large)
        filled = time.monotonic() - began
        self.say(
            f"consent scale: alternating reads, {self.data.scale.consents} vs {total} consents"
        )
        small_broker, small_port = await self.start_broker(self.data.scale_db)
        try:
            large_broker, large_port = await self.start_broker(large_db)
            try:
                spec = self.spec(
                    "paired",
                    small_port,
                    READER,
                    other_target=f"{LOOPBACK}:{large_port}",
                    warmup=min(1.0, p.warmup),
                    duration=p.scale_duration,
                    pairs=[list(x) for x in self.data.scale.pairs],
                )
                (report,) = await self.run_load("scale", [spec], p.scale_duration + 120)
            finally:
                await self.stop(large_broker)
        finally:
            await self.stop(small_broker)
        if report["errors"]:
            raise ChildFailed(f"reads failed: {report['errors']}")
        small_samples, large_samples = report["latencies_ms"]
        small: dict[str, Any] = {"consents": self.data.scale.consents, "count": len(small_samples)}
        large: dict[str, Any] = {"consents": total, "count": len(large_samples)}
        small.update(latency_summary(small_samples))
        large.update(latency_summary(large_samples))
        return {
            "metric": "p50 GetRecord latency, one call at a time, alternating brokers",
            "small": small,
            "large": large,
            "fill_seconds": round(filled, 1),
            "ratio_p50": ratio(large["p50_ms"], small["p50_ms"]),
            "ratio_mean": ratio(large["mean_ms"], small["mean_ms"]),
        }
