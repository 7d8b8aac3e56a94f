"""The replicas bench runs end to end (tiny sizes; figures are for `make bench`, not asserted)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bench.replicas import bench

POSTGRES_ENV = "LUUKKU_TEST_POSTGRES_URL"


@pytest.mark.postgres
@pytest.mark.slow
async def test_the_replicas_bench_measures_every_figure(tmp_path: Path):
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: the replicas bench needs PostgreSQL")
    figures = await bench(url, tmp_path, watchers=3, posts=3, revocations=2, calls=60)

    assert figures["fanout_across_replicas"]["messages"] == 3
    assert figures["fanout_one_broker"]["messages"] == 3
    for part in ("post", "first_watcher", "last_watcher"):  # where a delivery's time goes
        assert figures["fanout_across_replicas"][part]["p99_ms"] > 0
    assert figures["revocation_across_replicas"]["ended"] == 2  # every stream on A ended
    for name in ("identity", "read", "append"):
        assert figures[name]["calls"] == 60
        assert figures[name]["broker_cpu_ms_per_call"] > 0
