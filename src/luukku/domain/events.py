"""What happened, for whoever listens live: emitted by use cases, delivered after commit.

Events carry ids and committed values only. The fan-out turns them into
deliveries to open watch streams (and, across replicas, would carry their ids).
"""

from __future__ import annotations

from dataclasses import dataclass

from luukku.domain.threads import Message


@dataclass(frozen=True)
class MessagePosted:
    """A message was committed to a thread."""

    message: Message


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


Event = MessagePosted | ConsentGranted | ConsentRevoked | AuditRecorded | CallersChanged
