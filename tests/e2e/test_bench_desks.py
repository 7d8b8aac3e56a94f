"""The desk bench runs end to end (tiny sizes; figures are for `make bench`, not asserted)."""

from __future__ import annotations

import os
from pathlib import Path

from bench.desks import run_all

POSTGRES_ENV = "LUUKKU_TEST_POSTGRES_URL"


async def test_the_desk_bench_claims_each_inquiry_once_and_hears_every_one(tmp_path: Path):
    # Without PostgreSQL the bench runs on SQLite only, as `make bench` does.
    figures = await run_all(
        os.environ.get(POSTGRES_ENV), tmp_path, clerks=6, inquiries=30, watchers=4, asked=5
    )

    assert set(figures) == (
        {"sqlite", "postgresql"} if os.environ.get(POSTGRES_ENV) else {"sqlite"}
    )
    for engine in figures.values():
        race, watch, desk = engine["claim_race"], engine["queue_watch"], engine["desk_figures"]
        assert race["won"] == 30
        assert race["claimed_more_than_once"] == 0
        assert race["claimed_exactly_once_in_history"] == 30
        assert race["claims_per_s"] > 0
        assert desk["stats_claimed"] == 30
        assert desk["prometheus_claims_counted"] == 30
        assert watch["deliveries"] == 4 * 5
        assert watch["missed"] == 0
