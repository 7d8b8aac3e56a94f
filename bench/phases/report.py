"""The figures, their targets, the table printed and the ``bench.json`` written."""

from __future__ import annotations

import json
import math
import os
import platform
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import google.protobuf
import grpc
import sqlalchemy

Figures = Mapping[str, float]

FAIRNESS_ATTACKS = ("records", "oversized", "streams", "connections")
"""The fairness phase's attacks (``bench.phases.fairness``), each with its figures."""

KEYS = (
    "echo_qps",
    "echo_p99_ms",
    "identity_qps",
    "identity_ratio",
    "read_qps",
    "read_p99_ms",
    "read_ratio",
    "append_qps",
    "append_p99_ms",
    "append_ratio",
    "fanout_p99_ms",
    "streams_rss_mb",
    "consent_scale_ratio",
    "fairness_idle_p99_ms",
    "fairness_records_p99_ms",
    "fairness_records_ratio",
    "fairness_oversized_p99_ms",
    "fairness_oversized_ratio",
    "fairness_streams_p99_ms",
    "fairness_streams_ratio",
    "fairness_connections_p99_ms",
    "fairness_connections_ratio",
    "echo_server_cpu_ms",
    "identity_server_cpu_ms",
    "read_server_cpu_ms",
    "append_server_cpu_ms",
    "pg_read_qps",
    "pg_read_p99_ms",
    "pg_read_server_cpu_ms",
    "pg_append_qps",
    "pg_append_p99_ms",
    "pg_append_server_cpu_ms",
    "pg_workers_read_qps",
    "pg_workers_read_p99_ms",
    "portal_pages_per_s",
    "portal_p50_ms",
    "portal_p95_ms",
    "portal_p99_ms",
    "heavy_access_p50_ms",
    "heavy_access_p95_ms",
    "heavy_case_p50_ms",
    "heavy_case_p95_ms",
    "portal_cpu_ms_per_page",
    "broker_cpu_ms_per_page",
)


@dataclass(frozen=True)
class Target:
    """A goal for one figure, which may depend on another (read p99 vs echo p99)."""

    key: str
    text: str
    limit: Callable[[Figures], float]
    at_least: bool

    def bound(self, figures: Figures) -> float:
        return self.limit(figures)

    def met(self, figures: Figures) -> bool | None:
        value, bound = figures.get(self.key, math.nan), self.bound(figures)
        if math.isnan(value) or math.isnan(bound):
            return None
        return value >= bound if self.at_least else value <= bound


TARGETS = (
    Target("read_ratio", ">= 0.6", lambda f: 0.6, at_least=True),
    Target(
        "read_p99_ms",
        "<= 2 x echo_p99_ms",
        lambda f: 2 * f.get("echo_p99_ms", math.nan),
        at_least=False,
    ),
    Target("append_ratio", ">= 0.4", lambda f: 0.4, at_least=True),
    Target("fanout_p99_ms", "<= 50", lambda f: 50.0, at_least=False),
    Target("streams_rss_mb", "<= 250", lambda f: 250.0, at_least=False),
    Target("consent_scale_ratio", "<= 1.3", lambda f: 1.3, at_least=False),
    *(
        Target(f"fairness_{attack}_ratio", "<= 2", lambda f: 2.0, at_least=False)
        for attack in FAIRNESS_ATTACKS
    ),
)
_BY_KEY = {t.key: t for t in TARGETS}
_OPTIONAL = "pg_"
"""Figures of runs with a PostgreSQL database only: left out of the table otherwise."""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "grpcio": grpc.__version__,
        "protobuf": google.protobuf.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "sqlite": sqlite3.sqlite_version,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _fmt(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def verdicts(figures: Figures) -> dict[str, dict[str, Any]]:
    """Each target: its text, the bound it works out to, and whether it was met."""
    return {
        t.key: {"target": t.text, "bound": _none(t.bound(figures)), "met": t.met(figures)}
        for t in TARGETS
    }


def table(figures: Figures, info: Mapping[str, Any], header: str) -> str:
    """The human-readable summary."""
    lines = [
        header,
        "machine: {nproc} CPUs ({cpu}), Python {python}, grpcio {grpcio}, "
        "SQLite {sqlite}, {date}".format(**info),
        "",
        f"{'figure':<30}{'value':>12}   {'target':<26}result",
        "-" * 78,
    ]
    for key in KEYS:
        value = figures.get(key, math.nan)
        if key.startswith(_OPTIONAL) and math.isnan(value):
            continue
        target = _BY_KEY.get(key)
        if target is None:
            lines.append(f"{key:<30}{_fmt(value):>12}   (reference)")
            continue
        met = target.met(figures)
        text = target.text
        if key == "read_p99_ms":
            text = f"<= {_fmt(target.bound(figures))} (2 x echo p99)"
        result = "n/a" if met is None else ("PASS" if met else "MISS")
        lines.append(f"{key:<30}{_fmt(value):>12}   {text:<26}{result}")
    met_count = sum(1 for t in TARGETS if t.met(figures))
    lines += ["-" * 78, f"{met_count} of {len(TARGETS)} targets met"]
    return "\n".join(lines)


def _none(value: float) -> float | None:
    return None if isinstance(value, float) and math.isnan(value) else value


def _clean(value: Any) -> Any:
    """NaN (a figure that could not be measured) becomes null in JSON."""
    if isinstance(value, float):
        return _none(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def write_json(path: Path, document: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(_clean(dict(document)), indent=2, allow_nan=False) + "\n")
    tmp.replace(path)
