"""``python -m bench.audit_log``: what the audit log's Merkle tree costs a broker.

The world is set up as an operator would: the PKI and the organisation through
the ``luukku`` command, a log of ``--events`` audit events (default 1,000,000)
through the store's bulk loader (events and tree nodes, as appends store
them); then one ``luukku serve`` on that SQLite file, reached through the SDK:

1. the bulk load itself: events a second, tree included;
2. inclusion-proof latency, p50/p99 of GetInclusionProof calls for random
   events of the loaded log against its signed checkpoint (each proof checked
   with the SDK's verifier, so a fast wrong answer does not count);
3. audited calls a second on that log: WhoAmI one after another, each
   appending an event and its path of tree nodes, durable before it answers.

The results are printed and written to ``var/bench_audit.json``.
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

from bench.harness.cli import Org, make_pki, register
from bench.harness.procs import Supervisor
from bench.harness.stats import latency_summary
from luukku.audit.events import AuditEvent, Outcome
from luukku.client import Client, Practitioner, TLSConfig, verify_checkpoint, verify_inclusion
from luukku.store.bulk import loading

ORG = Org("helsinki-social", "Helsingin sosiaalipalvelut", "public")
START_TIMEOUT_S = 120.0
SIGNED_TIMEOUT_S = 60.0


def _events(count: int) -> Iterator[AuditEvent]:
    """``count`` reads of the organisation's own: events its proofs may be asked of."""
    start = datetime.now(UTC) - timedelta(days=365)
    for n in range(count):
        yield AuditEvent(
            f"{n:032x}",
            start + timedelta(seconds=n),
            ORG.id,
            "ab" * 32,
            "sw-1",
            "Sanna",
            "social worker",
            None,
            "record.create",
            f"cases/{n:032x}",
            "c" * 32,
            Outcome.ALLOWED,
            "OWNER",
            None,
            f"r{n}",
        )


def load_log(url: str, events: int) -> dict[str, float]:
    """The bulk load of ``events`` audit events into ``url``: how long, how many a second."""
    started = time.perf_counter()
    with loading(url) as load:
        load.audit_events(_events(events))
    seconds = time.perf_counter() - started
    return {"proof_log_events": events, "proof_seed_s": seconds, "audit_load_qps": events / seconds}


async def _signed(client: Client, events: int, verifier_key: str) -> tuple[int, bytes]:
    """The size and root of the broker's first checkpoint that covers ``events`` events."""
    deadline = time.monotonic() + SIGNED_TIMEOUT_S
    while True:
        note = await client.get_checkpoint()
        if note:
            checkpoint = verify_checkpoint(note, verifier_key)
            if checkpoint.size >= events:
                return checkpoint.size, checkpoint.root
        if time.monotonic() > deadline:
            raise TimeoutError(f"no checkpoint of {events} events within {SIGNED_TIMEOUT_S} s")
        await asyncio.sleep(0.5)


async def measure(
    port: int, tls: TLSConfig, verifier_key: str, events: int, proofs: int, seconds: float
) -> dict[str, float]:
    """Proof latency and audited calls a second against the broker on ``port``."""
    practitioner = Practitioner("sw-1", "Sanna", "social worker")
    async with await Client.connect(
        f"127.0.0.1:{port}", tls=tls, practitioner=practitioner
    ) as client:
        size, root = await _signed(client, events, verifier_key)
        # The log's last ``events`` are the organisation's own: loaded, or its calls since.
        rng = random.Random(1)
        samples = []
        for _ in range(proofs):
            sequence = rng.randrange(size - events + 1, size + 1)
            start = time.perf_counter()
            proof = await client.get_inclusion_proof(sequence, tree_size=size)
            samples.append((time.perf_counter() - start) * 1000)
            verify_inclusion(proof.leaf_hash, proof.leaf_index, size, proof.hashes, root)
        await client.who_am_i()  # warm-up
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            await client.who_am_i()
            done += 1
        calls_per_s = done / (time.perf_counter() - start)
    summary = latency_summary(samples)
    return {
        "inclusion_proof_p50_ms": summary["p50_ms"],
        "inclusion_proof_p99_ms": summary["p99_ms"],
        "audited_call_qps": calls_per_s,
    }


async def bench(work: Path, events: int, proofs: int, seconds: float) -> dict[str, float]:
    """Every figure, on a SQLite file in ``work``."""
    pki, url = work / "pki", f"sqlite:///{work / 'audit.db'}"
    make_pki(pki, [ORG.id])
    register(url, pki, [ORG])
    results = load_log(url, events)
    supervisor = Supervisor(work)
    try:
        _, port = await supervisor.start_server(
            "broker",
            [
                *("-m", "luukku.cli", "serve", "--listen", "127.0.0.1:0"),
                *("--pki", str(pki), "--database", url, "--checkpoint-seconds", "1"),
                *("--workers", "1"),
                *("--ready-message", "READY {port}"),
            ],
            START_TIMEOUT_S,
        )
        verifier_key = (pki / "audit-log.vkey").read_text(encoding="ascii").strip()
        tls = TLSConfig.from_pki_dir(pki, ORG.id)
        results |= await measure(port, tls, verifier_key, events, proofs, seconds)
    finally:
        await supervisor.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.audit_log", description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the loaded log")
    parser.add_argument("--proofs", type=int, default=2000, help="inclusion proofs asked")
    parser.add_argument("--seconds", type=float, default=5.0, help="of audited calls")
    parser.add_argument("--out", type=Path, default=Path("var/bench_audit.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="luukku-bench-audit-") as tmp:
        results: dict[str, Any] = asyncio.run(
            bench(Path(tmp), args.events, args.proofs, args.seconds)
        )
    for name, value in results.items():
        print(f"{name:32} {value:12.3f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
