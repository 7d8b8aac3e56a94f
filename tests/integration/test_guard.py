"""The audited access guard on a real store: nothing leaves unaudited, nothing half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import Table, func, select

from luukku.audit.events import AuditEvent
from luukku.domain.access import Reason
from luukku.domain.caller import Caller, Practitioner
from luukku.domain.cases import Case, CaseStatus, ServiceCategory
from luukku.domain.consents import Permission
from luukku.domain.errors import ErrorCode, LuukkuError
from luukku.domain.events import AuditRecorded, ConsentGranted
from luukku.domain.organizations import OrgKind
from luukku.pki import read_cert_info
from luukku.service import directory
from luukku.service.access import outbox
from luukku.service.access.guard import AuditMissing, guard
from luukku.service.cases import create_case
from luukku.store.sql.tables import audit_events, cases
from luukku.store.uow import Store

CITIZEN = "131052-308T"


@pytest.fixture
def caller(register_org, store: Store) -> Caller:
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    fingerprint = read_cert_info(tls.client_cert).fingerprint
    org = directory.authenticate(store, fingerprint)
    return Caller(org, fingerprint, Practitioner("p-1", "Pia", "nurse"), "req-guard-1")


def _count(store: Store, table: Table) -> int:
    with store.read() as tx:
        return tx.connection.execute(select(func.count()).select_from(table)).scalar_one()


def _events(store: Store) -> list[AuditEvent]:
    with store.read() as tx:
        return [s.event for s in tx.audit.scan()]


def _open_case(store: Store, caller: Caller) -> Case:
    return create_case(
        store,
        caller,
        identity_code_text=CITIZEN,
        title="Home care",
        category=ServiceCategory.HOME_CARE,
    )


def test_a_use_case_that_decides_nothing_is_refused_and_leaves_nothing(store, caller):
    with pytest.raises(AuditMissing), guard(store, caller, action="x.read", resource="x") as access:
        access.tx.citizens.get_or_create(CITIZEN, access.now)

    assert _events(store) == []
    with store.read() as tx:
        assert tx.citizens.find(CITIZEN) is None


def test_a_refusal_found_after_an_allowed_decision_is_recorded_as_that_denial(store, caller):
    case = _open_case(store, caller)

    def write_to_closed_case() -> None:
        with guard(store, caller, action="record.create", resource="r") as access:
            access.case(case.id, Permission.WRITE)
            access.deny(Reason.CASE_CLOSED)

    with pytest.raises(LuukkuError) as refused:
        write_to_closed_case()

    assert (refused.value.code, refused.value.reason) == (
        ErrorCode.FAILED_PRECONDITION,
        "CASE_CLOSED",
    )
    last = _events(store)[-1]
    assert (last.action, last.outcome.value, last.reason) == (
        "record.create",
        "denied",
        "CASE_CLOSED",
    )
    assert last.subject_citizen_id == case.citizen_id


def test_a_domain_error_after_the_decision_commits_the_denial_before_it_is_raised(store, caller):
    case = _open_case(store, caller)

    def read_missing_record() -> None:
        with guard(store, caller, action="record.read", resource="r") as access:
            access.case(case.id, Permission.READ)
            raise LuukkuError(ErrorCode.NOT_FOUND, "RECORD_NOT_FOUND", "no such record")

    with pytest.raises(LuukkuError) as failed:
        read_missing_record()

    assert failed.value.reason == "RECORD_NOT_FOUND"
    last = _events(store)[-1]
    assert (last.outcome.value, last.reason, last.request_id) == (
        "denied",
        "RECORD_NOT_FOUND",
        "req-guard-1",
    )


def test_an_unexpected_error_rolls_back_the_write_and_its_audit_event(store, caller):
    before = (_count(store, audit_events), _count(store, cases))

    def create_then_crash() -> None:
        with guard(store, caller, action="case.create", resource="cases") as access:
            access.allow(Reason.OWNER)
            citizen = access.tx.citizens.get_or_create(CITIZEN, access.now)
            access.tx.cases.add(
                Case(
                    "0" * 32,
                    citizen,
                    caller.organization.id,
                    "Home care",
                    ServiceCategory.HOME_CARE,
                    CaseStatus.OPEN,
                    access.now,
                ),
                None,
            )
            _ = 1 / 0

    with pytest.raises(ZeroDivisionError):
        create_then_crash()

    assert (_count(store, audit_events), _count(store, cases)) == before


def test_a_listing_records_one_event_per_citizen_on_the_page(store, caller):
    with guard(store, caller, action="case.list", resource="cases") as access:
        access.listing(Reason.VISIBLE, ["c2", "c1", "c2"])

    listed = [e for e in _events(store) if e.action == "case.list"]
    assert sorted(e.subject_citizen_id or "" for e in listed) == ["c1", "c2"]


def test_events_reach_the_outbox_only_when_the_call_commits(store, caller):
    case = _open_case(store, caller)
    posted = ConsentGranted("citizen", "consent")
    # Its audit event is news either way: a denial is committed too.
    audited = AuditRecorded(caller.organization.id, case.citizen_id, None)

    def emit_then(refuse: bool) -> None:
        with guard(store, caller, action="x.write", resource="x") as access:
            access.case(case.id, Permission.WRITE)
            access.emit(posted)
            if refuse:
                access.deny(Reason.CASE_CLOSED)

    with outbox.collecting() as delivered:
        with pytest.raises(LuukkuError):
            emit_then(refuse=True)
        assert delivered == [audited]
        emit_then(refuse=False)
    assert delivered == [audited, posted, audited]
