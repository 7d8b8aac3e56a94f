"""Conversions between representation rights, orders and capacity and their protobuf messages.

Each proto enum's names are the domain enum's names behind a prefix
(``REPRESENTATION_KIND_GUARDIAN_OF_MINOR`` is ``Kind.GUARDIAN_OF_MINOR``), so
one pair of functions converts them all.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

from luukku.domain.errors import invalid_argument
from luukku.domain.pseudonyms import CitizenView
from luukku.domain.representation.blockers import Blocker, BlockerKind, Capacity, CapacityDecision
from luukku.domain.representation.rights import Kind, MandateCode, Source
from luukku.domain.representation.state import State
from luukku.server.api.convert.common import from_timestamp, timestamp
from luukku.service.representation.views import RightView
from luukku.v1 import representation_pb2 as pb

E = TypeVar("E", bound=Enum)

_PREFIX: dict[type[Enum], tuple[Any, str]] = {
    Kind: (pb.RepresentationKind, "REPRESENTATION_KIND_"),
    Source: (pb.RepresentationSource, "REPRESENTATION_SOURCE_"),
    MandateCode: (pb.MandateCode, "MANDATE_CODE_"),
    State: (pb.RepresentationState, "REPRESENTATION_STATE_"),
    BlockerKind: (pb.RepresentationBlockerKind, "REPRESENTATION_BLOCKER_KIND_"),
    Capacity: (pb.MinorCapacity, "MINOR_CAPACITY_"),
}


def number(member: Enum) -> int:
    """The proto enum number of a domain enum member."""
    enum_type, prefix = _PREFIX[type(member)]
    return int(enum_type.Value(prefix + member.name))


def member_from(kind: type[E], value: int, field: str) -> E | None:
    """The domain member for a request's enum number (0: None); unknown: INVALID_ARGUMENT."""
    if value == 0:
        return None
    enum_type, prefix = _PREFIX[kind]
    try:
        return kind[str(enum_type.Name(value)).removeprefix(prefix)]
    except (ValueError, KeyError):
        raise invalid_argument("INVALID_ENUM_VALUE", field, "unknown value") from None


def codes_from(values: Any, field: str = "codes") -> frozenset[MandateCode]:
    """The mandate codes of a request; an unspecified or unknown one: INVALID_ARGUMENT."""
    codes = set()
    for value in values:
        code = member_from(MandateCode, value, field)
        if code is None:
            raise invalid_argument("INVALID_ENUM_VALUE", field, "unspecified mandate code")
        codes.add(code)
    return frozenset(codes)


def optional_time(request: Any, field: str) -> datetime | None:
    """A request's Timestamp field, or None when unset."""
    return from_timestamp(getattr(request, field), field) if request.HasField(field) else None


def right(v: RightView, seen: CitizenView) -> pb.RepresentationRight:
    """The protobuf form of a right as shown; its people as ``seen`` by the caller."""
    r = v.right
    msg = pb.RepresentationRight(
        id=r.id,
        kind=number(r.kind),  # type: ignore[arg-type]
        representative_citizen_id=seen(r.representative_id),
        representative_name=v.representative_name,
        represented_citizen_id=seen(r.represented_id),
        represented_name=v.represented_name,
        represented_birth_date=r.represented_birth_date.isoformat()
        if r.represented_birth_date
        else "",
        codes=[number(c) for c in MandateCode if c in r.codes],  # type: ignore[misc]
        valid_from=timestamp(r.valid_from),
        source=number(r.source),  # type: ignore[arg-type]
        state=number(v.state),  # type: ignore[arg-type]
    )
    for field, value in (
        ("valid_until", r.valid_until),
        ("accept_time", r.accepted_at),
        ("end_time", r.ended_at),
        ("create_time", r.created_at),
    ):
        if value is not None:
            getattr(msg, field).CopyFrom(timestamp(value))
    return msg


def blocker(b: Blocker, seen: CitizenView) -> pb.RepresentationBlocker:
    """The protobuf form of an order; its person as ``seen`` by the caller."""
    msg = pb.RepresentationBlocker(
        id=b.id,
        kind=number(b.kind),  # type: ignore[arg-type]
        represented_citizen_id=seen(b.represented_id),
        valid_from=timestamp(b.valid_from),
    )
    if b.lifted_at is not None:
        msg.lift_time.CopyFrom(timestamp(b.lifted_at))
    return msg


def capacity(d: CapacityDecision) -> pb.JudgeMinorCapacityResponse:
    """The protobuf answer to a capacity judgement."""
    return pb.JudgeMinorCapacityResponse(
        case_id=d.case_id,
        capacity=number(d.capacity),  # type: ignore[arg-type]
        decide_time=timestamp(d.decided_at),
    )
