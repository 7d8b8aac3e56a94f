"""Conversions between domain values and protobuf messages shared by the servicers."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from luukku.domain.caller import Practitioner
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


def from_timestamp(ts: Timestamp) -> datetime:
    """An aware UTC datetime for a protobuf Timestamp."""
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
