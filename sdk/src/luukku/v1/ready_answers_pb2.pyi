import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from luukku.v1 import directory_pb2 as _directory_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReadyAnswer(_message.Message):
    __slots__ = ("id", "desk_id", "title", "text_fi", "text_sv", "text_en", "revision", "create_organization_id", "create_practitioner", "create_time", "update_organization_id", "update_practitioner", "update_time", "delete_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FI_FIELD_NUMBER: _ClassVar[int]
    TEXT_SV_FIELD_NUMBER: _ClassVar[int]
    TEXT_EN_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    CREATE_ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_PRACTITIONER_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATE_PRACTITIONER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DELETE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    desk_id: str
    title: str
    text_fi: str
    text_sv: str
    text_en: str
    revision: int
    create_organization_id: str
    create_practitioner: _directory_pb2.Practitioner
    create_time: _timestamp_pb2.Timestamp
    update_organization_id: str
    update_practitioner: _directory_pb2.Practitioner
    update_time: _timestamp_pb2.Timestamp
    delete_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., desk_id: _Optional[str] = ..., title: _Optional[str] = ..., text_fi: _Optional[str] = ..., text_sv: _Optional[str] = ..., text_en: _Optional[str] = ..., revision: _Optional[int] = ..., create_organization_id: _Optional[str] = ..., create_practitioner: _Optional[_Union[_directory_pb2.Practitioner, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_organization_id: _Optional[str] = ..., update_practitioner: _Optional[_Union[_directory_pb2.Practitioner, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delete_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListReadyAnswersRequest(_message.Message):
    __slots__ = ("desk_id", "page_size", "page_token")
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    desk_id: str
    page_size: int
    page_token: str
    def __init__(self, desk_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListReadyAnswersResponse(_message.Message):
    __slots__ = ("ready_answers", "next_page_token")
    READY_ANSWERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ready_answers: _containers.RepeatedCompositeFieldContainer[ReadyAnswer]
    next_page_token: str
    def __init__(self, ready_answers: _Optional[_Iterable[_Union[ReadyAnswer, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetReadyAnswerRequest(_message.Message):
    __slots__ = ("desk_id", "ready_answer_id")
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    READY_ANSWER_ID_FIELD_NUMBER: _ClassVar[int]
    desk_id: str
    ready_answer_id: str
    def __init__(self, desk_id: _Optional[str] = ..., ready_answer_id: _Optional[str] = ...) -> None: ...

class GetReadyAnswerResponse(_message.Message):
    __slots__ = ("ready_answer",)
    READY_ANSWER_FIELD_NUMBER: _ClassVar[int]
    ready_answer: ReadyAnswer
    def __init__(self, ready_answer: _Optional[_Union[ReadyAnswer, _Mapping]] = ...) -> None: ...

class CreateReadyAnswerRequest(_message.Message):
    __slots__ = ("desk_id", "title", "text_fi", "text_sv", "text_en", "request_id")
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FI_FIELD_NUMBER: _ClassVar[int]
    TEXT_SV_FIELD_NUMBER: _ClassVar[int]
    TEXT_EN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    desk_id: str
    title: str
    text_fi: str
    text_sv: str
    text_en: str
    request_id: str
    def __init__(self, desk_id: _Optional[str] = ..., title: _Optional[str] = ..., text_fi: _Optional[str] = ..., text_sv: _Optional[str] = ..., text_en: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateReadyAnswerResponse(_message.Message):
    __slots__ = ("ready_answer",)
    READY_ANSWER_FIELD_NUMBER: _ClassVar[int]
    ready_answer: ReadyAnswer
    def __init__(self, ready_answer: _Optional[_Union[ReadyAnswer, _Mapping]] = ...) -> None: ...

class UpdateReadyAnswerRequest(_message.Message):
    __slots__ = ("desk_id", "ready_answer_id", "revision", "title", "text_fi", "text_sv", "text_en")
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    READY_ANSWER_ID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FI_FIELD_NUMBER: _ClassVar[int]
    TEXT_SV_FIELD_NUMBER: _ClassVar[int]
    TEXT_EN_FIELD_NUMBER: _ClassVar[int]
    desk_id: str
    ready_answer_id: str
    revision: int
    title: str
    text_fi: str
    text_sv: str
    text_en: str
    def __init__(self, desk_id: _Optional[str] = ..., ready_answer_id: _Optional[str] = ..., revision: _Optional[int] = ..., title: _Optional[str] = ..., text_fi: _Optional[str] = ..., text_sv: _Optional[str] = ..., text_en: _Optional[str] = ...) -> None: ...

class UpdateReadyAnswerResponse(_message.Message):
    __slots__ = ("ready_answer",)
    READY_ANSWER_FIELD_NUMBER: _ClassVar[int]
    ready_answer: ReadyAnswer
    def __init__(self, ready_answer: _Optional[_Union[ReadyAnswer, _Mapping]] = ...) -> None: ...

class DeleteReadyAnswerRequest(_message.Message):
    __slots__ = ("desk_id", "ready_answer_id")
    DESK_ID_FIELD_NUMBER: _ClassVar[int]
    READY_ANSWER_ID_FIELD_NUMBER: _ClassVar[int]
    desk_id: str
    ready_answer_id: str
    def __init__(self, desk_id: _Optional[str] = ..., ready_answer_id: _Optional[str] = ...) -> None: ...

class DeleteReadyAnswerResponse(_message.Message):
    __slots__ = ("ready_answer",)
    READY_ANSWER_FIELD_NUMBER: _ClassVar[int]
    ready_answer: ReadyAnswer
    def __init__(self, ready_answer: _Optional[_Union[ReadyAnswer, _Mapping]] = ...) -> None: ...
