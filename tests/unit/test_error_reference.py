"""docs/errors.md lists every ErrorInfo reason the broker can return, with its real limits."""

from __future__ import annotations

import re
from pathlib import Path

from luukku.domain import cases, consents, threads
from luukku.domain.access import Reason
from luukku.domain.desks import desks, inquiries, ready_answers
from luukku.server.api.convert.struct import MAX_DEPTH
from luukku.server.gate import sizes
from luukku.server.gate.citizen_token import TokenRefusal
from luukku.service.paging import MAX_PAGE_SIZE

ROOT = Path(__file__).resolve().parents[2]
# The reason argument of every way the code makes a refusal.
_MADE = re.compile(
    r"(?:invalid_argument|not_found|permission_denied|unauthenticated|failed_precondition|"
    r"_bad_metadata|LuukkuError)\(\s*(?:ErrorCode\.[A-Z_]+,\s*)?\"([A-Z][A-Z0-9_]+)\"",
)
_ALLOWED = {Reason.OWNER, Reason.SELF, Reason.CONSENT, Reason.GRANTEE, Reason.VISIBLE}
_ALLOWED |= {Reason.DESK_MEMBER, Reason.ANONYMOUS}
_ALLOWED |= {Reason.OWN_ACCESSES, Reason.DELIVERED}
_ALLOWED |= {Reason.AUTHENTICATED}  # the audit log's checkpoints: public
_ALLOWED |= {Reason.INQUIRY_HOLDER, Reason.REQUESTER}  # consent requests
_ALLOWED |= {Reason.AS_GUARDIAN, Reason.AS_MANDATARY, Reason.AS_LEGAL_GUARDIAN}  # acting for
_ALLOWED |= {Reason.PUBLIC_AUTHORITY}  # a public authority's clerk acts on rights and orders


def _reasons_in_source() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "luukku").rglob("*.py"):
        if "/v1/" in str(path) or "/bench/" in str(path):
            continue
        found |= set(_MADE.findall(path.read_text()))
    found |= {r.value for r in TokenRefusal}  # the citizen token's, one enum
    return found | {r.value for r in Reason if r not in _ALLOWED} | {"INVALID_METADATA"}


def _meanings_in_the_reference() -> dict[str, str]:
    reference = (ROOT / "docs" / "errors.md").read_text()
    rows = re.findall(r"^\| `([A-Z_]+)` \| [A-Z_]+ \| (.*) \|$", reference, flags=re.MULTILINE)
    return dict(rows)


def test_the_error_reference_lists_every_reason_the_broker_can_return():
    missing = _reasons_in_source() - set(_meanings_in_the_reference())
    assert missing == set()


def test_the_error_reference_states_the_limits_the_broker_enforces():
    meanings = _meanings_in_the_reference()
    limits = {
        "INVALID_TITLE": f"1-{cases.MAX_TITLE} characters",
        "RECORD_TOO_LARGE": f"{cases.MAX_TEXT_BYTES:,} bytes",
        "INVALID_DATA": f"deeper than {MAX_DEPTH} levels",
        "INVALID_PURPOSE": f"1-{consents.MAX_PURPOSE} characters",
        "INVALID_SUBJECT": f"1-{threads.MAX_SUBJECT} characters",
        "MESSAGE_TOO_LARGE": f"{threads.MAX_BODY_BYTES:,} bytes",
        "INVALID_MUNICIPALITY": f"over {inquiries.MAX_MUNICIPALITY} characters",
        "INVALID_INQUIRY_OUTCOME": f"1-{inquiries.MAX_OUTCOME} characters",
        "INVALID_NOTE": f"1-{inquiries.MAX_NOTE} characters",
        "INVALID_DESK_NAME": f"1-{desks.MAX_NAME} characters",
        "INVALID_READY_ANSWER_TITLE": f"1-{ready_answers.MAX_TITLE} characters",
        "INVALID_READY_ANSWER_TEXT": f"over {ready_answers.MAX_TEXT} characters",
        "READY_ANSWERS_FULL": f"{ready_answers.MAX_PER_DESK} ready answers",
        "INVALID_PAGE_SIZE": f"than {MAX_PAGE_SIZE} is cut to {MAX_PAGE_SIZE}",
        "INVALID_VALIDITY": f"more than {consents.MAX_VALIDITY.days // 366} years",
        "REQUEST_TOO_LARGE": f"{sizes.RECORD_REQUEST_BYTES:,} bytes",
    }
    assert f"{sizes.REQUEST_BYTES:,} bytes for all others" in meanings["REQUEST_TOO_LARGE"]
    wrong = {reason: meanings.get(reason) for reason, says in limits.items()}
    wrong = {r: m for r, m in wrong.items() if m is None or limits[r] not in m}
    assert wrong == {}


def test_the_scan_finds_the_reasons_made_in_each_way():
    found = _reasons_in_source()
    # One of each: a field error, a directory refusal, an access denial, a precondition.
    assert {"INVALID_TIMESTAMP", "CERTIFICATE_UNKNOWN", "CONSENT_REVOKED", "CASE_CLOSED"} <= found
    assert {"QUOTA_EXCEEDED", "MALFORMED_REQUEST", "STORAGE_UNAVAILABLE"} <= found
