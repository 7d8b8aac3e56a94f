"""Ready answers: a desk's stock replies in Finnish, Swedish and English.

The clerks of a desk's member organisations write them together and insert
one into a reply in the citizen's language. A change names the revision its
writer read, so that two clerks editing at once do not overwrite each other
unseen; a removed answer is kept, marked removed, and never changes again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from luukku.domain.caller import Practitioner
from luukku.domain.errors import ErrorCode, LuukkuError, failed_precondition, invalid_argument
from luukku.domain.text import one_line, storable_text

MAX_TITLE = 100
MAX_TEXT = 4000
MAX_PER_DESK = 500
LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class Wording:
    """What a ready answer says: its title, and its text in each language (empty: not
    written in that language)."""

    title: str
    text_fi: str = ""
    text_sv: str = ""
    text_en: str = ""

    def text(self, language: str) -> str:
        """The text in ``language`` (fi, sv or en); empty when not written in it."""
        return {"fi": self.text_fi, "sv": self.text_sv, "en": self.text_en}.get(language, "")


@dataclass(frozen=True)
class Change:
    """Who wrote, changed or removed a ready answer, and when."""

    org_id: str
    practitioner: Practitioner
    at: datetime


@dataclass(frozen=True)
class ReadyAnswer:
    """A desk's stock reply."""

    id: str
    desk_id: str
    wording: Wording
    revision: int
    """1 when written, one more at each change."""
    created: Change
    updated: Change
    """The newest change or the removal (the writing, until changed)."""
    deleted_at: datetime | None = None

    @property
    def removed(self) -> bool:
        """Whether it was removed from the desk's list."""
        return self.deleted_at is not None


def validate_wording(title: str, text_fi: str, text_sv: str, text_en: str) -> Wording:
    """A title of 1-100 characters on one line and texts of at most 4000 characters each,
    at least one of them written (each stripped)."""
    title = one_line(title, "title").strip()
    if not title or len(title) > MAX_TITLE:
        raise invalid_argument("INVALID_READY_ANSWER_TITLE", "title", f"1-{MAX_TITLE} characters")
    texts = []
    for language, text in zip(LANGUAGES, (text_fi, text_sv, text_en), strict=True):
        text = storable_text(text, f"text_{language}").strip()
        if len(text) > MAX_TEXT:
            raise invalid_argument(
                "INVALID_READY_ANSWER_TEXT", f"text_{language}", f"at most {MAX_TEXT} characters"
            )
        texts.append(text)
    if not any(texts):
        raise invalid_argument(
            "INVALID_READY_ANSWER_TEXT", "text_fi", "write the text in at least one language"
        )
    return Wording(title, *texts)


def check_change(answer: ReadyAnswer, read_revision: int, wording: Wording) -> bool:
    """Whether writing ``wording`` over ``answer``, as read at ``read_revision``, changes it.

    Writing what it already says is no change, whatever was read (a form sent twice);
    otherwise the writer must have read the newest revision, and a removed answer
    changes no more.
    """
    if answer.removed:
        raise failed_precondition("READY_ANSWER_REMOVED", "the ready answer has been removed")
    if wording == answer.wording:
        return False
    if read_revision != answer.revision:
        raise LuukkuError(
            ErrorCode.ABORTED,
            "READY_ANSWER_CHANGED",
            "a colleague changed the ready answer since it was read: read it again",
        )
    return True


def validate_revision(revision: int) -> int:
    """The revision a change was made on: 1 or more."""
    if revision < 1:
        raise invalid_argument("INVALID_REVISION", "revision", "the revision read, 1 or more")
    return revision
