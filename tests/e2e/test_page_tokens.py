"""Forged, foreign and out-of-range page tokens are INVALID_ARGUMENT, never INTERNAL."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import grpc
import pytest
from google.protobuf import message_factory
from rpc_catalog import all_methods

from luukku.client import TLSConfig
from luukku.client._errors import from_rpc_error
from luukku.domain.organizations import OrgKind
from luukku.service.desks import admin as desks
from luukku.v1 import cases_pb2, cases_pb2_grpc

CITIZEN = "131052-308T"


def _token(payload: object) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


FORGED = {  # what each forgery is: the token
    "cases-position-of-wrong-type": _token({"k": "cases", "p": 5}),
    "bare-position-above-int64": _token({"k": "records", "p": 2**63}),
    "audit-position-above-int64": _token({"k": "audit", "p": 2**63}),
    "bare-boolean-position": _token({"k": "messages", "p": True}),
    "bare-negative-offset": _token({"k": "threads", "p": -5}),
    "consents-wrong-shape": _token({"k": "consents", "p": [1, 2, 3]}),
    "position-above-int64": _token({"k": "records", "p": [2**63]}),
    "boolean-position": _token({"k": "records", "p": [True]}),
    "negative-position": _token({"k": "records", "p": [-5]}),
    "text-position": _token({"k": "records", "p": ["5"]}),
    "not-an-object": _token([1, 2]),
    "not-base64": "%%%",
    "not-utf8": base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    "huge": "A" * 10_000,
}


async def _setup(register_org, connect, raw_channel):
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    social = await connect(tls)
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    records = [
        await social.create_record(case.id, kind="note", text=f"Note {n}.") for n in range(3)
    ]
    thread = await social.create_thread(case.id, subject="Plan")
    return raw_channel(tls), case, thread, records[0].record_id


# Every listing, from the service descriptors: a new List RPC is covered at once.
LISTINGS = [
    (path, method)
    for path, method in all_methods()
    if "page_token" in method.input_type.fields_by_name
]


def test_every_list_rpc_takes_a_page_token():
    names = [method.name for _, method in all_methods()]
    listed = [n for n in names if n.startswith("List")]
    assert listed == [m.name for _, m in LISTINGS]


@pytest.fixture
async def listed(parties, store, pki, raw_channel) -> tuple[grpc.aio.Channel, dict[str, str]]:
    """A channel of helsinki-social, and something in each of its listings: the ids that
    name what a listing lists (a case, a record, a thread, a desk, an inquiry)."""
    social, _, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    record = await social.create_record(case.id, kind="note", text="Note.")
    thread = await social.create_thread(case.id, subject="Plan")
    desks.create_desk(
        store,
        "advice",
        name="Advice",
        topics=["general"],
        overflow=timedelta(0),
        reopen_within=timedelta(days=1),
    )
    desks.add_member(store, "advice", "helsinki-social")
    inquiry = await portal.create_inquiry(
        "advice", topic="general", subject="Which office?", body="Who handles this?"
    )
    ids = {
        "case_id": case.id,
        "record_id": record.record_id,
        "thread_id": thread.id,
        "desk_id": "advice",
        "inquiry_id": inquiry.id,
    }
    return raw_channel(TLSConfig.from_pki_dir(pki.root, "helsinki-social")), ids


@pytest.mark.parametrize(("path", "method"), [pytest.param(*m, id=m[1].name) for m in LISTINGS])
async def test_a_forged_page_token_is_refused_by_every_listing(listed, path, method):
    channel, ids = listed
    request_class = message_factory.GetMessageClass(method.input_type)
    call = channel.unary_unary(
        path,
        request_serializer=request_class.SerializeToString,
        response_deserializer=message_factory.GetMessageClass(method.output_type).FromString,
    )
    named = {f: ids[f] for f in method.input_type.fields_by_name if f in ids}
    for forgery, token in FORGED.items():
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await call(request_class(page_token=token, **named))
        error = from_rpc_error(refused.value)
        assert error.code is grpc.StatusCode.INVALID_ARGUMENT, (forgery, error)
        assert error.reason == "INVALID_PAGE_TOKEN", (forgery, error)


async def test_a_page_token_works_only_in_the_listing_and_filters_it_was_issued_for(
    register_org, connect, raw_channel
):
    channel, case, _, _ = await _setup(register_org, connect, raw_channel)
    cases = cases_pb2_grpc.CaseServiceStub(channel)
    first = await cases.ListRecords(cases_pb2.ListRecordsRequest(case_id=case.id, page_size=1))
    assert first.next_page_token

    second = await cases.ListRecords(
        cases_pb2.ListRecordsRequest(case_id=case.id, page_size=1, page_token=first.next_page_token)
    )
    assert [r.text for r in second.records] == ["Note 1."]

    other_case = (
        await cases.CreateCase(
            cases_pb2.CreateCaseRequest(
                identity_code=CITIZEN, title="Housing", category=cases_pb2.SERVICE_CATEGORY_HOUSING
            )
        )
    ).case
    with pytest.raises(grpc.aio.AioRpcError) as other_filters:
        await cases.ListRecords(
            cases_pb2.ListRecordsRequest(case_id=other_case.id, page_token=first.next_page_token)
        )
    assert other_filters.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "other filters" in other_filters.value.details()
    with pytest.raises(grpc.aio.AioRpcError) as other_listing:
        await cases.ListCases(cases_pb2.ListCasesRequest(page_token=first.next_page_token))
    assert other_listing.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "another listing" in other_listing.value.details()
