"""The state a right is shown in: ended and expired first, then acceptance and first day,
then a care order; a non-disclosure order never shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from luukku.domain.representation.blockers import Blocker, BlockerKind
from luukku.domain.representation.rights import FULL_SCOPE, Kind, MandateCode, Right, Source
from luukku.domain.representation.state import State, state_at

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
DAY = timedelta(days=1)

MANDATE = Right(
    id="m",
    kind=Kind.ADULT_MANDATE,
    representative_id="daughter",
    represented_id="mother",
    codes=frozenset({MandateCode.SOCIAL_CARE}),
    valid_from=NOW - DAY,
    valid_until=NOW + 30 * DAY,
    source=Source.PORTAL_MANDATE,
    accepted_at=NOW - DAY,
)
GUARDIAN = Right(
    id="g",
    kind=Kind.GUARDIAN_OF_MINOR,
    representative_id="parent",
    represented_id="child",
    codes=FULL_SCOPE,
    valid_from=NOW - 365 * DAY,
    valid_until=None,
    source=Source.POPULATION_REGISTER,
    represented_birth_date=date(2017, 3, 1),
)


def _order(kind: BlockerKind, on: str = "child", lifted: datetime | None = None) -> Blocker:
    return Blocker("b", kind, on, NOW - DAY, lifted)


def test_an_accepted_mandate_in_its_period_is_active():
    assert state_at(MANDATE, (), NOW) is State.ACTIVE


def test_a_mandate_not_accepted_awaits_acceptance():
    assert state_at(replace(MANDATE, accepted_at=None), (), NOW) is State.AWAITING_ACCEPTANCE


def test_an_accepted_mandate_before_its_first_day_is_not_yet_valid():
    right = replace(MANDATE, valid_from=NOW + DAY, valid_until=NOW + 9 * DAY)
    assert state_at(right, (), NOW) is State.NOT_YET_VALID


def test_an_ended_right_is_ended_even_unaccepted_or_past_its_end():
    ended = replace(MANDATE, accepted_at=None, ended_at=NOW - DAY, valid_until=NOW - DAY / 2)
    assert state_at(ended, (), NOW) is State.ENDED


def test_an_end_set_for_later_does_not_end_it_yet():
    assert state_at(replace(MANDATE, ended_at=NOW + DAY), (), NOW) is State.ACTIVE


def test_a_right_past_its_last_moment_is_expired_even_unaccepted():
    right = replace(MANDATE, accepted_at=None, valid_until=NOW)
    assert state_at(right, (), NOW) is State.EXPIRED


def test_a_guardians_right_expires_when_the_child_comes_of_age():
    grown = replace(GUARDIAN, represented_birth_date=date(2008, 12, 6))
    assert state_at(grown, (), NOW) is State.EXPIRED
    assert state_at(grown, (), NOW - DAY) is State.ACTIVE


def test_a_care_order_in_force_blocks_a_guardians_right():
    assert state_at(GUARDIAN, [_order(BlockerKind.CARE_ORDER)], NOW) is State.BLOCKED


def test_a_lifted_care_order_or_one_on_someone_else_blocks_nothing():
    lifted = _order(BlockerKind.CARE_ORDER, lifted=NOW - DAY / 2)
    elsewhere = _order(BlockerKind.CARE_ORDER, on="another-child")
    assert state_at(GUARDIAN, [lifted, elsewhere], NOW) is State.ACTIVE


def test_a_non_disclosure_order_never_shows_as_blocked():
    assert state_at(GUARDIAN, [_order(BlockerKind.NON_DISCLOSURE)], NOW) is State.ACTIVE


@pytest.mark.parametrize("kind", [Kind.ADULT_MANDATE, Kind.LEGAL_GUARDIAN])
def test_a_care_order_bars_only_a_guardian_of_a_minor(kind: Kind):
    right = replace(MANDATE, kind=kind, represented_id="child")
    assert state_at(right, [_order(BlockerKind.CARE_ORDER)], NOW) is State.ACTIVE
