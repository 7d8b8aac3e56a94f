"""Plain words for the broker's codes: actions, reasons, permissions, categories, states.

The citizen reads "read a record", never ``record.read``. Each text is a
gettext message id (marked with ``N_`` so extraction finds it) translated when
the page renders.
"""

from __future__ import annotations

from luukku.web.case_words import (
    CATEGORIES,
    N_,
    PERMISSIONS,
    case_status,
    category,
    permission,
    plain,
    record_kind,
)
from luukku.web.i18n import gettext_

# What a case is in plain words is shared with the workspace (luukku.web.case_words).
__all__ = [
    "CATEGORIES",
    "N_",
    "PERMISSIONS",
    "action",
    "by_representative",
    "case_status",
    "category",
    "consent_state",
    "mandate_code",
    "outcome",
    "permission",
    "reason",
    "record_kind",
    "representation_refusal",
    "representative",
    "right_kind",
    "right_source",
    "right_state",
]


ACTIONS = {
    "case.create": N_("opened a case"),
    "case.read": N_("viewed a case"),
    "case.list": N_("listed cases"),
    "case.close": N_("closed a case"),
    "record.create": N_("added a record"),
    "record.revise": N_("corrected a record"),
    "record.read": N_("read a record"),
    "record.list": N_("read the records of a case"),
    "record.revisions": N_("read the versions of a record"),
    "consent.grant": N_("recorded a consent"),
    "consent.revoke": N_("withdrew a consent"),
    "consent.read": N_("viewed a consent"),
    "consent.list": N_("listed consents"),
    "thread.create": N_("started a discussion"),
    "thread.read": N_("viewed a discussion"),
    "thread.list": N_("listed discussions"),
    "thread.mark_read": N_("marked a discussion read"),
    "thread.unread": N_("checked for unread messages"),
    "thread.watch": N_("followed a discussion live"),
    "thread.watch.delivered": N_("received discussion messages live"),
    "thread.watch.end": N_("stopped following a discussion"),
    "message.post": N_("wrote a message"),
    "message.list": N_("read discussion messages"),
    "audit.list": N_("viewed the access log"),
    "audit.summarize": N_("viewed the access summary"),
    "audit.watch": N_("followed the access log live"),
    "audit.watch.end": N_("stopped following the access log"),
    "audit.prove": N_("checked an access against the signed log"),
    "inquiry.create": N_("sent a question to a service desk"),
    "inquiry.read": N_("viewed a question"),
    "inquiry.list": N_("listed questions"),
    "inquiry.claim": N_("took up a question"),
    "inquiry.hand_over": N_("handed a question over"),
    "inquiry.close": N_("closed a question"),
    "inquiry.reopen": N_("reopened a question"),
    "inquiry.link_case": N_("linked a question to a case"),
    "inquiry.watch": N_("followed a question live"),
    "inquiry_note.create": N_("wrote an internal note on a question"),
    "inquiry_note.list": N_("read the internal notes of a question"),
    "consent_request.create": N_("asked for your consent"),
    "consent_request.read": N_("viewed a consent request"),
    "consent_request.list": N_("listed consent requests"),
    "consent_request.answer": N_("answered a consent request"),
    "inquiry_message.post": N_("wrote in a question's conversation"),
    "inquiry_message.list": N_("read a question's conversation"),
    "inquiry.asker.read": N_("saw your name and your other open questions"),
    "representation.list": N_("viewed who may act for whom"),
    "representation.mandate.give": N_("gave a mandate to act for you"),
    "representation.mandate.accept": N_("accepted a mandate to act for you"),
    "representation.end": N_("ended a right to act for you"),
    "representation.register": N_("registered a right to act for you"),
    "representation.order.record": N_("recorded an order that limits acting for you"),
    "representation.order.lift": N_("lifted an order that limited acting for you"),
    "representation.capacity.judge": N_("assessed your capacity to decide in a case"),
}

REASONS = {
    "OWNER": N_("the organisation owns the case"),
    "PUBLIC_AUTHORITY": N_("a public authority's clerk, after seeing the documents"),
    "SELF": N_("your own data"),
    "CONSENT": N_("your consent"),
    "GRANTEE": N_("the consent was given to this organisation"),
    "OWNER_OR_CONSENT": N_("only what it owns or has your consent for"),
    "OWN_ACCESSES": N_("its own accesses"),
    "DELIVERED": N_("covered by the access that started it"),
    "AS_GUARDIAN": N_("acting as your guardian"),
    "AS_MANDATARY": N_("acting under your mandate"),
    "AS_LEGAL_GUARDIAN": N_("acting as your legal guardian"),
    "CONSENT_REQUIRED": N_("no consent"),
    "CONSENT_REVOKED": N_("the consent was withdrawn"),
    "CONSENT_EXPIRED": N_("the consent has expired"),
    "CONSENT_NOT_YET_VALID": N_("the consent is not valid yet"),
    "PERMISSION_NOT_GRANTED": N_("the consent does not allow this"),
    "NOT_CASE_CITIZEN": N_("the case is about another person"),
    "NOT_CONSENT_CITIZEN": N_("the consent is another person's"),
    "NOT_CONSENT_GRANTEE": N_("the consent was given to another organisation"),
    "CITIZEN_CANNOT_WRITE": N_("citizens do not write records"),
    "CITIZEN_ONLY": N_("only the citizen may do this"),
    "OWNER_ONLY": N_("only the owner of the case may do this"),
    "ORG_KIND_NOT_ALLOWED": N_("this kind of organisation may not do this"),
    "CASE_CLOSED": N_("the case is closed"),
    "DESK_MEMBER": N_("a member of the service desk"),
    "NOT_DESK_MEMBER": N_("not a member of the service desk"),
    "NOT_INQUIRY_CITIZEN": N_("the question is another person's"),
    "INQUIRY_CLOSED": N_("the question was closed"),
    "INQUIRY_NOT_CLOSED": N_("the question was still open"),
    "REOPEN_WINDOW_PASSED": N_("the time to reopen the question had passed"),
    "ANONYMOUS_INQUIRY": N_("the question was asked without a name"),
    "CASE_NOT_INQUIRY_CITIZEN": N_("the case is about another person"),
    # Refused before any use case: what a citizen sees of a call made in their name.
    "ON_BEHALF_NOT_ALLOWED": N_("the organisation may not act for a citizen"),
    "CERTIFICATE_UNKNOWN": N_("an unknown certificate"),
    "CERTIFICATE_REVOKED": N_("a revoked certificate"),
    "CERTIFICATE_NOT_CLIENT": N_("a certificate not meant for this"),
    "ORG_SUSPENDED": N_("the organisation is suspended"),
    "QUOTA_EXCEEDED": N_("too many requests at once"),
    "REQUEST_ID_REUSED": N_("a repeated request"),
    "RIGHT_NOT_FOUND": N_("no such right to act for another"),
    "RIGHT_ENDED": N_("the right to act for another had ended"),
    "RIGHT_EXPIRED": N_("the right to act for another had expired"),
    "RIGHT_FROM_REGISTER": N_("the right comes from the population register"),
    "RIGHT_FROM_CLERK": N_("only an authority may end this right"),
    "RIGHT_FROM_PORTAL": N_("only the parties may end this mandate"),
    "GIVER_NOT_ADULT": N_("only an adult may give a mandate"),
    "NOT_AN_ADULT": N_("the person is under 18"),
    "NOT_A_MINOR": N_("the person is of age"),
    "TOO_YOUNG": N_("the child is under 12"),
    # Refused to a person acting for you: what their right lacked.
    "REPRESENTATION_MISSING": N_("no right to act for you"),
    "REPRESENTATION_NOT_ACCEPTED": N_("the mandate was not accepted yet"),
    "REPRESENTATION_ENDED": N_("the right to act for you had ended"),
    "REPRESENTATION_NOT_YET_VALID": N_("the right to act for you was not in force yet"),
    "REPRESENTATION_CAME_OF_AGE": N_("you had come of age"),
    "REPRESENTATION_EXPIRED": N_("the right to act for you had expired"),
    "REPRESENTATION_OUT_OF_SCOPE": N_("the right to act for you does not cover this"),
    "REPRESENTATION_NON_DISCLOSURE": N_("a non-disclosure order"),
    "REPRESENTATION_CARE_ORDER": N_("a care order"),
    "REPRESENTATION_MINOR_FORBIDS": N_("you forbade your guardians this case"),
}

# Who acted for the citizen, by the reason the access was allowed on (the kind of right):
# "Maija Meikäläinen, acting as your guardian".
REPRESENTATIVES = {
    "AS_GUARDIAN": N_("%(name)s, acting as your guardian"),
    "AS_MANDATARY": N_("%(name)s, acting under your mandate"),
    "AS_LEGAL_GUARDIAN": N_("%(name)s, acting as your legal guardian"),
}

RIGHT_KINDS = {
    "guardian_of_minor": N_("Guardian of a child"),
    "adult_mandate": N_("Mandate"),
    "legal_guardian": N_("Legal guardian"),
}

RIGHT_SOURCES = {
    "population_register": N_("the population register"),
    "portal_mandate": N_("given in this portal"),
    "clerk_registration": N_("registered at a service point"),
}

RIGHT_STATES = {
    "active": N_("In force"),
    "awaiting_acceptance": N_("Waiting for acceptance"),
    "not_yet_valid": N_("Upcoming"),
    "ended": N_("Ended"),
    "expired": N_("Expired"),
    "blocked": N_("Barred by a care order"),
}

MANDATE_CODES = {
    "sote-social-care": N_("social-care matters (home care, social work, housing)"),
    "sote-health-care": N_("health-care matters (health care, rehabilitation)"),
    "sote-consents": N_("giving and withdrawing consents"),
    "sote-view": N_("viewing cases and records"),
}

# Why a call made on a right was refused, told to the person acting.
REPRESENTATION_REFUSALS = {
    "REPRESENTATION_MISSING": N_("You have no right to act for this person."),
    "REPRESENTATION_NOT_ACCEPTED": N_(
        "You have not accepted the mandate yet. Accept it on the Mandates page first."
    ),
    "REPRESENTATION_ENDED": N_("The right to act for this person has ended."),
    "REPRESENTATION_NOT_YET_VALID": N_("The right to act for this person is not in force yet."),
    "REPRESENTATION_CAME_OF_AGE": N_(
        "The child has turned 18: a guardian no longer acts for them."
    ),
    "REPRESENTATION_EXPIRED": N_(
        "The right to act for this person has expired: its last day has passed."
    ),
    "REPRESENTATION_OUT_OF_SCOPE": N_(
        "Your right does not cover this. For example, a mandate for social-care matters "
        "does not cover health care, and viewing does not allow writing."
    ),
    "REPRESENTATION_CARE_ORDER": N_(
        "The child has been taken into care, so a guardian cannot act for them here."
    ),
}

# Reasons that a request was malformed (an id, a field, a cursor): one plain phrase for all.
_MALFORMED_PREFIXES = ("INVALID_", "MISSING_", "MALFORMED_", "EMPTY_")

CONSENT_STATES = {
    "pending": N_("Upcoming"),
    "active": N_("In force"),
    "revoked": N_("Withdrawn"),
    "expired": N_("Expired"),
}

CONSENT_REQUEST_STATES = {
    "pending": N_("Waiting for your answer"),
    "approved": N_("You approved"),
    "declined": N_("You declined"),
    "expired": N_("Expired unanswered"),
}

OUTCOMES = {"allowed": N_("Allowed"), "denied": N_("Denied")}


def action(code: str) -> str:
    """What was done, in plain words; an unknown action by its code."""
    if code.startswith("rpc:"):
        return gettext_("tried to use the service")
    return plain(ACTIONS, code, code)


def reason(code: str) -> str:
    """Why it was allowed or refused, in plain words."""
    if code not in REASONS and (code.startswith(_MALFORMED_PREFIXES) or "_TOO_" in code):
        return gettext_("the request was not valid")
    return plain(REASONS, code, code.replace("_", " ").lower())


def consent_state(code: str) -> str:
    """A consent's state as the citizen would say it."""
    return plain(CONSENT_STATES, code, code)


def consent_request_state(code: str) -> str:
    """Where a consent request stands, as the citizen would say it."""
    return plain(CONSENT_REQUEST_STATES, code, code)


def by_representative(reason_code: str) -> bool:
    """Whether an access was allowed or refused on a right to act for the citizen."""
    return reason_code in REPRESENTATIVES or reason_code.startswith("REPRESENTATION_")


def representative(name: str, reason_code: str) -> str:
    """Who acted for the citizen and on what right, by the reason the access was allowed
    ("someone" when the broker knows no name for them)."""
    phrase = plain(REPRESENTATIVES, reason_code, gettext_("%(name)s, acting for you"))
    return phrase % {"name": name or gettext_("Someone")}


def right_kind(code: str) -> str:
    """A representation right's kind: guardian, mandate, legal guardian."""
    return plain(RIGHT_KINDS, code, code)


def right_source(code: str) -> str:
    """Where a representation right came from."""
    return plain(RIGHT_SOURCES, code, code)


def right_state(code: str) -> str:
    """Where a representation right stands."""
    return plain(RIGHT_STATES, code, code)


def mandate_code(code: str) -> str:
    """What a mandate code covers, in plain words."""
    return plain(MANDATE_CODES, code, code)


def representation_refusal(reason_code: str) -> str:
    """Why the broker refused a call made on a right, for the person acting."""
    return plain(
        REPRESENTATION_REFUSALS,
        reason_code,
        gettext_("Your right does not allow this at the moment."),
    )


def outcome(code: str) -> str:
    """Allowed or denied."""
    return plain(OUTCOMES, code, code)
