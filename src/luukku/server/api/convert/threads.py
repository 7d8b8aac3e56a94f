"""Conversions for threads and messages."""

from __future__ import annotations

from luukku.domain.events import ReadMarked
from luukku.domain.pseudonyms import CitizenView
from luukku.domain.threads import Message
from luukku.server.api.convert.common import practitioner, timestamp
from luukku.service.threads import ThreadView
from luukku.v1 import threads_pb2 as pb


def thread(view: ThreadView) -> pb.Thread:
    """The protobuf form of a thread as one participant sees it."""
    t = view.thread
    return pb.Thread(
        id=t.id,
        case_id=t.case_id,
        subject=t.subject,
        created_by_organization_id=t.created_by_org_id,
        create_time=timestamp(t.created_at),
        last_sequence=t.last_seq,
        unread_count=view.unread,
    )


def message(m: Message, seen: CitizenView) -> pb.Message:
    """The protobuf form of a message; a citizen author as ``seen`` shows them."""
    return pb.Message(
        thread_id=m.conversation_id,
        sequence=m.seq,
        author_organization_id=m.author_org_id,
        author=practitioner(m.author),
        author_citizen_id=seen(m.author_citizen_id),
        body=m.body,
        corrects_sequence=m.corrects_seq or 0,
        create_time=timestamp(m.created_at),
    )


def read_mark(r: ReadMarked, seen: CitizenView) -> pb.ReadMark:
    """The protobuf form of a participant's read receipt moving forward."""
    return pb.ReadMark(
        thread_id=r.thread_id,
        organization_id=r.org_id,
        citizen_id=seen(r.citizen_id),
        sequence=r.seq,
        mark_time=timestamp(r.marked_at),
    )
