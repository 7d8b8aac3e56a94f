"""Months of the audit log partitioned on PostgreSQL, archived to files, verified after.

The log keeps one Merkle tree across months: archiving a month moves its
events to a file and out of the database, never its leaves, so the log still
verifies, and the file verifies against the tree event by event. SQLite keeps
one table and archives nothing.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_months import nurse_read
from sqlalchemy import text

from luukku.audit.checkpoints import LogSigner
from luukku.audit.events import AuditEvent
from luukku.service.audit.archiving import ArchiveRefused, archive_before
from luukku.service.audit.proofs import sign_checkpoint
from luukku.service.audit.verification import verify_log
from luukku.store.audit import partitions
from luukku.store.audit.partitions import Month
from luukku.store.uow import Store

SUBJECT = "c" * 32
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
MONTHS = (Month(2026, 9), Month(2026, 10), Month(2026, 11), Month(2026, 12))
PER_MONTH = 5


def _event(month: Month, day: int) -> AuditEvent:
    return nurse_read(month, day, SUBJECT, consent_id="f" * 32)


def _postgres_only(store: Store) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the audit log is partitioned on PostgreSQL only (SQLite keeps one table)")


@pytest.fixture
def signer() -> LogSigner:
    return LogSigner.generate()


@pytest.fixture
def months_of_events(store: Store, signer: LogSigner) -> Store:
    """Five events in each of September to December 2026, every one signed."""
    with store.transaction() as tx:
        for month in MONTHS:
            if partitions.is_partitioned(tx.connection):
                partitions.create(tx.connection, month)
        for month in MONTHS:
            for day in range(1, PER_MONTH + 1):
                tx.audit.append(_event(month, day))
    sign_checkpoint(store, signer, NOW)
    return store


def _rows_by_partition(store: Store) -> dict[str, int]:
    with store.read() as tx:
        rows = tx.connection.execute(
            text("SELECT tableoid::regclass::text, count(*) FROM audit_events GROUP BY 1")
        )
        return {str(name).rsplit(".", 1)[-1]: int(n) for name, n in rows}


def test_events_of_several_months_are_one_log_in_their_months_partitions(months_of_events):
    store = months_of_events
    with store.read() as tx:
        numbers = [stored.seq for stored in tx.audit.scan()]
    assert numbers == list(range(1, len(MONTHS) * PER_MONTH + 1))
    if store.engine.dialect.name == "postgresql":
        assert _rows_by_partition(store) == {m.partition(): PER_MONTH for m in MONTHS}


def test_an_archived_month_leaves_a_log_that_verifies_and_a_file_that_verifies_against_it(
    months_of_events, signer, tmp_path
):
    store = months_of_events
    _postgres_only(store)

    archived = archive_before(store, Month(2026, 11), tmp_path, signer.verifier_key(), NOW)

    assert [(a.month, a.events, a.first_seq, a.last_seq) for a in archived] == [
        ("2026-09", 5, 1, 5),
        ("2026-10", 5, 6, 10),
    ]
    assert _rows_by_partition(store) == {m.partition(): PER_MONTH for m in MONTHS[2:]}
    with store.read() as tx:
        assert partitions.months(tx.connection)[:2] == [Month(2026, 11), Month(2026, 12)]
    files = sorted(tmp_path.glob("audit-events-*.jsonl.gz"))
    assert [f.name for f in files] == [
        "audit-events-2026-09.jsonl.gz",
        "audit-events-2026-10.jsonl.gz",
    ]
    verification = verify_log(store, signer.verifier_key())
    assert verification.problem is None
    assert (verification.events, verification.archived) == (20, 10)
    against_files = verify_log(store, signer.verifier_key(), archive_files=files)
    assert against_files.problem is None


def test_a_log_still_grows_and_proves_after_an_archive(months_of_events, signer, tmp_path):
    store = months_of_events
    _postgres_only(store)
    archive_before(store, Month(2026, 12), tmp_path, signer.verifier_key(), NOW)

    with store.transaction() as tx:
        assert tx.audit.append(_event(Month(2026, 12), 6)) == 21
    sign_checkpoint(store, signer, NOW)

    assert verify_log(store, signer.verifier_key()).problem is None


def _rewrite_event(path: Path, seq: int, field: str, value: object) -> None:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = [json.loads(line) for line in f]
    for fields in lines[1:]:
        if fields["seq"] == seq:
            fields[field] = value
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(fields) + "\n" for fields in lines)


@pytest.mark.parametrize(
    ("field", "value"),
    [("reason", "OWNER"), ("org_id", "other-org"), ("leaf_hash", "00" * 32)],
)
def test_a_tampered_archive_file_fails_verification(
    months_of_events, signer, tmp_path, field, value
):
    store = months_of_events
    _postgres_only(store)
    (september, _) = archive_before(store, Month(2026, 11), tmp_path, signer.verifier_key(), NOW)
    path = tmp_path / september.file_name

    _rewrite_event(path, 3, field, value)

    verification = verify_log(store, signer.verifier_key(), archive_files=[path])
    assert verification.problem == "event 3 does not match its leaf in the tree"


def test_an_archive_file_with_an_event_left_out_fails_verification(
    months_of_events, signer, tmp_path
):
    store = months_of_events
    _postgres_only(store)
    (september,) = archive_before(store, Month(2026, 10), tmp_path, signer.verifier_key(), NOW)
    path = tmp_path / september.file_name
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.writelines(line for n, line in enumerate(lines) if n != 2)

    verification = verify_log(store, signer.verifier_key(), archive_files=[path])
    assert verification.problem == "it holds 4 events where its header says 5"


def test_a_month_not_yet_signed_is_not_archived(months_of_events, signer, tmp_path):
    store = months_of_events
    _postgres_only(store)
    with store.transaction() as tx:
        partitions.create(tx.connection, Month(2026, 8))
        tx.audit.append(_event(Month(2026, 8), 1))

    with pytest.raises(ArchiveRefused, match="not all in a signed checkpoint"):
        archive_before(store, Month(2026, 9), tmp_path, signer.verifier_key(), NOW)

    assert list(tmp_path.iterdir()) == []
    assert _rows_by_partition(store)[Month(2026, 8).partition()] == 1


def test_an_existing_archive_file_is_never_overwritten(months_of_events, signer, tmp_path):
    store = months_of_events
    _postgres_only(store)
    (tmp_path / "audit-events-2026-09.jsonl.gz").write_bytes(b"kept")

    with pytest.raises(ArchiveRefused, match="never overwritten"):
        archive_before(store, Month(2026, 10), tmp_path, signer.verifier_key(), NOW)

    assert (tmp_path / "audit-events-2026-09.jsonl.gz").read_bytes() == b"kept"
    assert _rows_by_partition(store)[Month(2026, 9).partition()] == PER_MONTH


def test_only_past_months_are_archived(months_of_events, signer, tmp_path):
    with pytest.raises(ArchiveRefused, match="after the current month"):
        archive_before(months_of_events, Month(2027, 1), tmp_path, signer.verifier_key(), NOW)


def test_sqlite_archives_nothing(months_of_events, signer, tmp_path):
    if months_of_events.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's refusal; PostgreSQL archives")
    with pytest.raises(ArchiveRefused, match="PostgreSQL only"):
        archive_before(months_of_events, Month(2026, 11), tmp_path, signer.verifier_key(), NOW)


def test_a_month_the_database_cannot_let_go_of_stays_with_no_file_left(
    months_of_events, signer, tmp_path
):
    store = months_of_events
    _postgres_only(store)
    reader = store.engine.connect()
    reader.begin()
    reader.execute(text("SELECT count(*) FROM audit_events"))  # a long read holds the log

    try:
        with pytest.raises(ArchiveRefused, match="2026-09 stays in the database"):
            archive_before(store, Month(2026, 10), tmp_path, signer.verifier_key(), NOW)
    finally:
        reader.close()

    assert list(tmp_path.iterdir()) == []
    assert _rows_by_partition(store)[Month(2026, 9).partition()] == PER_MONTH
    assert verify_log(store, signer.verifier_key()).archived == 0
    (september,) = archive_before(store, Month(2026, 10), tmp_path, signer.verifier_key(), NOW)
    assert september.events == PER_MONTH
