"""The audit log at scale: the mix loads and verifies on both engines, and the bench runs end to
end (tiny sizes; the figures are for `make bench`, not asserted)."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bench.audit_scale import report, run_all
from bench.harness.audit_mix import HEAVY_CITIZENS, PORTAL, BatchMix

from luukku.audit.checkpoints import LogSigner
from luukku.cli import main as luukku
from luukku.service.audit.proofs import sign_checkpoint
from luukku.store.bulk import loading
from luukku.store.uow import Store

POSTGRES_ENV = "LUUKKU_TEST_POSTGRES_URL"
EVENTS = 20_000
START = datetime.now(UTC) - timedelta(days=1)


def _mix(batch: int, first_seq: int) -> BatchMix:
    return BatchMix(7, batch, EVENTS, first_seq, START, 2e7)


def test_the_mix_is_the_same_for_the_same_seed_and_has_many_citizens_and_a_few_heavy_ones():
    events = list(_mix(0, 1).events())

    assert events == list(_mix(0, 1).events())
    assert events != list(_mix(1, 1).events())
    subjects = [e.subject_citizen_id for e in events]
    heavy = {_mix(0, 1).citizen_id(n) for n in range(HEAVY_CITIZENS)}
    per_heavy = [subjects.count(h) for h in heavy]
    assert all(800 <= n <= 1200 for n in per_heavy)  # EVENTS // 20 each, drawn at random
    assert len(set(subjects)) > EVENTS // 40
    assert len({e.org_id for e in events}) > 100
    assert any(
        e.org_id == PORTAL and e.acting_for_citizen_id == e.subject_citizen_id for e in events
    )
    assert any(e.outcome.value == "denied" for e in events)


def test_a_bulk_seeded_mix_verifies_with_the_luukku_command(
    database_url: str, store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    for batch in range(2):  # the second batch numbered on from the first's end
        mix = _mix(batch, 0)
        with loading(database_url) as load:
            mix.first_seq = load.audit_size() + 1
            load.citizens(mix.citizens())
            load.audit_events(mix.events())
    signer = LogSigner.generate()
    signer.write(tmp_path)
    assert sign_checkpoint(store, signer, datetime.now(UTC)) == 2 * EVENTS

    assert luukku(["audit", "verify", "--database", database_url, "--pki", str(tmp_path)]) == 0
    assert f"{2 * EVENTS} audit events verified" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.postgres
async def test_the_audit_scale_bench_prints_every_figure_at_every_size(tmp_path: Path):
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: the bench runs on PostgreSQL only")

    results = await run_all(url, tmp_path, [EVENTS, 2 * EVENTS], samples=8, seed_value=3)

    sizes = results["sizes"]
    assert [figures["size"] for figures in sizes.values()] >= [EVENTS, 2 * EVENTS]
    for figures in sizes.values():
        assert figures["verify"]["verified_events"] == figures["size"]  # verify passed
        for name in ("first_page", "filtered_page", "typical_first_page", "summary"):
            assert figures[name]["p95_ms"] > 0
        for name in ("inclusion_proof", "consistency_proof"):
            assert figures[name]["p99_ms"] > 0
        assert figures["disk"]["bytes_per_event"] > 0
    assert list(sizes.values())[1]["consistent_with_last_size"]
    *table, growth = report(results).splitlines()
    printed = "\n".join(table)
    assert growth.startswith("growth smallest -> largest: first_page_p95_ratio")
    for line in (
        "first_page",
        "filtered_page",
        "typical_first_page",
        "summary",
        "inclusion_proof",
        "consistency_proof",
        "audit verify",
        "bytes/event",
        "load average",
    ):
        assert len(re.findall(rf"(?<!\w){line}", printed)) == 2, line
