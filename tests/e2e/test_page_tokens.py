"""Forged, foreign and out-of-range page tokens are INVALID_ARGUMENT, never INTERNAL."""

from __future__ import annotations

import base64
import json

import grpc
import pytest

from luukku.domain.organizations import OrgKind
from luukku.v1 import (
    audit_pb2,
    audit_pb2_grpc,
    cases_pb2,
    cases_pb2_grpc,
    consents_pb2,
    consents_pb2_grpc,
    threads_pb2,
    threads_pb2_grpc,
)

CITIZEN = "131052-308T"


def _token(payload: object) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


FORGED = [
    pytest.param(_token({"k": "cases", "p": 5}), id="cases-position-of-wrong-type"),
    pytest.param(_token({"k": "records", "p": 2**63}), id="bare-position-above-int64"),
    pytest.param(_token({"k": "audit", "p": 2**63}), id="audit-position-above-int64"),
    pytest.param(_token({"k": "messages", "p": True}), id="bare-boolean-position"),
    pytest.param(_token({"k": "threads", "p": -5}), id="bare-negative-offset"),
    pytest.param(_token({"k": "consents", "p": [1, 2, 3]}), id="consents-wrong-shape"),
    pytest.param(_token({"k": "records", "p": [2**63]}), id="position-above-int64"),
    pytest.param(_token({"k": "records", "p": [True]}), id="boolean-position"),
    pytest.param(_token({"k": "records", "p": [-5]}), id="negative-position"),
    pytest.param(_token({"k": "records", "p": ["5"]}), id="text-position"),
    pytest.param(_token([1, 2]), id="not-an-object"),
    pytest.param("%%%", id="not-base64"),
    pytest.param(base64.urlsafe_b64encode(b"\xff\xfe").decode(), id="not-utf8"),
    pytest.param("A" * 10_000, id="huge"),
]


async def _setup(register_org, connect, raw_channel):
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    social = await connect(tls)
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    records = [
        await social.create_record(case.id, kind="note", text=f"Note {n}.") for n in range(3)
    ]
    thread = await social.create_thread(case.id, subject="Plan")
    return raw_channel(tls), case, thread, records[0].record_id


@pytest.mark.parametrize("token", FORGED)
async def test_a_forged_page_token_is_refused_by_every_listing(
    register_org, connect, raw_channel, token
):
    channel, case, thread, record_id = await _setup(register_org, connect, raw_channel)
    cases = cases_pb2_grpc.CaseServiceStub(channel)
    threads = threads_pb2_grpc.ThreadServiceStub(channel)
    listings = [
        cases.ListCases(cases_pb2.ListCasesRequest(page_token=token)),
        cases.ListRecords(cases_pb2.ListRecordsRequest(case_id=case.id, page_token=token)),
        cases.ListRecordRevisions(
            cases_pb2.ListRecordRevisionsRequest(
                case_id=case.id, record_id=record_id, page_token=token
            )
        ),
        threads.ListThreads(threads_pb2.ListThreadsRequest(case_id=case.id, page_token=token)),
        threads.ListMessages(
            threads_pb2.ListMessagesRequest(thread_id=thread.id, page_token=token)
        ),
        consents_pb2_grpc.ConsentServiceStub(channel).ListConsents(
            consents_pb2.ListConsentsRequest(page_token=token)
        ),
        audit_pb2_grpc.AuditServiceStub(channel).ListAuditEvents(
            audit_pb2.ListAuditEventsRequest(page_token=token)
        ),
    ]
    for call in listings:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await call
        assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT, refused.value.details()


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
