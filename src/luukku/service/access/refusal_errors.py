"""What a caller is told when the access rule says no."""

from __future__ import annotations

from luukku.domain.access import Reason
from luukku.domain.errors import ErrorCode, LuukkuError, invalid_argument

_MESSAGES = {
    Reason.CONSENT_REQUIRED: "no consent of the citizen covers this access",
    Reason.CONSENT_REVOKED: "the citizen has revoked the consent that covered this access",
    Reason.CONSENT_EXPIRED: "the consent that covered this access has expired",
    Reason.CONSENT_NOT_YET_VALID: "the consent that covers this access is not yet valid",
    Reason.PERMISSION_NOT_GRANTED: "the consent does not grant this permission",
    Reason.NOT_CASE_CITIZEN: "the case is not the citizen's own",
    Reason.NOT_CONSENT_CITIZEN: "the consent is not the citizen's own",
    Reason.NOT_CONSENT_GRANTEE: "the consent was not given to this organisation",
    Reason.CITIZEN_CANNOT_WRITE: (
        "citizens read and discuss their cases; records are written and cases closed "
        "by the organisations"
    ),
    Reason.CITIZEN_ONLY: "only the citizen, through the portal, may do this",
    Reason.OWNER_ONLY: "only the owner organisation may do this",
    Reason.ORG_KIND_NOT_ALLOWED: "this kind of organisation may not do this",
    Reason.NOT_DESK_MEMBER: "only the member organisations of the inquiry's desk may do this",
    Reason.NOT_INQUIRY_CITIZEN: "the inquiry is not the citizen's own",
    Reason.NOT_INQUIRY_HOLDER: "only the organisation holding the inquiry may do this",
    Reason.NOT_CONSENT_REQUEST_PARTY: (
        "a consent request is for the citizen asked and the organisation that asked"
    ),
    Reason.NOT_OWN_EVENT: (
        "proofs are given of the events one may list: a citizen's, or an organisation's own"
    ),
    Reason.REPRESENTATION_MISSING: "you hold no such right to act for anyone",
    Reason.REPRESENTATION_NOT_ACCEPTED: "the mandate has not been accepted yet",
    Reason.REPRESENTATION_ENDED: "the right to act for this person has been ended",
    Reason.REPRESENTATION_NOT_YET_VALID: "the right to act for this person is not in force yet",
    Reason.REPRESENTATION_CAME_OF_AGE: "the child has come of age: a guardian's right has ended",
    Reason.REPRESENTATION_EXPIRED: "the right to act for this person has expired",
    Reason.REPRESENTATION_OUT_OF_SCOPE: "the right does not cover this",
    Reason.REPRESENTATION_CARE_ORDER: (
        "the child is taken into care: the guardians may not act for them"
    ),
}


def refusal(reason: Reason) -> LuukkuError:
    """The error for a denial: PERMISSION_DENIED, or FAILED_PRECONDITION for a closed case."""
    if reason is Reason.CASE_CLOSED:
        return LuukkuError(ErrorCode.FAILED_PRECONDITION, reason, "the case is closed")
    return LuukkuError(ErrorCode.PERMISSION_DENIED, reason, _MESSAGES.get(reason, "access denied"))


def request_id_reused() -> LuukkuError:
    """A retried create names another resource than its first call: refuse, never answer it.

    The first result may be in a case the caller can no longer reach.
    """
    return invalid_argument(
        "REQUEST_ID_REUSED",
        "request_id",
        "this organisation already used it for a request about another case",
    )
