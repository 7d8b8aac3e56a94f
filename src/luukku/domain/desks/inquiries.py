"""Inquiries to a shared desk: routing, claiming, hand-over, closing and reopening.

An inquiry waits in its desk's queue, offered first to the member on duty and
to every member once the desk's overflow time has passed. One clerk's
organisation claims it; the claimant may hand it over (back to the queue,
offered to another member or desk) with a note, and close it with an outcome;
the citizen may reopen it for a while. Its history (every step, who took it)
travels with it, so the next clerk reads what was said.

Notes are internal unless written for the citizen: a hand-over's note and a
closing's outcome are for the desk's members; the clerk may add a public note,
which is all the citizen is told besides what happened (see ``for_citizen``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from luukku.domain.caller import Practitioner
from luukku.domain.errors import LuukkuError, failed_precondition, invalid_argument
from luukku.domain.text import one_line, storable_text

MAX_MUNICIPALITY = 100
MAX_OUTCOME = 500
MAX_NOTE = 2000
MAX_PUBLIC_NOTE = 500
LANGUAGES = ("fi", "sv", "en")


class Channel(StrEnum):
    """How the inquiry came in."""

    WEB = "web"
    CHAT = "chat"
    PHONE = "phone"
    VISIT = "visit"
    LETTER = "letter"


class InquiryStatus(StrEnum):
    """Where an inquiry stands."""

    QUEUED = "queued"
    CLAIMED = "claimed"
    CLOSED = "closed"


class StepKind(StrEnum):
    """What happened to an inquiry."""

    ASKED = "asked"
    CLAIMED = "claimed"
    HANDED_OVER = "handed_over"
    CLOSED = "closed"
    REOPENED = "reopened"
    CASE_LINKED = "case_linked"


@dataclass(frozen=True)
class Step:
    """One step of an inquiry's history, and who took it."""

    seq: int
    kind: StepKind
    org_id: str
    practitioner: Practitioner
    at: datetime
    note: str = ""
    """Internal to the desk's members: a hand-over's note, a closing's outcome."""
    to_org_id: str | None = None
    to_desk_id: str | None = None
    public_note: str = ""
    """What the clerk wrote for the citizen (empty: nothing)."""


@dataclass(frozen=True)
class Inquiry:
    """A question to a desk; ``citizen_id`` None for an anonymous one."""

    id: str
    desk_id: str
    citizen_id: str | None
    channel: Channel
    topic: str
    municipality: str
    subject: str
    status: InquiryStatus
    offered_to_org_id: str | None
    """Who is offered it first (None: every member)."""
    overflow_at: datetime
    """From then on every member of the desk is offered it."""
    claimed_by_org_id: str | None
    outcome: str
    case_id: str | None
    created_by_org_id: str
    created_at: datetime
    closed_at: datetime | None
    last_seq: int
    """Sequence number of the newest message of its conversation (0: none)."""
    claimant: Practitioner | None = None
    """The practitioner who holds it (claimed it) or closed it; None while queued."""
    language: str = ""
    """The language the citizen asked in (fi, sv or en); empty when not known."""
    citizen_wrote_since_answer: bool = False
    """The citizen wrote after a clerk's answer, and no clerk has written since."""

    def offered_to(self, org_id: str, now: datetime) -> bool:
        """Whether a member ``org_id`` may claim it now."""
        if self.status is not InquiryStatus.QUEUED:
            return False
        return self.offered_to_org_id in (None, org_id) or now >= self.overflow_at


def validate_language(value: str) -> str:
    """The language an inquiry is asked in: fi, sv, en, or empty (not known)."""
    if value not in ("", *LANGUAGES):
        raise invalid_argument("INVALID_LANGUAGE", "language", "fi, sv, en or empty")
    return value


def validate_municipality(value: str) -> str:
    """An optional municipality name, one line, at most 100 characters."""
    value = one_line(value, "municipality").strip()
    if len(value) > MAX_MUNICIPALITY:
        raise invalid_argument(
            "INVALID_MUNICIPALITY", "municipality", f"at most {MAX_MUNICIPALITY} characters"
        )
    return value


def validate_outcome(value: str) -> str:
    """How an inquiry was resolved: 1-500 characters on one line."""
    value = one_line(value, "outcome").strip()
    if not value or len(value) > MAX_OUTCOME:
        raise invalid_argument("INVALID_INQUIRY_OUTCOME", "outcome", f"1-{MAX_OUTCOME} characters")
    return value


def validate_note(value: str, field: str = "note") -> str:
    """A note for the desk's members (a hand-over's, or an internal note): 1-2000 characters."""
    value = storable_text(value, field).strip()
    if not value or len(value) > MAX_NOTE:
        raise invalid_argument("INVALID_NOTE", field, f"1-{MAX_NOTE} characters")
    return value


def validate_public_note(value: str) -> str:
    """An optional note for the citizen: at most 500 characters."""
    value = storable_text(value, "public_note").strip()
    if len(value) > MAX_PUBLIC_NOTE:
        raise invalid_argument(
            "INVALID_NOTE", "public_note", f"at most {MAX_PUBLIC_NOTE} characters"
        )
    return value


def for_citizen(inquiry: Inquiry, steps: Sequence[Step]) -> tuple[Inquiry, tuple[Step, ...]]:
    """The inquiry and its history as its citizen may see them: without the internal
    notes (a hand-over's note, the closing outcome), with the public notes."""
    return replace(inquiry, outcome=""), tuple(replace(s, note="") for s in steps)


def not_open(inquiry: Inquiry) -> LuukkuError | None:
    """The refusal for acting on a closed inquiry, if it is closed."""
    if inquiry.status is InquiryStatus.CLOSED:
        return failed_precondition("INQUIRY_CLOSED", "the inquiry is closed")
    return None


def claimed_by(inquiry: Inquiry, org_id: str) -> None:
    """Refuse unless ``org_id`` holds the claim of this open inquiry."""
    closed = not_open(inquiry)
    if closed is not None:
        raise closed
    if inquiry.claimed_by_org_id != org_id:
        raise failed_precondition(
            "NOT_CLAIMANT", "only the organisation that claimed the inquiry may do this"
        )
