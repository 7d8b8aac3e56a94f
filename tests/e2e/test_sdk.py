"""The SDK as a care company's developer meets it: typed errors, one kind of enum, any name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import grpc
import pytest

import luukku.client
from luukku.client import (
    CaseStatus,
    Category,
    ConsentState,
    InvalidArgumentError,
    OrganizationKind,
    Outcome,
    Permission,
    Practitioner,
)
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"


async def test_a_practitioner_with_letters_beyond_ascii_reaches_the_broker_intact(
    register_org, connect
):
    who = Practitioner("p-ä2", "Äijä Öberg", "lääkäri")
    client = await connect(register_org("helsinki-social", OrgKind.PUBLIC), practitioner=who)

    me = await client.who_am_i()

    assert me.practitioner == who
    assert me.organization.kind is OrganizationKind.PUBLIC


@pytest.mark.parametrize(
    ("call", "field", "allowed"),
    [
        (
            lambda c: c.create_case(CITIZEN, title="Care", category="homecare"),
            "category",
            "home_care",
        ),
        (lambda c: c.list_cases(category="nursing").__anext__(), "category", "housing"),
        (
            lambda c: c.grant_consent(
                "hoiva-oy",
                case_id="0" * 32,
                permissions=["reed"],
                purpose="Care",
                valid_until=datetime.now(UTC) + timedelta(days=1),
            ),
            "permissions",
            "discuss",
        ),
        (lambda c: c.list_consents(state="on").__anext__(), "state", "revoked"),
        (lambda c: c.audit_events_page(outcome="maybe"), "outcome", "denied"),
    ],
)
async def test_an_unknown_enum_name_is_the_sdks_own_error_naming_the_field_and_the_choices(
    register_org, connect, call, field, allowed
):
    client = await connect(register_org("omaportaali", OrgKind.PORTAL), on_behalf_of=CITIZEN)

    with pytest.raises(InvalidArgumentError) as refused:
        await call(client)

    assert refused.value.code is grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in refused.value.field_violations] == [field]
    assert allowed in refused.value.message


async def test_results_carry_the_same_string_enums_the_arguments_take(register_org, connect):
    register_org("hoiva-oy", OrgKind.PRIVATE)
    social = await connect(register_org("helsinki-social", OrgKind.PUBLIC))
    portal = await connect(register_org("omaportaali", OrgKind.PORTAL), on_behalf_of=CITIZEN)

    case = await social.create_case(CITIZEN, title="Care", category=Category.HOME_CARE)
    consent = await portal.grant_consent(
        "hoiva-oy",
        category="home_care",
        permissions=[Permission.READ, "discuss"],
        purpose="Care",
        valid_until=datetime.now(UTC) + timedelta(days=1),
    )
    events = [e async for e in portal.list_audit_events()]

    assert (case.category, case.status) == ("home_care", "open")
    assert case.status is CaseStatus.OPEN
    assert consent.state is ConsentState.ACTIVE
    assert consent.state == "active"
    assert consent.permissions == {"read", "discuss"}
    assert (consent.case_id, consent.category) == (None, Category.HOME_CARE)
    assert consent.revoke_time is None
    assert {e.outcome for e in events} == {Outcome.ALLOWED}
    assert [c.id async for c in portal.list_consents(state=ConsentState.ACTIVE)] == [consent.id]


# The SDK's public surface: a name added to or taken from it is a decision, made here.
PUBLIC_SURFACE = [
    "AbortedError",
    "AccessCount",
    "AlreadyExistsError",
    "AuditEvent",
    "CapacityJudgement",
    "Case",
    "CaseAccess",
    "CaseStatus",
    "Category",
    "Checkpoint",
    "Client",
    "Consent",
    "ConsentRequest",
    "ConsentRequestState",
    "ConsentState",
    "ConsistencyProof",
    "Desk",
    "DeskFigures",
    "DeskShift",
    "DeskTopic",
    "FailedPreconditionError",
    "FieldViolation",
    "Identity",
    "InclusionProof",
    "Inquiry",
    "InquiryAsker",
    "InquiryChannel",
    "InquiryEvent",
    "InquiryNote",
    "InquiryStatus",
    "InquiryStep",
    "InquiryStepKind",
    "InvalidArgumentError",
    "MandateCode",
    "MemberFigures",
    "Message",
    "MinorCapacity",
    "NotFoundError",
    "Organization",
    "OrganizationKind",
    "OrganizationStatus",
    "Outcome",
    "Permission",
    "PermissionDeniedError",
    "Practitioner",
    "QueueEntry",
    "QueueEntryKind",
    "RPCError",
    "ReadMark",
    "ReadyAnswer",
    "Record",
    "RepresentationBlocker",
    "RepresentationBlockerKind",
    "RepresentationKind",
    "RepresentationRight",
    "RepresentationRights",
    "RepresentationSource",
    "RepresentationState",
    "TLSConfig",
    "Thread",
    "UnauthenticatedError",
    "UnavailableError",
    "UnreadSummary",
    "VerificationError",
    "WaitFigures",
    "claimed_name",
    "is_valid_identity_code",
    "leaf_hash",
    "plain_name",
    "verify_checkpoint",
    "verify_consistency",
    "verify_inclusion",
]


def test_the_sdk_exports_every_public_name_it_has_and_only_the_pinned_ones():
    public = sorted(name for name in vars(luukku.client) if not name.startswith("_"))
    assert luukku.client.__all__ == public  # nothing public unexported, nothing missing
    assert luukku.client.__all__ == PUBLIC_SURFACE
