"""Conversions of audit events, their counts and the outcome filter to and from protobuf."""

from __future__ import annotations

from luukku.audit.events import Outcome
from luukku.domain.errors import invalid_argument
from luukku.domain.pseudonyms import CitizenView
from luukku.server.api.convert.common import timestamp
from luukku.service.audit.reading import REDACTED, AccessCount
from luukku.store.audit.log import StoredEvent
from luukku.v1 import audit_pb2
from luukku.v1 import directory_pb2 as directory

_OUTCOME = {
    Outcome.ALLOWED: audit_pb2.AUDIT_OUTCOME_ALLOWED,
    Outcome.DENIED: audit_pb2.AUDIT_OUTCOME_DENIED,
}


def outcome_from(number: int) -> Outcome | None:
    """An outcome filter from its proto enum number (0: no filter)."""
    for outcome, value in _OUTCOME.items():
        if value == number:
            return outcome
    if number:
        raise invalid_argument("INVALID_OUTCOME", "outcome", "unknown audit outcome")
    return None


def access_count(count: AccessCount) -> audit_pb2.OrganizationAccessCount:
    """The protobuf form of one organisation's counts."""
    return audit_pb2.OrganizationAccessCount(
        organization_id=count.org_id, allowed=count.allowed, denied=count.denied
    )


def audit_event(stored: StoredEvent, seen: CitizenView) -> audit_pb2.AuditEvent:
    """The protobuf form of an audit event as its viewer may see it (``shown_to``), each
    citizen as ``seen`` shows them.
    """
    e = stored.event

    def citizen(citizen_id: str | None) -> str:
        return REDACTED if citizen_id == REDACTED else seen(citizen_id)

    return audit_pb2.AuditEvent(
        sequence=stored.seq,
        id=e.event_id,
        time=timestamp(e.time),
        organization_id=e.org_id,
        certificate_fingerprint=e.fingerprint,
        practitioner=directory.Practitioner(
            id=e.practitioner_id, display_name=e.practitioner_name, role=e.practitioner_role
        ),
        acting_for_citizen_id=citizen(e.acting_for_citizen_id),
        action=e.action,
        resource=e.resource,
        subject_citizen_id=citizen(e.subject_citizen_id),
        outcome=_OUTCOME[e.outcome],
        reason=e.reason,
        consent_id=e.consent_id or "",
        request_id=e.request_id,
        leaf_hash=stored.leaf_hash,
        leaf_bytes=stored.leaf_bytes(),
        leaf_index=stored.seq - 1,
        representative_name=stored.representative_name,
    )
