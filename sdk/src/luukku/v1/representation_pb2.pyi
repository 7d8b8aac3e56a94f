import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RepresentationKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPRESENTATION_KIND_UNSPECIFIED: _ClassVar[RepresentationKind]
    REPRESENTATION_KIND_GUARDIAN_OF_MINOR: _ClassVar[RepresentationKind]
    REPRESENTATION_KIND_ADULT_MANDATE: _ClassVar[RepresentationKind]
    REPRESENTATION_KIND_LEGAL_GUARDIAN: _ClassVar[RepresentationKind]

class RepresentationSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPRESENTATION_SOURCE_UNSPECIFIED: _ClassVar[RepresentationSource]
    REPRESENTATION_SOURCE_POPULATION_REGISTER: _ClassVar[RepresentationSource]
    REPRESENTATION_SOURCE_PORTAL_MANDATE: _ClassVar[RepresentationSource]
    REPRESENTATION_SOURCE_CLERK_REGISTRATION: _ClassVar[RepresentationSource]

class MandateCode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MANDATE_CODE_UNSPECIFIED: _ClassVar[MandateCode]
    MANDATE_CODE_SOCIAL_CARE: _ClassVar[MandateCode]
    MANDATE_CODE_HEALTH_CARE: _ClassVar[MandateCode]
    MANDATE_CODE_CONSENTS: _ClassVar[MandateCode]
    MANDATE_CODE_VIEW: _ClassVar[MandateCode]

class RepresentationState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPRESENTATION_STATE_UNSPECIFIED: _ClassVar[RepresentationState]
    REPRESENTATION_STATE_ACTIVE: _ClassVar[RepresentationState]
    REPRESENTATION_STATE_AWAITING_ACCEPTANCE: _ClassVar[RepresentationState]
    REPRESENTATION_STATE_NOT_YET_VALID: _ClassVar[RepresentationState]
    REPRESENTATION_STATE_ENDED: _ClassVar[RepresentationState]
    REPRESENTATION_STATE_EXPIRED: _ClassVar[RepresentationState]
    REPRESENTATION_STATE_BLOCKED: _ClassVar[RepresentationState]

class RepresentationBlockerKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPRESENTATION_BLOCKER_KIND_UNSPECIFIED: _ClassVar[RepresentationBlockerKind]
    REPRESENTATION_BLOCKER_KIND_CARE_ORDER: _ClassVar[RepresentationBlockerKind]
    REPRESENTATION_BLOCKER_KIND_NON_DISCLOSURE: _ClassVar[RepresentationBlockerKind]

class MinorCapacity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MINOR_CAPACITY_UNSPECIFIED: _ClassVar[MinorCapacity]
    MINOR_CAPACITY_NOT_CAPABLE_SHARED: _ClassVar[MinorCapacity]
    MINOR_CAPACITY_CAPABLE_ALLOWS: _ClassVar[MinorCapacity]
    MINOR_CAPACITY_CAPABLE_FORBIDS: _ClassVar[MinorCapacity]
REPRESENTATION_KIND_UNSPECIFIED: RepresentationKind
REPRESENTATION_KIND_GUARDIAN_OF_MINOR: RepresentationKind
REPRESENTATION_KIND_ADULT_MANDATE: RepresentationKind
REPRESENTATION_KIND_LEGAL_GUARDIAN: RepresentationKind
REPRESENTATION_SOURCE_UNSPECIFIED: RepresentationSource
REPRESENTATION_SOURCE_POPULATION_REGISTER: RepresentationSource
REPRESENTATION_SOURCE_PORTAL_MANDATE: RepresentationSource
REPRESENTATION_SOURCE_CLERK_REGISTRATION: RepresentationSource
MANDATE_CODE_UNSPECIFIED: MandateCode
MANDATE_CODE_SOCIAL_CARE: MandateCode
MANDATE_CODE_HEALTH_CARE: MandateCode
MANDATE_CODE_CONSENTS: MandateCode
MANDATE_CODE_VIEW: MandateCode
REPRESENTATION_STATE_UNSPECIFIED: RepresentationState
REPRESENTATION_STATE_ACTIVE: RepresentationState
REPRESENTATION_STATE_AWAITING_ACCEPTANCE: RepresentationState
REPRESENTATION_STATE_NOT_YET_VALID: RepresentationState
REPRESENTATION_STATE_ENDED: RepresentationState
REPRESENTATION_STATE_EXPIRED: RepresentationState
REPRESENTATION_STATE_BLOCKED: RepresentationState
REPRESENTATION_BLOCKER_KIND_UNSPECIFIED: RepresentationBlockerKind
REPRESENTATION_BLOCKER_KIND_CARE_ORDER: RepresentationBlockerKind
REPRESENTATION_BLOCKER_KIND_NON_DISCLOSURE: RepresentationBlockerKind
MINOR_CAPACITY_UNSPECIFIED: MinorCapacity
MINOR_CAPACITY_NOT_CAPABLE_SHARED: MinorCapacity
MINOR_CAPACITY_CAPABLE_ALLOWS: MinorCapacity
MINOR_CAPACITY_CAPABLE_FORBIDS: MinorCapacity

class RepresentationRight(_message.Message):
    __slots__ = ("id", "kind", "representative_citizen_id", "representative_name", "represented_citizen_id", "represented_name", "represented_birth_date", "codes", "valid_from", "valid_until", "source", "state", "accept_time", "end_time", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REPRESENTATIVE_CITIZEN_ID_FIELD_NUMBER: _ClassVar[int]
    REPRESENTATIVE_NAME_FIELD_NUMBER: _ClassVar[int]
    REPRESENTED_CITIZEN_ID_FIELD_NUMBER: _ClassVar[int]
    REPRESENTED_NAME_FIELD_NUMBER: _ClassVar[int]
    REPRESENTED_BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    CODES_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ACCEPT_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: RepresentationKind
    representative_citizen_id: str
    representative_name: str
    represented_citizen_id: str
    represented_name: str
    represented_birth_date: str
    codes: _containers.RepeatedScalarFieldContainer[MandateCode]
    valid_from: _timestamp_pb2.Timestamp
    valid_until: _timestamp_pb2.Timestamp
    source: RepresentationSource
    state: RepresentationState
    accept_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[RepresentationKind, str]] = ..., representative_citizen_id: _Optional[str] = ..., representative_name: _Optional[str] = ..., represented_citizen_id: _Optional[str] = ..., represented_name: _Optional[str] = ..., represented_birth_date: _Optional[str] = ..., codes: _Optional[_Iterable[_Union[MandateCode, str]]] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., source: _Optional[_Union[RepresentationSource, str]] = ..., state: _Optional[_Union[RepresentationState, str]] = ..., accept_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListRepresentationRightsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRepresentationRightsResponse(_message.Message):
    __slots__ = ("held", "over_me", "next_page_token")
    HELD_FIELD_NUMBER: _ClassVar[int]
    OVER_ME_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    held: _containers.RepeatedCompositeFieldContainer[RepresentationRight]
    over_me: _containers.RepeatedCompositeFieldContainer[RepresentationRight]
    next_page_token: str
    def __init__(self, held: _Optional[_Iterable[_Union[RepresentationRight, _Mapping]]] = ..., over_me: _Optional[_Iterable[_Union[RepresentationRight, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GiveMandateRequest(_message.Message):
    __slots__ = ("representative_identity_code", "codes", "valid_from", "valid_until", "request_id")
    REPRESENTATIVE_IDENTITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CODES_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    representative_identity_code: str
    codes: _containers.RepeatedScalarFieldContainer[MandateCode]
    valid_from: _timestamp_pb2.Timestamp
    valid_until: _timestamp_pb2.Timestamp
    request_id: str
    def __init__(self, representative_identity_code: _Optional[str] = ..., codes: _Optional[_Iterable[_Union[MandateCode, str]]] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class GiveMandateResponse(_message.Message):
    __slots__ = ("right",)
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    right: RepresentationRight
    def __init__(self, right: _Optional[_Union[RepresentationRight, _Mapping]] = ...) -> None: ...

class AcceptMandateRequest(_message.Message):
    __slots__ = ("right_id",)
    RIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    right_id: str
    def __init__(self, right_id: _Optional[str] = ...) -> None: ...

class AcceptMandateResponse(_message.Message):
    __slots__ = ("right",)
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    right: RepresentationRight
    def __init__(self, right: _Optional[_Union[RepresentationRight, _Mapping]] = ...) -> None: ...

class EndRepresentationRightRequest(_message.Message):
    __slots__ = ("right_id", "reason")
    RIGHT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    right_id: str
    reason: str
    def __init__(self, right_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class EndRepresentationRightResponse(_message.Message):
    __slots__ = ("right",)
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    right: RepresentationRight
    def __init__(self, right: _Optional[_Union[RepresentationRight, _Mapping]] = ...) -> None: ...

class RegisterRepresentationRightRequest(_message.Message):
    __slots__ = ("kind", "representative_identity_code", "represented_identity_code", "codes", "valid_from", "valid_until", "reason", "request_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    REPRESENTATIVE_IDENTITY_CODE_FIELD_NUMBER: _ClassVar[int]
    REPRESENTED_IDENTITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CODES_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    kind: RepresentationKind
    representative_identity_code: str
    represented_identity_code: str
    codes: _containers.RepeatedScalarFieldContainer[MandateCode]
    valid_from: _timestamp_pb2.Timestamp
    valid_until: _timestamp_pb2.Timestamp
    reason: str
    request_id: str
    def __init__(self, kind: _Optional[_Union[RepresentationKind, str]] = ..., representative_identity_code: _Optional[str] = ..., represented_identity_code: _Optional[str] = ..., codes: _Optional[_Iterable[_Union[MandateCode, str]]] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class RegisterRepresentationRightResponse(_message.Message):
    __slots__ = ("right",)
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    right: RepresentationRight
    def __init__(self, right: _Optional[_Union[RepresentationRight, _Mapping]] = ...) -> None: ...

class RepresentationBlocker(_message.Message):
    __slots__ = ("id", "kind", "represented_citizen_id", "valid_from", "lift_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REPRESENTED_CITIZEN_ID_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    LIFT_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: RepresentationBlockerKind
    represented_citizen_id: str
    valid_from: _timestamp_pb2.Timestamp
    lift_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[RepresentationBlockerKind, str]] = ..., represented_citizen_id: _Optional[str] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., lift_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordRepresentationBlockerRequest(_message.Message):
    __slots__ = ("kind", "represented_identity_code", "valid_from", "reason", "request_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    REPRESENTED_IDENTITY_CODE_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    kind: RepresentationBlockerKind
    represented_identity_code: str
    valid_from: _timestamp_pb2.Timestamp
    reason: str
    request_id: str
    def __init__(self, kind: _Optional[_Union[RepresentationBlockerKind, str]] = ..., represented_identity_code: _Optional[str] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class RecordRepresentationBlockerResponse(_message.Message):
    __slots__ = ("blocker",)
    BLOCKER_FIELD_NUMBER: _ClassVar[int]
    blocker: RepresentationBlocker
    def __init__(self, blocker: _Optional[_Union[RepresentationBlocker, _Mapping]] = ...) -> None: ...

class LiftRepresentationBlockerRequest(_message.Message):
    __slots__ = ("blocker_id", "reason")
    BLOCKER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    blocker_id: str
    reason: str
    def __init__(self, blocker_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class LiftRepresentationBlockerResponse(_message.Message):
    __slots__ = ("blocker",)
    BLOCKER_FIELD_NUMBER: _ClassVar[int]
    blocker: RepresentationBlocker
    def __init__(self, blocker: _Optional[_Union[RepresentationBlocker, _Mapping]] = ...) -> None: ...

class JudgeMinorCapacityRequest(_message.Message):
    __slots__ = ("case_id", "capacity")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    capacity: MinorCapacity
    def __init__(self, case_id: _Optional[str] = ..., capacity: _Optional[_Union[MinorCapacity, str]] = ...) -> None: ...

class JudgeMinorCapacityResponse(_message.Message):
    __slots__ = ("case_id", "capacity", "decide_time")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    DECIDE_TIME_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    capacity: MinorCapacity
    decide_time: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., capacity: _Optional[_Union[MinorCapacity, str]] = ..., decide_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
