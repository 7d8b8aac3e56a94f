"""``luukku audit archive`` then ``luukku audit verify``, as an operator runs them.

After months are archived the log still verifies (the archived events by
their leaves in the tree); given the archive files with ``--against`` it
checks their every event, and a file edited afterwards fails.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_months import nurse_read

from luukku.audit.checkpoints import LogSigner
from luukku.audit.events import AuditEvent
from luukku.pki import PkiPaths
from luukku.service.audit.proofs import sign_checkpoint
from luukku.store.audit import partitions
from luukku.store.audit.partitions import Month
from luukku.store.opening import open_store

MONTHS = (Month(2026, 9), Month(2026, 10), Month(2026, 11))


def _event(month: Month, n: int) -> AuditEvent:
    return nurse_read(month, n, "c" * 32)


@pytest.fixture
def database(database_url: str, pki: PkiPaths) -> str:
    """Four events in each of September to November 2026, signed."""
    store = open_store(database_url)
    with store.transaction() as tx:
        for month in MONTHS:
            if partitions.is_partitioned(tx.connection):
                partitions.create(tx.connection, month)
            for n in range(1, 5):
                tx.audit.append(_event(month, n))
    sign_checkpoint(store, LogSigner.load(pki.log_key), datetime.now(UTC))
    store.dispose()
    return database_url


def _luukku(pki: PkiPaths, database: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "luukku.cli", "audit", *args]
    return subprocess.run(
        [*command, "--database", database, "--pki", str(pki.root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _postgres(database: str) -> None:
    if not database.startswith("postgresql"):
        pytest.skip("the audit log is archived by month on PostgreSQL only")


def test_the_log_verifies_after_an_archive_and_against_the_archive_files(database, pki, tmp_path):
    _postgres(database)

    archived = _luukku(pki, database, "archive", "--before", "2026-11", "--to", str(tmp_path))

    assert archived.returncode == 0, archived.stderr
    assert archived.stdout.splitlines() == [
        f"2026-09: 4 events (1..4) moved to {tmp_path}/audit-events-2026-09.jsonl.gz, "
        "covered by the checkpoint of 12",
        f"2026-10: 4 events (5..8) moved to {tmp_path}/audit-events-2026-10.jsonl.gz, "
        "covered by the checkpoint of 12",
    ]
    verified = _luukku(pki, database, "verify")
    assert verified.returncode == 0, verified.stderr
    assert "12 audit events verified" in verified.stdout
    assert "8 of them archived, checked by their leaves in the tree" in verified.stdout
    files = sorted(str(p) for p in tmp_path.glob("*.jsonl.gz"))
    against = [arg for f in files for arg in ("--against", f)]
    verified = _luukku(pki, database, "verify", *against)
    assert verified.returncode == 0, verified.stderr
    assert "their events checked in 2 file(s)" in verified.stdout


def test_an_archive_file_edited_afterwards_fails_verify(database, pki, tmp_path):
    _postgres(database)
    _luukku(pki, database, "archive", "--before", "2026-10", "--to", str(tmp_path))
    path = tmp_path / "audit-events-2026-09.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        text = f.read()
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(text.replace('"reason":"CONSENT"', '"reason":"OWNER"', 1))

    verified = _luukku(pki, database, "verify", "--against", str(path))

    assert verified.returncode == 1
    assert verified.stderr.strip() == (
        "luukku: audit log NOT intact: event 1 does not match its leaf in the tree"
    )


def test_sqlite_refuses_to_archive_and_keeps_its_log(database, pki, tmp_path: Path):
    if database.startswith("postgresql"):
        pytest.skip("SQLite's refusal; PostgreSQL archives")

    archived = _luukku(pki, database, "archive", "--before", "2026-11", "--to", str(tmp_path))

    assert archived.returncode != 0
    assert "partitioned on PostgreSQL only" in archived.stderr
    assert _luukku(pki, database, "verify").returncode == 0


def test_the_partitions_command_makes_the_missing_months_once(database_url: str):
    def partitions_from(month: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                *(sys.executable, "-m", "luukku.cli", "audit", "partitions"),
                *("--from", month, "--database", database_url),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    open_store(database_url).dispose()
    first = partitions_from("2026-06")
    again = partitions_from("2026-06")

    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    if not database_url.startswith("postgresql"):
        assert first.stdout == "the audit log is one table on SQLite: nothing to partition\n"
        return
    assert "made the partition of 2026-06\n" in first.stdout
    assert "made the partition of" not in again.stdout  # every month is there already
    assert "the audit log has partitions for 2026-06.." in again.stdout
