"""A citizen still reads who accessed their data in months archived out of the database.

The broker is pointed at the archive folder (``serve --audit-archive``): a
listing reads the database and the archived months together, newest first,
page by page across the boundary, with the same rules of who sees what.
PostgreSQL only: SQLite keeps one table and archives nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_months import nurse_read

from luukku.audit.checkpoints import LogSigner
from luukku.audit.events import AuditEvent
from luukku.client import verify_checkpoint, verify_inclusion
from luukku.domain.organizations import OrgKind
from luukku.pki import PkiPaths
from luukku.service.audit.archiving import archive_before
from luukku.service.audit.proofs import sign_checkpoint
from luukku.store.audit import partitions
from luukku.store.audit.archive_shelf import ArchiveShelf
from luukku.store.audit.partitions import Month
from luukku.store.uow import Store

CITIZEN = "131052-308T"
OTHER_CITIZEN = "010190-900P"
ARCHIVED = (Month(2026, 9), Month(2026, 10))


def _read(subject: str, month: Month, n: int) -> AuditEvent:
    return nurse_read(month, n, subject)


@pytest.fixture
def store(store: Store, pki: PkiPaths, tmp_path: Path) -> Store:
    """Three reads of the citizen (and one of another) in each of two months; the
    broker reads archives from an (empty) folder."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the audit log is archived by month on PostgreSQL only")
    now = datetime.now(UTC)
    with store.transaction() as tx:
        mine = tx.citizens.get_or_create(CITIZEN, now)
        theirs = tx.citizens.get_or_create(OTHER_CITIZEN, now)
        for month in ARCHIVED:
            partitions.create(tx.connection, month)
            for n in (1, 2, 3):
                tx.audit.append(_read(mine, month, n))
            tx.audit.append(_read(theirs, month, 4))
    sign_checkpoint(store, LogSigner.load(pki.log_key), now)
    folder = tmp_path / "archive"
    folder.mkdir()
    store.audit_shelf = ArchiveShelf(folder)
    return store


def _archive(store: Store, pki: PkiPaths) -> None:
    """September and October out of the database, into the folder the broker reads."""
    assert store.audit_shelf is not None
    key = LogSigner.load(pki.log_key).verifier_key()
    archive_before(store, Month(2026, 11), store.audit_shelf.folder, key, datetime.now(UTC))


async def test_a_citizen_reads_archived_months_through_the_broker_page_by_page(
    store, pki, register_org, connect
):
    register_org("hoiva-oy", OrgKind.PRIVATE)
    portal = await connect(register_org("omaportaali", OrgKind.PORTAL), on_behalf_of=CITIZEN)
    before = [e.request_id async for e in portal.list_audit_events(organization_id="hoiva-oy")]

    _archive(store, pki)  # while the broker runs

    with store.read() as tx:
        in_database = "SELECT count(*) FROM audit_events WHERE time < '2026-11-01'"
        assert tx.connection.exec_driver_sql(in_database).scalar() == 0

    seen = [e async for e in portal.list_audit_events(page_size=2)]

    archived = [e.request_id for e in seen if e.organization_id == "hoiva-oy"]
    assert archived == before
    assert archived == [
        "2026-10-3",
        "2026-10-2",
        "2026-10-1",
        "2026-09-3",
        "2026-09-2",
        "2026-09-1",
    ]
    assert [e.request_id for e in seen[-6:]] == archived
    assert "audit.list" in {e.action for e in seen[:-6]}
    mine = (await portal.who_am_i()).citizen_id
    assert {e.subject_citizen_id for e in seen} == {mine}


async def test_a_citizen_proves_an_archived_event_in_the_signed_tree(
    store, pki, register_org, connect
):
    register_org("hoiva-oy", OrgKind.PRIVATE)
    portal = await connect(register_org("omaportaali", OrgKind.PORTAL), on_behalf_of=CITIZEN)
    _archive(store, pki)
    seen = [e async for e in portal.list_audit_events()]
    (archived,) = [e for e in seen if e.request_id == "2026-09-2"]
    key = pki.log_verifier_key.read_text(encoding="ascii").strip()
    checkpoint = verify_checkpoint(await portal.get_checkpoint(), key)

    proof = await portal.get_inclusion_proof(archived.sequence, tree_size=checkpoint.size)

    verify_inclusion(
        proof.leaf_hash, proof.leaf_index, checkpoint.size, proof.hashes, checkpoint.root
    )
    assert json.loads(proof.leaf_bytes)["request_id"] == "2026-09-2"
