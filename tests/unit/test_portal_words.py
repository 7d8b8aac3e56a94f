"""The access log's words: every reason a citizen can meet is said in their language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import luukku.service
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


# Actions audited about nobody (a checkpoint, a consistency proof, a desk's queue): a
# citizen never meets them in their access log.
# Audited under no citizen: a citizen's access log never shows them.
ABOUT_NOBODY = {
    "audit.checkpoint",
    "audit.consistency",
    "desk.queue.watch",
    "desk.figures.get",
    "ready_answer.create",
    "ready_answer.delete",
    "ready_answer.list",
    "ready_answer.read",
    "ready_answer.update",
}


def test_every_action_the_broker_audits_about_a_citizen_has_words() -> None:
    source = Path(luukku.service.__file__).parents[1]
    audited = {
        action
        for module in source.rglob("*.py")
        for action in re.findall(r'action=f?"([a-z_]+\.[a-z_.]+)"', module.read_text())
    }
    assert audited > ABOUT_NOBODY
    assert sorted(audited - ABOUT_NOBODY - words.ACTIONS.keys()) == []
