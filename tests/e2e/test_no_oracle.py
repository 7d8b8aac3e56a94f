"""No oracle: what a caller is told, and what its own log shows, never tells it whether the
hub knows a person or whether a resource it may not see exists.

Every RPC with a refusal scenario in test_audit_every_rpc (enumerated from
rpc_catalog) is called twice by the refused caller: on the real resource of
another citizen, and on ids that name nothing. The answers (status and
reason) and everything the caller's own ListAuditEvents and GetInclusionProof
then show of the two calls must look alike. Likewise for calls naming a
person by identity code: one the hub knows and one it has never seen.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import grpc
import pytest
import test_audit_every_rpc as every
from citizen_tokens import TestIssuer
from google.protobuf import message_factory
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2
from rpc_catalog import all_methods

from luukku.v1 import audit_pb2, cases_pb2, consents_pb2, representation_pb2

ID_FIELDS = (
    "case_id",
    "record_id",
    "thread_id",
    "consent_id",
    "inquiry_id",
    "consent_request_id",
    "right_id",
    "blocker_id",
)
_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def _unknown_identity_code() -> str:
    """A valid identity code no test registers (a person the hub has never seen)."""
    digits = "020304" + "987"
    return f"020304-987{_CHECK[int(digits) % 31]}"


UNKNOWN = _unknown_identity_code()


# The world every RPC's refusal scenario is written against, built once per engine in a
# test process and copied for each test (as in test_audit_every_rpc, and shared with it).
database_url = every.database_url
world = every.world


def _reason(error: grpc.aio.AioRpcError) -> str:
    raw = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    if not raw:
        return ""
    for detail in status_pb2.Status.FromString(raw).details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            return info.reason
    return ""


async def _answer(channel: Any, path: str, method: Any, request: Message, metadata: Any) -> Any:
    """(status, reason, what was answered) of one call; a stream's first answer only."""
    reply = message_factory.GetMessageClass(method.output_type)
    kind = channel.unary_stream if method.server_streaming else channel.unary_unary
    call = kind(
        path,
        request_serializer=type(request).SerializeToString,
        response_deserializer=reply.FromString,
    )(request, metadata=metadata)
    try:
        if method.server_streaming:
            async for first in call:
                call.cancel()
                return ("OK", "", _answer_shape(first))
            return ("OK", "", None)
        return ("OK", "", _answer_shape(await call))
    except grpc.aio.AioRpcError as error:
        return (error.code().name, _reason(error), None)


def _answer_shape(response: Message) -> Any:
    """An answer with its ids and times blanked: what it says, not which rows it names
    nor when it was made."""
    shape = re.sub(r"[0-9a-f]{32}", "<id>", str(response))
    return re.sub(r"(seconds|nanos): \d+", r"\1: <n>", shape)


PSEUDONYM = re.compile(r"[0-9a-f]{32}\Z")


def _citizen(value: str) -> str:
    return "<pseudonym>" if PSEUDONYM.match(value) else value


def _event_shape(e: audit_pb2.AuditEvent) -> Any:
    """All an event shows a caller, with what is unique to each call blanked out."""
    leaf = json.loads(e.leaf_bytes) if e.leaf_bytes else {}
    resource = re.sub(r"[0-9a-f]{32}|request/[0-9a-f]{16}", "<id>", e.resource)
    return (
        e.organization_id,
        e.certificate_fingerprint,
        e.practitioner.id,
        e.action,
        resource,
        e.outcome,
        e.reason,
        e.consent_id,
        _citizen(e.acting_for_citizen_id),
        _citizen(e.subject_citizen_id),
        len(e.leaf_bytes),
        sorted(leaf),
    )


async def _own_log(channel: Any, metadata: Any, request_id: str) -> list[Any]:
    """The caller's own log of the call ``request_id``, and each event's proof, as shapes."""
    listing = channel.unary_unary(
        "/luukku.v1.AuditService/ListAuditEvents",
        request_serializer=audit_pb2.ListAuditEventsRequest.SerializeToString,
        response_deserializer=audit_pb2.ListAuditEventsResponse.FromString,
    )
    prove = channel.unary_unary(
        "/luukku.v1.AuditService/GetInclusionProof",
        request_serializer=audit_pb2.GetInclusionProofRequest.SerializeToString,
        response_deserializer=audit_pb2.GetInclusionProofResponse.FromString,
    )
    own = [(k, v) for k, v in metadata if k != "x-request-id"]
    found = await listing(audit_pb2.ListAuditEventsRequest(page_size=500), metadata=own)
    shapes = []
    for event in found.events:
        if event.request_id != request_id:
            continue
        proof = await prove(
            audit_pb2.GetInclusionProofRequest(sequence=event.sequence, tree_size=event.sequence),
            metadata=own,
        )
        shapes.append(
            (_event_shape(event), len(proof.leaf_bytes), proof.leaf_hash == event.leaf_hash)
        )
    return shapes


def _nothing_named(request: Message) -> Message | None:
    """``request`` with every id it names replaced by one that names nothing."""
    fake = type(request)()
    fake.CopyFrom(request)
    changed = False
    for name in ID_FIELDS:
        if name in fake.DESCRIPTOR.fields_by_name and getattr(fake, name):
            setattr(fake, name, uuid.uuid4().hex)
            changed = True
    return fake if changed else None


# The refused caller is never the citizen whose data it is: a citizen knows their own.
REFUSED_ON_ANOTHERS_DATA = [
    pytest.param(path, method, id=method.name)
    for path, method in all_methods()
    if (denied := every.SCENARIOS[path].denied) is not None and denied[0] != every.PORTAL
]


async def _alike(
    world_: Any, raw_channel: Any, issuer: TestIssuer, who: str, path: str, method: Any, pair: Any
) -> None:
    channel = raw_channel(world_.tls[who])
    sent = every._metadata(who, issuer)  # one token for both calls: they differ in nothing else
    answers, logs = [], []
    for label, request in zip(("real", "fake"), pair, strict=True):
        request_id = f"oracle-{label}-{method.name}"
        metadata = (*sent, ("x-request-id", request_id))
        answers.append(await _answer(channel, path, method, request, metadata))
        logs.append(await _own_log(channel, metadata, request_id))
    assert answers[0] == answers[1], (path, answers)
    assert answers[0][0] != "OK"
    assert logs[0], path
    assert logs[0] == logs[1], (path, logs)


@pytest.mark.parametrize(("path", "method"), REFUSED_ON_ANOTHERS_DATA)
async def test_an_existing_resource_one_may_not_see_and_a_missing_one_look_alike(
    world, raw_channel, citizen_issuer, path: str, method: Any
):
    who, request, _ = every.SCENARIOS[path].denied  # type: ignore[misc]
    real = request(world)
    fake = _nothing_named(real)
    if fake is None:
        pytest.skip("the call names no resource by id")
    await _alike(world, raw_channel, citizen_issuer, who, path, method, (real, fake))


def _listing(path: str) -> Any:
    return next(m for p, m in all_methods() if p == path)


NAMING_A_PERSON = [
    pytest.param(
        every.COMPANY,
        "/luukku.v1.CaseService/ListCases",
        lambda code: cases_pb2.ListCasesRequest(identity_code=code),
        id="an organisation lists cases",
    ),
    pytest.param(
        every.COMPANY,
        "/luukku.v1.ConsentService/ListConsents",
        lambda code: consents_pb2.ListConsentsRequest(identity_code=code),
        id="an organisation lists consents",
    ),
    pytest.param(
        every.OTHER,
        "/luukku.v1.CaseService/ListCases",
        lambda code: cases_pb2.ListCasesRequest(identity_code=code),
        id="a citizen lists another's cases",
    ),
    pytest.param(
        every.COMPANY,
        "/luukku.v1.RepresentationService/RegisterRepresentationRight",
        lambda code: representation_pb2.RegisterRepresentationRightRequest(
            kind=representation_pb2.REPRESENTATION_KIND_LEGAL_GUARDIAN,
            representative_identity_code=every.OTHER_CITIZEN,
            represented_identity_code=code,
            codes=[representation_pb2.MANDATE_CODE_VIEW],
            reason="Court order seen",
        ),
        id="a private company registers a right",
    ),
    pytest.param(
        every.COMPANY,
        "/luukku.v1.RepresentationService/RecordRepresentationBlocker",
        lambda code: representation_pb2.RecordRepresentationBlockerRequest(
            kind=representation_pb2.REPRESENTATION_BLOCKER_KIND_NON_DISCLOSURE,
            represented_identity_code=code,
            reason="Order seen",
        ),
        id="a private company records an order",
    ),
    pytest.param(
        every.OTHER,
        "/luukku.v1.RepresentationService/GiveMandate",
        lambda code: representation_pb2.GiveMandateRequest(
            representative_identity_code=code,
            codes=[representation_pb2.MANDATE_CODE_VIEW],
            valid_until=every._later(),
        ),
        id="a citizen gives a mandate to a known or an unknown person",
    ),
]


@pytest.mark.parametrize(("who", "path", "request_for"), NAMING_A_PERSON)
async def test_a_known_and_an_unknown_identity_code_look_alike(
    world, raw_channel, citizen_issuer, who: str, path: str, request_for: Any
):
    method = _listing(path)
    pair = (request_for(every.CITIZEN), request_for(UNKNOWN))
    channel = raw_channel(world.tls[who])
    sent = every._metadata(who, citizen_issuer)
    answers, logs = [], []
    for label, request in zip(("real", "fake"), pair, strict=True):
        request_id = f"oracle-{label}-{method.name}"
        metadata = (*sent, ("x-request-id", request_id))
        answers.append(await _answer(channel, path, method, request, metadata))
        logs.append(await _own_log(channel, metadata, request_id))
    assert answers[0] == answers[1], answers
    assert logs[0]
    assert logs[0] == logs[1], logs


async def test_acting_for_a_known_or_an_unknown_person_is_refused_and_logged_alike(
    world, raw_channel
):
    """An organisation that may not act for citizens names one the hub knows, then one it
    does not: refused alike before any use case, and alike in its own log."""
    path = "/luukku.v1.CaseService/GetCase"
    method = _listing(path)
    channel = raw_channel(world.tls[every.COMPANY])
    answers, logs = [], []
    for label, code in (("real", every.CITIZEN), ("fake", UNKNOWN)):
        request_id = f"oracle-{label}-acting"
        metadata = (("luukku-on-behalf-of", code), ("x-request-id", request_id))
        request = cases_pb2.GetCaseRequest(case_id=world.case_id)
        answers.append(await _answer(channel, path, method, request, metadata))
        own = (*every.METADATA[every.COMPANY], ("x-request-id", request_id))
        logs.append(await _own_log(channel, own, request_id))
    assert answers[0] == answers[1] == ("PERMISSION_DENIED", "ON_BEHALF_NOT_ALLOWED", None)
    assert logs[0]
    assert logs[0] == logs[1], logs


async def test_a_proof_refused_says_nothing_of_whom_the_event_concerned(world, raw_channel, store):
    """The company asks for proofs of events not its own: one about the citizen, one about
    no one, one beyond the log. Refused alike, and alike in its own log."""
    social = raw_channel(world.tls[every.SOCIAL])
    await _own_log(social, every.METADATA[every.SOCIAL], "")  # an event about no one
    with store.read() as tx:
        events = list(tx.audit.scan())
    about_someone = next(s.seq for s in events if s.event.subject_citizen_id is not None)
    about_no_one = next(
        s.seq for s in events if s.event.subject_citizen_id is None and s.event.org_id != "hoiva-oy"
    )
    path = "/luukku.v1.AuditService/GetInclusionProof"
    method = _listing(path)
    channel = raw_channel(world.tls[every.COMPANY])
    answers, logs = [], []
    for label, seq in (("some", about_someone), ("none", about_no_one), ("miss", 10**9)):
        request_id = f"oracle-{label}-prove"
        metadata = (*every.METADATA[every.COMPANY], ("x-request-id", request_id))
        request = audit_pb2.GetInclusionProofRequest(sequence=seq)
        answers.append(await _answer(channel, path, method, request, metadata))
        logs.append(await _own_log(channel, metadata, request_id))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][:2] == ("PERMISSION_DENIED", "NOT_OWN_EVENT")
    # The resource names the number asked for: compare all but its digits.
    shapes = [[(re.sub(r"\d+", "N", str(entry))) for entry in log] for log in logs]
    assert shapes[0]
    assert shapes[0] == shapes[1] == shapes[2], logs
