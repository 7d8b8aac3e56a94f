"""Audit events and their canonical form, hashed into the RFC 9162 Merkle tree."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from json.encoder import encode_basestring as _text

from luukku.audit.merkle import leaf_hash
from luukku.domain.caller import Caller
from luukku.domain.events import AuditRecorded
from luukku.domain.pseudonyms import CitizenKeys

LEAF_CLEAR_IDS = 1
"""Leaf format 1 (events written before migration 0017): citizen ids in clear."""
LEAF_COMMITTED_IDS = 2
"""Leaf format 2: only a keyed commitment to each citizen id (domain/pseudonyms.py)."""


LeafFields = tuple[
    str,
    str,
    str,
    str,
    str,
    str,
    str,
    str | None,
    str,
    str,
    str | None,
    str,
    str,
    str | None,
    str,
    str | None,
    int,
]
"""An event's fields in the order ``AuditEvent`` takes them (the columns of ``audit_events``
in that order too), with its time as ``utc_text`` writes it and its outcome as text."""


def leaf_of(seq: int, fields: LeafFields, keys: CitizenKeys | None = None) -> bytes:
    """The tree leaf of the event of ``fields`` as number ``seq`` of the log (leaf index
    ``seq - 1``): its canonical form, which the leaf hash covers.

    Compact JSON (UTF-8, sorted keys, no spaces, no ASCII escapes: what
    ``json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
    writes), times in UTC with microseconds; the sequence number is part of
    it, so moving an event changes its leaf. Format 1 names the citizens by
    their internal ids; format 2 (``"v": 2``) holds instead ``acting_for_citizen``
    and ``subject_citizen``, commitments made with ``keys`` that link nobody.
    ``citizen_token_hash`` is there only when there is one, so that the leaves
    of older events stay as they were.

    Written out key by key in sorted order rather than through a dictionary and
    the JSON encoder: ``luukku audit verify`` makes every leaf of the log, and
    this is a third of the time. Every string goes through the encoder's own
    escaping (``encode_basestring``); tests/unit/test_audit_leaf_form.py holds it
    to ``json.dumps`` of the same fields.

    Raises:
        ValueError: a format 2 leaf without the keys, or an unknown format.
    """
    (
        event_id,
        time,
        org_id,
        fingerprint,
        practitioner_id,
        practitioner_name,
        practitioner_role,
        acting_for,
        action,
        resource,
        subject,
        outcome,
        reason,
        consent_id,
        request_id,
        token_hash,
        version,
    ) = fields
    token = "" if token_hash is None else f',"citizen_token_hash":{_text(token_hash)}'
    middle = (
        f'"action":{_text(action)}{token},'
        f'"consent_id":{"null" if consent_id is None else _text(consent_id)},'
        f'"event_id":{_text(event_id)},"fingerprint":{_text(fingerprint)},'
        f'"org_id":{_text(org_id)},"outcome":{_text(outcome)},'
        f'"practitioner":[{_text(practitioner_id)},{_text(practitioner_name)},'
        f'{_text(practitioner_role)}],"reason":{_text(reason)},'
        f'"request_id":{_text(request_id)},"resource":{_text(resource)},"seq":{int(seq)},'
    )
    if version == LEAF_COMMITTED_IDS:
        if keys is None:
            raise ValueError("a format 2 audit leaf needs the broker's citizen keys")
        # Commitments are hex digits: nothing in them to escape.
        acting_for_commitment = keys.commitment("acting_for", event_id, acting_for)
        subject_commitment = keys.commitment("subject", event_id, subject)
        text = (
            f'{{"acting_for_citizen":"{acting_for_commitment}",{middle}'
            f'"subject_citizen":"{subject_commitment}","time":{_text(time)},"v":2}}'
        )
    elif version == LEAF_CLEAR_IDS:
        text = (
            f'{{"acting_for_citizen_id":{"null" if acting_for is None else _text(acting_for)},'
            f'{middle}"subject_citizen_id":{"null" if subject is None else _text(subject)},'
            f'"time":{_text(time)}}}'
        )
    else:
        raise ValueError(f"unknown audit leaf format {version}")
    return text.encode("utf-8")


def utc_text(time: datetime) -> str:
    """``time`` in UTC as ``2026-03-02T09:30:00.000000Z``: strftime's
    ``%Y-%m-%dT%H:%M:%S.%fZ``, made by the faster ``isoformat`` (PostgreSQL's
    ``to_char(time AT TIME ZONE 'UTC', 'FMYYYY-MM-DD"T"HH24:MI:SS.US"Z"')``)."""
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
        """The tree leaf of this event as number ``seq`` of the log (see ``leaf_of``).

        Raises:
            ValueError: a format 2 leaf without the keys.
        """
        return leaf_of(seq, self.leaf_fields(), keys)

    def leaf_fields(self) -> LeafFields:
        """What the leaf is made of, as ``leaf_of`` takes it."""
        return (
            self.event_id,
            utc_text(self.time),
            self.org_id,
            self.fingerprint,
            self.practitioner_id,
            self.practitioner_name,
            self.practitioner_role,
            self.acting_for_citizen_id,
            self.action,
            self.resource,
            self.subject_citizen_id,
            self.outcome.value,
            self.reason,
            self.consent_id,
            self.request_id,
            self.citizen_token_hash,
            self.leaf_version,
        )

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
