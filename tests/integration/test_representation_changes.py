"""What changes a right tells the live streams: ``RepresentationChanged`` about the
represented person, once committed, for every end, order and capacity judgement."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from luukku.domain.caller import Caller, Practitioner
from luukku.domain.cases import ServiceCategory
from luukku.domain.errors import LuukkuError
from luukku.domain.events import RepresentationChanged
from luukku.domain.organizations import OrgKind
from luukku.domain.representation.blockers import BlockerKind, Capacity
from luukku.domain.representation.rights import Kind, MandateCode
from luukku.pki import read_cert_info
from luukku.service import directory
from luukku.service.access import outbox
from luukku.service.cases import create_case
from luukku.service.representation.capacity import judge_capacity
from luukku.service.representation.ending import end_right
from luukku.service.representation.orders import Order, lift_order, record_order
from luukku.service.representation.registration import Registration, register_right
from luukku.store.uow import Store
from luukku.verify.identity_code import make_identity_code

GUARDIAN = make_identity_code(date(1980, 4, 4), 222)
_TODAY = datetime.now(UTC).date()
CHILD = make_identity_code(_TODAY.replace(year=_TODAY.year - 14, day=1), 333)


@pytest.fixture
def clerk(register_org, store: Store) -> Caller:
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    fingerprint = read_cert_info(tls.client_cert).fingerprint
    org = directory.authenticate(store, fingerprint)
    return Caller(org, fingerprint, Practitioner("sw-1", "Sanna", "social worker"), "req-1")


def _child(store: Store) -> str:
    with store.read() as tx:
        found = tx.citizens.find(CHILD)
    assert found is not None
    return found


def test_ending_a_right_recording_and_lifting_an_order_and_judging_capacity_are_told(
    store: Store, clerk: Caller
):
    with outbox.collecting() as told:
        right = register_right(
            store,
            clerk,
            Registration(
                Kind.GUARDIAN_OF_MINOR,
                GUARDIAN,
                CHILD,
                frozenset({MandateCode.VIEW}),
                "Custody decision seen",
            ),
        )
        assert not [
            e for e in told if isinstance(e, RepresentationChanged)
        ]  # a new right ends nothing
        order = record_order(store, clerk, Order(BlockerKind.CARE_ORDER, CHILD, "Decision 77"))
        lift_order(store, clerk, order.id, "Care ended")
        case = create_case(
            store,
            clerk,
            identity_code_text=CHILD,
            title="School",
            category=ServiceCategory.SOCIAL_WORK,
        )
        judge_capacity(store, clerk, case.id, Capacity.CAPABLE_FORBIDS)
        end_right(store, clerk, right.right.id, "Custody moved")

    changes = [e for e in told if isinstance(e, RepresentationChanged)]
    assert changes == [RepresentationChanged(_child(store))] * 4


def test_a_refused_change_tells_nothing(store: Store, clerk: Caller):
    with outbox.collecting() as told, pytest.raises(LuukkuError):
        record_order(
            store,
            clerk,
            Order(BlockerKind.CARE_ORDER, CHILD, "x" * 501),
        )
    with outbox.collecting() as told_too, pytest.raises(LuukkuError):
        judge_capacity(store, clerk, "c" * 32, Capacity.CAPABLE_ALLOWS)

    assert [e for e in [*told, *told_too] if isinstance(e, RepresentationChanged)] == []
