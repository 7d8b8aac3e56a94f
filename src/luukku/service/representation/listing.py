"""The rights that concern the signed-in citizen: held over others, and held over them."""

from __future__ import annotations

from dataclasses import dataclass

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.service.access.guard import guard
from luukku.service.paging import Listing, page_size
from luukku.service.representation.parties import signed_in_citizen
from luukku.service.representation.views import RightView, view
from luukku.store.uow import Store


@dataclass(frozen=True)
class Rights:
    """A page of the signed-in citizen's rights, newest first; ended and expired ones too."""

    held: list[RightView]
    """Those they hold over others (whom they may act for)."""
    over_me: list[RightView]
    """Those others hold over them."""
    next_page_token: str = ""
    """Empty on the last page."""


def list_rights(
    store: Store, caller: Caller, requested_size: int = 0, page_token: str = ""
) -> Rights:
    """A page of the rights the signed-in citizen holds or is held under (a portal for a
    citizen only): ``requested_size`` in both lists together.

    One audit event, about the citizen: the listing is of their own relations. A page
    token is checked before who may list (a malformed one is refused as such), and binds
    to the citizen it was issued for.
    """
    size = page_size(requested_size)
    with guard(store, caller, action="representation.list", resource="representation_rights") as (
        access
    ):
        listing = Listing("representation_rights", (access.actor.citizen_id or "",))
        after = listing.after_time_and_id(page_token)
        me = signed_in_citizen(access)
        access.allow(Reason.SELF)
        found = access.tx.representation.involving(me, after=after, limit=size + 1)
        views = [view(access.tx, r, access.now) for r in found[:size]]
    last = found[size - 1] if len(found) > size else None
    return Rights(
        held=[v for v in views if v.right.representative_id == me],
        over_me=[v for v in views if v.right.represented_id == me],
        next_page_token=listing.token(last.valid_from.isoformat(), last.id) if last else "",
    )
