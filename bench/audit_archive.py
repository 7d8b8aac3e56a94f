"""``python -m bench.audit_archive --database URL``: what archiving a month costs and saves.

On a fresh schema of a PostgreSQL database, set up as an operator would (PKI
and organisations through the ``luukku`` command, partitions with ``luukku
audit partitions --from``, events through the store's bulk loader):
``--events`` events of organisation A in a past month, as many of
organisation B in the current month. Then:

1. the bytes one event takes on PostgreSQL (its partition with indexes, and
   its share of the Merkle tree), and in its archive file;
2. ``luukku audit verify`` (events a second), ``luukku audit archive`` of the
   past month, ``verify`` after it, and ``verify --against`` the file;
3. the first page of each organisation's ListAuditEvents through the SDK,
   p50/p99, before the archive (both months in the database) and after it
   (A's month read from ``serve --audit-archive``, B's still in the database).

Printed and written to ``var/bench_audit_archive.json``; give ``uptime`` beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench.harness.cli import Org, luukku, make_pki, register
from bench.harness.postgres import fresh_schema
from bench.harness.procs import Supervisor
from bench.harness.stats import latency_summary
from luukku.audit.events import AuditEvent, Outcome
from luukku.client import Client, Practitioner, TLSConfig
from luukku.store.bulk import loading

ARCHIVED = Org("helsinki-social", "Helsingin sosiaalipalvelut", "public")
LIVE = Org("hoiva-oy", "Hoiva Oy", "private")
START_TIMEOUT_S = 120.0


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


# Ids as random as the broker's (uuid4 hex), so that sizes and compression are real.
_RANDOM = random.Random(7)
_CITIZENS = [f"{_RANDOM.getrandbits(128):032x}" for _ in range(20_000)]
_CASES = [f"{_RANDOM.getrandbits(128):032x}" for _ in range(5_000)]


def _events(org: Org, start: datetime, count: int, first: int) -> Iterator[AuditEvent]:
    """``count`` refused reads by ``org``, one every ten seconds from ``start``.

    Refused, so that a listing of denied events finds them and not the
    organisation's own listings (allowed) that the bench's calls add.
    """
    for n in range(first, first + count):
        yield AuditEvent(
            f"{_RANDOM.getrandbits(128):032x}",
            start + timedelta(seconds=10 * (n - first)),
            org.id,
            "ab" * 32,
            "sw-1",
            "Sanna Virtanen",
            "social worker",
            None,
            "record.read",
            f"cases/{_RANDOM.choice(_CASES)}/records/{_RANDOM.getrandbits(128):032x}",
            _RANDOM.choice(_CITIZENS),
            Outcome.DENIED,
            "CONSENT_REQUIRED",
            None,
            f"{_RANDOM.getrandbits(128):032x}",
        )


def _libpq(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"


def _sizes(url: str, partition: str) -> dict[str, float]:
    """Bytes an event takes in its partition (rows and indexes) and in the tree."""
    with psycopg.connect(_libpq(url)) as conn:
        events, table = _one(
            conn, f"SELECT count(*), pg_total_relation_size('{partition}') FROM {partition}"
        )
        leaves, tree = _one(
            conn,
            "SELECT count(*) FILTER (WHERE level = 0), pg_total_relation_size('audit_tree') "
            "FROM audit_tree",
        )
    return {
        "pg_event_bytes": table / events,
        "pg_tree_bytes_per_event": tree / leaves,
    }


def _one(conn: psycopg.Connection[Any], query: str) -> tuple[int, int]:
    row = conn.execute(query).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _timed(*args: str) -> tuple[float, str]:
    started = time.perf_counter()
    out = luukku(*args)
    return time.perf_counter() - started, out


async def _first_pages(port: int, pki: Path, calls: int) -> dict[str, float]:
    """p50/p99 of the first page (50 events) of each organisation's own denied calls."""
    results: dict[str, float] = {}
    for label, org in (("archived_org", ARCHIVED), ("live_org", LIVE)):
        tls = TLSConfig.from_pki_dir(pki, org.id)
        practitioner = Practitioner("sw-1", "Sanna", "social worker")
        async with await Client.connect(
            f"127.0.0.1:{port}", tls=tls, practitioner=practitioner
        ) as client:
            samples = []
            for n in range(calls + 1):
                started = time.perf_counter()
                got = []
                async for event in client.list_audit_events(page_size=50, outcome="denied"):
                    got.append(event)
                    if len(got) == 50:
                        break
                if n:  # the first call warms the connection (and opens the month's index)
                    samples.append((time.perf_counter() - started) * 1000)
                assert len(got) == 50, f"{org.id}: {len(got)} events listed"
        summary = latency_summary(samples)
        results[f"{label}_first_page_p50_ms"] = summary["p50_ms"]
        results[f"{label}_first_page_p99_ms"] = summary["p99_ms"]
    return results


async def _serving(
    work: Path, pki: Path, url: str, calls: int, archive: Path | None, name: str
) -> dict[str, float]:
    supervisor = Supervisor(work)
    extra = ("--audit-archive", str(archive)) if archive is not None else ()
    try:
        _, port = await supervisor.start_server(
            name,
            [
                *("-m", "luukku.cli", "serve", "--listen", "127.0.0.1:0"),
                *("--pki", str(pki), "--database", url, "--checkpoint-seconds", "1"),
                *("--workers", "1"),
                *extra,
                *("--ready-message", "READY {port}"),
            ],
            START_TIMEOUT_S,
        )
        return await _first_pages(port, pki, calls)
    finally:
        await supervisor.close()


async def bench(work: Path, database: str, events: int, calls: int) -> dict[str, Any]:
    """Every figure, on a fresh schema of ``database``."""
    with fresh_schema(database, prefix="bench_archive") as url:
        pki = work / "pki"
        make_pki(pki, [ARCHIVED.id, LIVE.id])
        register(url, pki, [ARCHIVED, LIVE])
        now = datetime.now(UTC)
        this_month = _month_start(now)
        past = _month_start(this_month - timedelta(days=1))
        luukku("audit", "partitions", "--from", past.strftime("%Y-%m"), "--database", url)
        started = time.perf_counter()
        with loading(url) as load:
            load.audit_events(_events(ARCHIVED, past, events, 0))
            load.audit_events(_events(LIVE, this_month, events, events))
        results: dict[str, Any] = {
            "events_per_month": events,
            "bulk_load_events_per_s": 2 * events / (time.perf_counter() - started),
        }
        results |= _sizes(url, f"audit_events_{past:%Y_%m}")
        in_database = await _serving(work, pki, url, calls, None, "broker")
        results |= {f"in_database_{k}": v for k, v in in_database.items()}
        db = ("--database", url, "--pki", str(pki))
        seconds, _ = _timed("audit", "verify", *db)
        results["verify_events_per_s"] = 2 * events / seconds
        folder = work / "archive"
        folder.mkdir()
        before_month = ("--before", f"{this_month:%Y-%m}")
        seconds, _ = _timed("audit", "archive", *before_month, "--to", str(folder), *db)
        results["archive_events_per_s"] = events / seconds
        (file,) = folder.glob("*.jsonl.gz")
        results["archive_file_bytes_per_event"] = file.stat().st_size / events
        index = next((folder / ".index").glob("*.sqlite"))
        results["read_index_bytes_per_event"] = index.stat().st_size / events
        seconds, _ = _timed("audit", "verify", *db)
        results["verify_after_archive_events_per_s"] = 2 * events / seconds
        seconds, _ = _timed("audit", "verify", "--against", str(file), *db)
        results["verify_against_file_events_per_s"] = 2 * events / seconds
        after = await _serving(work, pki, url, calls, folder, "broker-archive")
        results |= {f"after_archive_{k}": v for k, v in after.items()}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.audit_archive", description=__doc__)
    parser.add_argument("--database", required=True, metavar="URL", help="a PostgreSQL URL")
    parser.add_argument("--events", type=int, default=100_000, help="events in each month")
    parser.add_argument("--calls", type=int, default=200, help="first pages asked, per org")
    parser.add_argument("--out", type=Path, default=Path("var/bench_audit_archive.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="luukku-bench-archive-") as tmp:
        results = asyncio.run(bench(Path(tmp), args.database, args.events, args.calls))
    for name, value in results.items():
        print(f"{name:44} {value:12.3f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
