"""The SDK's enumerations: the same string values in arguments and in results.

Each is a ``StrEnum``, so ``consent.state == "active"`` and
``consent.state is ConsentState.ACTIVE`` both hold, and an argument may be
given either way. A value the SDK does not know is refused before anything
is sent, with an ``InvalidArgumentError`` naming the field and the values
allowed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

import grpc

from luukku.client._errors import FieldViolation, InvalidArgumentError


class Category(StrEnum):
    """The kind of service a case is about."""

    HOME_CARE = "home_care"
    SOCIAL_WORK = "social_work"
    HEALTH = "health"
    REHABILITATION = "rehabilitation"
    HOUSING = "housing"


class CaseStatus(StrEnum):
    """Open cases take new records; closed ones stay readable."""

    OPEN = "open"
    CLOSED = "closed"


class Permission(StrEnum):
    """What a consent lets an organisation do with a case."""

    READ = "read"
    WRITE = "write"
    DISCUSS = "discuss"


class ConsentState(StrEnum):
    """Where a consent stands now."""

    PENDING = "pending"
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


class ConsentRequestState(StrEnum):
    """Where a consent request stands now."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"
    """Unanswered when its period ended: it can no longer be answered."""


class Outcome(StrEnum):
    """Whether an audited access was allowed."""

    ALLOWED = "allowed"
    DENIED = "denied"


class OrganizationKind(StrEnum):
    """Public provider, private provider, or the citizens' portal."""

    PUBLIC = "public"
    PRIVATE = "private"
    PORTAL = "portal"


class OrganizationStatus(StrEnum):
    """Whether an organisation may call the broker."""

    ACTIVE = "active"
    SUSPENDED = "suspended"


class InquiryChannel(StrEnum):
    """How an inquiry came in."""

    WEB = "web"
    CHAT = "chat"
    PHONE = "phone"
    VISIT = "visit"
    LETTER = "letter"


class InquiryStatus(StrEnum):
    """Where an inquiry stands: in its desk's queue, claimed by a member, or closed."""

    QUEUED = "queued"
    CLAIMED = "claimed"
    CLOSED = "closed"


class QueueEntryKind(StrEnum):
    """What a queue watch tells of an inquiry (see ``DeskCalls.watch_queue``)."""

    OPEN = "open"
    """Open and in view when the watch began."""
    ASKED = "asked"
    CLAIMED = "claimed"
    HANDED_OVER = "handed_over"
    CLOSED = "closed"
    REOPENED = "reopened"
    OVERFLOWED = "overflowed"
    """Nobody claimed it within the overflow time: every member is offered it now."""
    CITIZEN_WROTE = "citizen_wrote"
    """The citizen wrote after a clerk's answer: the desk's turn again."""
    ANSWERED = "answered"
    """A clerk answered what the citizen wrote."""


class InquiryStepKind(StrEnum):
    """What happened to an inquiry."""

    ASKED = "asked"
    CLAIMED = "claimed"
    HANDED_OVER = "handed_over"
    CLOSED = "closed"
    REOPENED = "reopened"
    CASE_LINKED = "case_linked"


class RepresentationKind(StrEnum):
    """Why one person may act for another."""

    GUARDIAN_OF_MINOR = "guardian_of_minor"
    """Huoltaja: a guardian of a child under 18."""
    ADULT_MANDATE = "adult_mandate"
    """Valtuutus: an adult acts for another adult who gave them a mandate."""
    LEGAL_GUARDIAN = "legal_guardian"
    """Edunvalvoja: appointed by a court or authority for an adult."""


class RepresentationSource(StrEnum):
    """Where a representation right came from."""

    POPULATION_REGISTER = "population_register"
    PORTAL_MANDATE = "portal_mandate"
    """Given in the portal; in force only once accepted."""
    CLERK_REGISTRATION = "clerk_registration"
    """Registered by a clerk of a public organisation after seeing the papers."""


class MandateCode(StrEnum):
    """The scope of a right (docs/representation.md says what each allows on which cases)."""

    SOCIAL_CARE = "sote-social-care"
    """Social-care matters: read, discuss, ask a desk (home care, social work, housing)."""
    HEALTH_CARE = "sote-health-care"
    """Health-care matters: read, discuss, ask a desk (health, rehabilitation)."""
    CONSENTS = "sote-consents"
    """Grant and revoke consents, every category."""
    VIEW = "sote-view"
    """Read cases and records, every category."""


class RepresentationState(StrEnum):
    """Where a representation right stands now."""

    ACTIVE = "active"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    """A portal mandate the representative has not accepted yet."""
    NOT_YET_VALID = "not_yet_valid"
    ENDED = "ended"
    """Ended early by a party, a clerk or the register."""
    EXPIRED = "expired"
    """Past its last day, or the child has come of age."""
    BLOCKED = "blocked"
    """Barred by a care order."""


class RepresentationBlockerKind(StrEnum):
    """An order that bars a child's guardians."""

    CARE_ORDER = "care_order"
    """Huostaanotto: the child is taken into care."""
    NON_DISCLOSURE = "non_disclosure"
    """Turvakielto: a non-disclosure order."""


class MinorCapacity(StrEnum):
    """THL's decision-capacity codes for a minor and one case."""

    NOT_CAPABLE_SHARED = "not_capable_shared"
    """Not capable: the guardians take part in the case."""
    CAPABLE_ALLOWS = "capable_allows"
    """Capable, and allows the guardians to take part."""
    CAPABLE_FORBIDS = "capable_forbids"
    """Capable, and forbids the guardians this case."""


E = TypeVar("E", bound=StrEnum)

# The proto enum name prefix of each, and names that differ from the value.
_PREFIX: dict[type[StrEnum], str] = {
    Category: "SERVICE_CATEGORY_",
    CaseStatus: "CASE_STATUS_",
    Permission: "CONSENT_PERMISSION_",
    ConsentState: "CONSENT_STATE_",
    ConsentRequestState: "CONSENT_REQUEST_STATE_",
    Outcome: "AUDIT_OUTCOME_",
    OrganizationKind: "ORGANIZATION_KIND_",
    OrganizationStatus: "ORGANIZATION_STATUS_",
    InquiryChannel: "INQUIRY_CHANNEL_",
    InquiryStatus: "INQUIRY_STATUS_",
    InquiryStepKind: "INQUIRY_STEP_KIND_",
    QueueEntryKind: "QUEUE_ENTRY_KIND_",
    RepresentationKind: "REPRESENTATION_KIND_",
    RepresentationSource: "REPRESENTATION_SOURCE_",
    MandateCode: "MANDATE_CODE_",
    RepresentationState: "REPRESENTATION_STATE_",
    RepresentationBlockerKind: "REPRESENTATION_BLOCKER_KIND_",
    MinorCapacity: "MINOR_CAPACITY_",
}
_PROTO_NAME = {Permission.READ: "READ_RECORDS", Permission.WRITE: "WRITE_RECORDS"}


def parse(kind: type[E], value: str | E, field: str) -> E:
    """``value`` as a member of ``kind``, else InvalidArgumentError naming ``field``."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        description = f"{value!r} is not one of: {allowed}"
        raise InvalidArgumentError(
            grpc.StatusCode.INVALID_ARGUMENT,
            f"{field}: {description}",
            reason="INVALID_ENUM_VALUE",
            field_violations=(FieldViolation(field, description),),
        ) from None


def to_proto(member: StrEnum, enum_type: Any) -> Any:
    """The proto enum number of ``member`` (``enum_type`` is the generated EnumTypeWrapper)."""
    name = _PROTO_NAME.get(member, member.name)  # type: ignore[call-overload]
    return enum_type.Value(_PREFIX[type(member)] + name)


def from_proto(kind: type[E], enum_type: Any, number: int) -> E:
    """The member of ``kind`` for a proto enum number."""
    name = str(enum_type.Name(number)).removeprefix(_PREFIX[kind])
    for member in kind:
        if _PROTO_NAME.get(member, member.name) == name:  # type: ignore[call-overload]
            return member
    raise ValueError(f"{kind.__name__} has no member for {name}")
