"""``python -m bench.replicas --database URL``: two brokers sharing one PostgreSQL.

Two ``luukku serve`` processes, A and B, on a fresh schema of the database
(dropped afterwards), over mutual TLS on loopback:

1. fan-out across replicas: 100 watch streams on A, messages posted through
   B 20 ms apart; delivery latency of every (watcher, message), from the
   moment the post was sent (target p99 <= 50 ms), with the post's own
   latency and the first and the last watcher's per message beside it; then
   the same with the watchers on B, for comparison;
2. revocation across replicas: a consent revoked through B, until the
   company's open stream on A has ended (target p99 <= 1 s);
3. one broker on PostgreSQL: identity (WhoAmI), read (GetRecord under
   consent) and append (CreateRecord) on B from one load process, calls a
   second, p99, and B's process CPU seconds per call (the figure that does not
   depend on this machine: what one core of a replica carries).

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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.harness.cli import Org, make_pki, register
from bench.harness.issuer import citizen_token, start_dev_issuer
from bench.harness.postgres import fresh_schema
from bench.harness.procs import Supervisor, cpu_seconds
from bench.harness.stats import latency_summary
from luukku.client import Client, PermissionDeniedError, TLSConfig

CITIZEN = "131052-308T"
ORGS = {"social": "public", "company": "private", "portal": "portal"}
START_TIMEOUT_S = 120.0


async def bench(
    database_url: str,
    work: Path,
    *,
    watchers: int = 100,
    posts: int = 200,
    revocations: int = 30,
    calls: int = 2000,
    concurrency: int = 16,
) -> dict[str, Any]:
    """Run the three measurements on a fresh schema of ``database_url``; the figures."""
    with fresh_schema(database_url) as url:
        supervisor = Supervisor(work)
        try:
            tls = _register(url, work / "pki")
            issuer = await start_dev_issuer(supervisor, work / "pki", START_TIMEOUT_S)
            (_, port_a), (pid_b, port_b) = [
                await _start_broker(supervisor, name, url, work / "pki", issuer)
                for name in ("broker-a", "broker-b")
            ]
            token = await citizen_token(issuer, CITIZEN)
            return await _measure(
                tls, port_a, port_b, pid_b, token, watchers, posts, revocations, calls, concurrency
            )
        finally:
            await supervisor.close()


async def _start_broker(
    supervisor: Supervisor, name: str, url: str, pki: Path, issuer: str
) -> tuple[int, int]:
    """``luukku serve`` on ``url``, trusting ``issuer`` for citizens; its pid and port."""
    child, port = await supervisor.start_server(
        name,
        [
            *("-m", "luukku.cli", "serve", "--listen", "127.0.0.1:0"),
            *("--pki", str(pki), "--database", url, "--workers", "1"),
            *("--citizen-issuer", issuer, "--citizen-dev-issuer"),
            *("--ready-message", "READY {port}"),
        ],
        START_TIMEOUT_S,
    )
    return child.pid, port


def _register(url: str, pki: Path) -> dict[str, TLSConfig]:
    make_pki(pki, ORGS)
    register(url, pki, (Org(org_id, org_id, kind) for org_id, kind in ORGS.items()))
    return {org_id: TLSConfig.from_pki_dir(pki, org_id) for org_id in ORGS}


async def _measure(
    tls: dict[str, TLSConfig],
    port_a: int,
    port_b: int,
    pid_b: int,
    token: str,
    watchers: int,
    posts: int,
    revocations: int,
    calls: int,
    concurrency: int,
) -> dict[str, Any]:
    on_a = {org: await Client.connect(f"127.0.0.1:{port_a}", tls=tls[org]) for org in ORGS}
    on_b = {
        org: await Client.connect(
            f"127.0.0.1:{port_b}",
            tls=tls[org],
            on_behalf_of=CITIZEN if org == "portal" else None,
            citizen_token=token if org == "portal" else None,
        )
        for org in ORGS
    }
    try:
        case = await on_b["social"].create_case(CITIZEN, title="Home care", category="home_care")
        thread = await on_b["social"].create_thread(case.id, subject="Plan")
        consent = await _grant(on_b["portal"], case.id)
        fanout = await _fanout(on_a["company"], on_b["social"], thread.id, watchers, posts)
        # The same on one broker: what crossing replicas adds, on this machine now.
        local = await _fanout(on_b["company"], on_b["social"], thread.id, watchers, posts)
        await on_b["portal"].revoke_consent(consent)
        revocation = await _revocation(on_a["company"], on_b, case.id, thread.id, revocations)
        await _grant(on_b["portal"], case.id)
        record = await on_b["social"].create_record(case.id, kind="note", text="plan")
        single = {
            "identity": await _load(pid_b, calls, concurrency, on_b["company"].who_am_i),
            "read": await _load(
                pid_b,
                calls,
                concurrency,
                lambda: on_b["company"].get_record(case.id, record.record_id),
            ),
            "append": await _load(
                pid_b,
                calls,
                concurrency,
                lambda: on_b["social"].create_record(case.id, kind="note", text="more"),
            ),
        }
    finally:
        for client in (*on_a.values(), *on_b.values()):
            await client.close()
    return {
        "fanout_across_replicas": fanout,
        "fanout_one_broker": local,
        "revocation_across_replicas": revocation,
        **single,
    }


async def _grant(portal: Client, case_id: str) -> str:
    consent = await portal.grant_consent(
        "company",
        case_id=case_id,
        permissions=["read", "discuss"],
        purpose="bench",
        valid_until=datetime.now(UTC) + timedelta(days=1),
    )
    return consent.id


async def _fanout(
    watcher: Client, poster: Client, thread_id: str, watchers: int, posts: int
) -> dict[str, Any]:
    """Posts 20 ms apart; when each watcher had each message.

    Latencies run from the moment the post was sent (the poster's wait for its
    acknowledgement included). Besides every delivery's, the first and the last
    watcher's per message: the first is the broker's path (commit, notify, read,
    wake), what the last adds is writing to 100 streams and this one process
    reading them all.
    """
    arrivals: dict[int, list[float]] = {}

    async def watch() -> None:
        async for message in watcher.watch_thread(thread_id):
            arrivals.setdefault(message.sequence, []).append(time.perf_counter())

    streams = [asyncio.create_task(watch()) for _ in range(watchers)]
    first = await poster.post_message(thread_id, "warm-up")
    await _until(lambda: len(arrivals.get(first.sequence, ())) == watchers, 60)
    sent: dict[int, tuple[float, float]] = {}
    for i in range(posts):
        started = time.perf_counter()
        message = await poster.post_message(thread_id, f"message {i}")
        sent[message.sequence] = started, time.perf_counter()
        await asyncio.sleep(0.02)
    await _until(lambda: all(len(arrivals.get(seq, ())) == watchers for seq in sent), 60)
    for stream in streams:
        stream.cancel()

    def ms(samples: list[float]) -> dict[str, float]:
        return {k: v for k, v in latency_summary(samples).items() if k in ("p50_ms", "p99_ms")}

    def after(pick: Callable[[list[float]], float]) -> list[float]:
        return [(pick(arrivals[seq]) - began) * 1000 for seq, (began, _) in sent.items()]

    every = [(t - began) * 1000 for seq, (began, _) in sent.items() for t in arrivals[seq]]
    return {
        "watchers": watchers,
        "messages": posts,
        **latency_summary(every),
        "post": ms([(acked - began) * 1000 for began, acked in sent.values()]),
        "first_watcher": ms(after(min)),
        "last_watcher": ms(after(max)),
    }


async def _revocation(
    company_a: Client, on_b: dict[str, Client], case_id: str, thread_id: str, rounds: int
) -> dict[str, Any]:
    latencies = []
    for _ in range(rounds):
        consent = await _grant(on_b["portal"], case_id)
        last = await on_b["social"].post_message(thread_id, "ping")
        opened = asyncio.Event()
        stream = asyncio.create_task(_watch(company_a, thread_id, last.sequence - 1, opened))
        await asyncio.wait_for(opened.wait(), 30)
        started = time.perf_counter()
        await on_b["portal"].revoke_consent(consent)
        try:
            await asyncio.wait_for(stream, 30)
        except PermissionDeniedError:
            latencies.append((time.perf_counter() - started) * 1000)
    return {"rounds": rounds, "ended": len(latencies), **latency_summary(latencies)}


async def _watch(client: Client, thread_id: str, after: int, opened: asyncio.Event) -> None:
    async for _ in client.watch_thread(thread_id, after_sequence=after):
        opened.set()


async def _load(
    pid: int, calls: int, concurrency: int, call: Callable[[], Awaitable[object]]
) -> dict[str, Any]:
    latencies: list[float] = []
    remaining = calls

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            await call()
            latencies.append((time.perf_counter() - started) * 1000)

    cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    cpu, wall = cpu_seconds(pid) - cpu_before, time.perf_counter() - wall_before
    return {
        "calls": len(latencies),
        "calls_per_s": round(len(latencies) / wall, 1),
        "broker_cpu_ms_per_call": round(cpu * 1000 / len(latencies), 3),
        **latency_summary(latencies),
    }


async def _until(condition: Callable[[], bool], within: float) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the bench waited too long")
        await asyncio.sleep(0.01)


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.replicas", description=__doc__)
    parser.add_argument("--database", required=True, metavar="URL", help="a PostgreSQL URL")
    parser.add_argument("--watchers", type=int, default=100)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--revocations", type=int, default=30)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=Path("var/bench-replicas.json"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="luukku-bench-replicas-") as work:
        figures = asyncio.run(
            bench(
                args.database,
                Path(work),
                watchers=args.watchers,
                posts=args.posts,
                revocations=args.revocations,
                calls=args.calls,
            )
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    for name, figure in figures.items():
        print(f"{name:28} {json.dumps(figure)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
