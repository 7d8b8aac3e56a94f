"""The access log's words: every reason a citizen can meet is said in their language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from luukku.portal import words
from luukku.web import i18n


@pytest.fixture
def finnish() -> Iterator[None]:
    token = i18n.current_language.set("fi")
    yield
    i18n.current_language.reset(token)


@pytest.mark.parametrize(
    "code",
    ["INVALID_ID", "MISSING_FIELD", "MALFORMED_REQUEST", "EMPTY_MESSAGE", "RECORD_TOO_LARGE"],
)
def test_a_malformed_request_is_one_plain_phrase(finnish: None, code: str) -> None:
    assert words.reason(code) == "pyyntö ei ollut kelvollinen"


def test_refusals_before_the_use_case_are_translated(finnish: None) -> None:
    assert (
        words.reason("ON_BEHALF_NOT_ALLOWED") == "organisaatio ei saa asioida kansalaisen puolesta"
    )
    assert words.reason("QUOTA_EXCEEDED") == "liian monta pyyntöä kerralla"
    assert words.action("rpc:ThreadService/PostMessage") == i18n.gettext_(
        "tried to use the service"
    )


def test_known_reasons_keep_their_own_words(finnish: None) -> None:
    assert words.reason("CONSENT_REQUIRED") == i18n.gettext_("no consent")
