"""What the desk calls return: desks, inquiries and their history, consent requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from luukku.client._config import Practitioner
from luukku.client._enums import (
    ConsentRequestState,
    InquiryChannel,
    InquiryStatus,
    InquiryStepKind,
    Permission,
    QueueEntryKind,
    from_proto,
)
from luukku.client._models import _practitioner, _time
from luukku.v1 import consents_pb2, desks_pb2, representation_pb2


@dataclass(frozen=True)
class DeskTopic:
    """A topic of a desk and its names (empty until the operator names it)."""

    id: str
    name_fi: str
    name_sv: str
    name_en: str

    def name(self, language: str) -> str:
        """The topic's name in ``language`` (fi, sv or en); its id if not named."""
        names = {"fi": self.name_fi, "sv": self.name_sv, "en": self.name_en}
        return names.get(language) or self.id


@dataclass(frozen=True)
class DeskShift:
    """A shift of a desk's rota: the member on duty from ``start_time`` until ``end_time``."""

    organization_id: str
    start_time: datetime
    end_time: datetime


@dataclass(frozen=True)
class Desk:
    """A shared service desk: its topics, members, the member on duty now and the next
    shifts."""

    id: str
    name: str
    topics: tuple[DeskTopic, ...]
    member_organization_ids: tuple[str, ...]
    overflow_seconds: int
    reopen_seconds: int
    on_duty_organization_id: str | None
    upcoming_shifts: tuple[DeskShift, ...] = ()
    """The rota's shifts in progress and next, in time order (at most 8, within 7 days)."""

    @classmethod
    def from_pb(cls, m: desks_pb2.Desk) -> Desk:
        return cls(
            m.id,
            m.name,
            tuple(DeskTopic(t.id, t.name_fi, t.name_sv, t.name_en) for t in m.topics),
            tuple(m.member_organization_ids),
            m.overflow_seconds,
            m.reopen_seconds,
            m.on_duty_organization_id or None,
            tuple(
                DeskShift(s.organization_id, _time(s.start_time), _time(s.end_time))
                for s in m.upcoming_shifts
            ),
        )


@dataclass(frozen=True)
class InquiryStep:
    """One step of an inquiry's history: what happened, when, and who did it."""

    kind: InquiryStepKind
    organization_id: str
    practitioner: Practitioner
    time: datetime
    note: str
    """Internal to the desk's members: empty when acting for the citizen."""
    to_organization_id: str | None
    to_desk_id: str | None
    public_note: str
    """What the clerk wrote for the citizen (empty: nothing)."""

    @classmethod
    def from_pb(cls, m: desks_pb2.InquiryStep) -> InquiryStep:
        return cls(
            from_proto(InquiryStepKind, desks_pb2.InquiryStepKind, m.kind),
            m.organization_id,
            _practitioner(m.practitioner),
            _time(m.time),
            m.note,
            m.to_organization_id or None,
            m.to_desk_id or None,
            m.public_note,
        )


@dataclass(frozen=True)
class Inquiry:
    """A question to a desk; ``citizen_id`` is None for an anonymous one."""

    id: str
    desk_id: str
    citizen_id: str | None
    channel: InquiryChannel
    topic: str
    municipality: str
    subject: str
    status: InquiryStatus
    offered_to_organization_id: str | None
    overflow_time: datetime
    claimed_by_organization_id: str | None
    outcome: str
    """Internal to the desk's members: empty when acting for the citizen."""
    case_id: str | None
    create_time: datetime
    last_sequence: int
    history: tuple[InquiryStep, ...]
    claimed_by_practitioner: Practitioner | None
    """Who holds it now (claimed it), or closed it; None while queued."""
    language: str = ""
    """The language the citizen asked in (fi, sv or en); empty when not known."""
    citizen_wrote_since_answer: bool = False
    """The citizen wrote after a clerk's answer and no clerk has written since."""

    @classmethod
    def from_pb(cls, m: desks_pb2.Inquiry) -> Inquiry:
        return cls(
            m.id,
            m.desk_id,
            m.citizen_id or None,
            from_proto(InquiryChannel, desks_pb2.InquiryChannel, m.channel),
            m.topic,
            m.municipality,
            m.subject,
            from_proto(InquiryStatus, desks_pb2.InquiryStatus, m.status),
            m.offered_to_organization_id or None,
            _time(m.overflow_time),
            m.claimed_by_organization_id or None,
            m.outcome,
            m.case_id or None,
            _time(m.create_time),
            m.last_sequence,
            tuple(InquiryStep.from_pb(s) for s in m.history),
            _practitioner(m.claimed_by_practitioner)
            if m.HasField("claimed_by_practitioner")
            else None,
            m.language,
            m.citizen_wrote_since_answer,
        )


@dataclass(frozen=True)
class InquiryNote:
    """An internal note on an inquiry, for the members of its desk (never its citizen)."""

    inquiry_id: str
    sequence: int
    """1, 2, 3… per inquiry, in the order written."""
    organization_id: str
    practitioner: Practitioner
    body: str
    create_time: datetime

    @classmethod
    def from_pb(cls, m: desks_pb2.InquiryNote) -> InquiryNote:
        return cls(
            m.inquiry_id,
            m.sequence,
            m.organization_id,
            _practitioner(m.practitioner),
            m.body,
            _time(m.create_time),
        )


@dataclass(frozen=True)
class InquiryAsker:
    """Who is asking an identified inquiry, as the organisation handling it sees them
    (see ``DeskCalls.get_inquiry_asker``)."""

    inquiry_id: str
    citizen_id: str
    display_name: str
    """As their identity provider gave it; "" when none was given."""
    other_open_inquiries: tuple[Inquiry, ...]
    """Their other open inquiries with this organisation, oldest first (history left out)."""
    representative_name: str = ""
    """Who asked for them under a representation right ("" when they asked themselves)."""
    representation_kind: str = ""
    """That right's kind: ``guardian_of_minor``, ``adult_mandate`` or ``legal_guardian``
    ("" when they asked themselves)."""

    @classmethod
    def from_pb(cls, m: desks_pb2.InquiryAsker) -> InquiryAsker:
        kind = representation_pb2.RepresentationKind.Name(m.representation_kind)
        return cls(
            m.inquiry_id,
            m.citizen_id,
            m.display_name,
            tuple(Inquiry.from_pb(i) for i in m.other_open_inquiries),
            m.representative_name,
            "" if not m.representation_kind else kind.removeprefix("REPRESENTATION_KIND_").lower(),
        )


@dataclass(frozen=True)
class QueueEntry:
    """A change to a desk's queue as a member sees it, with the inquiry as it stands.

    ``cursor`` resumes a watch after this entry (empty for the entries of the
    opening view: a view cut short is begun again). An inquiry whose
    ``desk_id`` is another desk's has left this queue; its ``history`` is
    empty here (``get_inquiry`` has it).
    """

    kind: QueueEntryKind
    organization_id: str | None
    """Who acted (the portal, for a citizen); None for OPEN and OVERFLOWED."""
    time: datetime
    inquiry: Inquiry
    cursor: str

    @classmethod
    def from_pb(cls, m: desks_pb2.QueueEntry) -> QueueEntry:
        return cls(
            from_proto(QueueEntryKind, desks_pb2.QueueEntryKind, m.kind),
            m.organization_id or None,
            _time(m.time),
            Inquiry.from_pb(m.inquiry),
            m.cursor,
        )


@dataclass(frozen=True)
class ConsentRequest:
    """What a clerk asked the citizen of an inquiry, and the citizen's answer."""

    id: str
    inquiry_id: str
    citizen_id: str
    organization_id: str
    """The organisation that asked (it held the inquiry)."""
    practitioner: Practitioner
    """The clerk who asked."""
    case_id: str
    permissions: frozenset[Permission]
    purpose: str
    valid_from: datetime
    valid_until: datetime
    state: ConsentRequestState
    create_time: datetime
    answer_time: datetime | None
    consent_id: str | None
    """The consent the approval granted."""

    @classmethod
    def from_pb(cls, m: desks_pb2.ConsentRequest) -> ConsentRequest:
        return cls(
            m.id,
            m.inquiry_id,
            m.citizen_id,
            m.organization_id,
            _practitioner(m.practitioner),
            m.case_id,
            frozenset(
                from_proto(Permission, consents_pb2.ConsentPermission, p) for p in m.permissions
            ),
            m.purpose,
            _time(m.valid_from),
            _time(m.valid_until),
            from_proto(ConsentRequestState, desks_pb2.ConsentRequestState, m.state),
            _time(m.create_time),
            _time(m.answer_time) if m.HasField("answer_time") else None,
            m.consent_id or None,
        )
