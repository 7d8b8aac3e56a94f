"""Records, record revisions, consent history and the audit log are append-only in the database.

The triggers of migration 0002 refuse UPDATE and DELETE on each of these tables, on
SQLite and PostgreSQL alike, whoever issues the statement; on PostgreSQL each
month's partition of the audit log refuses them too, by its own name (0020).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError

from luukku.audit.events import AuditEvent, Outcome
from luukku.domain.caller import Practitioner
from luukku.domain.cases import Case, CaseStatus, Record, ServiceCategory
from luukku.domain.consents import Consent, Permission
from luukku.store.audit.partitions import Month
from luukku.store.sql.tables import audit_archives, organizations
from luukku.store.uow import Store

CITIZEN = "131052-308T"

# Each append-only table, the column an UPDATE tries to rewrite, and a value for it.
TABLES = {
    "records": ("kind", "tampered"),
    "record_revisions": ("text", "tampered"),
    "consent_revisions": ("state", "tampered"),
    "audit_events": ("reason", "TAMPERED"),
    "audit_tree": ("hash", b"\xff" * 32),
    "audit_checkpoints": ("note", "tampered"),
    "audit_archives": ("sha256", "0" * 64),
}


def _seed(store: Store) -> None:
    """One row in each append-only table, written through the repositories."""
    now = datetime.now(UTC)
    with store.transaction() as tx:
        tx.connection.execute(
            insert(organizations).values(
                id="helsinki-social",
                name="Helsinki social services",
                business_id="0201256-6",
                kind="public",
                status="active",
                created_at=now,
            )
        )
        citizen_id = tx.citizens.get_or_create(CITIZEN, now)
        case = Case(
            id="c" * 32,
            citizen_id=citizen_id,
            owner_org_id="helsinki-social",
            title="Home care",
            category=ServiceCategory.HOME_CARE,
            status=CaseStatus.OPEN,
            created_at=now,
        )
        tx.cases.add(case, "case-1")
        tx.cases.add_record(
            Record(
                case_id=case.id,
                record_id="r" * 32,
                revision=1,
                kind="note",
                text="Two visits a day.",
                data=None,
                author_org_id="helsinki-social",
                author=Practitioner("sw-1", "Sanna", "social worker"),
                created_at=now,
            ),
            "record-1",
        )
        tx.consents.add(
            Consent(
                id="f" * 32,
                citizen_id=citizen_id,
                org_id="helsinki-social",
                case_id=case.id,
                category=None,
                permissions=frozenset({Permission.READ}),
                purpose="Home care",
                valid_from=now,
                valid_until=now + timedelta(days=30),
                created_at=now,
            ),
            "consent-1",
        )
        tx.audit.append(
            AuditEvent(
                event_id="e" * 32,
                time=now,
                org_id="helsinki-social",
                fingerprint="0" * 64,
                practitioner_id="sw-1",
                practitioner_name="Sanna",
                practitioner_role="social worker",
                acting_for_citizen_id=None,
                action="record.read",
                resource=f"cases/{case.id}/records/{'r' * 32}",
                subject_citizen_id=citizen_id,
                outcome=Outcome.DENIED,
                reason="CONSENT_REQUIRED",
                consent_id=None,
                request_id="req-1",
            )
        )
        tx.audit.add_checkpoint(1, b"\x00" * 32, "a signed note", now)
        tx.connection.execute(
            insert(audit_archives).values(
                month="2026-01",
                file_name="audit-events-2026-01.jsonl.gz",
                events=0,
                first_seq=0,
                last_seq=0,
                checkpoint_size=1,
                sha256="f" * 64,
                archived_at=now,
            )
        )


def _rows(store: Store, table: str) -> list[tuple[object, ...]]:
    with store.transaction() as tx:
        return [tuple(r) for r in tx.connection.execute(text(f"SELECT * FROM {table}"))]


@pytest.mark.parametrize("table", list(TABLES))
def test_an_append_only_table_refuses_to_update_or_delete_its_rows(store: Store, table: str):
    _seed(store)
    before = _rows(store, table)
    assert len(before) == 1
    column, value = TABLES[table]
    statements = [
        (f"UPDATE {table} SET {column} = :value", {"value": value}),
        (f"DELETE FROM {table}", {}),
    ]

    for statement, params in statements:
        with pytest.raises(DBAPIError) as refused, store.transaction() as tx:
            tx.connection.execute(text(statement), params)
        # Refused by the append-only trigger, not by some other constraint.
        assert "append-only" in str(refused.value.orig), statement
        assert _rows(store, table) == before, statement


@pytest.mark.parametrize("table", list(TABLES))
def test_an_append_only_table_refuses_to_be_truncated_on_postgresql(store: Store, table: str):
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; DELETE FROM is refused by the row triggers above")
    _seed(store)
    before = _rows(store, table)

    # CASCADE, as an attacker would: a plain TRUNCATE of a referenced table fails anyway.
    with pytest.raises(DBAPIError) as refused, store.transaction() as tx:
        tx.connection.execute(text(f"TRUNCATE {table} CASCADE"))

    assert "append-only" in str(refused.value.orig)
    assert _rows(store, table) == before


@pytest.mark.parametrize("verb", ["UPDATE", "DELETE", "TRUNCATE"])
def test_a_month_of_the_audit_log_refuses_changes_by_its_partitions_own_name(
    store: Store, verb: str
):
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the audit log is partitioned by month on PostgreSQL only")
    _seed(store)
    partition = Month.of(datetime.now(UTC)).partition()
    before = _rows(store, partition)
    assert len(before) == 1
    statement = {
        "UPDATE": f"UPDATE {partition} SET reason = 'TAMPERED'",
        "DELETE": f"DELETE FROM {partition}",
        "TRUNCATE": f"TRUNCATE {partition}",
    }[verb]

    with pytest.raises(DBAPIError) as refused, store.transaction() as tx:
        tx.connection.execute(text(statement))

    assert "append-only" in str(refused.value.orig)
    assert _rows(store, partition) == before
