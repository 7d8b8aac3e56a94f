"""The one clock of the use cases: timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def now_utc() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)
