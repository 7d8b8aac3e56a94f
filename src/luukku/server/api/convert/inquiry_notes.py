"""The protobuf form of an inquiry's internal notes."""

from __future__ import annotations

from luukku.domain.desks.inquiry_notes import InquiryNote
from luukku.server.api.convert.common import practitioner, timestamp
from luukku.v1 import desks_pb2 as pb


def inquiry_note(n: InquiryNote) -> pb.InquiryNote:
    """The protobuf form of an internal note."""
    return pb.InquiryNote(
        inquiry_id=n.inquiry_id,
        sequence=n.seq,
        organization_id=n.org_id,
        practitioner=practitioner(n.practitioner),
        body=n.body,
        create_time=timestamp(n.at),
    )
