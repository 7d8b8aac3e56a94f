import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from luukku.v1 import directory_pb2 as _directory_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Thread(_message.Message):
    __slots__ = ("id", "case_id", "subject", "created_by_organization_id", "create_time", "last_sequence", "unread_count")
    ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    UNREAD_COUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    case_id: str
    subject: str
    created_by_organization_id: str
    create_time: _timestamp_pb2.Timestamp
    last_sequence: int
    unread_count: int
    def __init__(self, id: _Optional[str] = ..., case_id: _Optional[str] = ..., subject: _Optional[str] = ..., created_by_organization_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_sequence: _Optional[int] = ..., unread_count: _Optional[int] = ...) -> None: ...

class Message(_message.Message):
    __slots__ = ("thread_id", "sequence", "author_organization_id", "author", "author_citizen_id", "body", "corrects_sequence", "create_time")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_CITIZEN_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CORRECTS_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    sequence: int
    author_organization_id: str
    author: _directory_pb2.Practitioner
    author_citizen_id: str
    body: str
    corrects_sequence: int
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, thread_id: _Optional[str] = ..., sequence: _Optional[int] = ..., author_organization_id: _Optional[str] = ..., author: _Optional[_Union[_directory_pb2.Practitioner, _Mapping]] = ..., author_citizen_id: _Optional[str] = ..., body: _Optional[str] = ..., corrects_sequence: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateThreadRequest(_message.Message):
    __slots__ = ("case_id", "subject", "request_id")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    subject: str
    request_id: str
    def __init__(self, case_id: _Optional[str] = ..., subject: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateThreadResponse(_message.Message):
    __slots__ = ("thread",)
    THREAD_FIELD_NUMBER: _ClassVar[int]
    thread: Thread
    def __init__(self, thread: _Optional[_Union[Thread, _Mapping]] = ...) -> None: ...

class GetThreadRequest(_message.Message):
    __slots__ = ("thread_id",)
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    def __init__(self, thread_id: _Optional[str] = ...) -> None: ...

class GetThreadResponse(_message.Message):
    __slots__ = ("thread", "read_marks")
    THREAD_FIELD_NUMBER: _ClassVar[int]
    READ_MARKS_FIELD_NUMBER: _ClassVar[int]
    thread: Thread
    read_marks: _containers.RepeatedCompositeFieldContainer[ReadMark]
    def __init__(self, thread: _Optional[_Union[Thread, _Mapping]] = ..., read_marks: _Optional[_Iterable[_Union[ReadMark, _Mapping]]] = ...) -> None: ...

class ListThreadsRequest(_message.Message):
    __slots__ = ("case_id", "page_size", "page_token")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    page_size: int
    page_token: str
    def __init__(self, case_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListThreadsResponse(_message.Message):
    __slots__ = ("threads", "next_page_token")
    THREADS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    threads: _containers.RepeatedCompositeFieldContainer[Thread]
    next_page_token: str
    def __init__(self, threads: _Optional[_Iterable[_Union[Thread, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SummarizeUnreadRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SummarizeUnreadResponse(_message.Message):
    __slots__ = ("threads", "unread_thread_count", "total_unread_count")
    THREADS_FIELD_NUMBER: _ClassVar[int]
    UNREAD_THREAD_COUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_UNREAD_COUNT_FIELD_NUMBER: _ClassVar[int]
    threads: _containers.RepeatedCompositeFieldContainer[Thread]
    unread_thread_count: int
    total_unread_count: int
    def __init__(self, threads: _Optional[_Iterable[_Union[Thread, _Mapping]]] = ..., unread_thread_count: _Optional[int] = ..., total_unread_count: _Optional[int] = ...) -> None: ...

class PostMessageRequest(_message.Message):
    __slots__ = ("thread_id", "body", "corrects_sequence", "request_id")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CORRECTS_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    body: str
    corrects_sequence: int
    request_id: str
    def __init__(self, thread_id: _Optional[str] = ..., body: _Optional[str] = ..., corrects_sequence: _Optional[int] = ..., request_id: _Optional[str] = ...) -> None: ...

class PostMessageResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: Message
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

class ListMessagesRequest(_message.Message):
    __slots__ = ("thread_id", "after_sequence", "page_size", "page_token")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    after_sequence: int
    page_size: int
    page_token: str
    def __init__(self, thread_id: _Optional[str] = ..., after_sequence: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMessagesResponse(_message.Message):
    __slots__ = ("messages", "next_page_token")
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[Message]
    next_page_token: str
    def __init__(self, messages: _Optional[_Iterable[_Union[Message, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class MarkReadRequest(_message.Message):
    __slots__ = ("thread_id", "sequence")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    sequence: int
    def __init__(self, thread_id: _Optional[str] = ..., sequence: _Optional[int] = ...) -> None: ...

class MarkReadResponse(_message.Message):
    __slots__ = ("thread",)
    THREAD_FIELD_NUMBER: _ClassVar[int]
    thread: Thread
    def __init__(self, thread: _Optional[_Union[Thread, _Mapping]] = ...) -> None: ...

class WatchThreadRequest(_message.Message):
    __slots__ = ("thread_id", "after_sequence")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    after_sequence: int
    def __init__(self, thread_id: _Optional[str] = ..., after_sequence: _Optional[int] = ...) -> None: ...

class WatchThreadResponse(_message.Message):
    __slots__ = ("message", "heartbeat", "read_mark")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    READ_MARK_FIELD_NUMBER: _ClassVar[int]
    message: Message
    heartbeat: Heartbeat
    read_mark: ReadMark
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ..., heartbeat: _Optional[_Union[Heartbeat, _Mapping]] = ..., read_mark: _Optional[_Union[ReadMark, _Mapping]] = ...) -> None: ...

class ReadMark(_message.Message):
    __slots__ = ("thread_id", "organization_id", "citizen_id", "sequence", "mark_time")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    CITIZEN_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    MARK_TIME_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    organization_id: str
    citizen_id: str
    sequence: int
    mark_time: _timestamp_pb2.Timestamp
    def __init__(self, thread_id: _Optional[str] = ..., organization_id: _Optional[str] = ..., citizen_id: _Optional[str] = ..., sequence: _Optional[int] = ..., mark_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Heartbeat(_message.Message):
    __slots__ = ("last_sequence",)
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    last_sequence: int
    def __init__(self, last_sequence: _Optional[int] = ...) -> None: ...
