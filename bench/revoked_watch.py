"""``python -m bench.revoked_watch``: how long a revoked watch stream outlives its consent
when its reader has stopped reading.

A private organisation watches a discussion under the citizen's consent through a
channel with small HTTP/2 windows (``grpc.http2.bdp_probe`` off), reads the first
message and then nothing more, while the public organisation posts 60 messages of
8 KB: the broker's writes to that stream back up behind the closed window. Then the
citizen revokes the consent through the portal. Measured from outside, on the
broker's Prometheus endpoint (``luukku_open_streams``): the seconds from the
revocation's answer until the broker holds the stream no more. Repeated ``--rounds``
times, each on a discussion and consent of its own; target at most 1 s (issue 22
found 20.3 s). One ``luukku serve`` on SQLite, or on PostgreSQL with ``--database``.

Prints the figures and writes them as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc

from bench.harness.cli import Org, make_pki, register
from bench.harness.issuer import citizen_token, start_dev_issuer
from bench.harness.metrics import free_listen, sample, scrape
from bench.harness.postgres import fresh_schema
from bench.harness.procs import Supervisor
from bench.harness.stats import latency_summary
from luukku.client import Client, TLSConfig
from luukku.v1 import threads_pb2, threads_pb2_grpc
from luukku.verify.identity_code import make_identity_code

CITIZEN = make_identity_code(date(1952, 10, 13), 308)
ORGS = (
    Org("social", "Social services", "public"),
    Org("care", "Home care company", "private"),
    Org("portal", "Citizens' portal", "portal"),
)
START_TIMEOUT_S = 120.0
GIVE_UP_S = 60.0
"""A stream still open this long after its revocation is reported as this long."""
POLL_S = 0.01
TARGET_S = 1.0
BACKLOG_MESSAGES, BACKLOG_BYTES = 60, 8000


async def _open_streams(metrics: str, pki: Path) -> float:
    text = await asyncio.to_thread(scrape, metrics, pki, "social")
    return sample(text, "luukku_open_streams")


async def _until_streams(metrics: str, pki: Path, wanted: float, within: float) -> float:
    """Seconds until the broker reports ``wanted`` open streams (``within`` if never)."""
    started = time.perf_counter()
    while time.perf_counter() - started < within:
        if await _open_streams(metrics, pki) == wanted:
            return time.perf_counter() - started
        await asyncio.sleep(POLL_S)
    return within


async def one_round(
    social: Client, portal: Client, care: TLSConfig, target: str, metrics: str, pki: Path
) -> float:
    """Seconds from a revocation's answer until its stalled stream is gone from the broker."""
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    thread = await social.create_thread(case.id, subject="Plan")
    consent = await portal.grant_consent(
        "care",
        case_id=case.id,
        permissions=["discuss"],
        purpose="Home care",
        valid_until=datetime.now(UTC) + timedelta(days=1),
    )
    credentials = grpc.ssl_channel_credentials(care.ca_cert, care.client_key, care.client_cert)
    options = [("grpc.http2.bdp_probe", 0)]  # small windows: the backlog stalls the writes
    async with grpc.aio.secure_channel(target, credentials, options=options) as channel:
        watch = threads_pb2_grpc.ThreadServiceStub(channel).WatchThread(
            threads_pb2.WatchThreadRequest(thread_id=thread.id)
        )
        await social.post_message(thread.id, "first")
        await watch.read()  # and then no more
        body = "x" * BACKLOG_BYTES
        for n in range(BACKLOG_MESSAGES):
            await social.post_message(thread.id, f"{n:02d}{body}")
        if await _until_streams(metrics, pki, 1, START_TIMEOUT_S) >= START_TIMEOUT_S:
            raise RuntimeError("the watch stream never showed in luukku_open_streams")
        await portal.revoke_consent(consent.id)
        seconds = await _until_streams(metrics, pki, 0, GIVE_UP_S)
        watch.cancel()
    return seconds


async def measure(database: str, work: Path, rounds: int) -> dict[str, Any]:
    pki = work / "pki"
    make_pki(pki, [org.id for org in ORGS])
    register(database, pki, ORGS)
    supervisor = Supervisor(work)
    metrics = free_listen()
    try:
        issuer = await start_dev_issuer(supervisor, pki, START_TIMEOUT_S)
        _, port = await supervisor.start_server(
            "broker",
            [
                *("-m", "luukku.cli", "serve", "--listen", "127.0.0.1:0"),
                *("--pki", str(pki), "--database", database, "--workers", "1"),
                *("--metrics", metrics),
                *("--citizen-issuer", issuer, "--citizen-dev-issuer"),
                *("--ready-message", "READY {port}"),
            ],
            START_TIMEOUT_S,
        )
        target = f"127.0.0.1:{port}"
        token = await citizen_token(issuer, CITIZEN)
        social = await Client.connect(target, tls=TLSConfig.from_pki_dir(pki, "social"))
        portal = await Client.connect(
            target,
            tls=TLSConfig.from_pki_dir(pki, "portal"),
            on_behalf_of=CITIZEN,
            citizen_token=token,
        )
        care = TLSConfig.from_pki_dir(pki, "care")
        try:
            seconds = [
                await one_round(social, portal, care, target, metrics, pki) for _ in range(rounds)
            ]
        finally:
            await social.close()
            await portal.close()
    finally:
        await supervisor.close()
    summary = latency_summary([1000 * s for s in seconds])
    return {
        "rounds": rounds,
        "seconds": [round(s, 3) for s in seconds],
        "p50_s": summary["p50_ms"] / 1000,
        "max_s": summary["max_ms"] / 1000,
        "target_s": TARGET_S,
        "met": max(seconds) <= TARGET_S,
    }


def report(figures: dict[str, Any], engine: str) -> str:
    verdict = "PASS" if figures["met"] else "MISS"
    return (
        f"revoked watch, reader not reading ({engine}): stream gone {figures['p50_s']:.3f} s "
        f"(p50), {figures['max_s']:.3f} s (max of {figures['rounds']}) after the revocation"
        f"  <= {TARGET_S:.0f} s  {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.revoked_watch", description=__doc__)
    parser.add_argument("--database", metavar="URL", help="a PostgreSQL (default: SQLite)")
    parser.add_argument("--rounds", type=int, default=5, help="revocations measured")
    parser.add_argument("--out", type=Path, default=Path("var/bench-revoked-watch.json"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="luukku-bench-revoked-watch-") as work:
        if args.database:
            with fresh_schema(args.database, prefix="bench_revoked") as url:
                figures = asyncio.run(measure(url, Path(work), args.rounds))
        else:
            url = f"sqlite:///{work}/luukku.db"
            figures = asyncio.run(measure(url, Path(work), args.rounds))
    engine = "PostgreSQL" if args.database else "SQLite"
    figures["engine"] = engine
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    print(report(figures, engine), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
