"""Conversion of stored audit events to their protobuf messages."""

from __future__ import annotations

from luukku.audit.events import Outcome
from luukku.server.convert import timestamp
from luukku.store.audit import StoredEvent
from luukku.v1 import audit_pb2
from luukku.v1 import directory_pb2 as directory


def audit_event(stored: StoredEvent) -> audit_pb2.AuditEvent:
    """The protobuf form of a stored audit event."""
    e = stored.event
    return audit_pb2.AuditEvent(
        sequence=stored.seq,
        id=e.event_id,
        time=timestamp(e.time),
        organization_id=e.org_id,
        certificate_fingerprint=e.fingerprint,
        practitioner=directory.Practitioner(
            id=e.practitioner_id, display_name=e.practitioner_name, role=e.practitioner_role
        ),
        acting_for_citizen_id=e.acting_for_citizen_id or "",
        action=e.action,
        resource=e.resource,
        subject_citizen_id=e.subject_citizen_id or "",
        outcome=audit_pb2.AUDIT_OUTCOME_ALLOWED
        if e.outcome is Outcome.ALLOWED
        else audit_pb2.AUDIT_OUTCOME_DENIED,
        reason=e.reason,
        consent_id=e.consent_id or "",
        request_id=e.request_id,
        leaf_hash=stored.leaf_hash,
    )
