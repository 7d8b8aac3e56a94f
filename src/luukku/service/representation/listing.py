"""The rights that concern the signed-in citizen: held over others, and held over them."""

from __future__ import annotations

from dataclasses import dataclass

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.service.access.guard import guard
from luukku.service.representation.parties import signed_in_citizen
from luukku.service.representation.views import RightView, view
from luukku.store.uow import Store


@dataclass(frozen=True)
class Rights:
    """The signed-in citizen's rights, newest first; ended and expired ones too."""

    held: list[RightView]
    """Those they hold over others (whom they may act for)."""
    over_me: list[RightView]
    """Those others hold over them."""


def list_rights(store: Store, caller: Caller) -> Rights:
    """Every right the signed-in citizen holds or is held under (a portal for a citizen only).

    One audit event, about the citizen: the listing is of their own relations.
    """
    with guard(store, caller, action="representation.list", resource="representation_rights") as (
        access
    ):
        me = signed_in_citizen(access)
        access.allow(Reason.SELF)
        views = [view(access.tx, r, access.now) for r in access.tx.representation.involving(me)]
        return Rights(
            held=[v for v in views if v.right.representative_id == me],
            over_me=[v for v in views if v.right.represented_id == me],
        )
