"""The name a sign-in passes on: from the id token's standard claims, one printable line,
never an identity code."""

from __future__ import annotations

from luukku.client import claimed_name, plain_name


def test_the_name_claim_comes_first_then_given_and_family_names():
    assert claimed_name({"name": "Maija Meikäläinen", "given_name": "M"}) == "Maija Meikäläinen"
    assert claimed_name({"given_name": "Maija", "family_name": "Meikäläinen"}) == (
        "Maija Meikäläinen"
    )
    assert claimed_name({"family_name": "Meikäläinen"}) == "Meikäläinen"
    assert claimed_name({}) == ""


def test_a_name_is_one_printable_line_of_at_most_200_characters():
    assert plain_name("  Maija\n\tMeikäläinen\u202e ") == "Maija Meikäläinen"
    assert plain_name("a" * 300) == "a" * 200


def test_an_identity_code_never_travels_as_a_name():
    assert plain_name("010190-900P") == ""
    assert plain_name("Maija 010190-900p") == ""
