"""Property tests of :func:`luukku.domain.representation.decision.decide` against a reference.

The reference below is a plain, table-driven transcription of the rules in
docs/representation.md. It reads the right's fields itself and never calls
``Right.ends``, ``allows``, ``coming_of_age`` or ``Blocker.in_force``, so that
it does not share a bug with the code under test. Hypothesis draws every kind,
source, set of mandate codes, validity (times on and around each boundary,
across Finnish midnight), acceptance, early end, blocker and capacity code.
"""

from __future__ import annotations

import calendar
import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luukku.domain.cases import ServiceCategory as Cat
from luukku.domain.errors import LuukkuError
from luukku.domain.representation.blockers import (
    Blocker,
    BlockerKind,
    Capacity,
    CapacityDecision,
    validate_capacity,
)
from luukku.domain.representation.decision import (
    Decision,
    Refusal,
    Request,
    decide,
    decide_among,
)
from luukku.domain.representation.rights import (
    Action,
    Kind,
    MandateCode,
    Right,
    Source,
    coming_of_age,
    validate_right,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
# Midnight in Helsinki on the day a child born on 29 Feb 2008 comes of age.
T0 = datetime(2026, 2, 28, tzinfo=HELSINKI).astimezone(UTC)
R, P, OTHER = "rep", "represented", "someone-else"

# The scope table: each code's actions and the categories of the cases it reaches.
R_, D_, C_, A_ = Action.READ, Action.DISCUSS, Action.MANAGE_CONSENTS, Action.ASK_DESK
SOCIAL = {Cat.HOME_CARE, Cat.SOCIAL_WORK, Cat.HOUSING}
HEALTH = {Cat.HEALTH, Cat.REHABILITATION}
EVERY = set(Cat)
SCOPE_TABLE: dict[str, tuple[set[Action], set[Cat]]] = {
    "sote-social-care": ({R_, D_, A_}, SOCIAL),
    "sote-health-care": ({R_, D_, A_}, HEALTH),
    "sote-consents": ({C_}, EVERY),
    "sote-view": ({R_}, EVERY),
}
# Which kinds of right each blocker bars.
BARRED_BY: dict[str, set[Kind]] = {
    "non_disclosure": {Kind.GUARDIAN_OF_MINOR},
    "care_order": {Kind.GUARDIAN_OF_MINOR},
}
# Which source needs the representative's acceptance.
NEEDS_ACCEPTANCE = {Source.PORTAL_MANDATE}
TOLD_AS_NOTHING = {Refusal.NON_DISCLOSURE, Refusal.MINOR_FORBIDS}


def _turned_18(born: date, at: datetime) -> bool:
    local = at.astimezone(HELSINKI)
    year = born.year + 18
    day = min(born.day, calendar.monthrange(year, born.month)[1])
    return (local.year, local.month, local.day) >= (year, born.month, day)


def _first_instant_18(born: date) -> datetime:
    year = born.year + 18
    day = min(born.day, calendar.monthrange(year, born.month)[1])
    return datetime(year, born.month, day, tzinfo=HELSINKI)


def reference(
    req: Request, right: Right | None, blockers: list[Blocker], capacity: Capacity | None
) -> Refusal | None:
    """The rule, check by check, in the documented order."""
    at = req.at
    if right is None or right.representative_id != R or right.represented_id != req.represented_id:
        return Refusal.MISSING
    if req.representative_id != R:
        return Refusal.MISSING
    if right.source in NEEDS_ACCEPTANCE and not (right.accepted_at and right.accepted_at <= at):
        return Refusal.NOT_ACCEPTED
    if right.ended_at is not None and right.ended_at <= at:
        return Refusal.ENDED
    if at < right.valid_from:
        return Refusal.NOT_YET_VALID
    born = right.represented_birth_date
    guardian = right.kind == Kind.GUARDIAN_OF_MINOR
    # Named for the coming of age unless the set end date came first.
    if (
        guardian
        and born is not None
        and _turned_18(born, at)
        and (right.valid_until is None or right.valid_until >= _first_instant_18(born))
    ):
        return Refusal.CAME_OF_AGE
    if right.valid_until is not None and at >= right.valid_until:
        return Refusal.EXPIRED
    in_scope = False
    for code in right.codes:
        actions, categories = SCOPE_TABLE[code.value]
        if req.action in actions and (req.category is None or req.category in categories):
            in_scope = True
    if not in_scope:
        return Refusal.OUT_OF_SCOPE
    in_force = set()
    for b in blockers:
        started = b.valid_from <= at
        lifted = b.lifted_at is not None and b.lifted_at <= at
        if b.represented_id == right.represented_id and started and not lifted:
            in_force.add(b.kind.value)
    for blocker, refusal in (
        ("non_disclosure", Refusal.NON_DISCLOSURE),
        ("care_order", Refusal.CARE_ORDER),
    ):
        if blocker in in_force and right.kind in BARRED_BY[blocker]:
            return refusal
    if guardian and req.case_id is not None and capacity == Capacity.CAPABLE_FORBIDS:
        return Refusal.MINOR_FORBIDS
    return None


HALF_DAYS = st.integers(-6, 6).map(lambda n: T0 + timedelta(hours=12 * n))
# The request's time: on the half-day grid the other times use (to hit every
# boundary exactly), or any hour around it (to fall between them).
HOURS = HALF_DAYS | st.integers(-72, 72).map(lambda n: T0 + timedelta(hours=n))
# Each time is now and then far from the request (so that later checks are
# reached), now and then absent, and otherwise on the grid around it.
LONG_BEFORE, LONG_AFTER = T0 - timedelta(days=30), T0 + timedelta(days=30)
EARLY = st.one_of(st.just(LONG_BEFORE), st.just(LONG_BEFORE), HALF_DAYS)
MAYBE_TIME = st.one_of(st.none(), st.none(), HALF_DAYS)
MAYBE_LATE = st.one_of(st.none(), st.just(LONG_AFTER), HALF_DAYS)
MAYBE_EARLY = st.one_of(st.none(), st.just(LONG_BEFORE), HALF_DAYS)
# Now and then a right or an order is about someone else.
MOSTLY_P = st.sampled_from([P] * 9 + [OTHER])
BIRTH_DATES = st.sampled_from(
    [date(2008, 2, 29), date(2008, 2, 27), date(2008, 2, 28), date(2008, 3, 1), date(2014, 5, 5)]
)
SOURCES = {
    Kind.GUARDIAN_OF_MINOR: [Source.POPULATION_REGISTER, Source.CLERK_REGISTRATION],
    Kind.ADULT_MANDATE: [Source.PORTAL_MANDATE, Source.CLERK_REGISTRATION],
    Kind.LEGAL_GUARDIAN: [Source.CLERK_REGISTRATION],
}


@st.composite
def rights(draw: st.DrawFn) -> Right:
    kind = draw(st.sampled_from(Kind))
    return Right(
        id="right-1",
        kind=kind,
        representative_id=R,
        represented_id=draw(MOSTLY_P),
        codes=frozenset(draw(st.sets(st.sampled_from(MandateCode), min_size=1))),
        valid_from=draw(EARLY),
        valid_until=draw(MAYBE_LATE),
        source=draw(st.sampled_from(SOURCES[kind])),
        accepted_at=draw(MAYBE_EARLY),
        ended_at=draw(MAYBE_TIME),
        represented_birth_date=draw(BIRTH_DATES) if kind is Kind.GUARDIAN_OF_MINOR else None,
        reason="seen the papers",
    )


BLOCKERS = st.lists(
    st.builds(
        Blocker,
        id=st.just("b"),
        kind=st.sampled_from(BlockerKind),
        represented_id=MOSTLY_P,
        valid_from=EARLY,
        lifted_at=MAYBE_TIME,
    ),
    max_size=3,
)


@st.composite
def requests(draw: st.DrawFn) -> Request:
    about_case = draw(st.booleans())
    return Request(
        representative_id=draw(st.sampled_from([R] * 9 + [OTHER])),
        represented_id=P,
        action=draw(st.sampled_from(Action)),
        case_id="case-1" if about_case else None,
        category=draw(st.sampled_from(Cat)) if about_case else None,
        at=draw(HOURS),
    )


@settings(max_examples=800)
@given(
    requests(),
    st.one_of(rights(), rights(), rights(), st.none()),
    BLOCKERS,
    st.none() | st.sampled_from(Capacity),
)
def test_the_decision_matches_the_reference_for_every_combination(
    req: Request, right: Right | None, blockers: list[Blocker], capacity: Capacity | None
) -> None:
    decision = decide(req, right, blockers, capacity)
    assert decision.refusal == reference(req, right, blockers, capacity)
    if decision.allowed:
        assert right is not None
        assert decision.right_id == right.id
        assert decision.told is None
    elif decision.refusal in TOLD_AS_NOTHING:
        assert not decision.disclosable
        assert decision.told is Refusal.NOT_AVAILABLE
    else:
        assert decision.disclosable
        assert decision.told is decision.refusal


ORDER = list(Refusal)

# The exhaustive sweep: each phase of a right's life at the request's time.
AT = T0 + timedelta(hours=1)
CHILD_BORN = date(2008, 2, 29)  # of age at T0, an hour before AT
PHASES: dict[str, dict[str, Any]] = {
    "in force": {},
    "not accepted": {"accepted_at": None},
    "accepted later": {"accepted_at": AT + timedelta(seconds=1)},
    "ended": {"ended_at": AT},
    "not yet valid": {"valid_from": AT + timedelta(seconds=1)},
    "expired": {"valid_until": AT},
    "child of age": {"represented_birth_date": CHILD_BORN},
    "end date the day of age": {"represented_birth_date": CHILD_BORN, "valid_until": T0},
    "end date before age": {
        "represented_birth_date": CHILD_BORN,
        "valid_until": T0 - timedelta(seconds=1),
    },
}
BLOCKER_STATES: dict[str, list[Blocker]] = {
    "none": [],
    "care order": [Blocker("b1", BlockerKind.CARE_ORDER, P, LONG_BEFORE)],
    "non-disclosure": [Blocker("b2", BlockerKind.NON_DISCLOSURE, P, LONG_BEFORE)],
    "both": [
        Blocker("b1", BlockerKind.CARE_ORDER, P, LONG_BEFORE),
        Blocker("b2", BlockerKind.NON_DISCLOSURE, P, LONG_BEFORE),
    ],
    "lifted": [Blocker("b1", BlockerKind.CARE_ORDER, P, LONG_BEFORE, lifted_at=AT)],
    "from later": [Blocker("b2", BlockerKind.NON_DISCLOSURE, P, AT + timedelta(seconds=1))],
    "someone else's": [Blocker("b1", BlockerKind.CARE_ORDER, OTHER, LONG_BEFORE)],
}
CODE_SETS = [frozenset({c}) for c in MandateCode] + [
    frozenset({MandateCode.SOCIAL_CARE, MandateCode.CONSENTS}),
    frozenset(MandateCode),
]


def test_every_combination_of_kind_scope_validity_and_blocker_matches_the_reference() -> None:
    checked = 0
    for kind, phase, codes, blockers in itertools.product(Kind, PHASES, CODE_SETS, BLOCKER_STATES):
        for source in SOURCES[kind]:
            right = Right(
                id="r",
                kind=kind,
                representative_id=R,
                represented_id=P,
                codes=codes,
                valid_from=LONG_BEFORE,
                valid_until=LONG_AFTER if kind is Kind.ADULT_MANDATE else None,
                source=source,
                accepted_at=LONG_BEFORE,
                represented_birth_date=date(2014, 5, 5) if kind is Kind.GUARDIAN_OF_MINOR else None,
                reason="seen the papers",
            )
            right = replace(right, **PHASES[phase])
            for action, category, capacity in itertools.product(
                Action, [None, *Cat], [None, *Capacity]
            ):
                case_id = None if category is None else "case-1"
                req = Request(R, P, action, case_id, category, AT)
                got = decide(req, right, BLOCKER_STATES[blockers], capacity)
                want = reference(req, right, BLOCKER_STATES[blockers], capacity)
                assert got.refusal == want, (kind, source, phase, codes, blockers, req, capacity)
                checked += 1
    assert checked > 50_000


@given(requests(), st.lists(rights(), max_size=3), BLOCKERS, st.none() | st.sampled_from(Capacity))
def test_among_several_rights_any_allows_else_the_furthest_refusal_is_named(
    req: Request, many: list[Right], blockers: list[Blocker], capacity: Capacity | None
) -> None:
    outcomes = [reference(req, r, blockers, capacity) for r in many]
    decision = decide_among(req, many, blockers, capacity)
    if None in outcomes:
        assert decision.allowed
    else:
        expected = max(outcomes, key=lambda o: ORDER.index(o) if o else -1, default=None)
        assert decision.refusal == (expected or Refusal.MISSING)


def _guardian(born: date, **changes: Any) -> Right:
    right = Right(
        id="g",
        kind=Kind.GUARDIAN_OF_MINOR,
        representative_id=R,
        represented_id=P,
        codes=frozenset(MandateCode),
        valid_from=datetime(2010, 1, 1, tzinfo=UTC),
        valid_until=None,
        source=Source.POPULATION_REGISTER,
        represented_birth_date=born,
    )
    return replace(right, **changes)


def _read(at: datetime) -> Request:
    return Request(R, P, Action.READ, "case-1", Cat.HEALTH, at)


def test_a_leap_day_child_comes_of_age_on_28_february_at_finnish_midnight() -> None:
    right = _guardian(date(2008, 2, 29))
    assert coming_of_age(date(2008, 2, 29)) == datetime(2026, 2, 28, tzinfo=HELSINKI)
    just_before = datetime(2026, 2, 27, 21, 59, 59, tzinfo=UTC)
    assert decide(_read(just_before), right).allowed
    assert decide(_read(just_before + timedelta(seconds=1)), right).refusal is Refusal.CAME_OF_AGE


def test_a_capable_minor_forbidding_one_case_leaves_the_others_and_the_desk_open() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    right = _guardian(date(2011, 6, 1))
    forbidden = decide(_read(at), right, capacity=Capacity.CAPABLE_FORBIDS)
    assert forbidden.refusal is Refusal.MINOR_FORBIDS
    assert forbidden.told is Refusal.NOT_AVAILABLE
    assert decide(_read(at), right, capacity=Capacity.CAPABLE_ALLOWS).allowed
    desk = Request(R, P, Action.ASK_DESK, None, None, at)
    assert decide(desk, right, capacity=Capacity.CAPABLE_FORBIDS).allowed


def test_a_care_order_is_named_to_the_guardian_until_it_is_lifted() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    order = Blocker("b", BlockerKind.CARE_ORDER, P, at - timedelta(days=1), lifted_at=at)
    refused = decide(_read(at - timedelta(seconds=1)), _guardian(date(2017, 3, 3)), [order])
    assert refused.told is Refusal.CARE_ORDER
    assert decide(_read(at), _guardian(date(2017, 3, 3)), [order]).allowed


@pytest.mark.parametrize(
    ("birth", "capacity", "refused"),
    [
        (date(2014, 1, 2), Capacity.CAPABLE_FORBIDS, True),  # 11 the day before turning 12
        (date(2014, 1, 1), Capacity.CAPABLE_FORBIDS, False),  # 12 today
        (date(2014, 1, 2), Capacity.CAPABLE_ALLOWS, True),
        (date(2020, 1, 2), Capacity.NOT_CAPABLE_SHARED, False),
    ],
)
def test_only_a_child_of_twelve_or_more_may_be_judged_capable(
    birth: date, capacity: Capacity, refused: bool
) -> None:
    decision = CapacityDecision(
        "case-1", P, capacity, datetime(2026, 1, 1, 9, tzinfo=HELSINKI), "o"
    )
    if refused:
        with pytest.raises(LuukkuError) as caught:
            validate_capacity(decision, birth)
        assert caught.value.reason == "TOO_YOUNG"
    else:
        assert validate_capacity(decision, birth) is decision


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"represented_id": R}, "SELF_REPRESENTATION"),
        ({"codes": frozenset()}, "EMPTY_SCOPE"),
        ({"valid_until": datetime(2009, 1, 1, tzinfo=UTC)}, "INVALID_VALIDITY"),
        ({"represented_birth_date": None}, "BIRTH_DATE_REQUIRED"),
        ({"kind": Kind.LEGAL_GUARDIAN}, "KIND_NOT_FROM_SOURCE"),
        ({"source": Source.CLERK_REGISTRATION}, "REASON_REQUIRED"),
    ],
)
def test_a_right_that_cannot_hold_is_refused_before_it_is_stored(
    changes: dict[str, Any], reason: str
) -> None:
    assert validate_right(_guardian(date(2015, 1, 1))).id == "g"
    with pytest.raises(LuukkuError) as caught:
        validate_right(_guardian(date(2015, 1, 1), **changes))
    assert caught.value.reason == reason


def test_a_mandate_without_an_end_date_is_refused() -> None:
    mandate = _guardian(date(2015, 1, 1), kind=Kind.ADULT_MANDATE, source=Source.PORTAL_MANDATE)
    with pytest.raises(LuukkuError) as caught:
        validate_right(mandate)
    assert caught.value.reason == "INVALID_VALIDITY"


def test_an_allowed_decision_tells_nothing() -> None:
    assert Decision(None, "g").told is None
