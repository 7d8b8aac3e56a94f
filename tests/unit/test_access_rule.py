"""Property tests of the access rule :func:`luukku.domain.access.decide` against an oracle.

The oracle below is a deliberately naive transcription of the rule in DESIGN.md:

- a citizen acting for themselves may READ and DISCUSS their own case, never WRITE;
- the owner organisation may do anything on its case;
- any other organisation is allowed iff some consent it holds from the case's
  citizen covers the case (by case id, or by the case's category), grants the
  permission, is not revoked at ``now`` (``revoked_at <= now`` means revoked)
  and is valid at ``now`` (``valid_from <= now < valid_until``).

It reads the consents' fields directly and never calls ``Consent.state_at`` or
``Consent.covers``, so that it does not share a bug with the code under test.
A denial may truthfully be explained by several reasons (a consent can be both
revoked and expired), so the oracle yields the set of admissible reasons.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from luukku.domain.access import Actor, Decision, decide
from luukku.domain.cases import Case, CaseStatus, ServiceCategory
from luukku.domain.consents import Consent, Permission

BASE = datetime(2025, 1, 1, tzinfo=UTC)
CITIZENS = ("citizen-1", "citizen-2")
ORGS = ("org-a", "org-b", "org-c")
PORTAL = "portal"
# Two categories only, so that category consents often cover several cases.
CATEGORIES = (ServiceCategory.HOME_CARE, ServiceCategory.HEALTH)
PERMISSIONS = tuple(Permission)
# A non-empty set of permissions, drawn as one bit mask (cheap to generate, shrinks to READ).
permission_sets = st.integers(min_value=1, max_value=2 ** len(PERMISSIONS) - 1).map(
    lambda mask: frozenset(p for i, p in enumerate(PERMISSIONS) if mask >> i & 1)
)
UNKNOWN_CASE = "case-unknown"

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def at(hours: int) -> datetime:
    """The moment ``hours`` after BASE (timezone-aware, UTC)."""
    return BASE + timedelta(hours=hours)


# The oracle ------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """What the rule must decide: the outcome, admissible reasons, nameable consents."""

    allowed: bool
    reasons: frozenset[str]
    granting: frozenset[str] = frozenset()


def _covering(actor: Actor, case: Case, consents: Sequence[Consent]) -> list[Consent]:
    """The actor's consents from the case's citizen whose scope includes the case."""
    return [
        c
        for c in consents
        if c.org_id == actor.org_id
        and c.citizen_id == case.citizen_id
        and (c.case_id == case.id if c.case_id is not None else c.category == case.category)
    ]


def _is_revoked(c: Consent, now: datetime) -> bool:
    return c.revoked_at is not None and c.revoked_at <= now


def _is_active(c: Consent, now: datetime) -> bool:
    return not _is_revoked(c, now) and c.valid_from <= now < c.valid_until


def _why_inactive(c: Consent, now: datetime) -> set[str]:
    """Every truthful reason why ``c`` does not count at ``now``."""
    reasons = set()
    if _is_revoked(c, now):
        reasons.add("CONSENT_REVOKED")
    if now >= c.valid_until:
        reasons.add("CONSENT_EXPIRED")
    if now < c.valid_from:
        reasons.add("CONSENT_NOT_YET_VALID")
    return reasons


def oracle(
    actor: Actor, case: Case | None, need: Permission, consents: Sequence[Consent], now: datetime
) -> Expected:
    """The rule as DESIGN.md states it."""
    if case is None:
        if actor.citizen_id is not None:
            # Either answer is denial; neither names a consent.
            return Expected(False, frozenset({"CONSENT_REQUIRED", "NOT_CASE_CITIZEN"}))
        # Indistinguishable from an existing case the organisation has no consent for.
        return Expected(False, frozenset({"CONSENT_REQUIRED"}))
    if actor.citizen_id is not None:
        if actor.citizen_id != case.citizen_id:
            return Expected(False, frozenset({"NOT_CASE_CITIZEN"}))
        if need in (Permission.READ, Permission.DISCUSS):
            return Expected(True, frozenset({"SELF"}))
        return Expected(False, frozenset({"CITIZEN_CANNOT_WRITE"}))
    if actor.org_id == case.owner_org_id:
        return Expected(True, frozenset({"OWNER"}))
    covering = _covering(actor, case, consents)
    active = [c for c in covering if _is_active(c, now)]
    granting = frozenset(c.id for c in active if need in c.permissions)
    if granting:
        return Expected(True, frozenset({"CONSENT"}), granting)
    if active:
        return Expected(False, frozenset({"PERMISSION_NOT_GRANTED"}))
    if not covering:
        return Expected(False, frozenset({"CONSENT_REQUIRED"}))
    return Expected(False, frozenset().union(*(_why_inactive(c, now) for c in covering)))


def assert_agrees(
    actor: Actor, case: Case | None, need: Permission, consents: Sequence[Consent], now: datetime
) -> Decision:
    """decide() and the oracle agree on outcome, reason and the consent named."""
    decision = decide(actor, case, need, consents, now)
    expected = oracle(actor, case, need, consents, now)
    agrees = decision.allowed == expected.allowed and decision.reason in expected.reasons
    if decision.reason == "CONSENT":
        # The consent named really exists, is active now and grants what was needed.
        agrees = agrees and decision.consent_id in expected.granting
    else:
        agrees = agrees and decision.consent_id is None
    assert agrees, f"{decision} != {expected}: {actor} {need} {case} at {now} with {consents}"
    return decision


# Strategies ------------------------------------------------------------------
# Built once at import: constructing strategies inside draws makes generation slow.

hours = st.integers(min_value=0, max_value=24)
lengths = st.integers(min_value=1, max_value=24)
delays = st.none() | st.integers(min_value=0, max_value=24)
citizens = st.sampled_from(CITIZENS)
orgs = st.sampled_from(ORGS)
categories = st.sampled_from(CATEGORIES)
needs = st.sampled_from(PERMISSIONS)
# An index into the (at most three) cases; past the end means "no such case".
case_indexes = st.integers(min_value=0, max_value=3)
actors_st = st.one_of(orgs.map(Actor), citizens.map(lambda citizen: Actor(PORTAL, citizen)))


@st.composite
def cases_st(draw: st.DrawFn) -> list[Case]:
    count = draw(st.integers(min_value=1, max_value=3))
    return [
        Case(
            id=f"case-{i}",
            citizen_id=draw(citizens),
            owner_org_id=draw(orgs),
            title="A matter",
            category=draw(categories),
            status=CaseStatus.OPEN,
            created_at=BASE,
        )
        for i in range(count)
    ]


@st.composite
def consent_st(draw: st.DrawFn, cases: Sequence[Case], consent_id: str) -> Consent:
    """Any consent, including ones for an unknown case or another citizen's case."""
    by_case = draw(st.booleans())
    index = draw(case_indexes) if by_case else 0
    created = draw(hours)
    start = draw(hours)
    delay = draw(delays)
    return Consent(
        id=consent_id,
        citizen_id=draw(citizens),
        org_id=draw(orgs),
        case_id=(cases[index].id if index < len(cases) else UNKNOWN_CASE) if by_case else None,
        category=None if by_case else draw(categories),
        permissions=draw(permission_sets),
        purpose="care",
        valid_from=at(start),
        valid_until=at(start + draw(lengths)),
        created_at=at(created),
        revoked_at=None if delay is None else at(created + delay),
    )


@st.composite
def consents_st(draw: st.DrawFn, cases: Sequence[Case]) -> list[Consent]:
    count = draw(st.integers(min_value=0, max_value=5))
    return [draw(consent_st(cases, f"consent-{i}")) for i in range(count)]


@dataclass(frozen=True)
class Scenario:
    cases: list[Case]
    consents: list[Consent]


@st.composite
def scenario_st(draw: st.DrawFn) -> Scenario:
    cases = draw(cases_st())
    return Scenario(cases, draw(consents_st(cases)))


@dataclass(frozen=True)
class Access:
    actor: Actor
    case: Case | None
    need: Permission
    now: datetime


boundary_kinds = st.sampled_from(("valid_from", "valid_until", "revoked_at"))
consent_indexes = st.integers(min_value=0, max_value=5)
times = st.integers(min_value=0, max_value=50)
access_modes = st.sampled_from(("anything", "at a boundary", "about a consent"))


@st.composite
def access_st(draw: st.DrawFn, scenario: Scenario) -> Access:
    """Any access; or one at a consent's boundary; or one by a consent's holder, on a
    case of its citizen, needing one of its permissions, at one of its boundaries."""
    mode = draw(access_modes) if scenario.consents else "anything"
    index = draw(case_indexes)
    access = Access(
        actor=draw(actors_st),
        case=scenario.cases[index] if index < len(scenario.cases) else None,
        need=draw(needs),
        now=at(draw(times)),
    )
    if mode == "anything":
        return access
    consent = scenario.consents[draw(consent_indexes) % len(scenario.consents)]
    now = getattr(consent, draw(boundary_kinds)) or consent.valid_until
    if mode == "at a boundary":
        return replace(access, now=now)
    of_citizen = [c for c in scenario.cases if c.citizen_id == consent.citizen_id]
    return Access(
        actor=Actor(consent.org_id),
        case=of_citizen[index % len(of_citizen)] if of_citizen else access.case,
        need=draw(st.sampled_from(sorted(consent.permissions))),
        now=now,
    )


@st.composite
def scenario_and_accesses(draw: st.DrawFn) -> tuple[Scenario, list[Access]]:
    scenario = draw(scenario_st())
    count = draw(st.integers(min_value=1, max_value=6))
    return scenario, [draw(access_st(scenario)) for _ in range(count)]


# Plain properties ------------------------------------------------------------


@PROPERTY_SETTINGS
@given(scenario_and_accesses())
def test_every_decision_matches_the_oracle_in_outcome_reason_and_consent_named(
    drawn: tuple[Scenario, list[Access]],
) -> None:
    scenario, accesses = drawn
    for a in accesses:
        assert_agrees(a.actor, a.case, a.need, scenario.consents, a.now)


@PROPERTY_SETTINGS
@given(scenario_and_accesses(), st.randoms(use_true_random=False))
def test_the_decision_does_not_depend_on_the_order_the_consents_come_in(
    drawn: tuple[Scenario, list[Access]], rnd: random.Random
) -> None:
    scenario, accesses = drawn
    shuffled = list(scenario.consents)
    rnd.shuffle(shuffled)
    for a in accesses:
        assert decide(a.actor, a.case, a.need, shuffled, a.now) == decide(
            a.actor, a.case, a.need, scenario.consents, a.now
        )


@PROPERTY_SETTINGS
@given(scenario_and_accesses())
def test_consents_given_to_other_organisations_change_nothing(
    drawn: tuple[Scenario, list[Access]],
) -> None:
    scenario, accesses = drawn
    for a in accesses:
        own = [c for c in scenario.consents if c.org_id == a.actor.org_id]
        assert decide(a.actor, a.case, a.need, own, a.now) == decide(
            a.actor, a.case, a.need, scenario.consents, a.now
        )


@PROPERTY_SETTINGS
@given(st.data())
def test_adding_a_consent_never_turns_an_allowed_access_into_a_denied_one(
    data: st.DataObject,
) -> None:
    scenario = data.draw(scenario_st())
    extra = data.draw(consent_st(scenario.cases, "consent-extra"))
    more = data.draw(st.permutations([*scenario.consents, extra]))
    accesses = st.lists(access_st(Scenario(scenario.cases, more)), min_size=1, max_size=6)
    for a in data.draw(accesses):
        before = decide(a.actor, a.case, a.need, scenario.consents, a.now)
        after = assert_agrees(a.actor, a.case, a.need, more, a.now)
        if before.allowed:
            assert after.allowed, (before, after, extra)


@PROPERTY_SETTINGS
@given(st.data())
def test_revoking_every_covering_consent_denies_the_very_next_access(
    data: st.DataObject,
) -> None:
    scenario = data.draw(scenario_st())
    case = data.draw(st.sampled_from(scenario.cases))
    org = data.draw(st.sampled_from([o for o in ORGS if o != case.owner_org_id]))
    need = data.draw(needs)
    now = data.draw(hours)
    # A consent that certainly grants ``need`` on ``case`` at ``now``, placed anywhere.
    by_case = data.draw(st.booleans())
    granting = Consent(
        id="consent-granting",
        citizen_id=case.citizen_id,
        org_id=org,
        case_id=case.id if by_case else None,
        category=None if by_case else case.category,
        permissions=data.draw(permission_sets) | {need},
        purpose="care",
        valid_from=at(now - data.draw(st.integers(min_value=0, max_value=12))),
        valid_until=at(now + data.draw(st.integers(min_value=1, max_value=12))),
        created_at=at(now - data.draw(st.integers(min_value=0, max_value=12))),
    )
    consents = data.draw(st.permutations([*scenario.consents, granting]))
    actor = Actor(org)
    allowed = assert_agrees(actor, case, need, consents, at(now))
    assert allowed.allowed
    assert allowed.reason == "CONSENT"

    # The citizen revokes every consent of ``org`` that covers the case (one revoked
    # earlier keeps its earlier revocation); the next request comes at or after that.
    revoked_at = now + data.draw(st.integers(min_value=0, max_value=12))
    covering = {c.id for c in _covering(actor, case, consents)}
    revoked = [
        replace(c, revoked_at=min(c.revoked_at or at(revoked_at), at(revoked_at)))
        if c.id in covering
        else c
        for c in consents
    ]
    later = at(revoked_at + data.draw(st.integers(min_value=0, max_value=12)))
    decision = assert_agrees(actor, case, need, revoked, later)
    assert not decision.allowed
    assert decision.reason == "CONSENT_REVOKED"
    for other in PERMISSIONS:
        assert not decide(actor, case, other, revoked, later).allowed


@PROPERTY_SETTINGS
@given(scenario_and_accesses())
def test_citizens_owners_and_missing_cases_get_fixed_answers_whatever_the_consents(
    drawn: tuple[Scenario, list[Access]],
) -> None:
    scenario, accesses = drawn
    for a in accesses:
        # A citizen may read and discuss their own case, never write, never another's.
        for citizen in CITIZENS:
            actor = Actor(PORTAL, citizen)
            decision = decide(actor, a.case, a.need, scenario.consents, a.now)
            own = a.case is not None and a.case.citizen_id == citizen
            assert decision.allowed == (own and a.need is not Permission.WRITE)
            assert decision.consent_id is None
        # A missing case is always denied, to an organisation as if it held no consent.
        for org in ORGS:
            missing = decide(Actor(org), None, a.need, scenario.consents, a.now)
            assert missing == Decision(False, "CONSENT_REQUIRED")
        # The owner organisation may do anything on its case.
        if a.case is not None:
            owner = Actor(a.case.owner_org_id)
            assert decide(owner, a.case, a.need, scenario.consents, a.now) == Decision(
                True, "OWNER"
            )


# The stateful variant --------------------------------------------------------


class AccessRuleMachine(RuleBasedStateMachine):
    """Grant, revoke, let time pass and access; decide() must track the oracle throughout."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = 0
        self.cases: list[Case] = []
        self.consents: list[Consent] = []

    @property
    def now(self) -> datetime:
        return at(self.clock)

    @initialize(cases=cases_st())
    def open_cases(self, cases: list[Case]) -> None:
        self.cases = cases

    @rule(
        data=st.data(),
        org=orgs,
        citizen=citizens,
        permissions=permission_sets,
        starts_in=st.integers(min_value=-6, max_value=12),
        lasts=st.integers(min_value=1, max_value=24),
    )
    def grant(
        self,
        data: st.DataObject,
        org: str,
        citizen: str,
        permissions: frozenset[Permission],
        starts_in: int,
        lasts: int,
    ) -> None:
        own_cases = [c.id for c in self.cases if c.citizen_id == citizen]
        by_category = st.sampled_from(CATEGORIES).map(lambda category: (None, category))
        by_case = st.sampled_from(own_cases or [UNKNOWN_CASE]).map(lambda case_id: (case_id, None))
        scope = data.draw(by_case | by_category if own_cases else by_category)
        self.consents.append(
            Consent(
                id=f"consent-{len(self.consents)}",
                citizen_id=citizen,
                org_id=org,
                case_id=scope[0],
                category=scope[1],
                permissions=permissions,
                purpose="care",
                valid_from=at(self.clock + starts_in),
                valid_until=at(self.clock + starts_in + lasts),
                created_at=self.now,
            )
        )

    @precondition(lambda self: bool(self.consents))
    @rule(index=st.integers(min_value=0, max_value=63))
    def revoke(self, index: int) -> None:
        i = index % len(self.consents)
        consent = self.consents[i]
        if consent.revoked_at is None:
            self.consents[i] = replace(consent, revoked_at=self.now, revision=consent.revision + 1)

    @rule(by=st.integers(min_value=0, max_value=8))
    def advance_clock(self, by: int) -> None:
        self.clock += by

    @rule(
        actor=actors_st,
        index=st.none() | st.integers(min_value=0, max_value=63),
        need=needs,
    )
    def access(self, actor: Actor, index: int | None, need: Permission) -> None:
        case = None if index is None else self.cases[index % len(self.cases)]
        assert_agrees(actor, case, need, self.consents, self.now)

    @invariant()
    def every_possible_access_right_now_matches_the_oracle(self) -> None:
        actors = [Actor(o) for o in ORGS] + [Actor(PORTAL, c) for c in CITIZENS]
        for actor in actors:
            for case in [*self.cases, None]:
                for need in PERMISSIONS:
                    assert_agrees(actor, case, need, self.consents, self.now)

    @invariant()
    def a_revoked_consent_never_grants_anything_from_then_on(self) -> None:
        for consent in self.consents:
            if consent.revoked_at is None:
                continue
            for case in self.cases:
                for need in PERMISSIONS:
                    decision = decide(Actor(consent.org_id), case, need, self.consents, self.now)
                    assert decision.consent_id != consent.id


AccessRuleMachine.TestCase.settings = settings(
    max_examples=50, stateful_step_count=30, deadline=None
)
TestTheRuleTracksTheOracleThroughGrantsRevocationsAndTime = AccessRuleMachine.TestCase
