"""Discussion threads on a case and their messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from luukku.domain.access import Actor
from luukku.domain.caller import Practitioner
from luukku.domain.errors import invalid_argument
from luukku.domain.text import one_line, storable_text

MAX_SUBJECT = 200
MAX_BODY_BYTES = 8192


@dataclass(frozen=True)
class Thread:
    """A discussion on a case."""

    id: str
    case_id: str
    subject: str
    created_by_org_id: str
    created_at: datetime
    last_seq: int


@dataclass(frozen=True)
class Message:
    """One message of a conversation (a thread on a case, or an inquiry to a desk);
    ``seq`` numbers a conversation's messages 1, 2, 3… without gaps."""

    conversation_id: str
    """The thread's id, or the inquiry's."""
    seq: int
    author_org_id: str
    author: Practitioner
    author_citizen_id: str | None
    body: str
    corrects_seq: int | None
    created_at: datetime


CITIZEN_KEY = "citizen:"
"""How a citizen's participant key begins; the rest is the citizen's opaque id."""


def participant_key(actor: Actor) -> str:
    """Whose read receipt: the citizen's own, or the organisation's."""
    return f"{CITIZEN_KEY}{actor.citizen_id}" if actor.citizen_id else f"org:{actor.org_id}"


def validate_subject(subject: str) -> str:
    """A stripped subject of 1-200 characters."""
    subject = one_line(subject, "subject").strip()
    if not subject or len(subject) > MAX_SUBJECT:
        raise invalid_argument("INVALID_SUBJECT", "subject", f"1-{MAX_SUBJECT} characters")
    return subject


def validate_body(body: str) -> str:
    """A message body: not blank, at most 8 KiB of UTF-8."""
    if not storable_text(body, "body").strip():
        raise invalid_argument("EMPTY_MESSAGE", "body", "must not be empty")
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        raise invalid_argument("MESSAGE_TOO_LARGE", "body", f"at most {MAX_BODY_BYTES} bytes")
    return body
