"""Who is asking: an identified inquiry's citizen as the clerks handling it see them.

The name is the one the citizen's identity provider gave, passed by the portal
when they ask; the broker keeps the newest with the citizen. Only an
organisation handling the inquiry (holding it, or having closed it) or holding
a case of the citizen reads it, with the citizen's other open inquiries with
that organisation, so that nobody asks them to start over.

Whether the citizen wrote since a clerk last answered is kept per inquiry and
shown in the desk's queue: the ball is in the desk's court again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from luukku.domain.desks.inquiries import Inquiry
from luukku.domain.errors import invalid_argument
from luukku.domain.representation.rights import Kind
from luukku.domain.text import one_line

MAX_CITIZEN_NAME = 200
MAX_OTHER_OPEN = 20
"""The citizen's other open inquiries an asker lists at most (the oldest)."""


@dataclass(frozen=True)
class Asker:
    """An identified inquiry's citizen, as the organisation handling it sees them."""

    inquiry_id: str
    citizen_id: str
    display_name: str
    """As their identity provider gave it; "" when none was given."""
    other_open: Sequence[Inquiry]
    """Their other open inquiries with the organisation, oldest first (at most MAX_OTHER_OPEN)."""
    representative_name: str = ""
    """Who asked for them under a representation right ("" when they asked themselves)."""
    representation_kind: Kind | None = None
    """The kind of that right."""


def validate_citizen_name(value: str, field: str = "citizen_name") -> str:
    """A citizen's name for an inquiry: optional, one line, at most 200 characters."""
    value = one_line(value, field).strip()
    if len(value) > MAX_CITIZEN_NAME:
        raise invalid_argument(
            "INVALID_CITIZEN_NAME", field, f"at most {MAX_CITIZEN_NAME} characters"
        )
    return value


def wrote_since_answer(was: bool, *, by_citizen: bool, answered_before: bool) -> bool:
    """Whether the citizen has written since a clerk last answered, after a new message.

    A clerk's message answers; the citizen's counts only once a clerk has answered
    (their first question, and what they add before any answer, is not a reply).
    """
    if not by_citizen:
        return False
    return was or answered_before
