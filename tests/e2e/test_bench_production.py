"""Issue 22's one table (``python -m bench.production``) from the benches' JSON files, and
the revoked-watch bench that measures its last row, run end to end."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from bench.harness.audit_report import growth
from bench.production import main as production
from bench.revoked_watch import GIVE_UP_S, measure


def _write(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document))
    return path


def _row(printed: str, figure: str) -> list[str]:
    (line,) = [line for line in printed.splitlines() if line.startswith(f"| {figure} |")]
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_the_table_shows_before_after_and_whether_each_target_is_met(tmp_path, capsys):
    bench = _write(
        tmp_path / "bench.json",
        {
            "pg_read_server_cpu_ms": 1.05,
            "pg_append_server_cpu_ms": 1.9,
            "pg_read_qps": 800.0,
            "fairness_records_ratio": 1.4,
            "machine": {"nproc": 2, "cpu": "test CPU", "date": "2026-12-07"},
        },
    )
    scale = {
        "sizes": {
            "1000": {"size": 1000, "inclusion_proof": {"p99_ms": 9.0}},
            "10000": {"size": 10_000, "inclusion_proof": {"p99_ms": 3.0}},
        },
        "growth": {"inclusion_proof_cpu_ratio": 1.5, "log2_size_ratio": 1.33},
    }
    time.sleep(0.01)  # written after bench.json, as `make bench` does
    args = ["--bench", str(bench), "--audit-scale", str(_write(tmp_path / "scale.json", scale))]

    assert production([*args, "--revoked-watch", str(tmp_path / "absent.json")]) == 0
    printed = capsys.readouterr().out

    read = _row(printed, "broker CPU per audited read (GetRecord), PostgreSQL")
    assert read == ["broker CPU per audited read (GetRecord), PostgreSQL", "≤ 1.2 ms",
                    "3.1 to 3.4 ms", "1.05 ms", "yes"]  # fmt: skip
    assert _row(printed, "broker CPU per append (CreateRecord), PostgreSQL")[3:] == [
        "1.9 ms",
        "**no**",
    ]
    assert _row(printed, "audited reads a second, one broker process, PostgreSQL")[3:] == [
        "800/s",
        "yes",
    ]
    # The largest size's figures, and growth judged against log2 of the sizes.
    assert _row(printed, "audit log: inclusion proof, p99")[3:] == ["3 ms", "yes"]
    growth = "audit log growth: broker CPU per inclusion proof, largest size over smallest"
    assert _row(printed, growth)[3:] == ["1.50 x", "**no**"]
    revoked = "a revoked stream whose reader stopped reading ends after"
    assert _row(printed, revoked)[3:] == ["not measured", ""]
    assert "4 targets met, 2 missed." in printed
    assert "2 CPUs (test CPU)" in printed


def test_a_file_left_by_an_earlier_run_is_not_taken_for_this_ones(tmp_path, capsys):
    revoked = _write(tmp_path / "revoked.json", {"max_s": 0.5, "rounds": 3, "engine": "SQLite"})
    old = time.time() - 3600
    os.utime(revoked, (old, old))
    bench = _write(tmp_path / "bench.json", {})

    production(["--bench", str(bench), "--revoked-watch", str(revoked)])

    row = _row(capsys.readouterr().out, "a revoked stream whose reader stopped reading ends after")
    assert row[3:] == ["not measured", ""]


@pytest.mark.slow
async def test_the_revoked_watch_bench_sees_the_stalled_stream_let_go(tmp_path: Path):
    figures = await measure(f"sqlite:///{tmp_path}/luukku.db", tmp_path, rounds=1)

    (seconds,) = figures["seconds"]
    assert 0 < seconds < GIVE_UP_S  # GIVE_UP_S would be a stream never let go
    assert figures["met"] == (seconds <= 1.0)


def test_a_run_at_one_size_has_no_growth_to_judge():
    one_size = {"sizes": {"1000000": {"size": 1_000_000}}}

    assert growth(one_size) == {}  # not 1.00 x, which would read as flat growth
