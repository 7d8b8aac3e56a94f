"""Every RPC of proto/, allowed and denied, leaves exactly one audit event with the right facts.

The RPCs are enumerated from the service descriptors, so a new RPC fails this
test until it is given a scenario here. Calls go over a raw gRPC channel with
real certificates, each with its own request id, and the audit log is read
from the store after each call.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import databases
import grpc
import pytest
from citizen_tokens import TestIssuer
from google.protobuf import message_factory
from google.protobuf.message import Message
from rpc_catalog import all_methods

from luukku.audit.events import AuditEvent
from luukku.client import TLSConfig
from luukku.domain.organizations import OrgKind, OrgStatus
from luukku.domain.representation.rights import FULL_SCOPE, Kind, Right, Source
from luukku.pki import read_cert_info
from luukku.service import directory
from luukku.service.desks import admin as desks
from luukku.store.uow import Store
from luukku.v1 import (
    audit_pb2,
    cases_pb2,
    consents_pb2,
    desks_pb2,
    directory_pb2,
    ready_answers_pb2,
    representation_pb2,
    threads_pb2,
)
from luukku.verify.identity_code import make_identity_code

CITIZEN = "131052-308T"
OTHER_CITIZEN = "010190-900P"
_TODAY = datetime.now(UTC).date()
# A child of 15, whose case's owner judges their decision capacity.
CHILD = make_identity_code(_TODAY.replace(year=_TODAY.year - 15, day=1), 345)
# Directory calls reach no citizen's data: looking up organisations is not an
# access to audit (and WhoAmI is what load balancers and clients call to check
# their set-up). Their refusals before the use case are audited like any other.
NOT_DATA_ACCESS = frozenset(
    {
        "/luukku.v1.DirectoryService/WhoAmI",
        "/luukku.v1.DirectoryService/GetOrganization",
        "/luukku.v1.DirectoryService/ListOrganizations",
        # Desks are public: their names, topics and members are nobody's data.
        "/luukku.v1.DeskService/ListDesks",
        "/luukku.v1.DeskService/GetDesk",
    }
)

# A person's own rights are listed, given and accepted as themselves, never through
# another's right: under one, these are refused as out of its scope.
ONES_OWN_RIGHTS = frozenset(
    {
        "/luukku.v1.RepresentationService/ListRepresentationRights",
        "/luukku.v1.RepresentationService/GiveMandate",
        "/luukku.v1.RepresentationService/AcceptMandate",
        "/luukku.v1.RepresentationService/EndRepresentationRight",
    }
)


@dataclass
class World:
    """The parties and the data every scenario starts from."""

    tls: dict[str, TLSConfig]
    case_id: str
    spare_case_id: str
    record_id: str
    thread_id: str
    consent_id: str
    spare_consent_id: str
    citizen_id: str
    inquiry_id: str = ""
    claimed_inquiry_id: str = ""
    closed_inquiry_id: str = ""
    consent_request_id: str = ""
    ready_answer_id: str = ""
    mandate_id: str = ""
    """The citizen's mandate to the other citizen, not yet accepted."""
    spare_mandate_id: str = ""
    blocker_id: str = ""
    """A non-disclosure order on the citizen."""
    child_id: str = ""
    child_case_id: str = ""


Request = Callable[[World], Message]


@dataclass(frozen=True)
class Scenario:
    """How to call one RPC as an allowed caller and, where one exists, as a denied one."""

    action: str
    allowed: tuple[str, Request]
    denied: tuple[str, Request, str] | None = None  # caller, request, reason
    about_the_citizen: bool = True
    """False for a call about no one citizen (a desk's queue): audited under nobody."""
    about_the_child: bool = False
    """True for a call about the child's case: audited under the child."""


def _later() -> Any:
    from google.protobuf.timestamp_pb2 import Timestamp

    stamp = Timestamp()
    stamp.FromDatetime(datetime.now(UTC) + timedelta(days=30))
    return stamp


def _give(w: World) -> Message:
    return representation_pb2.GiveMandateRequest(
        representative_identity_code=OTHER_CITIZEN,
        codes=[representation_pb2.MANDATE_CODE_SOCIAL_CARE],
        valid_until=_later(),
    )


def _grant(w: World) -> Message:
    return consents_pb2.GrantConsentRequest(
        organization_id="vantaa-health",
        case_id=w.case_id,
        permissions=[consents_pb2.CONSENT_PERMISSION_READ_RECORDS],
        purpose="Follow-up",
        valid_until=_later(),
    )


SOCIAL, COMPANY, PORTAL, OTHER = "social", "company", "portal", "other-citizen"


def _refused_to(
    action: str, request: Request, *, allowed: str, denied: str, reason: str, **more: Any
) -> Scenario:
    """The same request, allowed for one caller and refused to another for ``reason``."""
    return Scenario(action, (allowed, request), (denied, request, reason), **more)


# The refusals most calls share.
_consent_required = partial(_refused_to, allowed=SOCIAL, denied=COMPANY, reason="CONSENT_REQUIRED")
_desk_members_only = partial(_refused_to, allowed=SOCIAL, denied=COMPANY, reason="NOT_DESK_MEMBER")
_the_inquirys_citizen_only = partial(
    _refused_to, allowed=PORTAL, denied=OTHER, reason="NOT_INQUIRY_CITIZEN"
)
# A desk's ready answers are nobody's data: audited under nobody, allowed or refused.
_the_desks_clerks_only = partial(_desk_members_only, about_the_citizen=False)

SCENARIOS: dict[str, Scenario] = {
    "/luukku.v1.CaseService/CreateCase": _refused_to(
        "case.create",
        lambda w: cases_pb2.CreateCaseRequest(
            identity_code=CITIZEN, title="Meals", category=cases_pb2.SERVICE_CATEGORY_HOME_CARE
        ),
        allowed=SOCIAL,
        denied=PORTAL,
        reason="ORG_KIND_NOT_ALLOWED",
    ),
    "/luukku.v1.CaseService/GetCase": _consent_required(
        "case.read", lambda w: cases_pb2.GetCaseRequest(case_id=w.case_id)
    ),
    "/luukku.v1.CaseService/ListCases": _refused_to(
        "case.list",
        lambda w: cases_pb2.ListCasesRequest(identity_code=CITIZEN),
        allowed=SOCIAL,
        denied=OTHER,
        reason="NOT_CASE_CITIZEN",
    ),
    "/luukku.v1.CaseService/CloseCase": Scenario(
        "case.close",
        (SOCIAL, lambda w: cases_pb2.CloseCaseRequest(case_id=w.spare_case_id)),
        (COMPANY, lambda w: cases_pb2.CloseCaseRequest(case_id=w.case_id), "CONSENT_REQUIRED"),
    ),
    "/luukku.v1.CaseService/CreateRecord": _consent_required(
        "record.create",
        lambda w: cases_pb2.CreateRecordRequest(case_id=w.case_id, kind="note", text="Ok."),
    ),
    "/luukku.v1.CaseService/ReviseRecord": _refused_to(
        "record.revise",
        lambda w: cases_pb2.ReviseRecordRequest(
            case_id=w.case_id, record_id=w.record_id, text="Fixed."
        ),
        allowed=SOCIAL,
        denied=PORTAL,
        reason="CITIZEN_CANNOT_WRITE",
    ),
    "/luukku.v1.CaseService/GetRecord": _consent_required(
        "record.read",
        lambda w: cases_pb2.GetRecordRequest(case_id=w.case_id, record_id=w.record_id),
    ),
    "/luukku.v1.CaseService/ListRecords": _refused_to(
        "record.list",
        lambda w: cases_pb2.ListRecordsRequest(case_id=w.case_id),
        allowed=PORTAL,
        denied=OTHER,
        reason="NOT_CASE_CITIZEN",
    ),
    "/luukku.v1.CaseService/ListRecordRevisions": _consent_required(
        "record.revisions",
        lambda w: cases_pb2.ListRecordRevisionsRequest(case_id=w.case_id, record_id=w.record_id),
    ),
    "/luukku.v1.ConsentService/GrantConsent": _refused_to(
        "consent.grant", _grant, allowed=PORTAL, denied=COMPANY, reason="CITIZEN_ONLY"
    ),
    "/luukku.v1.ConsentService/RevokeConsent": Scenario(
        "consent.revoke",
        (PORTAL, lambda w: consents_pb2.RevokeConsentRequest(consent_id=w.spare_consent_id)),
        (
            OTHER,
            lambda w: consents_pb2.RevokeConsentRequest(consent_id=w.consent_id),
            "NOT_CONSENT_CITIZEN",
        ),
    ),
    "/luukku.v1.ConsentService/GetConsent": _refused_to(
        "consent.read",
        lambda w: consents_pb2.GetConsentRequest(consent_id=w.consent_id),
        allowed=PORTAL,
        denied=COMPANY,
        reason="NOT_CONSENT_GRANTEE",
    ),
    "/luukku.v1.ConsentService/ListConsents": Scenario(
        "consent.list", (PORTAL, lambda w: consents_pb2.ListConsentsRequest())
    ),
    "/luukku.v1.AuditService/ListAuditEvents": Scenario(
        "audit.list", (PORTAL, lambda w: audit_pb2.ListAuditEventsRequest())
    ),
    "/luukku.v1.AuditService/SummarizeAuditEvents": Scenario(
        "audit.summarize", (PORTAL, lambda w: audit_pb2.SummarizeAuditEventsRequest())
    ),
    "/luukku.v1.AuditService/GetCheckpoint": Scenario(
        "audit.checkpoint", (PORTAL, lambda w: audit_pb2.GetCheckpointRequest())
    ),
    "/luukku.v1.AuditService/GetInclusionProof": _refused_to(
        "audit.prove",
        lambda w: audit_pb2.GetInclusionProofRequest(sequence=1, tree_size=1),
        allowed=SOCIAL,
        denied=COMPANY,
        reason="NOT_OWN_EVENT",
    ),
    "/luukku.v1.AuditService/GetConsistencyProof": Scenario(
        "audit.consistency",
        (PORTAL, lambda w: audit_pb2.GetConsistencyProofRequest(old_size=1, new_size=2)),
    ),
    "/luukku.v1.AuditService/WatchAuditEvents": Scenario(
        "audit.watch", (PORTAL, lambda w: audit_pb2.WatchAuditEventsRequest(case_id=w.case_id))
    ),
    "/luukku.v1.ThreadService/CreateThread": _consent_required(
        "thread.create",
        lambda w: threads_pb2.CreateThreadRequest(case_id=w.case_id, subject="Meals"),
    ),
    "/luukku.v1.ThreadService/GetThread": _refused_to(
        "thread.read",
        lambda w: threads_pb2.GetThreadRequest(thread_id=w.thread_id),
        allowed=PORTAL,
        denied=OTHER,
        reason="NOT_CASE_CITIZEN",
    ),
    "/luukku.v1.ThreadService/ListThreads": _consent_required(
        "thread.list", lambda w: threads_pb2.ListThreadsRequest(case_id=w.case_id)
    ),
    "/luukku.v1.ThreadService/SummarizeUnread": Scenario(
        "thread.unread", (PORTAL, lambda w: threads_pb2.SummarizeUnreadRequest())
    ),
    "/luukku.v1.ThreadService/PostMessage": _refused_to(
        "message.post",
        lambda w: threads_pb2.PostMessageRequest(thread_id=w.thread_id, body="Hello."),
        allowed=PORTAL,
        denied=COMPANY,
        reason="CONSENT_REQUIRED",
    ),
    "/luukku.v1.ThreadService/ListMessages": _consent_required(
        "message.list", lambda w: threads_pb2.ListMessagesRequest(thread_id=w.thread_id)
    ),
    "/luukku.v1.ThreadService/MarkRead": _consent_required(
        "thread.mark_read", lambda w: threads_pb2.MarkReadRequest(thread_id=w.thread_id, sequence=1)
    ),
    "/luukku.v1.ThreadService/WatchThread": _consent_required(
        "thread.watch", lambda w: threads_pb2.WatchThreadRequest(thread_id=w.thread_id)
    ),
    "/luukku.v1.DeskService/ListDesks": Scenario(
        "", (PORTAL, lambda w: desks_pb2.ListDesksRequest())
    ),
    "/luukku.v1.DeskService/GetDesk": Scenario(
        "", (PORTAL, lambda w: desks_pb2.GetDeskRequest(desk_id="rural-advice"))
    ),
    "/luukku.v1.DeskService/CreateInquiry": Scenario(
        "inquiry.create",
        (
            PORTAL,
            lambda w: desks_pb2.CreateInquiryRequest(
                desk_id="rural-advice",
                topic="forestry",
                channel=desks_pb2.INQUIRY_CHANNEL_WEB,
                subject="Thinning",
                body="Which permits?",
            ),
        ),
    ),
    "/luukku.v1.DeskService/GetInquiry": _the_inquirys_citizen_only(
        "inquiry.read", lambda w: desks_pb2.GetInquiryRequest(inquiry_id=w.inquiry_id)
    ),
    "/luukku.v1.DeskService/ListInquiries": Scenario(
        "inquiry.list", (PORTAL, lambda w: desks_pb2.ListInquiriesRequest())
    ),
    "/luukku.v1.DeskService/ClaimInquiry": _desk_members_only(
        "inquiry.claim", lambda w: desks_pb2.ClaimInquiryRequest(inquiry_id=w.inquiry_id)
    ),
    "/luukku.v1.DeskService/HandOverInquiry": _desk_members_only(
        "inquiry.hand_over",
        lambda w: desks_pb2.HandOverInquiryRequest(
            inquiry_id=w.claimed_inquiry_id, to_organization_id="vantaa-health", note="Yours."
        ),
    ),
    "/luukku.v1.DeskService/CloseInquiry": _desk_members_only(
        "inquiry.close",
        lambda w: desks_pb2.CloseInquiryRequest(
            inquiry_id=w.claimed_inquiry_id, outcome="Answered."
        ),
    ),
    "/luukku.v1.DeskService/ReopenInquiry": _the_inquirys_citizen_only(
        "inquiry.reopen", lambda w: desks_pb2.ReopenInquiryRequest(inquiry_id=w.closed_inquiry_id)
    ),
    "/luukku.v1.DeskService/LinkInquiryCase": _desk_members_only(
        "inquiry.link_case",
        lambda w: desks_pb2.LinkInquiryCaseRequest(
            inquiry_id=w.claimed_inquiry_id, case_id=w.case_id
        ),
    ),
    "/luukku.v1.DeskService/PostInquiryMessage": _the_inquirys_citizen_only(
        "inquiry_message.post",
        lambda w: desks_pb2.PostInquiryMessageRequest(inquiry_id=w.inquiry_id, body="Hi"),
    ),
    "/luukku.v1.DeskService/ListInquiryMessages": _desk_members_only(
        "inquiry_message.list",
        lambda w: desks_pb2.ListInquiryMessagesRequest(inquiry_id=w.inquiry_id),
    ),
    "/luukku.v1.DeskService/WatchQueue": _desk_members_only(
        "desk.queue.watch",
        lambda w: desks_pb2.WatchQueueRequest(desk_id="rural-advice"),
        about_the_citizen=False,
    ),
    "/luukku.v1.DeskService/GetDeskFigures": _desk_members_only(
        "desk.figures.get",
        lambda w: desks_pb2.GetDeskFiguresRequest(desk_id="rural-advice"),
        about_the_citizen=False,
    ),
    # The claimed inquiry, which has a consent request: the watch carries it to the citizen.
    "/luukku.v1.DeskService/WatchInquiry": _the_inquirys_citizen_only(
        "inquiry.watch",
        lambda w: desks_pb2.WatchInquiryRequest(inquiry_id=w.claimed_inquiry_id),
    ),
    "/luukku.v1.DeskService/AddInquiryNote": _refused_to(
        "inquiry_note.create",
        lambda w: desks_pb2.AddInquiryNoteRequest(inquiry_id=w.inquiry_id, body="Call after 9."),
        allowed=SOCIAL,
        denied=PORTAL,
        reason="NOT_DESK_MEMBER",
    ),
    "/luukku.v1.DeskService/ListInquiryNotes": _refused_to(
        "inquiry_note.list",
        lambda w: desks_pb2.ListInquiryNotesRequest(inquiry_id=w.inquiry_id),
        allowed=SOCIAL,
        denied=PORTAL,
        reason="NOT_DESK_MEMBER",
    ),
    "/luukku.v1.DeskService/GetInquiryAsker": _refused_to(
        "inquiry.asker.read",
        lambda w: desks_pb2.GetInquiryAskerRequest(inquiry_id=w.claimed_inquiry_id),
        allowed=SOCIAL,
        denied=PORTAL,
        reason="NOT_DESK_MEMBER",
    ),
    "/luukku.v1.DeskService/CreateConsentRequest": _refused_to(
        "consent_request.create",
        lambda w: desks_pb2.CreateConsentRequestRequest(
            inquiry_id=w.claimed_inquiry_id,
            case_id=w.case_id,
            permissions=[consents_pb2.CONSENT_PERMISSION_READ_RECORDS],
            purpose="Follow-up",
            valid_until=_later(),
        ),
        allowed=SOCIAL,
        denied=COMPANY,
        reason="NOT_INQUIRY_HOLDER",
    ),
    "/luukku.v1.DeskService/GetConsentRequest": _refused_to(
        "consent_request.read",
        lambda w: desks_pb2.GetConsentRequestRequest(consent_request_id=w.consent_request_id),
        allowed=PORTAL,
        denied=COMPANY,
        reason="NOT_CONSENT_REQUEST_PARTY",
    ),
    "/luukku.v1.DeskService/ListConsentRequests": Scenario(
        "consent_request.list", (PORTAL, lambda w: desks_pb2.ListConsentRequestsRequest())
    ),
    "/luukku.v1.DeskService/AnswerConsentRequest": _refused_to(
        "consent_request.answer",
        lambda w: desks_pb2.AnswerConsentRequestRequest(
            consent_request_id=w.consent_request_id,
            answer=desks_pb2.CONSENT_REQUEST_ANSWER_APPROVE,
        ),
        allowed=PORTAL,
        denied=OTHER,
        reason="NOT_CONSENT_REQUEST_PARTY",
    ),
    "/luukku.v1.ReadyAnswerService/ListReadyAnswers": _the_desks_clerks_only(
        "ready_answer.list",
        lambda w: ready_answers_pb2.ListReadyAnswersRequest(desk_id="rural-advice"),
    ),
    "/luukku.v1.ReadyAnswerService/GetReadyAnswer": _the_desks_clerks_only(
        "ready_answer.read",
        lambda w: ready_answers_pb2.GetReadyAnswerRequest(
            desk_id="rural-advice", ready_answer_id=w.ready_answer_id
        ),
    ),
    "/luukku.v1.ReadyAnswerService/CreateReadyAnswer": _the_desks_clerks_only(
        "ready_answer.create",
        lambda w: ready_answers_pb2.CreateReadyAnswerRequest(
            desk_id="rural-advice", title="Permits", text_fi="Lupa haetaan kunnalta."
        ),
    ),
    "/luukku.v1.ReadyAnswerService/UpdateReadyAnswer": _the_desks_clerks_only(
        "ready_answer.update",
        lambda w: ready_answers_pb2.UpdateReadyAnswerRequest(
            desk_id="rural-advice",
            ready_answer_id=w.ready_answer_id,
            revision=1,
            title="Opening hours",
            text_fi="Arkisin 9-15.",
        ),
    ),
    "/luukku.v1.ReadyAnswerService/DeleteReadyAnswer": _the_desks_clerks_only(
        "ready_answer.delete",
        lambda w: ready_answers_pb2.DeleteReadyAnswerRequest(
            desk_id="rural-advice", ready_answer_id=w.ready_answer_id
        ),
    ),
    "/luukku.v1.RepresentationService/ListRepresentationRights": Scenario(
        "representation.list",
        (PORTAL, lambda w: representation_pb2.ListRepresentationRightsRequest()),
    ),
    "/luukku.v1.RepresentationService/GiveMandate": Scenario(
        "representation.mandate.give", (PORTAL, _give)
    ),
    # Accepted by its representative; to its giver it is a mandate that does not exist.
    "/luukku.v1.RepresentationService/AcceptMandate": _refused_to(
        "representation.mandate.accept",
        lambda w: representation_pb2.AcceptMandateRequest(right_id=w.mandate_id),
        allowed=OTHER,
        denied=PORTAL,
        reason="RIGHT_NOT_FOUND",
    ),
    "/luukku.v1.RepresentationService/EndRepresentationRight": _refused_to(
        "representation.end",
        lambda w: representation_pb2.EndRepresentationRightRequest(
            right_id=w.spare_mandate_id, reason="Asked at the service point"
        ),
        allowed=PORTAL,
        denied=COMPANY,
        reason="ORG_KIND_NOT_ALLOWED",
    ),
    "/luukku.v1.RepresentationService/RegisterRepresentationRight": _refused_to(
        "representation.register",
        lambda w: representation_pb2.RegisterRepresentationRightRequest(
            kind=representation_pb2.REPRESENTATION_KIND_LEGAL_GUARDIAN,
            representative_identity_code=OTHER_CITIZEN,
            represented_identity_code=CITIZEN,
            codes=[representation_pb2.MANDATE_CODE_SOCIAL_CARE],
            reason="Court order seen",
        ),
        allowed=SOCIAL,
        denied=COMPANY,
        reason="ORG_KIND_NOT_ALLOWED",
    ),
    "/luukku.v1.RepresentationService/RecordRepresentationBlocker": _refused_to(
        "representation.order.record",
        lambda w: representation_pb2.RecordRepresentationBlockerRequest(
            kind=representation_pb2.REPRESENTATION_BLOCKER_KIND_NON_DISCLOSURE,
            represented_identity_code=CITIZEN,
            reason="Order of the register office",
        ),
        allowed=SOCIAL,
        denied=COMPANY,
        reason="ORG_KIND_NOT_ALLOWED",
    ),
    "/luukku.v1.RepresentationService/LiftRepresentationBlocker": _refused_to(
        "representation.order.lift",
        lambda w: representation_pb2.LiftRepresentationBlockerRequest(
            blocker_id=w.blocker_id, reason="The order was lifted"
        ),
        allowed=SOCIAL,
        denied=COMPANY,
        reason="ORG_KIND_NOT_ALLOWED",
    ),
    "/luukku.v1.RepresentationService/JudgeMinorCapacity": _refused_to(
        "representation.capacity.judge",
        lambda w: representation_pb2.JudgeMinorCapacityRequest(
            case_id=w.child_case_id, capacity=representation_pb2.MINOR_CAPACITY_CAPABLE_FORBIDS
        ),
        allowed=SOCIAL,
        denied=COMPANY,
        reason="OWNER_ONLY",
        about_the_child=True,
    ),
    "/luukku.v1.DirectoryService/WhoAmI": Scenario(
        "", (SOCIAL, lambda w: directory_pb2.WhoAmIRequest())
    ),
    "/luukku.v1.DirectoryService/GetOrganization": Scenario(
        "", (SOCIAL, lambda w: directory_pb2.GetOrganizationRequest(id="hoiva-oy"))
    ),
    "/luukku.v1.DirectoryService/ListOrganizations": Scenario(
        "", (SOCIAL, lambda w: directory_pb2.ListOrganizationsRequest())
    ),
}


def _subject(world: World, scenario: Scenario) -> str | None:
    """Whom the scenario's call is audited under."""
    if scenario.about_the_child:
        return world.child_id
    return world.citizen_id if scenario.about_the_citizen else None


def _events(store: Store) -> list[AuditEvent]:
    with store.read() as tx:
        return [s.event for s in tx.audit.scan()]


METADATA = {
    SOCIAL: (("luukku-practitioner-id", "sw-1"),),
    COMPANY: (("luukku-practitioner-id", "n-7"),),
    PORTAL: (("luukku-on-behalf-of", CITIZEN),),
    OTHER: (("luukku-on-behalf-of", OTHER_CITIZEN),),
}
ACTING_FOR = {PORTAL: CITIZEN, OTHER: OTHER_CITIZEN}


def _metadata(who: str, issuer: TestIssuer) -> tuple[tuple[str, str], ...]:
    """What ``who`` sends: a portal acting for a citizen, that citizen's valid token too."""
    if who not in ACTING_FOR:
        return METADATA[who]
    return (*METADATA[who], ("authorization", f"Bearer {issuer.signer.mint(ACTING_FOR[who])}"))


ORG_OF = {
    SOCIAL: "helsinki-social",
    COMPANY: "hoiva-oy",
    PORTAL: "omaportaali",
    OTHER: "omaportaali",
}


async def _call(
    channel: grpc.aio.Channel, path: str, method: Any, request: Message, metadata: Any
) -> grpc.StatusCode:
    response_class = message_factory.GetMessageClass(method.output_type)
    if method.server_streaming:
        stream = channel.unary_stream(
            path,
            request_serializer=type(request).SerializeToString,
            response_deserializer=response_class.FromString,
        )(request, metadata=metadata)
        try:
            async for _ in stream:
                break  # the backlog's first answer (a heartbeat or message); then leave
        except grpc.aio.AioRpcError as err:
            return err.code()
        stream.cancel()
        return grpc.StatusCode.OK
    call = channel.unary_unary(
        path,
        request_serializer=type(request).SerializeToString,
        response_deserializer=response_class.FromString,
    )
    try:
        await call(request, metadata=metadata)
    except grpc.aio.AioRpcError as err:
        return err.code()
    return grpc.StatusCode.OK


# Building the world takes some twenty calls and four certificates: most of the time of
# this module's four hundred tests, were each to build its own. Each test process builds
# it once per engine, in its first test there, and every later test runs on a copy of the
# database as it stood then (each test changes its own copy only).
_BUILT: dict[str, tuple[databases.Snapshot, World]] = {}
"""The world each engine's first test built in this process, and its database then."""


@pytest.fixture(params=databases.ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A copy of the database of the world this process built on the engine, or, before
    it has built one, a migrated database to build it in (overrides conftest's)."""
    built = _BUILT.get(request.param)
    source = databases.migrated(request.param) if built is None else built[0]
    with databases.copy_of(source, tmp_path) as url:
        yield url


@pytest.fixture
async def world(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    database_url: str,
    register_org,
    connect,
    store: Store,
) -> World:
    engine = request.node.callspec.params["database_url"]
    if engine not in _BUILT:
        built = await build_world(register_org, connect, store)
        snapshot = databases.snapshot(database_url, tmp_path_factory.mktemp("world"))
        _BUILT[engine] = (snapshot, built)
    return _BUILT[engine][1]


async def build_world(register_org: Any, connect: Any, store: Store) -> World:
    """Three parties, the citizen's cases, record, thread, consents, inquiries and a request."""
    tls = {
        SOCIAL: register_org("helsinki-social", OrgKind.PUBLIC),
        COMPANY: register_org("hoiva-oy", OrgKind.PRIVATE),
        PORTAL: register_org("omaportaali", OrgKind.PORTAL),
    }
    tls[OTHER] = tls[PORTAL]
    register_org("vantaa-health", OrgKind.PUBLIC)
    social = await connect(tls[SOCIAL])
    portal = await connect(tls[PORTAL], on_behalf_of=CITIZEN)
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    spare = await social.create_case(CITIZEN, title="Housing", category="housing")
    record = await social.create_record(case.id, kind="note", text="Needs help.")
    thread = await social.create_thread(case.id, subject="Plan")
    await social.post_message(thread.id, "Visits start Monday.")
    until = datetime.now(UTC) + timedelta(days=30)
    consent = await portal.grant_consent(
        "vantaa-health", case_id=case.id, permissions=["read"], purpose="Care", valid_until=until
    )
    spare_consent = await portal.grant_consent(
        "vantaa-health", case_id=spare.id, permissions=["read"], purpose="Care", valid_until=until
    )
    inquiries = await _desk_with_inquiries(store, portal, social)
    asked = await social.create_consent_request(
        inquiries[1], case_id=case.id, permissions=["read"], purpose="Care", valid_until=until
    )
    answer = await social.create_ready_answer(
        "rural-advice", title="Opening hours", text_fi="Arkisin 8-16."
    )
    mandate, spare_mandate = [
        await portal.give_mandate(OTHER_CITIZEN, codes=["sote-view"], valid_until=until)
        for _ in range(2)
    ]
    blocker = await social.record_representation_blocker(
        "non_disclosure", CITIZEN, reason="Order of the register office"
    )
    child_case = await social.create_case(CHILD, title="School", category="social_work")
    return World(
        tls,
        case.id,
        spare.id,
        record.record_id,
        thread.id,
        consent.id,
        spare_consent.id,
        _internal_id(store),
        *inquiries,
        consent_request_id=asked.id,
        ready_answer_id=answer.id,
        mandate_id=mandate.id,
        spare_mandate_id=spare_mandate.id,
        blocker_id=blocker.id,
        child_id=_internal_id(store, CHILD),
        child_case_id=child_case.id,
    )


def _internal_id(store: Store, identity_code: str = CITIZEN) -> str:
    """The hub's own id of a citizen, as the store (not any caller) knows them."""
    with store.read() as tx:
        found = tx.citizens.find(identity_code)
    assert found is not None
    return found


async def _desk_with_inquiries(store: Store, portal: Any, social: Any) -> tuple[str, str, str]:
    """A desk of helsinki-social and vantaa-health; the citizen's queued, claimed and
    closed inquiries.
    """
    desks.create_desk(
        store,
        "rural-advice",
        name="Rural advice",
        topics=["forestry"],
        overflow=timedelta(0),
        reopen_within=timedelta(days=1),
    )
    for member in ("helsinki-social", "vantaa-health"):
        desks.add_member(store, "rural-advice", member)
    ids = []
    for _ in range(3):
        asked = await portal.create_inquiry(
            "rural-advice", topic="forestry", subject="Thinning", body="Which permits?"
        )
        ids.append(asked.id)
    queued, claimed, closed = ids
    await social.claim_inquiry(claimed)
    await social.claim_inquiry(closed)
    await social.close_inquiry(closed, outcome="Answered.")
    return queued, claimed, closed


def test_every_rpc_in_proto_has_a_scenario():
    assert sorted(path for path, _ in all_methods()) == sorted(SCENARIOS)


@pytest.mark.parametrize(
    ("path", "method"), [pytest.param(p, m, id=m.name) for p, m in all_methods()]
)
async def test_each_call_allowed_or_denied_leaves_exactly_one_audit_event(
    world: World, raw_channel, store: Store, path: str, method: Any, citizen_issuer: TestIssuer
):
    scenario = SCENARIOS[path]
    calls: list[tuple[str, Request, bool, str | None]] = [(*scenario.allowed, True, None)]
    if scenario.denied is not None:
        who, request, reason = scenario.denied
        calls.append((who, request, False, reason))
    for n, (who, request, allowed, reason) in enumerate(calls):
        request_id = f"every-rpc-{method.name}-{n}"
        metadata = (*_metadata(who, citizen_issuer), ("x-request-id", request_id))
        before = len(_events(store))
        code = await _call(raw_channel(world.tls[who]), path, method, request(world), metadata)

        assert (code is grpc.StatusCode.OK) == allowed, (path, who, code)
        new = _events(store)[before:]
        if allowed and path in NOT_DATA_ACCESS:
            assert new == []
            continue
        # A watch stream also records its end (and what it delivered) when it is left.
        mine = [e for e in new if e.request_id == request_id]
        assert [e.action for e in mine][:1] == [scenario.action], (path, mine)
        first = mine[0]
        assert len([e for e in mine if e.action == scenario.action]) == 1
        assert first.org_id == ORG_OF[who]
        assert first.outcome.value == ("allowed" if allowed else "denied")
        assert first.subject_citizen_id == _subject(world, scenario)
        if reason is not None:
            assert first.reason == reason
        if not method.server_streaming:
            assert len(new) == 1, (path, new)
            assert mine == new


# The same calls made for the citizen by someone who represents them ---------------------

REPRESENTATIVE = make_identity_code(date(1975, 6, 1), 808)
"""The citizen's legal guardian (edunvalvoja), whose portal calls act for the citizen."""


def _legal_guardian(store: Store, citizen_id: str) -> tuple[str, str]:
    """A clerk-registered legal guardianship of the citizen, every code; (right, guardian)."""
    now = datetime.now(UTC)
    with store.transaction() as tx:
        guardian = tx.citizens.get_or_create(REPRESENTATIVE, now)
        right = Right(
            id=uuid.uuid4().hex,
            kind=Kind.LEGAL_GUARDIAN,
            representative_id=guardian,
            represented_id=citizen_id,
            codes=FULL_SCOPE,
            valid_from=now - timedelta(days=1),
            valid_until=None,
            source=Source.CLERK_REGISTRATION,
            reason="court order seen at the service point",
        )
        tx.representation.add(right, now)
    return right.id, guardian


def _as_representative(
    issuer: TestIssuer, right: str, request_id: str
) -> tuple[tuple[str, str], ...]:
    """The metadata of a portal call by the signed-in representative under ``right``."""
    return (
        ("luukku-on-behalf-of", REPRESENTATIVE),
        ("authorization", f"Bearer {issuer.signer.mint(REPRESENTATIVE)}"),
        ("luukku-acting-for", right),
        ("x-request-id", request_id),
    )


@pytest.mark.parametrize(
    ("path", "method"),
    [
        pytest.param(p, m, id=m.name)
        for p, m in all_methods()
        if SCENARIOS[p].allowed[0] == PORTAL
        and p not in NOT_DATA_ACCESS
        and p not in ONES_OWN_RIGHTS
    ],
)
async def test_each_call_for_the_citizen_by_their_representative_leaves_one_event_naming_both(
    world: World, raw_channel, store: Store, path: str, method: Any, citizen_issuer: TestIssuer
):
    right, guardian = _legal_guardian(store, world.citizen_id)
    scenario = SCENARIOS[path]
    request_id = f"every-rpc-acting-{method.name}"
    metadata = _as_representative(citizen_issuer, right, request_id)
    before = len(_events(store))
    request = scenario.allowed[1](world)
    code = await _call(raw_channel(world.tls[PORTAL]), path, method, request, metadata)

    assert code is grpc.StatusCode.OK, (path, code)
    new = _events(store)[before:]
    mine = [e for e in new if e.request_id == request_id]
    assert [e.action for e in mine][:1] == [scenario.action], (path, mine)
    first = mine[0]
    assert len([e for e in mine if e.action == scenario.action]) == 1
    assert (first.org_id, first.outcome.value) == ("omaportaali", "allowed")
    assert first.reason == "AS_LEGAL_GUARDIAN", (path, first.reason)
    assert first.acting_for_citizen_id == guardian
    assert first.subject_citizen_id == (world.citizen_id if scenario.about_the_citizen else None)
    if not method.server_streaming:
        assert mine == new


@pytest.mark.parametrize(
    ("path", "method"),
    [pytest.param(p, m, id=m.name) for p, m in all_methods() if p in ONES_OWN_RIGHTS],
)
async def test_ones_own_rights_are_not_managed_through_anothers_right(
    world: World, raw_channel, store: Store, path: str, method: Any, citizen_issuer: TestIssuer
):
    right, guardian = _legal_guardian(store, world.citizen_id)
    request_id = f"every-rpc-own-rights-{method.name}"
    metadata = _as_representative(citizen_issuer, right, request_id)
    before = len(_events(store))
    request = SCENARIOS[path].allowed[1](world)
    code = await _call(raw_channel(world.tls[PORTAL]), path, method, request, metadata)

    assert code is grpc.StatusCode.PERMISSION_DENIED, (path, code)
    (event,) = [e for e in _events(store)[before:] if e.request_id == request_id]
    assert (event.outcome.value, event.reason) == ("denied", "REPRESENTATION_OUT_OF_SCOPE")
    assert event.acting_for_citizen_id == guardian


# Refusals before the use case ----------------------------------------------------------

UNREGISTERED, REVOKED, SUSPENDED = "unregistered", "revoked", "suspended"


@dataclass(frozen=True)
class Refusal:
    """A call the broker refuses before any use case runs, and what the log must say."""

    who: str
    metadata: tuple[tuple[str, str], ...]
    reason: str
    org_id: str
    citizen_sees_it: bool = False


REFUSALS = [
    Refusal(UNREGISTERED, (), "CERTIFICATE_UNKNOWN", ""),
    Refusal(REVOKED, (), "CERTIFICATE_REVOKED", "revoked-oy"),
    Refusal(SUSPENDED, (), "ORG_SUSPENDED", "suspended-oy"),
    Refusal(
        COMPANY,
        (("luukku-on-behalf-of", CITIZEN),),
        "ON_BEHALF_NOT_ALLOWED",
        "hoiva-oy",
        citizen_sees_it=True,
    ),
    Refusal(
        PORTAL, (("luukku-on-behalf-of", "131052-308X"),), "INVALID_IDENTITY_CODE", "omaportaali"
    ),
    # A portal acting for a citizen without the token that proves them: a stolen portal.
    Refusal(
        PORTAL,
        (("luukku-on-behalf-of", CITIZEN),),
        "CITIZEN_TOKEN_MISSING",
        "omaportaali",
        citizen_sees_it=True,
    ),
    Refusal(
        PORTAL,
        (("luukku-on-behalf-of", CITIZEN), ("authorization", "Bearer not.a.token")),
        "CITIZEN_TOKEN_MALFORMED",
        "omaportaali",
        citizen_sees_it=True,
    ),
    Refusal(
        SOCIAL, (("luukku-practitioner-id", "p" * 300),), "INVALID_METADATA", "helsinki-social"
    ),
]


@pytest.fixture
def refused_tls(world: World, register_org, store: Store) -> dict[str, TLSConfig]:
    tls = dict(world.tls)
    tls[UNREGISTERED] = register_org("unknown-oy", OrgKind.PRIVATE, register=False)
    tls[REVOKED] = register_org("revoked-oy", OrgKind.PRIVATE)
    directory.revoke_certificate(store, read_cert_info(tls[REVOKED].client_cert).fingerprint)
    tls[SUSPENDED] = register_org("suspended-oy", OrgKind.PRIVATE)
    directory.set_organization_status(store, "suspended-oy", OrgStatus.SUSPENDED)
    return tls


@pytest.mark.parametrize(
    ("path", "method"), [pytest.param(p, m, id=m.name) for p, m in all_methods()]
)
async def test_each_call_refused_before_its_use_case_leaves_exactly_one_audit_event(
    world: World, refused_tls, raw_channel, store: Store, path: str, method: Any
):
    request = SCENARIOS[path].allowed[1](world)
    for refusal in REFUSALS:
        request_id = f"refused-{method.name}-{refusal.reason}"
        metadata = (*refusal.metadata, ("x-request-id", request_id))
        before = len(_events(store))
        channel = raw_channel(refused_tls[refusal.who])

        code = await _call(channel, path, method, request, metadata)

        assert code is not grpc.StatusCode.OK, (path, refusal)
        new = _events(store)[before:]
        assert len(new) == 1, (path, refusal, new)
        event = new[0]
        assert (event.outcome.value, event.reason, event.org_id) == (
            "denied",
            refusal.reason,
            refusal.org_id,
        )
        assert event.action == "rpc:" + path.removeprefix("/luukku.v1.")
        assert event.request_id == request_id
        assert event.fingerprint
        assert event.practitioner_id == ""  # refused metadata is never recorded
        assert event.subject_citizen_id == (world.citizen_id if refusal.citizen_sees_it else None)


# Arguments refused before the use case -------------------------------------------------


def _with_text_no_field_accepts(request: Message) -> Message:
    """``request`` with every single string field (ids, cursors, page tokens, free text)
    set to a NUL, which no field accepts."""
    bad = type(request)()
    bad.CopyFrom(request)
    for field in bad.DESCRIPTOR.fields:
        if field.type == field.TYPE_STRING and not field.is_repeated:
            setattr(bad, field.name, "\x00")
    return bad


def _takes_text(method: Any) -> bool:
    return any(f.type == f.TYPE_STRING and not f.is_repeated for f in method.input_type.fields)


@pytest.mark.parametrize(
    ("path", "method"),
    [pytest.param(p, m, id=m.name) for p, m in all_methods() if _takes_text(m)],
)
async def test_each_call_refused_for_its_arguments_leaves_exactly_one_audit_event(
    world: World, raw_channel, store: Store, path: str, method: Any, citizen_issuer: TestIssuer
):
    """Wherever the refusal comes from (a check before the use case, or the use case
    itself), the log holds one denied event for the call, and the caller's name."""
    who, allowed = SCENARIOS[path].allowed
    request = _with_text_no_field_accepts(allowed(world))
    request_id = f"bad-arguments-{method.name}"
    metadata = (*_metadata(who, citizen_issuer), ("x-request-id", request_id))
    before = len(_events(store))

    code = await _call(raw_channel(world.tls[who]), path, method, request, metadata)

    assert code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND), (path, code)
    new = [e for e in _events(store)[before:] if e.request_id == request_id]
    assert len(new) == 1, (path, new)
    event = new[0]
    assert event.outcome.value == "denied"
    assert event.reason
    assert event.org_id == ORG_OF[who]
    assert event.action in (SCENARIOS[path].action, "rpc:" + path.removeprefix("/luukku.v1."))
