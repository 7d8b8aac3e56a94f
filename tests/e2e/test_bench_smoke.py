"""``make bench --quick`` as a smoke test of the harness: every figure gets measured.

Only that the harness works end to end (seeding, echo server, broker, load
processes, report) is asserted here, never a speed: targets are for
``make bench`` on a quiet machine.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

FIGURES = (
    "echo_qps",
    "echo_p99_ms",
    "read_qps",
    "read_p99_ms",
    "read_ratio",
    "append_qps",
    "append_ratio",
    "fanout_p99_ms",
    "streams_rss_mb",
    "consent_scale_ratio",
)


def test_quick_bench_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUUKKU_")}
    result = subprocess.run(
        [sys.executable, "-m", "luukku.bench", "--quick", "--out", str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    report = json.loads(out.read_text())
    for key in FIGURES:
        value = report.get(key)
        assert isinstance(value, int | float), (key, value)
        assert math.isfinite(value), (key, value)
        assert value > 0, (key, value)
    assert report["errors"] == {}
    for key in ("read_ratio", "read_p99_ms", "append_ratio", "fanout_p99_ms"):
        assert key in result.stdout
