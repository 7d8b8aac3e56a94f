"""Acting for another person: the right a call names, and its decision beside the access rule's.

A call that carries ``luukku-acting-for`` names a right; ``represented_actor``
resolves it (it must be the signed-in citizen's, else ``REPRESENTATION_MISSING``
whether or not it exists: no oracle of rights) into an actor whose
``citizen_id`` is the represented person and ``representative_id`` the one
who acts. ``Acting`` then decides each access of that call under every right
between the two (``domain/representation``), reading the rights once per call
and the orders and a minor's say over a case only where a guardian's right
makes them matter. A citizen's call for themselves reads none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from luukku.domain.access import Actor, CaseAccess, Decision, Reason
from luukku.domain.acting import PERMISSION_ACTIONS, combine, representation_action
from luukku.domain.cases import Case, ServiceCategory
from luukku.domain.representation.blockers import Blocker, Capacity
from luukku.domain.representation.decision import Decision as Represented
from luukku.domain.representation.decision import Refusal, Request, decide_among
from luukku.domain.representation.rights import Action, Kind, Right
from luukku.service.access.refusal_errors import refusal
from luukku.store.uow import Tx


def under_right(tx: Tx, org_id: str, representative_id: str, right_id: str) -> Acting:
    """The representation side of a call by ``representative_id`` under right ``right_id``,
    with every right between the two read in the same statement.

    Raises:
        LuukkuError: PERMISSION_DENIED ``REPRESENTATION_MISSING`` when there is
            no such right or it is not held by ``representative_id``.
    """
    rights = tx.representation.under(right_id, representative_id)
    if not rights:
        raise refusal(Reason.REPRESENTATION_MISSING)
    return Acting(tx, Actor(org_id, rights[0].represented_id, representative_id), rights)


def represented_actor(tx: Tx, org_id: str, representative_id: str, right_id: str) -> Actor:
    """The actor of a call by ``representative_id`` under right ``right_id`` (see
    ``under_right``)."""
    return under_right(tx, org_id, representative_id, right_id).actor


class Acting:
    """The representation side of one call's decisions (its actor acts for someone)."""

    def __init__(self, tx: Tx, actor: Actor, rights: Sequence[Right] | None = None) -> None:
        """``rights``: every right between the two, if already read (else read when needed)."""
        assert actor.representative_id is not None
        assert actor.citizen_id is not None
        self._tx = tx
        self.actor = actor
        self.representative_id = actor.representative_id
        self.represented_id = actor.citizen_id
        self._rights = rights
        self._blockers: Sequence[Blocker] | None = None
        self._capacities: dict[str, Capacity | None] = {}
        self.lapses_at: datetime | None = None
        """When the right that allowed the last decision ends by itself (None: no set
        end, or nothing allowed yet): a stream it allowed must check again by then."""

    @property
    def rights(self) -> Sequence[Right]:
        """Every right the representative has held over the represented person."""
        if self._rights is None:
            self._rights = self._tx.representation.between(
                self.representative_id, self.represented_id
            )
        return self._rights

    @property
    def as_guardian(self) -> bool:
        """Whether a guardian's right is among them (orders and a minor's say then count)."""
        return any(r.kind is Kind.GUARDIAN_OF_MINOR for r in self.rights)

    def _orders(self) -> Sequence[Blocker]:
        if self._blockers is None:
            self._blockers = self._tx.representation.blockers(self.represented_id)
        return self._blockers

    def decide(
        self,
        own: Decision,
        audited_action: str,
        case: Case | None,
        now: datetime,
        category: ServiceCategory | None = None,
    ) -> Decision:
        """``own`` (the access rule's decision) combined with the rights' decision on the
        action the call's ``audited_action`` asks, on ``case`` (or on ``category``, or on
        nothing in particular: an act not about a case).
        """
        if not own.allowed:
            return own
        decision = self.represented(audited_action, case, now, category)
        right = next((r for r in self.rights if r.id == decision.right_id), None)
        if decision.allowed and right is not None:
            self.lapses_at = right.ends
        return combine(own, decision, None if right is None else right.kind)

    def represented(
        self,
        audited_action: str,
        case: Case | None,
        now: datetime,
        category: ServiceCategory | None = None,
    ) -> Represented:
        """The rights' decision alone (``domain/representation/decision.py``)."""
        action = representation_action(audited_action)
        if action is None:
            return Represented(Refusal.OUT_OF_SCOPE)
        return self.on(action, case, now, category)

    def on(
        self,
        action: Action,
        case: Case | None,
        now: datetime,
        category: ServiceCategory | None = None,
    ) -> Represented:
        """The rights' decision on ``action`` itself."""
        guardian = self.as_guardian
        capacity = self._capacity(case.id) if guardian and case is not None else None
        request = Request(
            self.representative_id,
            self.represented_id,
            action,
            case.id if case is not None else None,
            case.category if case is not None else category,
            now,
        )
        return decide_among(request, self.rights, self._orders() if guardian else (), capacity)

    def _capacity(self, case_id: str) -> Capacity | None:
        # A call asks about one case several times (each permission it narrows).
        if case_id not in self._capacities:
            self._capacities[case_id] = self._tx.representation.capacity(case_id)
        return self._capacities[case_id]

    def narrowed(self, access: CaseAccess, case: Case, now: datetime) -> CaseAccess:
        """What the representative may do with ``case`` now: what the represented person
        may (``access``), as far as the rights reach."""
        permissions = frozenset(
            p
            for p in access.permissions
            if (action := PERMISSION_ACTIONS.get(p)) is not None
            and self.on(action, case, now).allowed
        )
        return replace(access, permissions=permissions)
