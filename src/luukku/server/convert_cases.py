"""Conversions for cases, records, consents and audit events."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format, struct_pb2

from luukku.audit.events import Outcome
from luukku.domain.cases import Case, CaseStatus, Record, ServiceCategory
from luukku.domain.consents import Consent, ConsentState, Permission
from luukku.domain.errors import invalid_argument
from luukku.server.convert import practitioner, timestamp
from luukku.store.audit import StoredEvent
from luukku.v1 import audit_pb2, cases_pb2, consents_pb2
from luukku.v1 import directory_pb2 as directory


def category(value: ServiceCategory) -> Any:
    """The proto enum number of a service category."""
    return cases_pb2.ServiceCategory.Value(f"SERVICE_CATEGORY_{value.name}")


def category_from(number: int, field: str, *, required: bool) -> ServiceCategory | None:
    """A service category from its proto enum number (0: none, or error if required)."""
    if number == 0:
        if required:
            raise invalid_argument("MISSING_FIELD", field, "required")
        return None
    try:
        name = cases_pb2.ServiceCategory.Name(number)
    except ValueError as exc:
        raise invalid_argument("INVALID_CATEGORY", field, "unknown service category") from exc
    return ServiceCategory[name.removeprefix("SERVICE_CATEGORY_")]


def case(c: Case) -> cases_pb2.Case:
    """The protobuf form of a case."""
    msg = cases_pb2.Case(
        id=c.id,
        citizen_id=c.citizen_id,
        title=c.title,
        category=category(c.category),
        owner_organization_id=c.owner_org_id,
        status=cases_pb2.CASE_STATUS_OPEN
        if c.status is CaseStatus.OPEN
        else cases_pb2.CASE_STATUS_CLOSED,
        create_time=timestamp(c.created_at),
    )
    if c.closed_at is not None:
        msg.close_time.CopyFrom(timestamp(c.closed_at))
    return msg


def data_from(msg: Any) -> dict[str, Any] | None:
    """The structured content of a request, if it has any."""
    if not msg.HasField("data"):
        return None
    return json_format.MessageToDict(msg.data)


def record(r: Record) -> cases_pb2.Record:
    """The protobuf form of a record revision."""
    msg = cases_pb2.Record(
        case_id=r.case_id,
        record_id=r.record_id,
        revision=r.revision,
        kind=r.kind,
        text=r.text,
        author_organization_id=r.author_org_id,
        author=practitioner(r.author),
        create_time=timestamp(r.created_at),
    )
    if r.data is not None:
        data = struct_pb2.Struct()
        data.update(r.data)
        msg.data.CopyFrom(data)
    return msg


def permission_from(number: int) -> Permission:
    """A permission from its proto enum number."""
    names = {
        consents_pb2.CONSENT_PERMISSION_READ_RECORDS: Permission.READ,
        consents_pb2.CONSENT_PERMISSION_WRITE_RECORDS: Permission.WRITE,
        consents_pb2.CONSENT_PERMISSION_DISCUSS: Permission.DISCUSS,
    }
    if number not in names:
        raise invalid_argument("INVALID_PERMISSION", "permissions", "unknown permission")
    return names[number]  # type: ignore[index]


_PERMISSION = {
    Permission.READ: consents_pb2.CONSENT_PERMISSION_READ_RECORDS,
    Permission.WRITE: consents_pb2.CONSENT_PERMISSION_WRITE_RECORDS,
    Permission.DISCUSS: consents_pb2.CONSENT_PERMISSION_DISCUSS,
}

_STATE = {
    ConsentState.PENDING: consents_pb2.CONSENT_STATE_PENDING,
    ConsentState.ACTIVE: consents_pb2.CONSENT_STATE_ACTIVE,
    ConsentState.REVOKED: consents_pb2.CONSENT_STATE_REVOKED,
    ConsentState.EXPIRED: consents_pb2.CONSENT_STATE_EXPIRED,
}


def state_from(number: int) -> ConsentState | None:
    """A consent state filter from its proto enum number (0: no filter)."""
    for state, value in _STATE.items():
        if value == number:
            return state
    if number:
        raise invalid_argument("INVALID_STATE", "state", "unknown consent state")
    return None


def consent(c: Consent, now: Any) -> consents_pb2.Consent:
    """The protobuf form of a consent, with its state as of ``now``."""
    msg = consents_pb2.Consent(
        id=c.id,
        citizen_id=c.citizen_id,
        organization_id=c.org_id,
        permissions=sorted(_PERMISSION[p] for p in c.permissions),
        purpose=c.purpose,
        valid_from=timestamp(c.valid_from),
        valid_until=timestamp(c.valid_until),
        state=_STATE[c.state_at(now)],
        revision=c.revision,
        create_time=timestamp(c.created_at),
    )
    if c.case_id is not None:
        msg.case_id = c.case_id
    elif c.category is not None:
        msg.category = category(c.category)
    if c.revoked_at is not None:
        msg.revoke_time.CopyFrom(timestamp(c.revoked_at))
    return msg


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
