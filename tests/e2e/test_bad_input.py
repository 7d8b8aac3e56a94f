"""Bad input is INVALID_ARGUMENT with a field violation, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import math

import grpc
import pytest
from citizen_tokens import TestIssuer
from google.protobuf import struct_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from luukku.client._errors import from_rpc_error
from luukku.domain.organizations import OrgKind
from luukku.v1 import (
    cases_pb2,
    cases_pb2_grpc,
    consents_pb2,
    consents_pb2_grpc,
    directory_pb2,
    directory_pb2_grpc,
    threads_pb2,
    threads_pb2_grpc,
)

CITIZEN = "131052-308T"


@pytest.fixture
async def setup(register_org, connect, raw_channel):
    social_tls = register_org("helsinki-social", OrgKind.PUBLIC)
    portal_tls = register_org("omaportaali", OrgKind.PORTAL)
    social = await connect(social_tls)
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    thread = await social.create_thread(case.id, subject="Plan")
    return raw_channel(social_tls), raw_channel(portal_tls), case, thread


@pytest.fixture
def on_behalf(citizen_issuer: TestIssuer) -> tuple[tuple[str, str], ...]:
    """A portal acting for the citizen, with the token that proves them."""
    token = citizen_issuer.signer.mint(CITIZEN)
    return (("luukku-on-behalf-of", CITIZEN), ("authorization", f"Bearer {token}"))


async def _refused(call, field: str) -> str:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call
    error = from_rpc_error(refused.value)
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT, refused.value
    assert any(v.field.startswith(field) for v in error.field_violations), error
    return error.reason


def _stamp(seconds: int, nanos: int = 0) -> Timestamp:
    return Timestamp(seconds=seconds, nanos=nanos)


@pytest.mark.parametrize(
    ("field", "stamp"),
    [
        ("valid_until", _stamp(253402300800)),
        ("valid_until", _stamp(2_000_000_000, 1_000_000_000)),
        ("valid_until", _stamp(2_000_000_000, -1)),
        ("valid_from", _stamp(-(2**62))),
    ],
)
async def test_a_timestamp_out_of_range_is_refused(setup, on_behalf, field, stamp):
    _, portal, case, _ = setup
    stub = consents_pb2_grpc.ConsentServiceStub(portal)
    request = consents_pb2.GrantConsentRequest(
        organization_id="helsinki-social",
        case_id=case.id,
        permissions=[consents_pb2.CONSENT_PERMISSION_READ_RECORDS],
        purpose="Care",
        valid_until=_stamp(2_000_000_000),
    )
    getattr(request, field).CopyFrom(stamp)

    reason = await _refused(stub.GrantConsent(request, metadata=on_behalf), field)
    assert reason == "INVALID_TIMESTAMP"


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
async def test_a_number_that_json_cannot_hold_is_refused(setup, number):
    social, _, case, _ = setup
    data = struct_pb2.Struct()
    data.update({"visits": {"per_day": number}})
    request = cases_pb2.CreateRecordRequest(case_id=case.id, kind="note", text="x", data=data)

    reason = await _refused(cases_pb2_grpc.CaseServiceStub(social).CreateRecord(request), "data")
    assert reason == "INVALID_DATA"


async def test_a_struct_over_its_limit_is_refused_as_too_large(setup):
    social, _, case, _ = setup
    data = struct_pb2.Struct()
    data.update({f"k{n}": n for n in range(4_000)})  # about 80 KB: over 64 KiB, parsed
    request = cases_pb2.CreateRecordRequest(case_id=case.id, kind="note", text="x", data=data)

    reason = await _refused(cases_pb2_grpc.CaseServiceStub(social).CreateRecord(request), "data")
    assert reason == "RECORD_TOO_LARGE"


async def test_a_huge_struct_is_refused_by_its_size_before_it_is_parsed(setup):
    social, _, case, _ = setup
    data = struct_pb2.Struct()
    data.update({f"k{n}": n for n in range(190_000)})
    request = cases_pb2.CreateRecordRequest(case_id=case.id, kind="note", text="x", data=data)

    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await cases_pb2_grpc.CaseServiceStub(social).CreateRecord(request)
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert from_rpc_error(refused.value).reason == "REQUEST_TOO_LARGE"


async def test_a_deeply_nested_struct_is_refused(setup):
    social, _, case, _ = setup
    nested: dict = {}
    inner = nested
    for _ in range(25):
        inner["x"] = {}
        inner = inner["x"]
    data = struct_pb2.Struct()
    data.update(nested)
    request = cases_pb2.CreateRecordRequest(case_id=case.id, kind="note", text="x", data=data)

    reason = await _refused(cases_pb2_grpc.CaseServiceStub(social).CreateRecord(request), "data")
    assert reason == "INVALID_DATA"


@pytest.mark.parametrize("bad", ["nul\x00byte", "bell\x07", "del\x7f", "c1\x85", "rtl\u202eevil"])
async def test_control_and_direction_characters_are_refused_in_every_text_field(setup, bad):
    social, _, case, thread = setup
    cases = cases_pb2_grpc.CaseServiceStub(social)
    threads = threads_pb2_grpc.ThreadServiceStub(social)
    calls = [
        (
            cases.CreateCase(
                cases_pb2.CreateCaseRequest(
                    identity_code=CITIZEN, title=bad, category=cases_pb2.SERVICE_CATEGORY_HOUSING
                )
            ),
            "title",
        ),
        (
            cases.CreateRecord(
                cases_pb2.CreateRecordRequest(case_id=case.id, kind="note", text=bad)
            ),
            "text",
        ),
        (
            threads.CreateThread(threads_pb2.CreateThreadRequest(case_id=case.id, subject=bad)),
            "subject",
        ),
        (
            threads.PostMessage(threads_pb2.PostMessageRequest(thread_id=thread.id, body=bad)),
            "body",
        ),
    ]
    for call, field in calls:
        assert await _refused(call, field) == "INVALID_CHARACTER"


# The longest stays under the request size limit, so that the id itself is judged.
@pytest.mark.parametrize("org_id", ["hoiva\x00oy", "hoiva-oy\n", "x" * 60_000])
async def test_an_organisation_id_that_cannot_be_one_is_refused_without_echoing_it(
    setup, on_behalf, org_id
):
    social, portal, case, _ = setup
    directory = directory_pb2_grpc.DirectoryServiceStub(social)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await directory.GetOrganization(directory_pb2.GetOrganizationRequest(id=org_id))
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert org_id not in (refused.value.details() or "")

    grant = consents_pb2.GrantConsentRequest(
        organization_id=org_id,
        case_id=case.id,
        permissions=[consents_pb2.CONSENT_PERMISSION_READ_RECORDS],
        purpose="Care",
        valid_until=_stamp(2_000_000_000),
    )
    stub = consents_pb2_grpc.ConsentServiceStub(portal)
    assert await _refused(stub.GrantConsent(grant, metadata=on_behalf), "organization_id") == (
        "INVALID_ORG_ID"
    )


async def test_a_record_kind_with_a_trailing_line_break_is_refused(setup):
    social, _, case, _ = setup
    request = cases_pb2.CreateRecordRequest(case_id=case.id, kind="note\n", text="x")
    reason = await _refused(cases_pb2_grpc.CaseServiceStub(social).CreateRecord(request), "kind")
    assert reason == "INVALID_RECORD_KIND"
