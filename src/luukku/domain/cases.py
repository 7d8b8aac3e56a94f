"""Cases and their append-only records, and the limits on what goes into them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from luukku.domain.caller import Practitioner
from luukku.domain.errors import invalid_argument
from luukku.domain.text import one_line, storable_text

MAX_TITLE = 200
MAX_TEXT_BYTES = 64 * 1024
MAX_DATA_BYTES = 64 * 1024
_KIND = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")


class ServiceCategory(StrEnum):
    """The kind of service a case is about; consents may cover a whole category."""

    HOME_CARE = "home_care"
    SOCIAL_WORK = "social_work"
    HEALTH = "health"
    REHABILITATION = "rehabilitation"
    HOUSING = "housing"


class CaseStatus(StrEnum):
    """Open cases take new records; closed ones stay readable."""

    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Case:
    """A citizen's matter, controlled by its owner organisation."""

    id: str
    citizen_id: str
    owner_org_id: str
    title: str
    category: ServiceCategory
    status: CaseStatus
    created_at: datetime
    closed_at: datetime | None = None


@dataclass(frozen=True)
class Record:
    """One revision of an entry in a case."""

    case_id: str
    record_id: str
    revision: int
    kind: str
    text: str
    data: dict[str, Any] | None
    author_org_id: str
    author: Practitioner
    created_at: datetime


def validate_title(title: str) -> str:
    """A stripped title of 1-200 characters."""
    title = one_line(title, "title").strip()
    if not title or len(title) > MAX_TITLE:
        raise invalid_argument("INVALID_TITLE", "title", f"1-{MAX_TITLE} characters required")
    return title


def validate_kind(kind: str) -> str:
    """A record kind: 1-64 of lower-case letters, digits and '-'."""
    if not _KIND.match(kind):
        raise invalid_argument(
            "INVALID_RECORD_KIND", "kind", "1-64 characters of a-z, 0-9 and '-' required"
        )
    return kind


def validate_content(text: str, data: dict[str, Any] | None) -> None:
    """A record needs text or data, each within its size limit."""
    storable_text(text, "text")
    if not text.strip() and not data:
        raise invalid_argument("EMPTY_RECORD", "text", "text or data is required")
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise invalid_argument("RECORD_TOO_LARGE", "text", f"at most {MAX_TEXT_BYTES} bytes")
    if data is not None and len(json.dumps(data).encode("utf-8")) > MAX_DATA_BYTES:
        raise invalid_argument("RECORD_TOO_LARGE", "data", f"at most {MAX_DATA_BYTES} bytes")
