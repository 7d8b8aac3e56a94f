"""Tests for the Finnish business id (Y-tunnus) in :mod:`luukku.domain.business_id`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luukku.domain.business_id import (
    InvalidBusinessId,
    is_valid_business_id,
    make_business_id,
    parse_business_id,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def _remainder(seven_digits: str) -> int:
    """The weighted sum modulo 11, computed independently of the module."""
    return sum(w * int(d) for w, d in zip(WEIGHTS, seven_digits, strict=True)) % 11


def _reason(text: str) -> str:
    with pytest.raises(InvalidBusinessId) as err:
        parse_business_id(text)
    return err.value.reason


@pytest.mark.parametrize("business_id", ["0737546-2", "1572860-0", "0201256-6"])
def test_known_business_ids_are_valid(business_id: str) -> None:
    assert parse_business_id(business_id) == business_id
    assert is_valid_business_id(business_id)


def test_a_remainder_of_zero_gives_check_digit_zero() -> None:
    assert _remainder("1572860") == 0
    assert make_business_id("1572860") == "1572860-0"


def test_a_business_id_with_a_wrong_check_digit_is_rejected() -> None:
    assert _reason("0737546-3") == "CHECK_DIGIT"
    assert not is_valid_business_id("0737546-3")


@pytest.mark.parametrize("seven_digits", ["1000008", "0000006"])
def test_a_business_id_whose_remainder_is_one_is_never_valid(seven_digits: str) -> None:
    assert _remainder(seven_digits) == 1
    for check in "0123456789":
        assert _reason(f"{seven_digits}-{check}") == "CHECK_DIGIT"
    with pytest.raises(InvalidBusinessId) as err:
        make_business_id(seven_digits)
    assert err.value.reason == "CHECK_DIGIT"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "737546-2",  # the older six-digit form is not padded here
        "07375462",
        "0737546 2",
        "0737546_2",
        "00737546-2",
        "0737546-22",
        " 0737546-2",
        "0737546-2 ",
        "0737546-2\n",
        "FI07375462",
        "073754a-2",
        "٠٧٣٧٥٤٦-٢",  # non-ASCII digits
    ],
)
def test_a_business_id_not_in_the_exact_format_is_rejected(text: str) -> None:
    assert _reason(text) == "FORMAT"


def test_an_error_never_contains_the_business_id() -> None:
    with pytest.raises(InvalidBusinessId) as err:
        parse_business_id("0737546-3")
    assert "0737546" not in str(err.value)


@pytest.mark.parametrize("text", ["", "123456", "12345678", "123456a", "1234567-"])
def test_making_a_business_id_from_anything_but_seven_digits_is_refused(text: str) -> None:
    with pytest.raises(InvalidBusinessId) as err:
        make_business_id(text)
    assert err.value.reason == "FORMAT"


seven_digits = st.text(alphabet="0123456789", min_size=7, max_size=7)


@given(seven_digits)
def test_a_made_business_id_always_validates_unless_the_remainder_is_one(digits: str) -> None:
    if _remainder(digits) == 1:
        with pytest.raises(InvalidBusinessId) as err:
            make_business_id(digits)
        assert err.value.reason == "CHECK_DIGIT"
    else:
        made = make_business_id(digits)
        assert made.startswith(f"{digits}-")
        assert parse_business_id(made) == made


@given(seven_digits, st.sampled_from("0123456789"))
def test_exactly_one_check_digit_fits_unless_the_remainder_is_one(digits: str, check: str) -> None:
    fits = _remainder(digits) != 1 and make_business_id(digits) == f"{digits}-{check}"
    assert is_valid_business_id(f"{digits}-{check}") is fits


@given(st.text(max_size=12))
def test_checking_arbitrary_text_never_raises(text: str) -> None:
    assert is_valid_business_id(text) in {True, False}
