"""The protobuf form of a desk's ready answers."""

from __future__ import annotations

from luukku.domain.desks.ready_answers import ReadyAnswer
from luukku.server.api.convert.common import practitioner, timestamp
from luukku.v1 import ready_answers_pb2 as pb


def ready_answer(a: ReadyAnswer) -> pb.ReadyAnswer:
    """The protobuf form of a ready answer."""
    w = a.wording
    return pb.ReadyAnswer(
        id=a.id,
        desk_id=a.desk_id,
        title=w.title,
        text_fi=w.text_fi,
        text_sv=w.text_sv,
        text_en=w.text_en,
        revision=a.revision,
        create_organization_id=a.created.org_id,
        create_practitioner=practitioner(a.created.practitioner),
        create_time=timestamp(a.created.at),
        update_organization_id=a.updated.org_id,
        update_practitioner=practitioner(a.updated.practitioner),
        update_time=timestamp(a.updated.at),
        delete_time=timestamp(a.deleted_at) if a.deleted_at else None,
    )
