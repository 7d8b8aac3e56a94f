import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from luukku.v1 import directory_pb2 as _directory_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AuditOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUDIT_OUTCOME_UNSPECIFIED: _ClassVar[AuditOutcome]
    AUDIT_OUTCOME_ALLOWED: _ClassVar[AuditOutcome]
    AUDIT_OUTCOME_DENIED: _ClassVar[AuditOutcome]
AUDIT_OUTCOME_UNSPECIFIED: AuditOutcome
AUDIT_OUTCOME_ALLOWED: AuditOutcome
AUDIT_OUTCOME_DENIED: AuditOutcome

class AuditEvent(_message.Message):
    __slots__ = ("sequence", "id", "time", "organization_id", "certificate_fingerprint", "practitioner", "acting_for_citizen_id", "action", "resource", "subject_citizen_id", "outcome", "reason", "consent_id", "request_id", "leaf_hash", "leaf_bytes", "leaf_index", "representative_name")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_FINGERPRINT_FIELD_NUMBER: _ClassVar[int]
    PRACTITIONER_FIELD_NUMBER: _ClassVar[int]
    ACTING_FOR_CITIZEN_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_CITIZEN_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    LEAF_HASH_FIELD_NUMBER: _ClassVar[int]
    LEAF_BYTES_FIELD_NUMBER: _ClassVar[int]
    LEAF_INDEX_FIELD_NUMBER: _ClassVar[int]
    REPRESENTATIVE_NAME_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    id: str
    time: _timestamp_pb2.Timestamp
    organization_id: str
    certificate_fingerprint: str
    practitioner: _directory_pb2.Practitioner
    acting_for_citizen_id: str
    action: str
    resource: str
    subject_citizen_id: str
    outcome: AuditOutcome
    reason: str
    consent_id: str
    request_id: str
    leaf_hash: str
    leaf_bytes: bytes
    leaf_index: int
    representative_name: str
    def __init__(self, sequence: _Optional[int] = ..., id: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., organization_id: _Optional[str] = ..., certificate_fingerprint: _Optional[str] = ..., practitioner: _Optional[_Union[_directory_pb2.Practitioner, _Mapping]] = ..., acting_for_citizen_id: _Optional[str] = ..., action: _Optional[str] = ..., resource: _Optional[str] = ..., subject_citizen_id: _Optional[str] = ..., outcome: _Optional[_Union[AuditOutcome, str]] = ..., reason: _Optional[str] = ..., consent_id: _Optional[str] = ..., request_id: _Optional[str] = ..., leaf_hash: _Optional[str] = ..., leaf_bytes: _Optional[bytes] = ..., leaf_index: _Optional[int] = ..., representative_name: _Optional[str] = ...) -> None: ...

class ListAuditEventsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "organization_id", "case_id", "outcome", "exclude_own")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_OWN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    organization_id: str
    case_id: str
    outcome: AuditOutcome
    exclude_own: bool
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., organization_id: _Optional[str] = ..., case_id: _Optional[str] = ..., outcome: _Optional[_Union[AuditOutcome, str]] = ..., exclude_own: _Optional[bool] = ...) -> None: ...

class ListAuditEventsResponse(_message.Message):
    __slots__ = ("events", "next_page_token")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[AuditEvent]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[AuditEvent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SummarizeAuditEventsRequest(_message.Message):
    __slots__ = ("since", "exclude_own")
    SINCE_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_OWN_FIELD_NUMBER: _ClassVar[int]
    since: _timestamp_pb2.Timestamp
    exclude_own: bool
    def __init__(self, since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., exclude_own: _Optional[bool] = ...) -> None: ...

class SummarizeAuditEventsResponse(_message.Message):
    __slots__ = ("counts",)
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    counts: _containers.RepeatedCompositeFieldContainer[OrganizationAccessCount]
    def __init__(self, counts: _Optional[_Iterable[_Union[OrganizationAccessCount, _Mapping]]] = ...) -> None: ...

class OrganizationAccessCount(_message.Message):
    __slots__ = ("organization_id", "allowed", "denied")
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    DENIED_FIELD_NUMBER: _ClassVar[int]
    organization_id: str
    allowed: int
    denied: int
    def __init__(self, organization_id: _Optional[str] = ..., allowed: _Optional[int] = ..., denied: _Optional[int] = ...) -> None: ...

class WatchAuditEventsRequest(_message.Message):
    __slots__ = ("after_sequence", "organization_id", "case_id", "outcome", "exclude_own")
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_OWN_FIELD_NUMBER: _ClassVar[int]
    after_sequence: int
    organization_id: str
    case_id: str
    outcome: AuditOutcome
    exclude_own: bool
    def __init__(self, after_sequence: _Optional[int] = ..., organization_id: _Optional[str] = ..., case_id: _Optional[str] = ..., outcome: _Optional[_Union[AuditOutcome, str]] = ..., exclude_own: _Optional[bool] = ...) -> None: ...

class WatchAuditEventsResponse(_message.Message):
    __slots__ = ("event", "heartbeat")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    event: AuditEvent
    heartbeat: AuditHeartbeat
    def __init__(self, event: _Optional[_Union[AuditEvent, _Mapping]] = ..., heartbeat: _Optional[_Union[AuditHeartbeat, _Mapping]] = ...) -> None: ...

class AuditHeartbeat(_message.Message):
    __slots__ = ("last_sequence",)
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    last_sequence: int
    def __init__(self, last_sequence: _Optional[int] = ...) -> None: ...

class GetCheckpointRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetCheckpointResponse(_message.Message):
    __slots__ = ("note",)
    NOTE_FIELD_NUMBER: _ClassVar[int]
    note: str
    def __init__(self, note: _Optional[str] = ...) -> None: ...

class GetInclusionProofRequest(_message.Message):
    __slots__ = ("sequence", "tree_size")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    tree_size: int
    def __init__(self, sequence: _Optional[int] = ..., tree_size: _Optional[int] = ...) -> None: ...

class GetInclusionProofResponse(_message.Message):
    __slots__ = ("sequence", "leaf_index", "tree_size", "leaf_hash", "leaf_bytes", "hashes")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    LEAF_INDEX_FIELD_NUMBER: _ClassVar[int]
    TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    LEAF_HASH_FIELD_NUMBER: _ClassVar[int]
    LEAF_BYTES_FIELD_NUMBER: _ClassVar[int]
    HASHES_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    leaf_bytes: bytes
    hashes: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, sequence: _Optional[int] = ..., leaf_index: _Optional[int] = ..., tree_size: _Optional[int] = ..., leaf_hash: _Optional[bytes] = ..., leaf_bytes: _Optional[bytes] = ..., hashes: _Optional[_Iterable[bytes]] = ...) -> None: ...

class GetConsistencyProofRequest(_message.Message):
    __slots__ = ("old_size", "new_size")
    OLD_SIZE_FIELD_NUMBER: _ClassVar[int]
    NEW_SIZE_FIELD_NUMBER: _ClassVar[int]
    old_size: int
    new_size: int
    def __init__(self, old_size: _Optional[int] = ..., new_size: _Optional[int] = ...) -> None: ...

class GetConsistencyProofResponse(_message.Message):
    __slots__ = ("old_size", "new_size", "hashes")
    OLD_SIZE_FIELD_NUMBER: _ClassVar[int]
    NEW_SIZE_FIELD_NUMBER: _ClassVar[int]
    HASHES_FIELD_NUMBER: _ClassVar[int]
    old_size: int
    new_size: int
    hashes: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, old_size: _Optional[int] = ..., new_size: _Optional[int] = ..., hashes: _Optional[_Iterable[bytes]] = ...) -> None: ...
