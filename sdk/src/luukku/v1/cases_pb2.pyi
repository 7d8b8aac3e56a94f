import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from luukku.v1 import directory_pb2 as _directory_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ServiceCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERVICE_CATEGORY_UNSPECIFIED: _ClassVar[ServiceCategory]
    SERVICE_CATEGORY_HOME_CARE: _ClassVar[ServiceCategory]
    SERVICE_CATEGORY_SOCIAL_WORK: _ClassVar[ServiceCategory]
    SERVICE_CATEGORY_HEALTH: _ClassVar[ServiceCategory]
    SERVICE_CATEGORY_REHABILITATION: _ClassVar[ServiceCategory]
    SERVICE_CATEGORY_HOUSING: _ClassVar[ServiceCategory]

class CaseStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CASE_STATUS_UNSPECIFIED: _ClassVar[CaseStatus]
    CASE_STATUS_OPEN: _ClassVar[CaseStatus]
    CASE_STATUS_CLOSED: _ClassVar[CaseStatus]
SERVICE_CATEGORY_UNSPECIFIED: ServiceCategory
SERVICE_CATEGORY_HOME_CARE: ServiceCategory
SERVICE_CATEGORY_SOCIAL_WORK: ServiceCategory
SERVICE_CATEGORY_HEALTH: ServiceCategory
SERVICE_CATEGORY_REHABILITATION: ServiceCategory
SERVICE_CATEGORY_HOUSING: ServiceCategory
CASE_STATUS_UNSPECIFIED: CaseStatus
CASE_STATUS_OPEN: CaseStatus
CASE_STATUS_CLOSED: CaseStatus

class Case(_message.Message):
    __slots__ = ("id", "citizen_id", "title", "category", "owner_organization_id", "status", "create_time", "close_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    CITIZEN_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    OWNER_ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CLOSE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    citizen_id: str
    title: str
    category: ServiceCategory
    owner_organization_id: str
    status: CaseStatus
    create_time: _timestamp_pb2.Timestamp
    close_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., citizen_id: _Optional[str] = ..., title: _Optional[str] = ..., category: _Optional[_Union[ServiceCategory, str]] = ..., owner_organization_id: _Optional[str] = ..., status: _Optional[_Union[CaseStatus, str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., close_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Record(_message.Message):
    __slots__ = ("case_id", "record_id", "revision", "kind", "text", "data", "author_organization_id", "author", "create_time")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    record_id: str
    revision: int
    kind: str
    text: str
    data: _struct_pb2.Struct
    author_organization_id: str
    author: _directory_pb2.Practitioner
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., record_id: _Optional[str] = ..., revision: _Optional[int] = ..., kind: _Optional[str] = ..., text: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., author_organization_id: _Optional[str] = ..., author: _Optional[_Union[_directory_pb2.Practitioner, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateCaseRequest(_message.Message):
    __slots__ = ("identity_code", "title", "category", "request_id")
    IDENTITY_CODE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    identity_code: str
    title: str
    category: ServiceCategory
    request_id: str
    def __init__(self, identity_code: _Optional[str] = ..., title: _Optional[str] = ..., category: _Optional[_Union[ServiceCategory, str]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateCaseResponse(_message.Message):
    __slots__ = ("case",)
    CASE_FIELD_NUMBER: _ClassVar[int]
    case: Case
    def __init__(self, case: _Optional[_Union[Case, _Mapping]] = ...) -> None: ...

class GetCaseRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class GetCaseResponse(_message.Message):
    __slots__ = ("case", "caller_access")
    CASE_FIELD_NUMBER: _ClassVar[int]
    CALLER_ACCESS_FIELD_NUMBER: _ClassVar[int]
    case: Case
    caller_access: CaseAccess
    def __init__(self, case: _Optional[_Union[Case, _Mapping]] = ..., caller_access: _Optional[_Union[CaseAccess, _Mapping]] = ...) -> None: ...

class CaseAccess(_message.Message):
    __slots__ = ("owner", "may_read", "may_write_records", "may_discuss", "consent_ids")
    OWNER_FIELD_NUMBER: _ClassVar[int]
    MAY_READ_FIELD_NUMBER: _ClassVar[int]
    MAY_WRITE_RECORDS_FIELD_NUMBER: _ClassVar[int]
    MAY_DISCUSS_FIELD_NUMBER: _ClassVar[int]
    CONSENT_IDS_FIELD_NUMBER: _ClassVar[int]
    owner: bool
    may_read: bool
    may_write_records: bool
    may_discuss: bool
    consent_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, owner: _Optional[bool] = ..., may_read: _Optional[bool] = ..., may_write_records: _Optional[bool] = ..., may_discuss: _Optional[bool] = ..., consent_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ListCasesRequest(_message.Message):
    __slots__ = ("identity_code", "category", "page_size", "page_token")
    IDENTITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    identity_code: str
    category: ServiceCategory
    page_size: int
    page_token: str
    def __init__(self, identity_code: _Optional[str] = ..., category: _Optional[_Union[ServiceCategory, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCasesResponse(_message.Message):
    __slots__ = ("cases", "next_page_token")
    CASES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    cases: _containers.RepeatedCompositeFieldContainer[Case]
    next_page_token: str
    def __init__(self, cases: _Optional[_Iterable[_Union[Case, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CloseCaseRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class CloseCaseResponse(_message.Message):
    __slots__ = ("case",)
    CASE_FIELD_NUMBER: _ClassVar[int]
    case: Case
    def __init__(self, case: _Optional[_Union[Case, _Mapping]] = ...) -> None: ...

class CreateRecordRequest(_message.Message):
    __slots__ = ("case_id", "kind", "text", "data", "request_id")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    kind: str
    text: str
    data: _struct_pb2.Struct
    request_id: str
    def __init__(self, case_id: _Optional[str] = ..., kind: _Optional[str] = ..., text: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateRecordResponse(_message.Message):
    __slots__ = ("record",)
    RECORD_FIELD_NUMBER: _ClassVar[int]
    record: Record
    def __init__(self, record: _Optional[_Union[Record, _Mapping]] = ...) -> None: ...

class ReviseRecordRequest(_message.Message):
    __slots__ = ("case_id", "record_id", "text", "data", "request_id")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    record_id: str
    text: str
    data: _struct_pb2.Struct
    request_id: str
    def __init__(self, case_id: _Optional[str] = ..., record_id: _Optional[str] = ..., text: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class ReviseRecordResponse(_message.Message):
    __slots__ = ("record",)
    RECORD_FIELD_NUMBER: _ClassVar[int]
    record: Record
    def __init__(self, record: _Optional[_Union[Record, _Mapping]] = ...) -> None: ...

class GetRecordRequest(_message.Message):
    __slots__ = ("case_id", "record_id", "revision")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    record_id: str
    revision: int
    def __init__(self, case_id: _Optional[str] = ..., record_id: _Optional[str] = ..., revision: _Optional[int] = ...) -> None: ...

class GetRecordResponse(_message.Message):
    __slots__ = ("record",)
    RECORD_FIELD_NUMBER: _ClassVar[int]
    record: Record
    def __init__(self, record: _Optional[_Union[Record, _Mapping]] = ...) -> None: ...

class ListRecordsRequest(_message.Message):
    __slots__ = ("case_id", "page_size", "page_token")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    page_size: int
    page_token: str
    def __init__(self, case_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRecordsResponse(_message.Message):
    __slots__ = ("records", "next_page_token")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[Record]
    next_page_token: str
    def __init__(self, records: _Optional[_Iterable[_Union[Record, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListRecordRevisionsRequest(_message.Message):
    __slots__ = ("case_id", "record_id", "page_size", "page_token")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    record_id: str
    page_size: int
    page_token: str
    def __init__(self, case_id: _Optional[str] = ..., record_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRecordRevisionsResponse(_message.Message):
    __slots__ = ("records", "next_page_token")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[Record]
    next_page_token: str
    def __init__(self, records: _Optional[_Iterable[_Union[Record, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
