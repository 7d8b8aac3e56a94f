"""Tests for the Finnish personal identity code in :mod:`luukku.verify.identity_code`."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from luukku.verify.identity_code import (
    CENTURY_SIGNS,
    IdentityCode,
    InvalidIdentityCode,
    is_valid_identity_code,
    make_identity_code,
)

# The official example code, then DVV's fictitious test persons for the 2023 century
# signs (published with the reform). Together they cover every century sign but '+'.
DVV_EXAMPLES = [
    ("131052-308T", date(1952, 10, 13)),
    ("010594Y9032", date(1994, 5, 1)),
    ("010594Y9021", date(1994, 5, 1)),
    ("020594X903P", date(1994, 5, 2)),
    ("020594X902N", date(1994, 5, 2)),
    ("030594W903B", date(1994, 5, 3)),
    ("030694W9024", date(1994, 6, 3)),
    ("040594V9030", date(1994, 5, 4)),
    ("040594V902Y", date(1994, 5, 4)),
    ("050594U903M", date(1994, 5, 5)),
    ("050594U902L", date(1994, 5, 5)),
    ("010516B903X", date(2016, 5, 1)),
    ("010516B902W", date(2016, 5, 1)),
    ("020516C903K", date(2016, 5, 2)),
    ("020516C902J", date(2016, 5, 2)),
    ("030516D9037", date(2016, 5, 3)),
    ("030516D9026", date(2016, 5, 3)),
    ("010501E9032", date(2001, 5, 1)),
    ("020502E902X", date(2002, 5, 2)),
    ("020503F9037", date(2003, 5, 2)),
    ("020504A902E", date(2004, 5, 2)),
    ("020504B904H", date(2004, 5, 2)),
]

SIGNS_BY_CENTURY = {
    century: sorted(s for s, c in CENTURY_SIGNS.items() if c == century)
    for century in (1800, 1900, 2000)
}


def _with_check(six: str, sign: str, number: str) -> str:
    """A code whose check character is right, computed independently of the module."""
    return f"{six}{sign}{number}{'0123456789ABCDEFHJKLMNPRSTUVWXY'[int(six + number) % 31]}"


def _reason(text: str) -> str:
    with pytest.raises(InvalidIdentityCode) as err:
        IdentityCode.parse(text)
    return err.value.reason


@pytest.mark.parametrize(("code", "born"), DVV_EXAMPLES)
def test_the_published_example_codes_are_valid_and_give_the_birth_date(
    code: str, born: date
) -> None:
    parsed = IdentityCode.parse(code)
    assert parsed.value == code
    assert parsed.birth_date == born
    assert is_valid_identity_code(code)


def test_the_examples_cover_every_century_sign_except_plus() -> None:
    used = {code[6] for code, _ in DVV_EXAMPLES}
    assert used == set(CENTURY_SIGNS) - {"+"}


@pytest.mark.parametrize("sign", sorted(CENTURY_SIGNS))
def test_a_code_with_each_century_sign_is_valid_and_dated_in_its_century(sign: str) -> None:
    code = make_identity_code(date(CENTURY_SIGNS[sign] + 52, 10, 13), 308, sign)
    assert code == f"131052{sign}308T"
    assert IdentityCode.parse(code).birth_date == date(CENTURY_SIGNS[sign] + 52, 10, 13)


def test_a_plus_sign_means_the_1800s() -> None:
    assert IdentityCode.parse("131052+308T").birth_date == date(1852, 10, 13)


def test_a_code_with_a_wrong_check_character_is_rejected() -> None:
    assert _reason("131052-308U") == "CHECK_CHARACTER"
    assert not is_valid_identity_code("131052-308U")


def test_a_check_character_outside_the_alphabet_is_rejected() -> None:
    for letter in "GIOQZ":
        assert not is_valid_identity_code(f"131052-308{letter}")


def test_the_31st_of_february_is_rejected() -> None:
    assert _reason(_with_check("310290", "-", "123")) == "DATE"


@pytest.mark.parametrize(("six", "why"), [("000190", "day 0"), ("011390", "month 13")])
def test_a_day_that_does_not_exist_is_rejected(six: str, why: str) -> None:
    assert _reason(_with_check(six, "-", "123")) == "DATE", why


def test_the_29th_of_february_is_valid_in_a_leap_year() -> None:
    assert IdentityCode.parse(_with_check("290296", "-", "123")).birth_date == date(1996, 2, 29)
    assert IdentityCode.parse(_with_check("290200", "A", "123")).birth_date == date(2000, 2, 29)


def test_the_29th_of_february_is_rejected_in_a_non_leap_year() -> None:
    assert _reason(_with_check("290297", "-", "123")) == "DATE"
    # 2000 was a leap year but 1900 was not: the century sign decides.
    assert _reason(_with_check("290200", "-", "123")) == "DATE"


@pytest.mark.parametrize("code", ["131052-308t", "131052a308T", "020516c903K"])
def test_a_code_with_lower_case_letters_is_rejected(code: str) -> None:
    assert _reason(code) == "FORMAT"


@pytest.mark.parametrize(
    "code", ["", "131052-308", "131052-308TT", "13105-308T", "1310522-308T", "131052--308T"]
)
def test_a_code_of_the_wrong_length_is_rejected(code: str) -> None:
    assert _reason(code) == "FORMAT"


@pytest.mark.parametrize("sign", ["Z", "G", "T", "*", "/", " ", "_", "0"])
def test_a_code_with_an_unknown_century_sign_is_rejected(sign: str) -> None:
    assert _reason(f"131052{sign}308T") == "FORMAT"


@pytest.mark.parametrize("number", [0, 1])
def test_individual_numbers_000_and_001_are_rejected(number: int) -> None:
    assert _reason(_with_check("131052", "-", f"{number:03d}")) == "INDIVIDUAL_NUMBER"


@pytest.mark.parametrize("number", [2, 899, 900, 999])
def test_individual_numbers_from_002_to_999_are_accepted(number: int) -> None:
    assert is_valid_identity_code(make_identity_code(date(1952, 10, 13), number))


@pytest.mark.parametrize(
    "code", [" 131052-308T", "131052-308T ", "131052-308T\n", "\t131052-308T", "131052 308T"]
)
def test_a_code_with_whitespace_is_rejected(code: str) -> None:
    assert _reason(code) == "FORMAT"


def test_a_code_with_non_ascii_digits_is_rejected() -> None:
    assert _reason("١٣١٠٥٢-308T") == "FORMAT"


@pytest.mark.parametrize(
    "code", ["131052-308U", "310290-1230", "131052-001P", "131052a308T", "131052-308T "]
)
def test_an_error_never_contains_the_code(code: str) -> None:
    with pytest.raises(InvalidIdentityCode) as err:
        IdentityCode.parse(code)
    for shown in (str(err.value), repr(err.value), *map(str, err.value.args)):
        assert code.strip() not in shown
        assert code[:6] not in shown


def test_the_repr_and_str_of_a_code_never_contain_it() -> None:
    parsed = IdentityCode.parse("131052-308T")
    for shown in (repr(parsed), str(parsed), f"{parsed}", repr([parsed])):
        assert "131052" not in shown
        assert "308T" not in shown
    assert repr(parsed) == "IdentityCode(<redacted>)"
    assert str(parsed) == "IdentityCode(<redacted>)"


def test_a_code_built_directly_with_a_wrong_birth_date_is_rejected() -> None:
    with pytest.raises(InvalidIdentityCode):
        IdentityCode("131052-308T", date(1952, 10, 14))
    with pytest.raises(InvalidIdentityCode):
        IdentityCode("131052-308U", date(1952, 10, 13))


def test_codes_are_equal_by_value() -> None:
    assert IdentityCode.parse("131052-308T") == IdentityCode.parse("131052-308T")
    assert IdentityCode.parse("010594Y9032") != IdentityCode.parse("010594Y9021")


def test_making_a_code_defaults_the_century_sign() -> None:
    assert make_identity_code(date(1852, 10, 13), 308)[6] == "+"
    assert make_identity_code(date(1952, 10, 13), 308)[6] == "-"
    assert make_identity_code(date(2052, 10, 13), 308)[6] == "A"


def test_making_a_code_with_a_sign_of_another_century_is_refused() -> None:
    with pytest.raises(InvalidIdentityCode) as err:
        make_identity_code(date(1952, 10, 13), 308, "A")
    assert err.value.reason == "FORMAT"
    with pytest.raises(InvalidIdentityCode):
        make_identity_code(date(2016, 5, 1), 308, "Y")
    with pytest.raises(InvalidIdentityCode):
        make_identity_code(date(1952, 10, 13), 308, "Z")


@pytest.mark.parametrize("number", [-1, 0, 1, 1000])
def test_making_a_code_with_an_out_of_range_individual_number_is_refused(number: int) -> None:
    with pytest.raises(InvalidIdentityCode) as err:
        make_identity_code(date(1952, 10, 13), number)
    assert err.value.reason == "INDIVIDUAL_NUMBER"


@pytest.mark.parametrize("born", [date(1799, 12, 31), date(2100, 1, 1)])
def test_making_a_code_outside_1800_to_2099_is_refused(born: date) -> None:
    with pytest.raises(InvalidIdentityCode) as err:
        make_identity_code(born, 308)
    assert err.value.reason == "DATE"


dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31))
numbers = st.integers(min_value=2, max_value=999)


@given(born=dates, number=numbers, data=st.data())
def test_any_made_code_parses_back_to_its_birth_date(
    born: date, number: int, data: st.DataObject
) -> None:
    sign = data.draw(st.sampled_from(SIGNS_BY_CENTURY[born.year // 100 * 100]))
    code = make_identity_code(born, number, sign)
    parsed = IdentityCode.parse(code)
    assert parsed.birth_date == born
    assert parsed.value == code
    assert code[6] == sign
    assert int(code[7:10]) == number


@given(born=dates, number=numbers, replacement=st.characters())
def test_changing_the_check_character_makes_a_code_invalid(
    born: date, number: int, replacement: str
) -> None:
    code = make_identity_code(born, number)
    if replacement == code[-1]:
        return
    assert not is_valid_identity_code(code[:-1] + replacement)


@given(born=dates, number=numbers, position=st.integers(0, 10), data=st.data())
def test_an_error_for_a_mistyped_code_never_contains_it(
    born: date, number: int, position: int, data: st.DataObject
) -> None:
    code = make_identity_code(born, number)
    typo = data.draw(
        st.sampled_from("0123456789-+ABCDEFUVWXYZ").filter(lambda c: c != code[position])
    )
    mistyped = code[:position] + typo + code[position + 1 :]
    assume(not is_valid_identity_code(mistyped))  # e.g. '-' to 'Y' keeps a code valid
    with pytest.raises(InvalidIdentityCode) as err:
        IdentityCode.parse(mistyped)
    assert mistyped not in str(err.value)
    assert mistyped not in repr(err.value)


@given(st.text(max_size=20))
def test_checking_arbitrary_text_never_raises(text: str) -> None:
    assert is_valid_identity_code(text) in {True, False}
