"""What happened, for whoever listens live: emitted by use cases, delivered after commit.

Events carry ids and committed values only. The fan-out turns them into
deliveries to open watch streams (and, across replicas, would carry their ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from luukku.domain.threads import Message


@dataclass(frozen=True)
class MessagePosted:
    """A message was committed to a thread."""

    message: Message


@dataclass(frozen=True)
class ReadMarked:
    """A participant of a thread moved its read receipt forward.

    Who, by id: the organisation that called (the portal's id when the
    citizen did) and, when the citizen did, the citizen's opaque id.
    """

    thread_id: str
    org_id: str
    citizen_id: str | None
    seq: int
    marked_at: datetime


@dataclass(frozen=True)
class ConsentGranted:
    """A citizen granted a consent."""

    citizen_id: str
    consent_id: str


@dataclass(frozen=True)
class ConsentRevoked:
    """A citizen revoked a consent: watches it allowed must check their access again."""

    citizen_id: str
    consent_id: str


@dataclass(frozen=True)
class RepresentationChanged:
    """A representation right over ``represented_id`` was ended, an order on them recorded or
    lifted, or a minor's capacity judged: watches a right allowed must check it again."""

    represented_id: str


@dataclass(frozen=True)
class AuditRecorded:
    """An audit event was committed: audit watches of the parties it concerns read the log.

    Who it concerns, by id: the organisation that made the call, the citizen
    whose data it was about and the citizen a portal acted for (if known).
    """

    org_id: str
    subject_citizen_id: str | None
    acting_for_citizen_id: str | None


@dataclass(frozen=True)
class CallersChanged:
    """A certificate was revoked or an organisation suspended or activated (by the admin CLI)."""


@dataclass(frozen=True)
class QueueChanged:
    """A desk's queue log has a new entry: queue watches of that desk read on."""

    desk_id: str

    @property
    def wake_key(self) -> str:
        """The key the desk's queue watches subscribe under."""
        return f"desk:{self.desk_id}"


@dataclass(frozen=True)
class InquiryChanged:
    """An inquiry has a new message or step: watches of its conversation read on."""

    inquiry_id: str

    @property
    def wake_key(self) -> str:
        """The key the inquiry's watches subscribe under."""
        return f"inquiry:{self.inquiry_id}"


Event = (
    MessagePosted
    | ReadMarked
    | ConsentGranted
    | ConsentRevoked
    | RepresentationChanged
    | AuditRecorded
    | CallersChanged
    | QueueChanged
    | InquiryChanged
)
