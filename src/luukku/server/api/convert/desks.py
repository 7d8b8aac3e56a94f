"""Conversions between desks, inquiries and their protobuf messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from luukku.domain.desks.askers import Asker
from luukku.domain.desks.desks import Desk
from luukku.domain.desks.inquiries import Channel, InquiryStatus, Step
from luukku.domain.errors import invalid_argument
from luukku.domain.pseudonyms import CitizenView
from luukku.domain.representation.rights import Kind
from luukku.server.api.convert.common import practitioner, timestamp
from luukku.service.desks.inquiry import InquiryView
from luukku.v1 import desks_pb2 as pb
from luukku.v1 import representation_pb2


def desk(d: Desk, now: datetime) -> pb.Desk:
    """The protobuf form of a desk, with the member on duty at ``now``."""
    return pb.Desk(
        id=d.id,
        name=d.name,
        topics=[
            pb.DeskTopic(id=t.id, name_fi=t.name_fi, name_sv=t.name_sv, name_en=t.name_en)
            for t in d.topics
        ],
        member_organization_ids=sorted(d.members),
        overflow_seconds=int(d.overflow.total_seconds()),
        reopen_seconds=int(d.reopen_within.total_seconds()),
        on_duty_organization_id=d.rota.on_duty(now) or "",
        upcoming_shifts=[
            pb.DeskShift(
                organization_id=duty.org_id,
                start_time=timestamp(duty.start),
                end_time=timestamp(duty.end),
            )
            for duty in d.rota.upcoming(now)
        ],
    )


def _enum_from(enum: Any, prefix: str, number: int, field: str, reason: str) -> str:
    if number == 0:
        raise invalid_argument("MISSING_FIELD", field, "required")
    try:
        return str(enum.Name(number)).removeprefix(prefix).lower()
    except ValueError as exc:
        raise invalid_argument(reason, field, "unknown value") from exc


def channel_from(number: int) -> Channel:
    """A channel from its proto enum number (required)."""
    return Channel(
        _enum_from(pb.InquiryChannel, "INQUIRY_CHANNEL_", number, "channel", "INVALID_CHANNEL")
    )


def status_from(number: int) -> InquiryStatus | None:
    """A status filter from its proto enum number (0: none)."""
    if number == 0:
        return None
    return InquiryStatus(
        _enum_from(pb.InquiryStatus, "INQUIRY_STATUS_", number, "status", "INVALID_STATUS")
    )


def _step(s: Step) -> pb.InquiryStep:
    return pb.InquiryStep(
        kind=f"INQUIRY_STEP_KIND_{s.kind.name}",
        organization_id=s.org_id,
        practitioner=practitioner(s.practitioner),
        time=timestamp(s.at),
        note=s.note,
        to_organization_id=s.to_org_id or "",
        to_desk_id=s.to_desk_id or "",
        public_note=s.public_note,
    )


def inquiry(v: InquiryView, seen: CitizenView) -> pb.Inquiry:
    """The protobuf form of an inquiry with its history; its citizen as ``seen``."""
    i = v.inquiry
    return pb.Inquiry(
        id=i.id,
        desk_id=i.desk_id,
        citizen_id=seen(i.citizen_id),
        channel=f"INQUIRY_CHANNEL_{i.channel.name}",
        topic=i.topic,
        municipality=i.municipality,
        subject=i.subject,
        status=f"INQUIRY_STATUS_{i.status.name}",
        offered_to_organization_id=i.offered_to_org_id or "",
        overflow_time=timestamp(i.overflow_at),
        claimed_by_organization_id=i.claimed_by_org_id or "",
        outcome=i.outcome,
        case_id=i.case_id or "",
        create_time=timestamp(i.created_at),
        last_sequence=i.last_seq,
        history=[_step(s) for s in v.steps],
        claimed_by_practitioner=practitioner(i.claimant) if i.claimant else None,
        language=i.language,
        citizen_wrote_since_answer=i.citizen_wrote_since_answer,
    )


def asker(a: Asker, seen: CitizenView) -> pb.InquiryAsker:
    """The protobuf form of who is asking, the other inquiries without their history; the
    citizen as ``seen``."""
    return pb.InquiryAsker(
        inquiry_id=a.inquiry_id,
        citizen_id=seen(a.citizen_id),
        display_name=a.display_name,
        other_open_inquiries=[inquiry(InquiryView(i, ()), seen) for i in a.other_open],
        representative_name=a.representative_name,
        representation_kind=_KINDS.get(a.representation_kind) if a.representation_kind else None,
    )


_KINDS = {
    Kind.GUARDIAN_OF_MINOR: representation_pb2.REPRESENTATION_KIND_GUARDIAN_OF_MINOR,
    Kind.ADULT_MANDATE: representation_pb2.REPRESENTATION_KIND_ADULT_MANDATE,
    Kind.LEGAL_GUARDIAN: representation_pb2.REPRESENTATION_KIND_LEGAL_GUARDIAN,
}
