"""The desk bench runs end to end (tiny sizes; figures are for `make bench`, not asserted)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bench.desks import run_all

POSTGRES_ENV = "LUUKKU_TEST_POSTGRES_URL"


@pytest.mark.slow
async def test_the_desk_bench_claims_each_inquiry_once_and_hears_every_one(tmp_path: Path):
    # Without PostgreSQL the bench runs on SQLite only, as `make bench` does.
    figures = await run_all(
        os.environ.get(POSTGRES_ENV), tmp_path, clerks=4, inquiries=12, watchers=3, asked=3
    )

    assert set(figures) == (
        {"sqlite", "postgresql"} if os.environ.get(POSTGRES_ENV) else {"sqlite"}
    )
    for engine in figures.values():
        race, watch, desk = engine["claim_race"], engine["queue_watch"], engine["desk_figures"]
        assert race["won"] == 12
        assert race["claimed_more_than_once"] == 0
        assert race["claimed_exactly_once_in_history"] == 12
        assert race["claims_per_s"] > 0
        assert desk["stats_claimed"] == 12
        assert desk["prometheus_claims_counted"] == 12
        assert watch["deliveries"] == 3 * 3
        assert watch["missed"] == 0
