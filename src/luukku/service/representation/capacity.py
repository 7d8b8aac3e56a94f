"""A minor's decision capacity for one case, judged by the case's owner organisation."""

from __future__ import annotations

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.errors import failed_precondition, invalid_argument
from luukku.domain.events import RepresentationChanged
from luukku.domain.representation.blockers import Capacity, CapacityDecision, validate_capacity
from luukku.service.access.guard import guard
from luukku.service.ids import require_id
from luukku.service.representation.parties import birth_date, is_adult
from luukku.store.uow import Store


def judge_capacity(
    store: Store, caller: Caller, case_id: str, capacity: Capacity | None
) -> CapacityDecision:
    """Record the capacity of the case's citizen, a minor, for this case; the latest counts.

    Only the owner organisation may (``OWNER_ONLY``, also for a case that does
    not exist); a child under 12 cannot be judged capable (``TOO_YOUNG``).
    """
    require_id(case_id, "case_id")
    if capacity is None:
        raise invalid_argument("MISSING_FIELD", "capacity", "required")
    resource = f"cases/{case_id}"
    with guard(store, caller, action="representation.capacity.judge", resource=resource) as (
        access
    ):
        case = access.tx.cases.get(case_id)
        access.subject = case.citizen_id if case else None
        owner = access.actor.citizen_id is None and case is not None
        if case is None or not owner or case.owner_org_id != access.actor.org_id:
            access.deny(Reason.OWNER_ONLY)
        code = access.tx.citizens.identity_code(case.citizen_id)
        assert code is not None  # a case's citizen exists
        born = birth_date(code)
        if is_adult(born, access.now):
            raise failed_precondition("NOT_A_MINOR", "the case's citizen is of age")
        decision = validate_capacity(
            CapacityDecision(case.id, case.citizen_id, capacity, access.now, access.actor.org_id),
            born,
        )
        access.allow(Reason.OWNER)
        access.tx.representation.judge_capacity(decision)
        access.emit(RepresentationChanged(case.citizen_id))
        return decision
