"""Representation rights in the store, decided by the domain rule, on both engines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from luukku.client import TLSConfig
from luukku.domain.cases import Case, CaseStatus, ServiceCategory
from luukku.domain.representation.blockers import (
    Blocker,
    BlockerKind,
    Capacity,
    CapacityDecision,
)
from luukku.domain.representation.decision import Refusal, Request, decide_among
from luukku.domain.representation.rights import Action, Kind, MandateCode, Right, Source
from luukku.store.uow import Store

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ORG = "helsinki-social"


def _request(tx_rep: str, tx_child: str, at: datetime, case: str | None = "c1") -> Request:
    category = ServiceCategory.SOCIAL_WORK if case else None
    return Request(tx_rep, tx_child, Action.READ, case, category, at)


def test_stored_rights_blockers_and_capacity_decide_as_the_rule_says(
    store: Store, register_org: Callable[..., TLSConfig]
) -> None:
    register_org(ORG)
    with store.transaction() as tx:
        mother = tx.citizens.get_or_create("010180-1232", NOW)
        daughter = tx.citizens.get_or_create("020212A987U", NOW)
        tx.cases.add(
            Case(
                "c1",
                daughter,
                ORG,
                "Koulukuraattori",
                ServiceCategory.SOCIAL_WORK,
                CaseStatus.OPEN,
                NOW,
                None,
            ),
            None,
        )
        guardian = Right(
            id="r1",
            kind=Kind.GUARDIAN_OF_MINOR,
            representative_id=mother,
            represented_id=daughter,
            codes=frozenset(MandateCode),
            valid_from=NOW - timedelta(days=365),
            valid_until=None,
            source=Source.POPULATION_REGISTER,
            represented_birth_date=date(2012, 2, 2),
        )
        tx.representation.add(guardian, NOW)

    def decision(at: datetime, case: str | None = "c1") -> Refusal | None:
        with store.read() as tx:
            rights = tx.representation.between(mother, daughter)
            blockers = tx.representation.blockers(daughter)
            capacity = tx.representation.capacity("c1") if case else None
        return decide_among(
            _request(mother, daughter, at, case), rights, blockers, capacity
        ).refusal

    assert decision(NOW) is None
    with store.transaction() as tx:
        tx.representation.judge_capacity(
            CapacityDecision("c1", daughter, Capacity.CAPABLE_FORBIDS, NOW, ORG)
        )
    assert decision(NOW) is Refusal.MINOR_FORBIDS
    assert decision(NOW, case=None) is None  # the desk stays open
    with store.transaction() as tx:
        tx.representation.judge_capacity(
            CapacityDecision("c1", daughter, Capacity.CAPABLE_ALLOWS, NOW, ORG)
        )
        tx.representation.add_blocker(
            Blocker("b1", BlockerKind.CARE_ORDER, daughter, NOW), ORG, "päätös 12/2026", NOW
        )
    assert decision(NOW) is Refusal.CARE_ORDER
    with store.transaction() as tx:
        assert tx.representation.lift_blocker("b1", NOW + timedelta(hours=1))
        assert not tx.representation.lift_blocker("b1", NOW + timedelta(hours=2))
    assert decision(NOW + timedelta(hours=1)) is None
    # The daughter (born 2 February 2012) comes of age in 2030: the right ends by itself.
    assert decision(datetime(2030, 2, 2, tzinfo=UTC)) is Refusal.CAME_OF_AGE
    with store.read() as tx:
        assert tx.representation.get("r1") == replace(guardian, created_at=NOW)
        assert [r.id for r in tx.representation.involving(daughter)] == ["r1"]
        assert [r.id for r in tx.representation.involving(mother)] == ["r1"]


def test_a_mandate_is_in_force_from_acceptance_until_either_party_ends_it(store: Store) -> None:
    with store.transaction() as tx:
        mother = tx.citizens.get_or_create("010150-123A", NOW)
        daughter = tx.citizens.get_or_create("010180-1232", NOW)
        tx.representation.add(
            Right(
                id="m1",
                kind=Kind.ADULT_MANDATE,
                representative_id=daughter,
                represented_id=mother,
                codes=frozenset({MandateCode.SOCIAL_CARE}),
                valid_from=NOW,
                valid_until=NOW + timedelta(days=365),
                source=Source.PORTAL_MANDATE,
            ),
            NOW,
        )

    def refusal(at: datetime) -> Refusal | None:
        with store.read() as tx:
            rights = tx.representation.between(daughter, mother)
        return decide_among(_request(daughter, mother, at), rights).refusal

    later = NOW + timedelta(minutes=5)
    assert refusal(later) is Refusal.NOT_ACCEPTED
    with store.transaction() as tx:
        assert tx.representation.accept("m1", later)
        assert not tx.representation.accept("m1", later)
    assert refusal(later) is None
    with store.transaction() as tx:
        assert tx.representation.end("m1", later + timedelta(minutes=1))
        assert not tx.representation.end("m1", later + timedelta(minutes=2))
        assert not tx.representation.accept("m1", later)
    assert refusal(later + timedelta(minutes=1)) is Refusal.ENDED
