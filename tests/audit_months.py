"""Audit events of given months, as the archive tests seed the log with them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from luukku.audit.events import AuditEvent, Outcome
from luukku.store.audit.partitions import Month


def nurse_read(
    month: Month, day: int, subject: str | None, *, consent_id: str | None = None
) -> AuditEvent:
    """A nurse of hoiva-oy reading a case about ``subject`` at 9 o'clock on ``day``."""
    return AuditEvent(
        event_id=uuid.uuid4().hex,
        time=datetime(month.year, month.month, day, 9, tzinfo=UTC),
        org_id="hoiva-oy",
        fingerprint="ab" * 32,
        practitioner_id="n-7",
        practitioner_name="Niko",
        practitioner_role="nurse",
        acting_for_citizen_id=None,
        action="case.read",
        resource="cases/" + "d" * 32,
        subject_citizen_id=subject,
        outcome=Outcome.ALLOWED,
        reason="CONSENT",
        consent_id=consent_id,
        request_id=f"{month}-{day}",
    )
