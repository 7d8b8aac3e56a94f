"""Conversions between cases, records and their protobuf messages."""

from __future__ import annotations

from typing import Any

from google.protobuf import struct_pb2

from luukku.domain.access import CaseAccess
from luukku.domain.cases import MAX_DATA_BYTES, Case, CaseStatus, Record, ServiceCategory
from luukku.domain.consents import Permission
from luukku.domain.errors import invalid_argument
from luukku.domain.pseudonyms import CitizenView
from luukku.server.api.convert.common import practitioner, timestamp
from luukku.server.api.convert.struct import struct_data
from luukku.v1 import cases_pb2


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


def case_access(a: CaseAccess) -> cases_pb2.CaseAccess:
    """The protobuf form of what a caller may do with a case."""
    return cases_pb2.CaseAccess(
        owner=a.owner,
        may_read=Permission.READ in a.permissions,
        may_write_records=Permission.WRITE in a.permissions,
        may_discuss=Permission.DISCUSS in a.permissions,
        consent_ids=a.consent_ids,
    )


def case(c: Case, seen: CitizenView) -> cases_pb2.Case:
    """The protobuf form of a case; its citizen as ``seen`` shows them."""
    msg = cases_pb2.Case(
        id=c.id,
        citizen_id=seen(c.citizen_id),
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
    """The structured content of a request, if it has any, checked before it is converted.

    The size is checked on the parsed message first, in C, so an oversized
    Struct costs the event loop microseconds, not a walk over every field.
    """
    if not msg.HasField("data"):
        return None
    if msg.data.ByteSize() > MAX_DATA_BYTES:
        raise invalid_argument("RECORD_TOO_LARGE", "data", f"at most {MAX_DATA_BYTES} bytes")
    return struct_data(msg.data)


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
