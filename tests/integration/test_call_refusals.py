"""Refusals before the use case: audited, with repeats aggregated per minute, never dropped."""

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
