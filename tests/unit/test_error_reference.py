"""Every ErrorInfo reason the broker can return is listed in the README's error reference."""

from __future__ import annotations

import re
from pathlib import Path

from luukku.domain.access import Reason

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


def _reasons_in_source() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "luukku").rglob("*.py"):
        if "/v1/" in str(path) or "/bench/" in str(path):
            continue
        found |= set(_MADE.findall(path.read_text()))
    return found | {r.value for r in Reason if r not in _ALLOWED} | {"INVALID_METADATA"}


def _reasons_in_readme() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Error reference") :]
    section = section[: section.index("\n## ", 3)]
    return set(re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.MULTILINE))


def test_the_readme_lists_every_reason_the_broker_can_return():
    missing = _reasons_in_source() - _reasons_in_readme()
    assert missing == set()


def test_the_scan_finds_the_reasons_made_in_each_way():
    found = _reasons_in_source()
    # One of each: a field error, a directory refusal, an access denial, a precondition.
    assert {"INVALID_TIMESTAMP", "CERTIFICATE_UNKNOWN", "CONSENT_REVOKED", "CASE_CLOSED"} <= found
    assert {"QUOTA_EXCEEDED", "MALFORMED_REQUEST", "STORAGE_UNAVAILABLE"} <= found
