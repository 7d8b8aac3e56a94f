"""``make bench --quick`` as a smoke test of the harness: every figure gets measured.

Only that the harness works end to end (seeding, echo server, broker, portal,
load processes, report) is asserted here, never a speed: targets are for
``make bench`` on a quiet machine.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
FIGURES = (
    "echo_qps",
    "echo_p99_ms",
    "identity_qps",
    "identity_ratio",
    "read_qps",
    "read_p99_ms",
    "read_ratio",
    "append_qps",
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
    "portal_pages_per_s",
    "portal_p95_ms",
    "heavy_access_p95_ms",
    "heavy_case_p95_ms",
    "portal_cpu_ms_per_page",
    "broker_cpu_ms_per_page",
)


def _bench(tmp_path: Path, *options: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """``python -m bench --quick OPTIONS`` (the repository's bench/); the result and its
    JSON report's path."""
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUUKKU_")}
    env["PYTHONPATH"] = str(REPOSITORY)
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out), *options],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return result, out


@pytest.mark.slow
def test_quick_bench_reports_every_figure(tmp_path: Path) -> None:
    result, out = _bench(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    report = json.loads(out.read_text())
    for key in FIGURES:
        value = report.get(key)
        assert isinstance(value, int | float), (key, value)
        assert math.isfinite(value), (key, value)
        assert value > 0, (key, value)
    assert report["errors"] == {}
    for key in ("read_ratio", "read_p99_ms", "append_ratio", "fanout_p99_ms", "portal_p95_ms"):
        assert key in result.stdout
    fairness = report["phases"]["fairness"]
    # The 3.7 MB records are refused by their size, by the broker (not by grpc's ceiling).
    assert set(fairness["oversized"]["attacker"]["errors"]) == {"INVALID_ARGUMENT"}
    assert fairness["streams"]["attacker"]["rounds"] > 0
    assert fairness["connections"]["attacker"]["count"] > 0
    portal = report["phases"]["portal"]
    assert portal["errors"] == {}
    # The heavy citizen's log really is long: the organisations' reads, plus the denials.
    assert portal["heavy_events"] > report["profile"]["portal_heavy_reads"]


@pytest.mark.slow
def test_only_runs_the_phases_named_and_refuses_unknown_ones(tmp_path: Path) -> None:
    result, out = _bench(tmp_path, "--only", "echo")
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    report = json.loads(out.read_text())
    assert set(report["phases"]) == {"echo"}
    assert report["echo_qps"] > 0
    assert report["read_qps"] is None

    refused, _ = _bench(tmp_path, "--only", "echo,warp")
    assert refused.returncode == 2
    assert "unknown phase" in refused.stderr


@pytest.mark.postgres
@pytest.mark.slow
def test_database_runs_read_and_append_on_postgresql_beside_sqlite(tmp_path: Path) -> None:
    url = os.environ.get("LUUKKU_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("LUUKKU_TEST_POSTGRES_URL is not set: the PostgreSQL mode needs it")
    result, out = _bench(tmp_path, "--only", "read,append", "--database", url)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    report = json.loads(out.read_text())
    assert {"read", "append", "pg_read", "pg_append", "pg_workers_read"} <= set(report["phases"])
    for engine in ("", "pg_"):
        for key in ("read_qps", "read_p99_ms", "append_qps", "append_p99_ms"):
            assert report[engine + key] > 0, engine + key
        for key in ("read_server_cpu_ms", "append_server_cpu_ms"):
            assert report[engine + key] > 0, engine + key
    assert report["pg_workers_read_qps"] > 0
    assert "pg_read_p99_ms" in result.stdout
