import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from luukku.v1 import consents_pb2 as _consents_pb2
from luukku.v1 import directory_pb2 as _directory_pb2
from luukku.v1 import representation_pb2 as _representation_pb2
from luukku.v1 import threads_pb2 as _threads_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class InquiryChannel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INQUIRY_CHANNEL_UNSPECIFIED: _ClassVar[InquiryChannel]
    INQUIRY_CHANNEL_WEB: _ClassVar[InquiryChannel]
    INQUIRY_CHANNEL_CHAT: _ClassVar[InquiryChannel]
    INQUIRY_CHANNEL_PHONE: _ClassVar[InquiryChannel]
    INQUIRY_CHANNEL_VISIT: _ClassVar[InquiryChannel]
    INQUIRY_CHANNEL_LETTER: _ClassVar[InquiryChannel]

class InquiryStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INQUIRY_STATUS_UNSPECIFIED: _ClassVar[InquiryStatus]
    INQUIRY_STATUS_QUEUED: _ClassVar[InquiryStatus]
    INQUIRY_STATUS_CLAIMED: _ClassVar[InquiryStatus]
    INQUIRY_STATUS_CLOSED: _ClassVar[InquiryStatus]

class InquiryStepKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INQUIRY_STEP_KIND_UNSPECIFIED: _ClassVar[InquiryStepKind]
    INQUIRY_STEP_KIND_ASKED: _ClassVar[InquiryStepKind]
    INQUIRY_STEP_KIND_CLAIMED: _ClassVar[InquiryStepKind]
    INQUIRY_STEP_KIND_HANDED_OVER: _ClassVar[InquiryStepKind]
    INQUIRY_STEP_KIND_CLOSED: _ClassVar[InquiryStepKind]
    INQUIRY_STEP_KIND_REOPENED: _ClassVar[InquiryStepKind]
    INQUIRY_STEP_KIND_CASE_LINKED: _ClassVar[InquiryStepKind]

class QueueEntryKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    QUEUE_ENTRY_KIND_UNSPECIFIED: _ClassVar[QueueEntryKind]
    QUEUE_ENTRY_KIND_OPEN: _ClassVar[QueueEntryKind]
    QUEUE_ENTRY_KIND_ASKED: _ClassVar[QueueEntryKind]
    QUEUE_ENTRY_KIND_CLAIMED: _ClassVar[QueueEntryKind]
    QUEUE_ENTRY_KIND_HANDED_OVER: _ClassVar[QueueEntryKind]
    QUEUE_ENTRY_KIND_CLOSED: _ClassVar[QueueEntryKind]
    QUEUE_ENTRY_KIND_REOPENED: _ClassVar[QueueEntryKind]
    QUEUE_ENTRY_KIND_OVERFLOWED: _ClassVar[QueueEntryKind]
    QUEUE_ENTRY_KIND_CITIZEN_WROTE: _ClassVar[QueueEntryKind]
    QUEUE_ENTRY_KIND_ANSWERED: _ClassVar[QueueEntryKind]

class ConsentRequestState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_REQUEST_STATE_UNSPECIFIED: _ClassVar[ConsentRequestState]
    CONSENT_REQUEST_STATE_PENDING: _ClassVar[ConsentRequestState]
    CONSENT_REQUEST_STATE_APPROVED: _ClassVar[ConsentRequestState]
    CONSENT_REQUEST_STATE_DECLINED: _ClassVar[ConsentRequestState]
    CONSENT_REQUEST_STATE_EXPIRED: _ClassVar[ConsentRequestState]

class ConsentRequestAnswer(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_REQUEST_ANSWER_UNSPECIFIED: _ClassVar[ConsentRequestAnswer]
    CONSENT_REQUEST_ANSWER_APPROVE: _ClassVar[ConsentRequestAnswer]
    CONSENT_REQUEST_ANSWER_DECLINE: _ClassVar[ConsentRequestAnswer]
INQUIRY_CHANNEL_UNSPECIFIED: InquiryChannel
INQUIRY_CHANNEL_WEB: InquiryChannel
INQUIRY_CHANNEL_CHAT: InquiryChannel
INQUIRY_CHANNEL_PHONE: InquiryChannel
INQUIRY_CHANNEL_VISIT: InquiryChannel
INQUIRY_CHANNEL_LETTER: InquiryChannel
INQUIRY_STATUS_UNSPECIFIED: InquiryStatus
INQUIRY_STATUS_QUEUED: InquiryStatus
INQUIRY_STATUS_CLAIMED: InquiryStatus
INQUIRY_STATUS_CLOSED: InquiryStatus
INQUIRY_STEP_KIND_UNSPECIFIED: InquiryStepKind
INQUIRY_STEP_KIND_ASKED: InquiryStepKind
INQUIRY_STEP_KIND_CLAIMED: InquiryStepKind
INQUIRY_STEP_KIND_HANDED_OVER: InquiryStepKind
INQUIRY_STEP_KIND_CLOSED: InquiryStepKind
INQUIRY_STEP_KIND_REOPENED: InquiryStepKind
INQUIRY_STEP_KIND_CASE_LINKED: InquiryStepKind
QUEUE_ENTRY_KIND_UNSPECIFIED: QueueEntryKind
QUEUE_ENTRY_KIND_OPEN: QueueEntryKind
QUEUE_ENTRY_KIND_ASKED: QueueEntryKind
QUEUE_ENTRY_KIND_CLAIMED: QueueEntryKind
QUEUE_ENTRY_KIND_HANDED_OVER: QueueEntryKind
QUEUE_ENTRY_KIND_CLOSED: QueueEntryKind
QUEUE_ENTRY_KIND_REOPENED: QueueEntryKind
QUEUE_ENTRY_KIND_OVERFLOWED: QueueEntryKind
QUEUE_ENTRY_KIND_CITIZEN_WROTE: QueueEntryKind
QUEUE_ENTRY_KIND_ANSWERED: QueueEntryKind
CONSENT_REQUEST_STATE_UNSPECIFIED: ConsentRequestState
CONSENT_REQUEST_STATE_PENDING: ConsentRequestState
CONSENT_REQUEST_STATE_APPROVED: ConsentRequestState
CONSENT_REQUEST_STATE_DECLINED: ConsentRequestState
CONSENT_REQUEST_STATE_EXPIRED: ConsentRequestState
CONSENT_REQUEST_ANSWER_UNSPECIFIED: ConsentRequestAnswer
CONSENT_REQUEST_ANSWER_APPROVE: ConsentRequestAnswer
CONSENT_REQUEST_ANSWER_DECLINE: ConsentRequestAnswer

class DeskTopic(_message.Message):
    __slots__ = ("id", "name_fi", "name_sv", "name_en")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FI_FIELD_NUMBER: _ClassVar[int]
    NAME_SV_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    id: str
    name_fi: str
    name_sv: str
    name_en: str
    def __init__(self, id: _Optional[str] = ..., name_fi: _Optional[str] = ..., name_sv: _Optional[str] = ..., name_en: _Optional[str] = ...) -> None: ...

class Desk(_message.Message):
    __slots__ = ("id", "name", "topics", "member_organization_ids", "overflow_seconds", "reopen_seconds", "on_duty_organization_id", "upcoming_shifts")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TOPICS_FIELD_NUMBER: _ClassVar[int]
    MEMBER_ORGANIZATION_IDS_FIELD_NUMBER: _ClassVar[int]
    OVERFLOW_SECONDS_FIELD_NUMBER: _ClassVar[int]
    REOPEN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ON_DUTY_ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    UPCOMING_SHIFTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    topics: _containers.RepeatedCompositeFieldContainer[DeskTopic]
    member_organization_ids: _containers.RepeatedScalarFieldContainer[str]
    overflow_seconds: int
    reopen_seconds: int
    on_duty_organization_id: str
    upcoming_shifts: _containers.RepeatedCompositeFieldContainer[DeskShift]
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., topics: _Optional[_Iterable[_Union[DeskTopic, _Mapping]]] = ..., member_organization_ids: _Optional[_Iterable[str]] = ..., overflow_seconds: _Optional[int] = ..., reopen_seconds: _Optional[int] = ..., on_duty_organization_id: _Optional[str] = ..., upcoming_shifts: _Optional[_Iterable[_Union[DeskShift, _Mapping]]] = ...) -> None: ...

class DeskShift(_message.Message):
    __slots__ = ("organization_id", "start_time", "end_time")
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    organization_id: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, organization_id: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class InquiryStep(_message.Message):
    __slots__ = ("kind", "organization_id", "practitioner", "time", "note", "to_organization_id", "to_desk_id", "public_note")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    PRACTITIONER_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    TO_ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    TO_DESK_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_NOTE_FIELD_NUMBER: _ClassVar[int]
    kind: InquiryStepKind
    organization_id: str
    practitioner: _directory_pb2.Practitioner
    time: _timestamp_pb2.Timestamp
    note: str
    to_organization_id: str
    to_desk_id: str
    public_note: str
    def __init__(self, kind: _Optional[_Union[InquiryStepKind, str]] = ..., organization_id: _Optional[str] = ..., practitioner: _Optional[_Union[_directory_pb2.Practitioner, _Mapping]] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ..., to_organization_id: _Optional[str] = ..., to_desk_id: _Optional[str] = ..., public_note: _Optional[str] = ...) -> None: ...

class Inquiry(_message.Message):
    __slots__ = ("id", "desk_id", "citizen_id", "channel", "topic", "municipality", "subject", "status", "offered_to_organization_id", "overflow_time", "claimed_by_organization_id", "outcome", "case_id", "create_time", "last_sequence", "history", "claimed_by_practitioner", "language", "citizen_wrote_since_answer")
    ID_FIELD_NUMBER: _ClassVar[int]
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    CITIZEN_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    MUNICIPALITY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OFFERED_TO_ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    OVERFLOW_TIME_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_BY_ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_BY_PRACTITIONER_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    CITIZEN_WROTE_SINCE_ANSWER_FIELD_NUMBER: _ClassVar[int]
    id: str
    desk_id: str
    citizen_id: str
    channel: InquiryChannel
    topic: str
    municipality: str
    subject: str
    status: InquiryStatus
    offered_to_organization_id: str
    overflow_time: _timestamp_pb2.Timestamp
    claimed_by_organization_id: str
    outcome: str
    case_id: str
    create_time: _timestamp_pb2.Timestamp
    last_sequence: int
    history: _containers.RepeatedCompositeFieldContainer[InquiryStep]
    claimed_by_practitioner: _directory_pb2.Practitioner
    language: str
    citizen_wrote_since_answer: bool
    def __init__(self, id: _Optional[str] = ..., desk_id: _Optional[str] = ..., citizen_id: _Optional[str] = ..., channel: _Optional[_Union[InquiryChannel, str]] = ..., topic: _Optional[str] = ..., municipality: _Optional[str] = ..., subject: _Optional[str] = ..., status: _Optional[_Union[InquiryStatus, str]] = ..., offered_to_organization_id: _Optional[str] = ..., overflow_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., claimed_by_organization_id: _Optional[str] = ..., outcome: _Optional[str] = ..., case_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_sequence: _Optional[int] = ..., history: _Optional[_Iterable[_Union[InquiryStep, _Mapping]]] = ..., claimed_by_practitioner: _Optional[_Union[_directory_pb2.Practitioner, _Mapping]] = ..., language: _Optional[str] = ..., citizen_wrote_since_answer: _Optional[bool] = ...) -> None: ...

class InquiryNote(_message.Message):
    __slots__ = ("inquiry_id", "sequence", "organization_id", "practitioner", "body", "create_time")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    PRACTITIONER_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    sequence: int
    organization_id: str
    practitioner: _directory_pb2.Practitioner
    body: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, inquiry_id: _Optional[str] = ..., sequence: _Optional[int] = ..., organization_id: _Optional[str] = ..., practitioner: _Optional[_Union[_directory_pb2.Practitioner, _Mapping]] = ..., body: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListDesksRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDesksResponse(_message.Message):
    __slots__ = ("desks", "next_page_token")
    DESKS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    desks: _containers.RepeatedCompositeFieldContainer[Desk]
    next_page_token: str
    def __init__(self, desks: _Optional[_Iterable[_Union[Desk, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetDeskRequest(_message.Message):
    __slots__ = ("desk_id",)
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    desk_id: str
    def __init__(self, desk_id: _Optional[str] = ...) -> None: ...

class GetDeskResponse(_message.Message):
    __slots__ = ("desk",)
    DESK_FIELD_NUMBER: _ClassVar[int]
    desk: Desk
    def __init__(self, desk: _Optional[_Union[Desk, _Mapping]] = ...) -> None: ...

class GetDeskFiguresRequest(_message.Message):
    __slots__ = ("desk_id",)
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    desk_id: str
    def __init__(self, desk_id: _Optional[str] = ...) -> None: ...

class GetDeskFiguresResponse(_message.Message):
    __slots__ = ("figures",)
    FIGURES_FIELD_NUMBER: _ClassVar[int]
    figures: DeskFigures
    def __init__(self, figures: _Optional[_Union[DeskFigures, _Mapping]] = ...) -> None: ...

class WaitFigures(_message.Message):
    __slots__ = ("claimed_count", "to_claim_p50_seconds", "to_claim_p95_seconds", "answered_count", "to_answer_p50_seconds", "to_answer_p95_seconds")
    CLAIMED_COUNT_FIELD_NUMBER: _ClassVar[int]
    TO_CLAIM_P50_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TO_CLAIM_P95_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_COUNT_FIELD_NUMBER: _ClassVar[int]
    TO_ANSWER_P50_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TO_ANSWER_P95_SECONDS_FIELD_NUMBER: _ClassVar[int]
    claimed_count: int
    to_claim_p50_seconds: float
    to_claim_p95_seconds: float
    answered_count: int
    to_answer_p50_seconds: float
    to_answer_p95_seconds: float
    def __init__(self, claimed_count: _Optional[int] = ..., to_claim_p50_seconds: _Optional[float] = ..., to_claim_p95_seconds: _Optional[float] = ..., answered_count: _Optional[int] = ..., to_answer_p50_seconds: _Optional[float] = ..., to_answer_p95_seconds: _Optional[float] = ...) -> None: ...

class MemberFigures(_message.Message):
    __slots__ = ("organization_id", "waits")
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    WAITS_FIELD_NUMBER: _ClassVar[int]
    organization_id: str
    waits: WaitFigures
    def __init__(self, organization_id: _Optional[str] = ..., waits: _Optional[_Union[WaitFigures, _Mapping]] = ...) -> None: ...

class DeskFigures(_message.Message):
    __slots__ = ("desk_id", "queued", "claimed", "closed", "handovers", "waits", "members")
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    HANDOVERS_FIELD_NUMBER: _ClassVar[int]
    WAITS_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    desk_id: str
    queued: int
    claimed: int
    closed: int
    handovers: int
    waits: WaitFigures
    members: _containers.RepeatedCompositeFieldContainer[MemberFigures]
    def __init__(self, desk_id: _Optional[str] = ..., queued: _Optional[int] = ..., claimed: _Optional[int] = ..., closed: _Optional[int] = ..., handovers: _Optional[int] = ..., waits: _Optional[_Union[WaitFigures, _Mapping]] = ..., members: _Optional[_Iterable[_Union[MemberFigures, _Mapping]]] = ...) -> None: ...

class CreateInquiryRequest(_message.Message):
    __slots__ = ("desk_id", "topic", "channel", "municipality", "subject", "body", "request_id", "language", "citizen_name")
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    MUNICIPALITY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    CITIZEN_NAME_FIELD_NUMBER: _ClassVar[int]
    desk_id: str
    topic: str
    channel: InquiryChannel
    municipality: str
    subject: str
    body: str
    request_id: str
    language: str
    citizen_name: str
    def __init__(self, desk_id: _Optional[str] = ..., topic: _Optional[str] = ..., channel: _Optional[_Union[InquiryChannel, str]] = ..., municipality: _Optional[str] = ..., subject: _Optional[str] = ..., body: _Optional[str] = ..., request_id: _Optional[str] = ..., language: _Optional[str] = ..., citizen_name: _Optional[str] = ...) -> None: ...

class CreateInquiryResponse(_message.Message):
    __slots__ = ("inquiry",)
    INQUIRY_FIELD_NUMBER: _ClassVar[int]
    inquiry: Inquiry
    def __init__(self, inquiry: _Optional[_Union[Inquiry, _Mapping]] = ...) -> None: ...

class GetInquiryRequest(_message.Message):
    __slots__ = ("inquiry_id",)
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    def __init__(self, inquiry_id: _Optional[str] = ...) -> None: ...

class GetInquiryResponse(_message.Message):
    __slots__ = ("inquiry",)
    INQUIRY_FIELD_NUMBER: _ClassVar[int]
    inquiry: Inquiry
    def __init__(self, inquiry: _Optional[_Union[Inquiry, _Mapping]] = ...) -> None: ...

class ListInquiriesRequest(_message.Message):
    __slots__ = ("status", "page_size", "page_token")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    status: InquiryStatus
    page_size: int
    page_token: str
    def __init__(self, status: _Optional[_Union[InquiryStatus, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListInquiriesResponse(_message.Message):
    __slots__ = ("inquiries", "next_page_token")
    INQUIRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    inquiries: _containers.RepeatedCompositeFieldContainer[Inquiry]
    next_page_token: str
    def __init__(self, inquiries: _Optional[_Iterable[_Union[Inquiry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ClaimInquiryRequest(_message.Message):
    __slots__ = ("inquiry_id",)
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    def __init__(self, inquiry_id: _Optional[str] = ...) -> None: ...

class ClaimInquiryResponse(_message.Message):
    __slots__ = ("inquiry",)
    INQUIRY_FIELD_NUMBER: _ClassVar[int]
    inquiry: Inquiry
    def __init__(self, inquiry: _Optional[_Union[Inquiry, _Mapping]] = ...) -> None: ...

class HandOverInquiryRequest(_message.Message):
    __slots__ = ("inquiry_id", "to_organization_id", "to_desk_id", "note", "public_note")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    TO_ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    TO_DESK_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_NOTE_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    to_organization_id: str
    to_desk_id: str
    note: str
    public_note: str
    def __init__(self, inquiry_id: _Optional[str] = ..., to_organization_id: _Optional[str] = ..., to_desk_id: _Optional[str] = ..., note: _Optional[str] = ..., public_note: _Optional[str] = ...) -> None: ...

class HandOverInquiryResponse(_message.Message):
    __slots__ = ("inquiry",)
    INQUIRY_FIELD_NUMBER: _ClassVar[int]
    inquiry: Inquiry
    def __init__(self, inquiry: _Optional[_Union[Inquiry, _Mapping]] = ...) -> None: ...

class CloseInquiryRequest(_message.Message):
    __slots__ = ("inquiry_id", "outcome", "public_note")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_NOTE_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    outcome: str
    public_note: str
    def __init__(self, inquiry_id: _Optional[str] = ..., outcome: _Optional[str] = ..., public_note: _Optional[str] = ...) -> None: ...

class CloseInquiryResponse(_message.Message):
    __slots__ = ("inquiry",)
    INQUIRY_FIELD_NUMBER: _ClassVar[int]
    inquiry: Inquiry
    def __init__(self, inquiry: _Optional[_Union[Inquiry, _Mapping]] = ...) -> None: ...

class ReopenInquiryRequest(_message.Message):
    __slots__ = ("inquiry_id",)
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    def __init__(self, inquiry_id: _Optional[str] = ...) -> None: ...

class ReopenInquiryResponse(_message.Message):
    __slots__ = ("inquiry",)
    INQUIRY_FIELD_NUMBER: _ClassVar[int]
    inquiry: Inquiry
    def __init__(self, inquiry: _Optional[_Union[Inquiry, _Mapping]] = ...) -> None: ...

class LinkInquiryCaseRequest(_message.Message):
    __slots__ = ("inquiry_id", "case_id")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    case_id: str
    def __init__(self, inquiry_id: _Optional[str] = ..., case_id: _Optional[str] = ...) -> None: ...

class LinkInquiryCaseResponse(_message.Message):
    __slots__ = ("inquiry",)
    INQUIRY_FIELD_NUMBER: _ClassVar[int]
    inquiry: Inquiry
    def __init__(self, inquiry: _Optional[_Union[Inquiry, _Mapping]] = ...) -> None: ...

class PostInquiryMessageRequest(_message.Message):
    __slots__ = ("inquiry_id", "body", "request_id")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    body: str
    request_id: str
    def __init__(self, inquiry_id: _Optional[str] = ..., body: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class PostInquiryMessageResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: _threads_pb2.Message
    def __init__(self, message: _Optional[_Union[_threads_pb2.Message, _Mapping]] = ...) -> None: ...

class ListInquiryMessagesRequest(_message.Message):
    __slots__ = ("inquiry_id", "after_sequence", "page_size", "page_token")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    after_sequence: int
    page_size: int
    page_token: str
    def __init__(self, inquiry_id: _Optional[str] = ..., after_sequence: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListInquiryMessagesResponse(_message.Message):
    __slots__ = ("messages", "next_page_token")
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[_threads_pb2.Message]
    next_page_token: str
    def __init__(self, messages: _Optional[_Iterable[_Union[_threads_pb2.Message, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class WatchQueueRequest(_message.Message):
    __slots__ = ("desk_id", "resume_cursor")
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    RESUME_CURSOR_FIELD_NUMBER: _ClassVar[int]
    desk_id: str
    resume_cursor: str
    def __init__(self, desk_id: _Optional[str] = ..., resume_cursor: _Optional[str] = ...) -> None: ...

class QueueEntry(_message.Message):
    __slots__ = ("kind", "organization_id", "time", "inquiry", "cursor")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    INQUIRY_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    kind: QueueEntryKind
    organization_id: str
    time: _timestamp_pb2.Timestamp
    inquiry: Inquiry
    cursor: str
    def __init__(self, kind: _Optional[_Union[QueueEntryKind, str]] = ..., organization_id: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., inquiry: _Optional[_Union[Inquiry, _Mapping]] = ..., cursor: _Optional[str] = ...) -> None: ...

class QueueHeartbeat(_message.Message):
    __slots__ = ("cursor",)
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    def __init__(self, cursor: _Optional[str] = ...) -> None: ...

class WatchQueueResponse(_message.Message):
    __slots__ = ("entry", "heartbeat")
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    entry: QueueEntry
    heartbeat: QueueHeartbeat
    def __init__(self, entry: _Optional[_Union[QueueEntry, _Mapping]] = ..., heartbeat: _Optional[_Union[QueueHeartbeat, _Mapping]] = ...) -> None: ...

class WatchInquiryRequest(_message.Message):
    __slots__ = ("inquiry_id", "after_sequence")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    after_sequence: int
    def __init__(self, inquiry_id: _Optional[str] = ..., after_sequence: _Optional[int] = ...) -> None: ...

class WatchInquiryResponse(_message.Message):
    __slots__ = ("message", "inquiry", "heartbeat", "note", "consent_request")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    INQUIRY_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_REQUEST_FIELD_NUMBER: _ClassVar[int]
    message: _threads_pb2.Message
    inquiry: Inquiry
    heartbeat: _threads_pb2.Heartbeat
    note: InquiryNote
    consent_request: ConsentRequest
    def __init__(self, message: _Optional[_Union[_threads_pb2.Message, _Mapping]] = ..., inquiry: _Optional[_Union[Inquiry, _Mapping]] = ..., heartbeat: _Optional[_Union[_threads_pb2.Heartbeat, _Mapping]] = ..., note: _Optional[_Union[InquiryNote, _Mapping]] = ..., consent_request: _Optional[_Union[ConsentRequest, _Mapping]] = ...) -> None: ...

class AddInquiryNoteRequest(_message.Message):
    __slots__ = ("inquiry_id", "body", "request_id")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    body: str
    request_id: str
    def __init__(self, inquiry_id: _Optional[str] = ..., body: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class AddInquiryNoteResponse(_message.Message):
    __slots__ = ("note",)
    NOTE_FIELD_NUMBER: _ClassVar[int]
    note: InquiryNote
    def __init__(self, note: _Optional[_Union[InquiryNote, _Mapping]] = ...) -> None: ...

class ListInquiryNotesRequest(_message.Message):
    __slots__ = ("inquiry_id", "page_size", "page_token")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    page_size: int
    page_token: str
    def __init__(self, inquiry_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListInquiryNotesResponse(_message.Message):
    __slots__ = ("notes", "next_page_token")
    NOTES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    notes: _containers.RepeatedCompositeFieldContainer[InquiryNote]
    next_page_token: str
    def __init__(self, notes: _Optional[_Iterable[_Union[InquiryNote, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ConsentRequest(_message.Message):
    __slots__ = ("id", "inquiry_id", "citizen_id", "organization_id", "practitioner", "case_id", "permissions", "purpose", "valid_from", "valid_until", "state", "create_time", "answer_time", "consent_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    CITIZEN_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    PRACTITIONER_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ANSWER_TIME_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    inquiry_id: str
    citizen_id: str
    organization_id: str
    practitioner: _directory_pb2.Practitioner
    case_id: str
    permissions: _containers.RepeatedScalarFieldContainer[_consents_pb2.ConsentPermission]
    purpose: str
    valid_from: _timestamp_pb2.Timestamp
    valid_until: _timestamp_pb2.Timestamp
    state: ConsentRequestState
    create_time: _timestamp_pb2.Timestamp
    answer_time: _timestamp_pb2.Timestamp
    consent_id: str
    def __init__(self, id: _Optional[str] = ..., inquiry_id: _Optional[str] = ..., citizen_id: _Optional[str] = ..., organization_id: _Optional[str] = ..., practitioner: _Optional[_Union[_directory_pb2.Practitioner, _Mapping]] = ..., case_id: _Optional[str] = ..., permissions: _Optional[_Iterable[_Union[_consents_pb2.ConsentPermission, str]]] = ..., purpose: _Optional[str] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[ConsentRequestState, str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answer_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., consent_id: _Optional[str] = ...) -> None: ...

class CreateConsentRequestRequest(_message.Message):
    __slots__ = ("inquiry_id", "case_id", "permissions", "purpose", "valid_from", "valid_until", "request_id")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    case_id: str
    permissions: _containers.RepeatedScalarFieldContainer[_consents_pb2.ConsentPermission]
    purpose: str
    valid_from: _timestamp_pb2.Timestamp
    valid_until: _timestamp_pb2.Timestamp
    request_id: str
    def __init__(self, inquiry_id: _Optional[str] = ..., case_id: _Optional[str] = ..., permissions: _Optional[_Iterable[_Union[_consents_pb2.ConsentPermission, str]]] = ..., purpose: _Optional[str] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateConsentRequestResponse(_message.Message):
    __slots__ = ("consent_request",)
    CONSENT_REQUEST_FIELD_NUMBER: _ClassVar[int]
    consent_request: ConsentRequest
    def __init__(self, consent_request: _Optional[_Union[ConsentRequest, _Mapping]] = ...) -> None: ...

class GetConsentRequestRequest(_message.Message):
    __slots__ = ("consent_request_id",)
    CONSENT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    consent_request_id: str
    def __init__(self, consent_request_id: _Optional[str] = ...) -> None: ...

class GetConsentRequestResponse(_message.Message):
    __slots__ = ("consent_request",)
    CONSENT_REQUEST_FIELD_NUMBER: _ClassVar[int]
    consent_request: ConsentRequest
    def __init__(self, consent_request: _Optional[_Union[ConsentRequest, _Mapping]] = ...) -> None: ...

class ListConsentRequestsRequest(_message.Message):
    __slots__ = ("inquiry_id", "page_size", "page_token")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    page_size: int
    page_token: str
    def __init__(self, inquiry_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListConsentRequestsResponse(_message.Message):
    __slots__ = ("consent_requests", "next_page_token")
    CONSENT_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    consent_requests: _containers.RepeatedCompositeFieldContainer[ConsentRequest]
    next_page_token: str
    def __init__(self, consent_requests: _Optional[_Iterable[_Union[ConsentRequest, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AnswerConsentRequestRequest(_message.Message):
    __slots__ = ("consent_request_id", "answer")
    CONSENT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    consent_request_id: str
    answer: ConsentRequestAnswer
    def __init__(self, consent_request_id: _Optional[str] = ..., answer: _Optional[_Union[ConsentRequestAnswer, str]] = ...) -> None: ...

class AnswerConsentRequestResponse(_message.Message):
    __slots__ = ("consent_request",)
    CONSENT_REQUEST_FIELD_NUMBER: _ClassVar[int]
    consent_request: ConsentRequest
    def __init__(self, consent_request: _Optional[_Union[ConsentRequest, _Mapping]] = ...) -> None: ...

class GetInquiryAskerRequest(_message.Message):
    __slots__ = ("inquiry_id",)
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    def __init__(self, inquiry_id: _Optional[str] = ...) -> None: ...

class InquiryAsker(_message.Message):
    __slots__ = ("inquiry_id", "citizen_id", "display_name", "other_open_inquiries", "representative_name", "representation_kind")
    INQUIRY_ID_FIELD_NUMBER: _ClassVar[int]
    CITIZEN_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    OTHER_OPEN_INQUIRIES_FIELD_NUMBER: _ClassVar[int]
    REPRESENTATIVE_NAME_FIELD_NUMBER: _ClassVar[int]
    REPRESENTATION_KIND_FIELD_NUMBER: _ClassVar[int]
    inquiry_id: str
    citizen_id: str
    display_name: str
    other_open_inquiries: _containers.RepeatedCompositeFieldContainer[Inquiry]
    representative_name: str
    representation_kind: _representation_pb2.RepresentationKind
    def __init__(self, inquiry_id: _Optional[str] = ..., citizen_id: _Optional[str] = ..., display_name: _Optional[str] = ..., other_open_inquiries: _Optional[_Iterable[_Union[Inquiry, _Mapping]]] = ..., representative_name: _Optional[str] = ..., representation_kind: _Optional[_Union[_representation_pb2.RepresentationKind, str]] = ...) -> None: ...

class GetInquiryAskerResponse(_message.Message):
    __slots__ = ("asker",)
    ASKER_FIELD_NUMBER: _ClassVar[int]
    asker: InquiryAsker
    def __init__(self, asker: _Optional[_Union[InquiryAsker, _Mapping]] = ...) -> None: ...
