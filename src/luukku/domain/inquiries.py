"""Inquiries to a shared desk: routing, claiming, hand-over, closing and reopening.

An inquiry waits in its desk's queue, offered first to the member on duty and
to every member once the desk's overflow time has passed. One clerk's
organisation claims it; the claimant may hand it over (back to the queue,
offered to another member or desk) with a note, and close it with an outcome;
the citizen may reopen it for a while. Its history (every step, who took it)
travels with it, so the next clerk reads what was said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from luukku.domain.caller import Practitioner
from luukku.domain.errors import LuukkuError, failed_precondition, invalid_argument
from luukku.domain.text import one_line, storable_text

MAX_MUNICIPALITY = 100
MAX_OUTCOME = 500
MAX_NOTE = 2000


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
    to_org_id: str | None = None
    to_desk_id: str | None = None


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

    def offered_to(self, org_id: str, now: datetime) -> bool:
        """Whether a member ``org_id`` may claim it now."""
        if self.status is not InquiryStatus.QUEUED:
            return False
        return self.offered_to_org_id in (None, org_id) or now >= self.overflow_at


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


def validate_note(value: str) -> str:
    """A hand-over note for the next clerk: 1-2000 characters."""
    value = storable_text(value, "note").strip()
    if not value or len(value) > MAX_NOTE:
        raise invalid_argument("INVALID_NOTE", "note", f"1-{MAX_NOTE} characters")
    return value


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
