"""Latency statistics: percentiles over the samples of a measured period."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def percentile(samples: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100), linearly interpolated; NaN when there are no samples."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(samples: Sequence[float]) -> dict[str, float]:
    """p50, p90, p95, p99, max and mean of latencies in milliseconds."""
    if not samples:
        return dict.fromkeys(
            ("p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms", "mean_ms"), math.nan
        )
    return {
        "p50_ms": round(percentile(samples, 50), 3),
        "p90_ms": round(percentile(samples, 90), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "p99_ms": round(percentile(samples, 99), 3),
        "max_ms": round(max(samples), 3),
        "mean_ms": round(sum(samples) / len(samples), 3),
    }


def merge_unary(results: Sequence[dict[str, Any]], seconds: float) -> dict[str, Any]:
    """Combine the reports of the load processes of one unary phase."""
    samples: list[float] = [s for r in results for s in r["latencies_ms"]]
    errors: dict[str, int] = {}
    for r in results:
        for code, n in r["errors"].items():
            errors[code] = errors.get(code, 0) + n
    count = sum(int(r["count"]) for r in results)
    return {
        "count": count,
        "seconds": seconds,
        "qps": round(count / seconds, 1) if seconds > 0 else math.nan,
        "errors": errors,
        "processes": len(results),
        **latency_summary(samples),
    }


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, NaN when it is undefined."""
    if not denominator or math.isnan(denominator) or math.isnan(numerator):
        return math.nan
    return round(numerator / denominator, 3)
