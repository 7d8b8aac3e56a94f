"""Refusals before the use case: each distinct attempt audited at once, only the same call
repeated aggregated (in the window its first opened), a per-certificate budget; never dropped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from luukku.audit.events import AuditEvent
from luukku.audit.filters import AuditFilter
from luukku.domain.access import Actor
from luukku.service.audit.refused_calls import RefusalAudit, RefusedCall
from luukku.store.uow import Store

CITIZEN = "131052-308T"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _events(store: Store) -> list[AuditEvent]:
    with store.read() as tx:
        return [s.event for s in tx.audit.scan()]


def _refused(reason: str = "CERTIFICATE_UNKNOWN", **kwargs: str) -> RefusedCall:
    return RefusedCall(
        fingerprint=kwargs.get("fingerprint", "a" * 64),
        org_id=kwargs.get("org_id", ""),
        action="rpc:CaseService/GetCase",
        reason=reason,
        request_id=kwargs.get("request_id", "r-1"),
        identity_code=kwargs.get("identity_code"),
    )


def test_the_first_refusal_is_written_at_once_and_repeats_as_one_counted_event(store):
    clock = Clock()
    audit = RefusalAudit(store, clock=clock)

    for n in range(50):
        audit.record(_refused(request_id=f"r-{n}"))
    assert [(e.resource, e.reason, e.outcome.value) for e in _events(store)] == [
        ("call", "CERTIFICATE_UNKNOWN", "denied")
    ]

    clock.now += 60
    audit.record(_refused(request_id="r-next-minute"))

    assert [e.resource for e in _events(store)] == ["call", "repeated/49", "call"]
    assert _events(store)[1].request_id == "r-49"


def test_other_certificates_and_reasons_are_not_folded_together(store):
    audit = RefusalAudit(store, clock=Clock())

    audit.record(_refused())
    audit.record(_refused(fingerprint="b" * 64))
    audit.record(_refused("ORG_SUSPENDED", org_id="hoiva-oy"))

    assert [(e.fingerprint[:1], e.reason, e.org_id) for e in _events(store)] == [
        ("a", "CERTIFICATE_UNKNOWN", ""),
        ("b", "CERTIFICATE_UNKNOWN", ""),
        ("a", "ORG_SUSPENDED", "hoiva-oy"),
    ]


def test_counts_still_open_are_written_when_the_broker_stops(store):
    audit = RefusalAudit(store, clock=Clock())
    for _ in range(3):
        audit.record(_refused())

    audit.flush(everything=True)

    assert [e.resource for e in _events(store)] == ["call", "repeated/2"]


def test_a_claimed_citizen_sees_the_refused_attempt_on_their_data(store):
    with store.transaction() as tx:
        citizen = tx.citizens.get_or_create(CITIZEN, datetime.now(UTC))
    audit = RefusalAudit(store, clock=Clock())

    audit.record(_refused("ON_BEHALF_NOT_ALLOWED", org_id="hoiva-oy", identity_code=CITIZEN))

    with store.read() as tx:
        seen = [
            s.event
            for s in tx.audit.newest_first(Actor("omaportaali", citizen), AuditFilter(), None, 10)
        ]
    assert [(e.org_id, e.reason) for e in seen] == [("hoiva-oy", "ON_BEHALF_NOT_ALLOWED")]


def test_a_refusal_that_cannot_be_audited_fails_and_is_tried_again_next_time(store, monkeypatch):
    audit = RefusalAudit(store, clock=Clock())

    class StorageDown(Exception):
        pass

    def unavailable() -> None:
        raise StorageDown

    with monkeypatch.context() as patch:
        patch.setattr(store, "transaction", unavailable)
        with pytest.raises(StorageDown):
            audit.record(_refused())

    audit.record(_refused())

    assert [e.resource for e in _events(store)] == ["call"]


def _attempt(n: int, **kwargs: str) -> RefusedCall:
    return RefusedCall(
        fingerprint="a" * 64,
        org_id="hoiva-oy",
        action=kwargs.get("action", "rpc:CaseService/GetCase"),
        reason="ON_BEHALF_NOT_ALLOWED",
        request_id=f"r-{n}",
        identity_code=kwargs.get("identity_code", CITIZEN),
        resource=kwargs.get("resource", "request/0000000000000001"),
    )


def test_each_distinct_attempt_is_its_own_event_written_at_once(store):
    audit = RefusalAudit(store, clock=Clock())

    audit.record(_attempt(1))
    audit.record(_attempt(2, action="rpc:ConsentService/GrantConsent"))
    audit.record(_attempt(3, resource="request/0000000000000002"))
    audit.record(_attempt(4, identity_code="010190-900P"))

    assert [(e.action, e.resource, e.request_id) for e in _events(store)] == [
        ("rpc:CaseService/GetCase", "request/0000000000000001", "r-1"),
        ("rpc:ConsentService/GrantConsent", "request/0000000000000001", "r-2"),
        ("rpc:CaseService/GetCase", "request/0000000000000002", "r-3"),
        ("rpc:CaseService/GetCase", "request/0000000000000001", "r-4"),
    ]


def test_the_same_call_is_counted_in_the_window_its_first_refusal_opened(store):
    clock = Clock()
    audit = RefusalAudit(store, clock=clock)

    audit.record(_attempt(1))
    clock.now += 59
    audit.record(_attempt(2))
    audit.flush()
    assert [e.resource for e in _events(store)] == ["request/0000000000000001"]

    clock.now += 1  # the window of the first is over, wherever a clock minute ended
    audit.flush()
    audit.record(_attempt(3))

    assert [(e.resource, e.request_id) for e in _events(store)] == [
        ("request/0000000000000001", "r-1"),
        ("repeated/1", "r-2"),
        ("request/0000000000000001", "r-3"),
    ]


def test_past_its_budget_a_certificate_s_refusals_fold_into_one_flagged_event(store):
    clock = Clock()
    audit = RefusalAudit(store, clock=clock, budget=3)

    for n in range(10):
        audit.record(_attempt(n, resource=f"request/{n:016x}"))
    assert len(_events(store)) == 3
    audit.record(_attempt(0, resource=f"request/{0:016x}"))  # a repeat is still its own count

    clock.now += 60
    audit.flush()

    written = _events(store)
    assert [e.resource for e in written[3:]] == ["repeated/1", "over-budget/7"]
    flagged = written[-1]
    # It mixes attempts: it names no one of them.
    assert flagged.subject_citizen_id is None
    assert flagged.acting_for_citizen_id is None
    # Another certificate has its own budget.
    audit.record(RefusedCall("b" * 64, "", "rpc:CaseService/GetCase", "CERTIFICATE_UNKNOWN", "r"))
    assert _events(store)[-1].resource == "call"
