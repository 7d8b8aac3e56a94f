"""Conversions between domain values and protobuf messages shared by the servicers."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from luukku.domain.caller import Practitioner
from luukku.domain.errors import invalid_argument
from luukku.domain.organizations import Organization, OrgKind, OrgStatus
from luukku.v1 import directory_pb2 as pb

_KIND = {
    OrgKind.PUBLIC: pb.ORGANIZATION_KIND_PUBLIC,
    OrgKind.PRIVATE: pb.ORGANIZATION_KIND_PRIVATE,
    OrgKind.PORTAL: pb.ORGANIZATION_KIND_PORTAL,
}
_STATUS = {
    OrgStatus.ACTIVE: pb.ORGANIZATION_STATUS_ACTIVE,
    OrgStatus.SUSPENDED: pb.ORGANIZATION_STATUS_SUSPENDED,
}


def timestamp(value: datetime) -> Timestamp:
    """A protobuf Timestamp for an aware datetime."""
    ts = Timestamp()
    ts.FromDatetime(value.astimezone(UTC))
    return ts


# What a Timestamp may hold (its own definition): 0001-01-01 to 9999-12-31, UTC.
_MIN_SECONDS = -62_135_596_800
_MAX_SECONDS = 253_402_300_799


def from_timestamp(ts: Timestamp, field: str) -> datetime:
    """An aware UTC datetime for a request's Timestamp; INVALID_ARGUMENT when out of range."""
    if not _MIN_SECONDS <= ts.seconds <= _MAX_SECONDS or not 0 <= ts.nanos < 1_000_000_000:
        raise invalid_argument(
            "INVALID_TIMESTAMP", field, "must lie between 0001-01-01 and 9999-12-31 (UTC)"
        )
    return ts.ToDatetime(tzinfo=UTC)


def organization(org: Organization) -> pb.Organization:
    """The protobuf form of an organisation."""
    return pb.Organization(
        id=org.id,
        name=org.name,
        business_id=org.business_id,
        kind=_KIND[org.kind],
        status=_STATUS[org.status],
        create_time=timestamp(org.created_at),
    )


def practitioner(p: Practitioner) -> pb.Practitioner:
    """The protobuf form of a practitioner."""
    return pb.Practitioner(id=p.id, display_name=p.display_name, role=p.role)
