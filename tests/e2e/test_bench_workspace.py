"""The workspace bench runs end to end (tiny sizes; figures are for `make bench`, not
asserted): a workspace process, clerks signed in with their queue pages' live streams
open, inquiries flowing through two desks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bench.workspace import run_all

POSTGRES_ENV = "LUUKKU_TEST_POSTGRES_URL"


@pytest.mark.slow
async def test_the_workspace_bench_delivers_every_inquiry_to_every_open_queue_page(
    tmp_path: Path,
):
    # Without PostgreSQL the bench runs on SQLite only, as `make bench` does.
    figures = await run_all(
        os.environ.get(POSTGRES_ENV),
        tmp_path,
        clerks=3,
        per_hour=7200,  # one every half second
        window=2.0,
        reload_every=0.5,
        claim_after=5.0,
    )

    assert set(figures) == (
        {"sqlite", "postgresql"} if os.environ.get(POSTGRES_ENV) else {"sqlite"}
    )
    for engine in figures.values():
        assert engine["inquiries"] == 4
        assert engine["open_streams"] == 6
        # Each inquiry on each clerk's page of its desk, or counted as missed if a page's
        # update came only after the inquiry was claimed (a bench figure, not asserted).
        assert engine["deliveries"] + engine["missed"] == 3 * 4
        assert engine["deliveries"] > 0
        assert engine["streams_failed"] == 0
        assert engine["page_errors"] == 0
        assert engine["pages"] > 0
        assert engine["workspace_cpu_s"] > 0
