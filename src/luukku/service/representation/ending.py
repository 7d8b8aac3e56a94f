"""A right ended early: a portal mandate by either party, a clerk's registration by a clerk.

A guardianship from the population register ends only by the register.
Ending an ended right returns it unchanged. Either way the streams the right
allowed are told to look again (``RepresentationChanged``).
"""

from __future__ import annotations

from dataclasses import replace

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.errors import failed_precondition, permission_denied
from luukku.domain.events import RepresentationChanged
from luukku.domain.representation.rights import Right, Source
from luukku.service.access.guard import Access, guard
from luukku.service.ids import require_id
from luukku.service.representation.parties import clerk_reason, public_clerk, right_not_found
from luukku.service.representation.views import RightView, view
from luukku.store.uow import Store


def end_right(store: Store, caller: Caller, right_id: str, reason: str = "") -> RightView:
    """End a right now; ``reason`` is required of a clerk and ignored for a party."""
    require_id(right_id, "right_id")
    clerk = caller.on_behalf_of is None
    why = clerk_reason(reason) if clerk else None
    resource = f"representation_rights/{right_id}"
    with guard(store, caller, action="representation.end", resource=resource) as access:
        right = access.tx.representation.get(right_id)
        access.subject = right.represented_id if right else None
        right = _clerks_to_end(access, right) if clerk else _partys_to_end(access, right)
        access.allow(Reason.PUBLIC_AUTHORITY if clerk else Reason.SELF)
        if access.tx.representation.end(right.id, access.now, why):
            right = replace(right, ended_at=access.now)
        # Also on a repeated end: streams look again, which costs nothing wrong.
        access.emit(RepresentationChanged(right.represented_id))
        return view(access.tx, right, access.now)


def _from_register(right: Right) -> None:
    if right.source is Source.POPULATION_REGISTER:
        raise failed_precondition(
            "RIGHT_FROM_REGISTER",
            "a guardianship from the population register ends by the register",
        )


def _partys_to_end(access: Access, right: Right | None) -> Right:
    me = access.actor.citizen_id
    if right is None or me not in (right.representative_id, right.represented_id):
        raise right_not_found()
    _from_register(right)
    if right.source is Source.CLERK_REGISTRATION:
        raise permission_denied(
            "RIGHT_FROM_CLERK", "a right a clerk registered is ended by a clerk of a public body"
        )
    return right


def _clerks_to_end(access: Access, right: Right | None) -> Right:
    public_clerk(access)
    if right is None:
        raise right_not_found()
    _from_register(right)
    if right.source is Source.PORTAL_MANDATE:
        raise permission_denied(
            "RIGHT_FROM_PORTAL", "a mandate given in the portal is ended by its parties"
        )
    return right
