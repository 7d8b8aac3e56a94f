"""Audit events and their canonical form, hashed into the RFC 9162 Merkle tree."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from luukku.audit.merkle import leaf_hash
from luukku.domain.caller import Caller
from luukku.domain.events import AuditRecorded
from luukku.domain.pseudonyms import CitizenKeys

LEAF_CLEAR_IDS = 1
"""Leaf format 1 (events written before migration 0017): citizen ids in clear."""
LEAF_COMMITTED_IDS = 2
"""Leaf format 2: only a keyed commitment to each citizen id (domain/pseudonyms.py)."""


_LEAF_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
"""Compact JSON, sorted keys, no spaces: made once (``json.dumps`` with options makes one
per call, and ``luukku audit verify`` encodes every leaf of the log)."""


def _utc_text(time: datetime) -> str:
    """``time`` in UTC as ``2026-03-02T09:30:00.000000Z``: strftime's
    ``%Y-%m-%dT%H:%M:%S.%fZ``, made by the faster ``isoformat``."""
    utc = time.astimezone(UTC)
    if utc.year < 1000:  # strftime does not pad such a year to four digits; isoformat does
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


class Outcome(StrEnum):
    """Whether the access was allowed."""

    ALLOWED = "allowed"
    DENIED = "denied"


@dataclass(frozen=True)
class AuditEvent:
    """One access to a citizen's data: who, what, when, outcome and why."""

    event_id: str
    time: datetime
    org_id: str
    fingerprint: str
    practitioner_id: str
    practitioner_name: str
    practitioner_role: str
    acting_for_citizen_id: str | None
    action: str
    resource: str
    subject_citizen_id: str | None
    outcome: Outcome
    reason: str
    consent_id: str | None
    request_id: str
    citizen_token_hash: str | None = None
    """SHA-256 (hex) of the identity provider's token that proved the citizen acted for."""
    leaf_version: int = LEAF_COMMITTED_IDS
    """The leaf format the log holds this event in; new events are format 2."""

    def leaf_bytes(self, seq: int, keys: CitizenKeys | None = None) -> bytes:
        """The tree leaf of this event as number ``seq`` of the log (leaf index ``seq - 1``).

        Compact JSON (UTF-8, sorted keys, no spaces), times in UTC with
        microseconds; the sequence number is part of it, so moving an event
        changes its leaf. Format 1 names the citizens by their internal ids;
        format 2 (``"v": 2``) holds instead ``acting_for_citizen`` and
        ``subject_citizen``, commitments made with ``keys`` that link nobody.

        Raises:
            ValueError: a format 2 leaf without the keys.
        """
        fields: dict[str, object] = {
            "seq": seq,
            "event_id": self.event_id,
            "time": _utc_text(self.time),
            "org_id": self.org_id,
            "fingerprint": self.fingerprint,
            "practitioner": [self.practitioner_id, self.practitioner_name, self.practitioner_role],
            "acting_for_citizen_id": self.acting_for_citizen_id,
            "action": self.action,
            "resource": self.resource,
            "subject_citizen_id": self.subject_citizen_id,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "consent_id": self.consent_id,
            "request_id": self.request_id,
        }
        if self.citizen_token_hash is not None:
            # Only when there is one, so that the leaves of older events stay as they were.
            fields["citizen_token_hash"] = self.citizen_token_hash
        if self.leaf_version == LEAF_COMMITTED_IDS:
            if keys is None:
                raise ValueError("a format 2 audit leaf needs the broker's citizen keys")
            del fields["acting_for_citizen_id"], fields["subject_citizen_id"]
            fields["v"] = LEAF_COMMITTED_IDS
            fields["acting_for_citizen"] = keys.commitment(
                "acting_for", self.event_id, self.acting_for_citizen_id
            )
            fields["subject_citizen"] = keys.commitment(
                "subject", self.event_id, self.subject_citizen_id
            )
        elif self.leaf_version != LEAF_CLEAR_IDS:
            raise ValueError(f"unknown audit leaf format {self.leaf_version}")
        return _LEAF_JSON.encode(fields).encode("utf-8")

    def leaf_hash(self, seq: int, keys: CitizenKeys | None = None) -> bytes:
        """RFC 9162 leaf hash: SHA-256(0x00 || leaf bytes)."""
        return leaf_hash(self.leaf_bytes(seq, keys))


def event_for(
    caller: Caller,
    *,
    acting_for: str | None,
    action: str,
    resource: str,
    subject: str | None,
    allowed: bool,
    reason: str,
    consent_id: str | None,
    now: datetime,
) -> AuditEvent:
    """The audit event recording the outcome of ``caller``'s access."""
    return AuditEvent(
        event_id=uuid.uuid4().hex,
        time=now,
        org_id=caller.organization.id,
        fingerprint=caller.fingerprint,
        practitioner_id=caller.practitioner.id,
        practitioner_name=caller.practitioner.display_name,
        practitioner_role=caller.practitioner.role,
        acting_for_citizen_id=acting_for,
        action=action,
        resource=resource,
        subject_citizen_id=subject,
        outcome=Outcome.ALLOWED if allowed else Outcome.DENIED,
        reason=reason,
        consent_id=consent_id,
        request_id=caller.request_id,
        citizen_token_hash=caller.citizen_token_hash,
    )


def recorded(event: AuditEvent) -> AuditRecorded:
    """The live announcement of a committed ``event``: whom it concerns, by id only."""
    return AuditRecorded(event.org_id, event.subject_citizen_id, event.acting_for_citizen_id)
