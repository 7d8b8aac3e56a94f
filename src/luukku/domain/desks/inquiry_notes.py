"""Internal notes on an inquiry: what its desk's clerks tell each other, never the citizen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from luukku.domain.caller import Practitioner


@dataclass(frozen=True)
class InquiryNote:
    """A note a clerk of ``org_id`` wrote on an inquiry for the members of its desk."""

    inquiry_id: str
    seq: int
    """1, 2, 3… per inquiry, in the order written."""
    org_id: str
    practitioner: Practitioner
    body: str
    at: datetime
