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
class CallersChanged:
    """A certificate was revoked or an organisation suspended or activated (by the admin CLI)."""


Event = MessagePosted | ConsentGranted | ConsentRevoked | CallersChanged
