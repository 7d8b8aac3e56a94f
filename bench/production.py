"""``python -m bench.production``: PostgreSQL as the production path, in one table.

Issue 22 asked for one table of its figures, each with its target, before and after.
``make bench DATABASE_URL=…`` runs the benches that measure them (``python -m bench``,
``bench.audit_scale``, ``bench.revoked_watch``), each writing its JSON under ``var/``;
this reads those files and prints the table in Markdown, as the README keeps it. A file
older than ``var/bench.json`` is from an earlier run and left out.

"Before" is what issue 22 recorded when it was filed (its own runs, this machine type),
not this run: the old code is not run again here. "After" and every ratio in a row come
from this run's files; the header says when each was measured and the load beside it.
A figure whose bench did not run reads "not measured".
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_JSON = Path("var/bench.json")
AUDIT_SCALE_JSON = Path("var/bench-audit-scale.json")
REVOKED_WATCH_JSON = Path("var/bench-revoked-watch.json")
READS_PER_S_BEFORE = 285.0
"""One broker's audited reads a second on PostgreSQL when issue 22 was filed."""
ECHO_PER_S_BEFORE = 5228.0
"""The bare echo server's calls a second in that same run (docs/bench.md, 2026-12-02)."""
ECHO_CPU_MS_BEFORE = 0.2


@dataclass(frozen=True)
class Row:
    """One figure: what it is, its target, the issue's "before", how to find it in this run's
    files and whether it meets the target (None: no target, or not measured)."""

    figure: str
    target: str
    before: str
    after: Callable[[dict[str, Any]], float]
    unit: str
    meets: Callable[[float, dict[str, Any]], bool] | None = None


def _get(document: dict[str, Any], *path: str) -> float:
    value: Any = document
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return math.nan
        value = value[key]
    return float(value) if isinstance(value, int | float) else math.nan


def _ratio(documents: dict[str, Any], numerator: str, denominator: str) -> float:
    bottom = _get(documents, "bench", denominator)
    return _get(documents, "bench", numerator) / bottom if bottom else math.nan


def _largest(scale: dict[str, Any]) -> dict[str, Any]:
    sizes: dict[str, Any] = scale.get("sizes", {})
    return max(sizes.values(), key=lambda f: f.get("size", 0), default={})


def _fairness(attack: str, figure: str) -> Callable[[dict[str, Any]], float]:
    if figure == "ratio":
        return lambda d: _get(d, "bench", f"fairness_{attack}_ratio")
    return lambda d: _get(d, "bench", "phases", "fairness", attack, "victim", figure)


def _at_most(bound: float) -> Callable[[float, dict[str, Any]], bool]:
    return lambda value, _: value <= bound


def _at_least(bound: float) -> Callable[[float, dict[str, Any]], bool]:
    return lambda value, _: value >= bound


def _growth(name: str) -> Callable[[dict[str, Any]], float]:
    return lambda d: _get(d, "scale", "growth", f"{name}_cpu_ratio")


def _within_log2_growth(value: float, documents: dict[str, Any]) -> bool:
    return value <= _get(documents, "scale", "growth", "log2_size_ratio")


ROWS = (
    Row(
        "broker CPU per audited read (GetRecord), PostgreSQL",
        "≤ 1.2 ms",
        "3.1 to 3.4 ms",
        lambda d: _get(d, "bench", "pg_read_server_cpu_ms"),
        "ms",
        _at_most(1.2),
    ),
    Row(
        "broker CPU per append (CreateRecord), PostgreSQL",
        "≤ 1.4 ms",
        "2.8 to 3.3 ms",
        lambda d: _get(d, "bench", "pg_append_server_cpu_ms"),
        "ms",
        _at_most(1.4),
    ),
    Row(
        "audited reads a second, one broker process, PostgreSQL",
        f"≥ {2.5 * READS_PER_S_BEFORE:,.0f} (2.5 x before)",
        f"{READS_PER_S_BEFORE:,.0f}",
        lambda d: _get(d, "bench", "pg_read_qps"),
        "/s",
        _at_least(2.5 * READS_PER_S_BEFORE),
    ),
    Row(
        "read CPU over the echo server's CPU per call (same run: the machine's speed cancels)",
        f"(1.2 ms over {ECHO_CPU_MS_BEFORE} ms: {1.2 / ECHO_CPU_MS_BEFORE:.0f} x)",
        f"{3.1 / ECHO_CPU_MS_BEFORE:.1f} to {3.4 / ECHO_CPU_MS_BEFORE:.1f} x",
        lambda d: _ratio(d, "pg_read_server_cpu_ms", "echo_server_cpu_ms"),
        "x",
    ),
    Row(
        "reads a second over the echo server's calls a second (same run)",
        f"({2.5 * READS_PER_S_BEFORE / ECHO_PER_S_BEFORE:.3f}: 2.5 x before)",
        f"{READS_PER_S_BEFORE / ECHO_PER_S_BEFORE:.3f}",
        lambda d: _ratio(d, "pg_read_qps", "echo_qps"),
        "ratio",
    ),
    Row(
        "the same on `serve --workers` (one per core)",
        "",
        "(no workers)",
        lambda d: _get(d, "bench", "pg_workers_read_qps"),
        "/s",
    ),
    Row(
        "broker CPU per read, SQLite (same run)",
        "",
        "1.4 to 1.5 ms",
        lambda d: _get(d, "bench", "read_server_cpu_ms"),
        "ms",
    ),
    Row(
        "broker CPU per append, SQLite (same run)",
        "",
        "1.4 to 1.5 ms",
        lambda d: _get(d, "bench", "append_server_cpu_ms"),
        "ms",
    ),
    Row(
        "bare gRPC echo server CPU per call (same run)",
        "",
        "0.2 ms",
        lambda d: _get(d, "bench", "echo_server_cpu_ms"),
        "ms",
    ),
    Row(
        "audit log: a heavy citizen's first access-log page, p95",
        "≤ 50 ms",
        "measured to 10,505 events",
        lambda d: _get(_largest(d["scale"]), "first_page", "p95_ms"),
        "ms",
        _at_most(50.0),
    ),
    Row(
        "audit log: the same page filtered to one organisation, p95",
        "",
        "not measured",
        lambda d: _get(_largest(d["scale"]), "filtered_page", "p95_ms"),
        "ms",
    ),
    Row(
        "audit log: SummarizeAuditEvents of a heavy citizen, p95",
        "",
        "not measured",
        lambda d: _get(_largest(d["scale"]), "summary", "p95_ms"),
        "ms",
    ),
    Row(
        "audit log: inclusion proof, p99",
        "≤ 5 ms",
        "measured to 1,000,000 leaves",
        lambda d: _get(_largest(d["scale"]), "inclusion_proof", "p99_ms"),
        "ms",
        _at_most(5.0),
    ),
    Row(
        "audit log: consistency proof, p99",
        "≤ 5 ms",
        "measured to 1,000,000 leaves",
        lambda d: _get(_largest(d["scale"]), "consistency_proof", "p99_ms"),
        "ms",
        _at_most(5.0),
    ),
    Row(
        "audit log: `luukku audit verify`",
        "≥ 50,000 events/s",
        "not measured",
        lambda d: _get(_largest(d["scale"]), "verify", "verify_events_per_s"),
        "events/s",
        _at_least(50_000.0),
    ),
    Row(
        "audit log: bytes per event on disk (events and tree)",
        "",
        "not measured",
        lambda d: _get(_largest(d["scale"]), "disk", "bytes_per_event"),
        "bytes",
    ),
    Row(
        "audit log growth: broker CPU per first page, largest size over smallest",
        "flat (≤ 1.2 x)",
        "not measured",
        _growth("first_page"),
        "x",
        _at_most(1.2),
    ),
    Row(
        "audit log growth: broker CPU per inclusion proof, largest size over smallest",
        "≤ the growth of log₂ size",
        "not measured",
        _growth("inclusion_proof"),
        "x",
        _within_log2_growth,
    ),
    Row(
        "fairness: another organisation's p99 when idle",
        "",
        "5.6 ms",
        lambda d: _get(d, "bench", "fairness_idle_p99_ms"),
        "ms",
    ),
    Row(
        "fairness: its p99 over idle while one floods with records",
        "≤ 2 x",
        "17 to 23 x",
        _fairness("records", "ratio"),
        "x",
        _at_most(2.0),
    ),
    Row(
        "fairness: … while one sends 3.7 MB Structs back to back",
        "≤ 2 x",
        "58 x (5.6 → 328 ms)",
        _fairness("oversized", "ratio"),
        "x",
        _at_most(2.0),
    ),
    Row(
        "fairness: its p50 while the 3.7 MB Structs come back to back",
        "",
        "134 ms",
        _fairness("oversized", "p50_ms"),
        "ms",
    ),
    Row(
        "fairness: … while one opens 2,000 watch streams",
        "≤ 2 x",
        "one call stalled 1.5 s",
        _fairness("streams", "ratio"),
        "x",
        _at_most(2.0),
    ),
    Row(
        "fairness: its slowest call during the 2,000 streams",
        "",
        "1,500 ms",
        _fairness("streams", "max_ms"),
        "ms",
    ),
    Row(
        "fairness: … while one opens 500 fresh connections",
        "≤ 2 x",
        "p99 519 ms (93 x 5.6 ms)",
        _fairness("connections", "ratio"),
        "x",
        _at_most(2.0),
    ),
    Row(
        "a revoked stream whose reader stopped reading ends after",
        "≤ 1 s",
        "20.3 s",
        lambda d: _get(d, "revoked", "max_s"),
        "s",
        _at_most(1.0),
    ),
)


def _fmt(value: float, unit: str) -> str:
    if math.isnan(value):
        return "not measured"
    if unit == "x":
        return f"{value:.2f} x"
    if unit == "ratio":
        return f"{value:.3f}"
    if unit in ("/s", "events/s", "bytes"):
        return f"{value:,.0f} {unit}".replace(" /s", "/s")
    return f"{value:.3g} {unit}" if value < 10 else f"{value:,.1f} {unit}"


def _load(path: Path, not_before: float = 0.0) -> dict[str, Any]:
    """A bench's JSON; empty when it is missing or older than ``not_before`` (a file left
    by an earlier run must not pass for this one's)."""
    try:
        if path.stat().st_mtime < not_before:
            return {}
        loaded: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    return loaded


def _provenance(documents: dict[str, Any]) -> Iterable[str]:
    bench = documents["bench"]
    machine = bench.get("machine", {})
    if machine:
        yield (
            f"Machine: {machine.get('nproc')} CPUs ({machine.get('cpu')}), Python "
            f"{machine.get('python')}, grpcio {machine.get('grpcio')}; `python -m bench` "
            f"of {machine.get('date')}."
        )
    fairness = bench.get("phases", {}).get("fairness", {})
    if fairness:
        yield f"Fairness: {fairness.get('pinning')}; load average {fairness.get('load_average')}."
    largest = _largest(documents["scale"])
    if largest:
        yield (
            f"Audit log rows at {largest.get('size', 0):,} events "
            f"(load average {largest.get('load_average_1m', math.nan):.1f})."
        )
    revoked = documents["revoked"]
    if revoked:
        yield f"Revoked stream: {revoked.get('rounds')} rounds on {revoked.get('engine')}."
    yield (
        "Before: as issue 22 recorded them when it was filed. After: this run; every ratio "
        "in a row is of figures from the same run. Load average 1-minute, from /proc."
    )


def table(documents: dict[str, Any]) -> str:
    """The Markdown table of every row, with the lines saying where its figures come from."""
    lines = [
        "| figure | target | before | after | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    met = missed = 0
    for row in ROWS:
        value = row.after(documents)
        verdict = ""
        if row.meets is not None and not math.isnan(value):
            ok = row.meets(value, documents)
            verdict = "yes" if ok else "**no**"
            met, missed = met + ok, missed + (not ok)
        after = _fmt(value, row.unit)
        lines.append(f"| {row.figure} | {row.target} | {row.before} | {after} | {verdict} |")
    lines.append("")
    lines.append(f"{met} targets met, {missed} missed.")
    lines.extend(f"{line}  " for line in _provenance(documents))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.production", description=__doc__)
    parser.add_argument("--bench", type=Path, default=BENCH_JSON)
    parser.add_argument("--audit-scale", type=Path, default=AUDIT_SCALE_JSON)
    parser.add_argument("--revoked-watch", type=Path, default=REVOKED_WATCH_JSON)
    args = parser.parse_args(argv)
    # ``make bench`` runs ``python -m bench`` first: the other files of this run are newer.
    this_run = args.bench.stat().st_mtime if args.bench.exists() else 0.0
    documents = {
        "bench": _load(args.bench),
        "scale": _load(args.audit_scale, this_run),
        "revoked": _load(args.revoked_watch, this_run),
    }
    print("PostgreSQL as the production path (issue 22)\n")
    print(table(documents))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
