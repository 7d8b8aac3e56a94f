"""A right as it is shown: its state now and the names of its two people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from luukku.domain.representation.rights import Right, Source
from luukku.domain.representation.state import State, state_at
from luukku.store.uow import Tx


@dataclass(frozen=True)
class RightView:
    """A right, its state as of the call, and the names its people signed in with
    ("" for one who never has)."""

    right: Right
    state: State
    representative_name: str
    represented_name: str


def view(tx: Tx, right: Right, at: datetime) -> RightView:
    """``right`` as shown at ``at``.

    A portal mandate names its representative only once they have accepted it:
    before that, the name would tell the giver whether the person they named by
    identity code has ever signed in, and as whom.
    """
    blockers = tx.representation.blockers(right.represented_id)
    unaccepted = right.source is Source.PORTAL_MANDATE and right.accepted_at is None
    return RightView(
        right,
        state_at(right, blockers, at),
        "" if unaccepted else tx.citizens.display_name(right.representative_id),
        tx.citizens.display_name(right.represented_id),
    )
