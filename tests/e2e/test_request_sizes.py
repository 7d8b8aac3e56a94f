"""Requests larger than any valid one of their method are refused before they are parsed.

Parsing happens on the event loop every caller shares: a huge request that the
documented limits would refuse anyway must not be parsed first. The proof that
it is not parsed: bytes that are no message at all get the size reason, not
MALFORMED_REQUEST, once they are one byte over the limit.
"""

from __future__ import annotations

import grpc
from google.protobuf import struct_pb2
from google.rpc import error_details_pb2, status_pb2

from luukku.domain.cases import MAX_DATA_BYTES, MAX_TEXT_BYTES
from luukku.domain.organizations import OrgKind
from luukku.server.gate.sizes import RECORD_REQUEST_BYTES, REQUEST_BYTES
from luukku.store.uow import Store
from luukku.v1 import cases_pb2

CITIZEN = "131052-308T"
CREATE_RECORD = "/luukku.v1.CaseService/CreateRecord"
POST_MESSAGE = "/luukku.v1.ThreadService/PostMessage"


def _reason(error: grpc.aio.AioRpcError) -> str:
    raw = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    for detail in status_pb2.Status.FromString(raw).details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info.reason
    raise AssertionError("no ErrorInfo")


async def _send(channel: grpc.aio.Channel, path: str, payload: bytes, request_id: str) -> str:
    """Send raw bytes; "OK", or the status and ErrorInfo reason they were refused with."""
    unary = channel.unary_unary(path, request_serializer=None, response_deserializer=None)
    try:
        await unary(payload, metadata=(("x-request-id", request_id),), timeout=10)
    except grpc.aio.AioRpcError as error:
        return f"{error.code().name} {_reason(error)}"
    return "OK"


def _refusals(store: Store, request_id: str) -> list[tuple[str, str, str]]:
    with store.read() as tx:
        return [
            (s.event.action, s.event.outcome.value, s.event.reason)
            for s in tx.audit.scan()
            if s.event.request_id == request_id
        ]


async def test_bytes_over_the_limit_get_the_size_reason_where_parsing_them_would_fail(
    register_org, raw_channel, store
):
    channel = raw_channel(register_org("helsinki-social", OrgKind.PUBLIC))
    garbage = b"\xff"  # a field of wire type 7: no message parses

    assert await _send(channel, CREATE_RECORD, garbage * RECORD_REQUEST_BYTES, "at") == (
        "INVALID_ARGUMENT MALFORMED_REQUEST"
    )
    assert await _send(channel, CREATE_RECORD, garbage * (RECORD_REQUEST_BYTES + 1), "over") == (
        "INVALID_ARGUMENT REQUEST_TOO_LARGE"
    )
    other = raw_channel(register_org("hoiva-oy", OrgKind.PRIVATE))
    assert await _send(other, POST_MESSAGE, garbage * (REQUEST_BYTES + 1), "message") == (
        "INVALID_ARGUMENT REQUEST_TOO_LARGE"
    )
    # Audited like any refusal (a caller's repeats within a minute are counted in one event).
    assert _refusals(store, "over") == [
        ("rpc:CaseService/CreateRecord", "denied", "REQUEST_TOO_LARGE")
    ]
    assert _refusals(store, "message") == [
        ("rpc:ThreadService/PostMessage", "denied", "REQUEST_TOO_LARGE")
    ]


async def test_a_struct_of_many_fields_is_refused_unparsed_and_the_largest_valid_record_is_not(
    register_org, connect, raw_channel, store
):
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    case = await (await connect(tls)).create_case(CITIZEN, title="Care", category="home_care")
    channel = raw_channel(tls)

    flood = struct_pb2.Struct()
    flood.update({f"f{n}": n for n in range(20_000)})
    huge = cases_pb2.CreateRecordRequest(case_id=case.id, kind="note", data=flood)
    assert await _send(channel, CREATE_RECORD, huge.SerializeToString(), "flood") == (
        "INVALID_ARGUMENT REQUEST_TOO_LARGE"
    )

    # Text and data each at their documented maximum, every id at its longest.
    data = struct_pb2.Struct()
    length = MAX_DATA_BYTES
    while data.ByteSize() != MAX_DATA_BYTES:  # the length prefixes grow with the string
        length -= 1
        data.update({"t": "d" * length})
    largest = cases_pb2.CreateRecordRequest(
        case_id=case.id, kind="k" * 64, text="x" * MAX_TEXT_BYTES, data=data, request_id="r" * 128
    )
    assert await _send(channel, CREATE_RECORD, largest.SerializeToString(), "largest") == "OK"
