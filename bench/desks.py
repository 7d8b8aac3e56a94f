"""``python -m bench.desks [--database URL]``: a shared service desk under load.

One ``luukku serve`` process on a SQLite file (and, with ``--database``, one
on a fresh schema of that PostgreSQL), over mutual TLS on loopback; a desk
of five member municipalities with nobody on duty, so that every inquiry is
offered to every member at once:

1. claim race: 50 clerks (ten of each member, each with its own connection)
   take 1,000 queued inquiries, each clerk always reaching for one of the ten
   oldest it does not know to be taken, so that clerks collide as they would
   at a real counter; every inquiry must be claimed exactly once (counted
   afterwards in each inquiry's history, as GetInquiry returns it). Claims a
   second (won claims over the wall time) and the p99 of every claim call, won
   or lost; then the desk's figures as ``luukku desk stats`` prints them and
   as the broker's Prometheus endpoint counts them (each claim counted once in
   both);
2. queue watch: 100 clerks watching the desk's queue (WatchQueue), 100
   inquiries asked one after another; the delay from sending each
   CreateInquiry to each watcher hearing of it, p99 over every (watcher,
   inquiry).

Prints the figures and writes them as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import grpc

from bench.harness.cli import Org, luukku, make_pki, register
from bench.harness.metrics import free_listen, sample, scrape
from bench.harness.postgres import fresh_schema
from bench.harness.procs import Supervisor
from bench.harness.stats import latency_summary
from luukku.client import (
    Client,
    FailedPreconditionError,
    InquiryStepKind,
    Practitioner,
    RPCError,
    TLSConfig,
)

DESK = "regional-advice"
WATCHED_DESK = "watched-advice"
"""The queue-watch phase's own desk: its watchers begin with an empty queue, not with
the race's claimed inquiries."""
TOPIC = "general"
MEMBERS = tuple(f"municipality-{n}" for n in range(1, 6))
START_TIMEOUT_S = 120.0
REACH = 10
"""How many of the oldest unclaimed inquiries a clerk chooses among."""
CREATE_CONCURRENCY = 16


async def bench(
    database_url: str,
    work: Path,
    *,
    clerks: int = 50,
    inquiries: int = 1000,
    watchers: int = 100,
    asked: int = 100,
) -> dict[str, Any]:
    """Run both measurements against one broker on ``database_url``; the figures."""
    supervisor = Supervisor(work)
    pki = work / "pki"
    try:
        tls = _set_up(database_url, pki)
        metrics = free_listen()
        port = await _start_broker(supervisor, database_url, pki, metrics)
        race = await _claim_race(port, tls, clerks, inquiries)
        return {
            "claim_race": race,
            "desk_figures": {
                **_desk_stats(database_url),
                "prometheus_claims_counted": _claims_counted(metrics, pki),
            },
            "queue_watch": await _queue_watch(port, tls, watchers, asked),
        }
    finally:
        await supervisor.close()


def _desk_stats(url: str) -> dict[str, Any]:
    """The desk's figures as ``luukku desk stats`` prints them (waits in whole seconds)."""
    for line in luukku("desk", "stats", "--database", url).splitlines():
        fields = line.split("\t")
        if fields[0] == DESK:
            queued, claimed = int(fields[1]), int(fields[2])
            p50, p95 = (float(f) for f in fields[5].split("/"))
            return {
                "stats_claimed": claimed,
                "stats_queued": queued,
                "stats_claim_wait_p50_s": p50,
                "stats_claim_wait_p95_s": p95,
            }
    raise RuntimeError(f"luukku desk stats did not list {DESK}")


def _claims_counted(listen: str, pki: Path) -> int:
    """The claims the broker's Prometheus endpoint has counted (HTTPS, a client certificate)."""
    text = scrape(listen, pki, MEMBERS[0])
    return int(sample(text, "luukku_desk_claim_wait_seconds_count", f'desk="{DESK}"'))


def _set_up(url: str, pki: Path) -> dict[str, TLSConfig]:
    """Register the members and make the desks (nobody on duty: overflow at once)."""
    make_pki(pki, MEMBERS)
    register(url, pki, (Org(org_id, org_id, "public") for org_id in MEMBERS))
    for desk_id in (DESK, WATCHED_DESK):
        luukku(
            *("desk", "add", desk_id, "--name", "Regional advice", "--topic", TOPIC),
            *("--overflow-minutes", "0", "--reopen-days", "1", "--database", url),
        )
        for org_id in MEMBERS:
            luukku("desk", "member", "add", desk_id, org_id, "--database", url)
    return {org_id: TLSConfig.from_pki_dir(pki, org_id) for org_id in MEMBERS}


async def _start_broker(supervisor: Supervisor, url: str, pki: Path, metrics: str) -> int:
    _, port = await supervisor.start_server(
        "broker",
        [
            *("-m", "luukku.cli", "serve", "--listen", "127.0.0.1:0"),
            *("--pki", str(pki), "--database", url, "--metrics", metrics),
            *("--workers", "1"),
            *("--ready-message", "READY {port}"),
        ],
        START_TIMEOUT_S,
    )
    return port


@contextmanager
def _timer() -> Iterator[list[float]]:
    """A one-item list holding the seconds the block took, once it has ended."""
    took: list[float] = []
    start = time.perf_counter()
    try:
        yield took
    finally:
        took.append(time.perf_counter() - start)


async def _clerks(port: int, tls: dict[str, TLSConfig], count: int) -> list[Client]:
    return [
        await Client.connect(
            f"127.0.0.1:{port}",
            tls=tls[MEMBERS[n % len(MEMBERS)]],
            practitioner=Practitioner(f"clerk-{n}", f"Clerk {n}", "advisor"),
        )
        for n in range(count)
    ]


async def _ask(clerk: Client, n: int, desk_id: str = DESK) -> str:
    inquiry = await clerk.create_inquiry(
        desk_id,
        topic=TOPIC,
        channel="phone",
        subject=f"Call {n}",
        body="A caller asked which office handles this.",
    )
    return inquiry.id


async def _claim_race(
    port: int, tls: dict[str, TLSConfig], clerks: int, inquiries: int
) -> dict[str, Any]:
    team = await _clerks(port, tls, clerks)
    try:
        gate = asyncio.Semaphore(CREATE_CONCURRENCY)

        async def ask(n: int) -> str:
            async with gate:
                return await _ask(team[n % clerks], n)

        queue = list(await asyncio.gather(*(ask(n) for n in range(inquiries))))
        taken: set[str] = set()
        wins: Counter[str] = Counter()
        latencies: list[float] = []
        lost = timed_out = 0

        async def clerk(client: Client, seed: int) -> None:
            nonlocal lost, timed_out
            rng = random.Random(seed)
            known_taken: set[str] = set()
            while True:
                # What this clerk's queue view shows: the oldest not yet known taken.
                open_ones = [i for i in queue if i not in known_taken and i not in taken][:REACH]
                if not open_ones:
                    return
                chosen = rng.choice(open_ones)
                started = time.perf_counter()
                try:
                    await client.claim_inquiry(chosen)
                    wins[chosen] += 1
                    taken.add(chosen)
                except FailedPreconditionError as exc:
                    if exc.reason != "ALREADY_CLAIMED":
                        raise
                    lost += 1
                    known_taken.add(chosen)
                except RPCError as exc:
                    # Counted, not fatal: the claim may still have won (the database
                    # count below tells); the clerk reaches for it again.
                    if exc.code is not grpc.StatusCode.DEADLINE_EXCEEDED:
                        raise
                    timed_out += 1
                latencies.append((time.perf_counter() - started) * 1000)

        with _timer() as took:
            await asyncio.gather(*(clerk(c, n) for n, c in enumerate(team)))
        claimed = await _claims_per_inquiry(team[0], queue)
    finally:
        for client in team:
            await client.close()
    return {
        "clerks": clerks,
        "inquiries": inquiries,
        "won": sum(wins.values()),
        "lost_races": lost,
        "timed_out": timed_out,
        "claimed_more_than_once": sum(1 for n in wins.values() if n > 1),
        "claimed_exactly_once_in_history": sum(1 for n in claimed.values() if n == 1),
        "claims_per_s": round(sum(wins.values()) / took[0], 1),
        **latency_summary(latencies),
    }


async def _claims_per_inquiry(clerk: Client, inquiry_ids: list[str]) -> dict[str, int]:
    """How many claimed steps each inquiry's history holds, as the broker tells a member."""
    gate = asyncio.Semaphore(CREATE_CONCURRENCY)

    async def claims(inquiry_id: str) -> int:
        async with gate:
            inquiry = await clerk.get_inquiry(inquiry_id)
        return sum(1 for step in inquiry.history if step.kind is InquiryStepKind.CLAIMED)

    counts = await asyncio.gather(*(claims(i) for i in inquiry_ids))
    return dict(zip(inquiry_ids, counts, strict=True))


async def _queue_watch(
    port: int, tls: dict[str, TLSConfig], watchers: int, asked: int
) -> dict[str, Any]:
    team = await _clerks(port, tls, watchers)
    asker = team[0]
    sent: dict[str, float] = {}
    heard: dict[int, dict[str, float]] = {n: {} for n in range(watchers)}
    caught_up = [asyncio.Event() for _ in range(watchers)]
    all_heard = asyncio.Event()
    failures: list[str] = []

    async def watch(n: int, entries: AsyncIterator[Any]) -> None:
        caught_up[n].set()  # the stream is opened by the first read below
        try:
            await _hear(n, entries)
        except RPCError as exc:  # reported: a watch that ended early misses the rest
            failures.append(f"{exc.code.name} {exc.reason}")

    async def _hear(n: int, entries: AsyncIterator[Any]) -> None:
        async for entry in entries:
            if entry.inquiry.id not in heard[n]:
                heard[n][entry.inquiry.id] = time.perf_counter()
                if sum(len(got) for got in heard.values()) == watchers * asked:
                    all_heard.set()

    tasks = [
        asyncio.get_running_loop().create_task(watch(n, c.watch_queue(WATCHED_DESK)))
        for n, c in enumerate(team)
    ]
    try:
        await asyncio.gather(*(e.wait() for e in caught_up))
        await asyncio.sleep(1.0)  # every stream has sent its opening view
        for n in range(asked):
            started = time.perf_counter()
            inquiry_id = await _ask(asker, n, WATCHED_DESK)
            sent[inquiry_id] = started
            await asyncio.sleep(0.02)
        with contextlib.suppress(TimeoutError):  # what never came is counted as missed
            await asyncio.wait_for(all_heard.wait(), 30)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for client in team:
            await client.close()
    delays = [
        (got[inquiry_id] - started) * 1000
        for got in heard.values()
        for inquiry_id, started in sent.items()
        if inquiry_id in got
    ]
    return {
        "watchers": watchers,
        "inquiries": asked,
        "deliveries": len(delays),
        "missed": watchers * asked - len(delays),
        "watches_failed": sorted(set(failures)),
        **latency_summary(delays),
    }


async def run_all(database: str | None, work: Path, **sizes: int) -> dict[str, Any]:
    """The bench on SQLite, then on PostgreSQL if a URL is given."""
    figures = {"sqlite": await bench(f"sqlite:///{work / 'desks.db'}", work / "sqlite", **sizes)}
    if database:
        with fresh_schema(database, prefix="bench_desks") as url:
            figures["postgresql"] = await bench(url, work / "postgresql", **sizes)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.desks", description=__doc__)
    parser.add_argument("--database", metavar="URL", help="also on this PostgreSQL")
    parser.add_argument("--clerks", type=int, default=50)
    parser.add_argument("--inquiries", type=int, default=1000)
    parser.add_argument("--watchers", type=int, default=100)
    parser.add_argument("--asked", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path("var/bench-desks.json"))
    args = parser.parse_args(argv)
    sizes = {
        "clerks": args.clerks,
        "inquiries": args.inquiries,
        "watchers": args.watchers,
        "asked": args.asked,
    }
    with tempfile.TemporaryDirectory(prefix="luukku-bench-desks-") as work:
        figures = asyncio.run(run_all(args.database, Path(work), **sizes))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    for engine, phases in figures.items():
        for name, figure in phases.items():
            print(f"{engine:11} {name:12} {json.dumps(figure)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
