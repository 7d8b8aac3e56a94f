"""The audit scale bench's table: each figure at each size beside its target, and the growth
from the smallest size to the largest (``python -m bench.audit_scale``)."""

from __future__ import annotations

import math
from typing import Any

from bench.harness.stats import ratio

FIRST_PAGE_P95_TARGET_MS = 50.0
PROOF_P99_TARGET_MS = 5.0
VERIFY_TARGET_PER_S = 50_000.0
PAGES = ("first_page", "filtered_page", "typical_first_page", "summary")
PROOFS = ("inclusion_proof", "consistency_proof")


def growth(results: dict[str, Any]) -> dict[str, float]:
    """How the figures grew from the smallest size to the largest: the tail latencies,
    and the broker's CPU per call (which the machine's other load moves less). Nothing
    for a run at one size: a ratio of a figure to itself would read as flat growth."""
    by_size = sorted(results["sizes"].values(), key=lambda f: f["size"])
    if len(by_size) < 2:
        return {}
    small, large = by_size[0], by_size[-1]
    ratios: dict[str, float] = {}
    for names, tail in ((PAGES, "p95_ms"), (PROOFS, "p99_ms")):
        for name in names:
            ratios[f"{name}_{tail[:3]}_ratio"] = ratio(large[name][tail], small[name][tail])
            ratios[f"{name}_cpu_ratio"] = ratio(
                large[name]["broker_cpu_ms"], small[name]["broker_cpu_ms"]
            )
    ratios["log2_size_ratio"] = ratio(math.log2(large["size"]), math.log2(small["size"]))
    return ratios


def report(results: dict[str, Any]) -> str:
    """The table: a line per figure and size, with the targets."""

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    lines = []
    for figures in sorted(results["sizes"].values(), key=lambda f: f["size"]):
        size = f"{figures['size']:>11,}"
        seed_figures, check, disk = figures["seed"], figures["verify"], figures["disk"]
        lines.append(
            f"{size} events  (load average {figures['load_average_1m']:.1f}; seeded "
            f"{seed_figures['seeded_events']:,} at {seed_figures['seed_events_per_s']:,.0f}/s)"
        )
        for name in PAGES:
            f = figures[name]
            target = ""
            if name == "first_page":
                target = f"  p95 <= {FIRST_PAGE_P95_TARGET_MS:.0f} ms  " + verdict(
                    f["p95_ms"] <= FIRST_PAGE_P95_TARGET_MS
                )
            lines.append(
                f"{size}   {name:18} p50 {f['p50_ms']:8.2f} ms  p95 {f['p95_ms']:8.2f} ms  "
                f"broker CPU {f['broker_cpu_ms']:6.2f} ms/call{target}"
            )
        for name in PROOFS:
            f = figures[name]
            lines.append(
                f"{size}   {name:18} p50 {f['p50_ms']:8.2f} ms  p99 {f['p99_ms']:8.2f} ms  "
                f"broker CPU {f['broker_cpu_ms']:6.2f} ms/call"
                f"  p99 <= {PROOF_P99_TARGET_MS:.0f} ms  "
                + verdict(f["p99_ms"] <= PROOF_P99_TARGET_MS)
            )
        lines.append(
            f"{size}   audit verify       {check['verify_events_per_s']:12,.0f} events/s "
            f"({check['verify_s']:.1f} s; {check['verify_events_per_cpu_s']:,.0f} per CPU s)  "
            f">= {VERIFY_TARGET_PER_S:,.0f}/s  "
            + verdict(check["verify_events_per_s"] >= VERIFY_TARGET_PER_S)
        )
        lines.append(
            f"{size}   on disk            {disk['bytes_per_event']:8.0f} bytes/event "
            f"(events {disk['events_bytes_per_event']:.0f}, "
            f"tree {disk['tree_bytes_per_event']:.0f})"
        )
    if len(results["sizes"]) > 1:
        lines.append(
            "growth smallest -> largest: "
            + ", ".join(f"{k} {v}" for k, v in results["growth"].items())
            + "  (flat: 1; proofs: about log2_size_ratio)"
        )
    return "\n".join(lines)
