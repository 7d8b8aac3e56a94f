"""A mandate's period as requests give it: five years ahead, and a last day in the future."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from luukku.domain.errors import LuukkuError
from luukku.service.representation.validity import check_period, years_after

NOW = datetime(2028, 2, 29, 12, tzinfo=UTC)


def test_five_years_after_a_leap_day_is_the_28th_of_february():
    assert years_after(NOW, 5) == datetime(2033, 2, 28, 12, tzinfo=UTC)
    assert years_after(NOW, 4) == datetime(2032, 2, 29, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [
        (NOW, NOW),
        (NOW + timedelta(days=2), NOW + timedelta(days=1)),
        (NOW - timedelta(days=9), NOW),
    ],
)
def test_a_period_ending_before_it_starts_or_not_in_the_future_is_refused(valid_from, valid_until):
    with pytest.raises(LuukkuError) as refused:
        check_period(valid_from, valid_until, NOW)
    assert refused.value.reason == "INVALID_VALIDITY"


def test_a_period_that_started_earlier_and_ends_later_is_fine():
    check_period(NOW - timedelta(days=1), NOW + timedelta(seconds=1), NOW)
