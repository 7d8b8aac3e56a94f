"""``python -m bench.audit_log``: what the audit log's Merkle tree and checkpoints cost.

Three figures, on a SQLite file in a temporary folder (the store the broker uses):

1. append throughput: audit events appended one transaction each (the durable
   group commit included), with the tree, against the same inserts without
   the tree's nodes (the store as it was before the tree), same process;
2. inclusion-proof latency on a log of ``--events`` leaves (default 1,000,000):
   the tree's nodes are bulk-loaded straight into ``audit_tree`` (appending a
   million events one by one would take the bench far longer than the figure
   is worth); proofs are then read as the broker reads them, p50/p99;
3. checkpoint signing: computing the root from stored nodes, signing the note
   and storing it, and the Ed25519 signature alone.

The results are printed and written to ``var/bench_audit.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from luukku.audit import tree
from luukku.audit.checkpoints import LogSigner
from luukku.audit.events import AuditEvent, Outcome
from luukku.audit.merkle import leaf_hash
from luukku.service.audit.proofs import sign_checkpoint
from luukku.store.audit.log import AuditRepository
from luukku.store.opening import open_store
from luukku.store.sql.tables import audit_events


def _event(n: int) -> AuditEvent:
    return AuditEvent(
        f"{n:032x}",
        datetime.now(UTC),
        "helsinki-social",
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


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def append_rates(folder: Path, seconds: float) -> dict[str, float]:
    """Appends a second with the tree, and inserting the event row alone."""
    store = open_store(f"sqlite:///{folder / 'append.db'}")
    n = 0

    def rate(append: Any) -> float:
        nonlocal n
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            n += 1
            with store.transaction() as tx:
                append(tx, n)
            done += 1
        return done / (time.perf_counter() - start)

    def with_tree(tx: Any, k: int) -> None:
        tx.audit.append(_event(k))

    def row_only(tx: Any, k: int) -> None:
        event = _event(k)
        values = {f: getattr(event, f) for f in AuditEvent.__dataclass_fields__}
        values["outcome"] = event.outcome.value
        values["leaf_hash"] = event.leaf_hash(k, store.citizen_keys).hex()
        tx.connection.execute(audit_events.insert().values(values))

    rate(with_tree)  # warm-up
    results = {"append_with_tree_qps": rate(with_tree), "append_row_only_qps": rate(row_only)}
    store.dispose()
    return results


def proof_latency(folder: Path, events: int, proofs: int) -> dict[str, float]:
    """Inclusion-proof latency (ms) on a tree of ``events`` leaves loaded in bulk."""
    path = folder / "proofs.db"
    open_store(f"sqlite:///{path}").dispose()  # the schema
    started = time.perf_counter()
    with sqlite3.connect(path) as conn:
        frontier: list[bytes] = []  # the open node at each level

        def rows() -> Any:
            for index in range(events):
                leaf = leaf_hash(index.to_bytes(8, "big"))
                yield (0, index, leaf)
                level, position, current = 0, index, leaf
                while position & 1:
                    current = hashlib.sha256(b"\x01" + frontier[level] + current).digest()
                    level, position = level + 1, position >> 1
                    yield (level, position, current)
                if level == len(frontier):
                    frontier.append(current)
                else:
                    frontier[level] = current

        conn.executemany("INSERT INTO audit_tree (level, idx, hash) VALUES (?, ?, ?)", rows())
    seeded = time.perf_counter() - started
    store = open_store(f"sqlite:///{path}")
    rng = random.Random(1)
    samples = []
    for _ in range(proofs):
        index = rng.randrange(events)
        start = time.perf_counter()
        with store.read() as tx:
            tree.inclusion(index, events, partial(AuditRepository.nodes, tx.audit))
        samples.append((time.perf_counter() - start) * 1000)
    store.dispose()
    return {
        "proof_log_events": events,
        "proof_seed_s": seeded,
        "inclusion_proof_p50_ms": _percentile(samples, 0.5),
        "inclusion_proof_p99_ms": _percentile(samples, 0.99),
    }


def signing_cost(folder: Path, rounds: int) -> dict[str, float]:
    """Milliseconds to sign and store a checkpoint, and for the signature alone."""
    store = open_store(f"sqlite:///{folder / 'sign.db'}")
    signer = LogSigner.generate()
    samples = []
    for k in range(rounds):
        with store.transaction() as tx:
            tx.audit.append(_event(10**9 + k))
        start = time.perf_counter()
        sign_checkpoint(store, signer, datetime.now(UTC))
        samples.append((time.perf_counter() - start) * 1000)
    store.dispose()
    start = time.perf_counter()
    for k in range(rounds):
        signer.checkpoint(k + 1, bytes(32))
    alone = (time.perf_counter() - start) * 1000 / rounds
    return {"checkpoint_sign_store_ms": _percentile(samples, 0.5), "checkpoint_sign_only_ms": alone}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.audit_log")
    parser.add_argument("--events", type=int, default=1_000_000, help="leaves for the proofs")
    parser.add_argument("--seconds", type=float, default=5.0, help="per append measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = {
            **append_rates(folder, args.seconds),
            **proof_latency(folder, args.events, 2000),
            **signing_cost(folder, 200),
        }
    results["append_tree_over_row_only"] = (
        results["append_with_tree_qps"] / results["append_row_only_qps"]
    )
    for name, value in results.items():
        print(f"{name:32} {value:12.3f}")
    Path("var").mkdir(exist_ok=True)
    Path("var/bench_audit.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
