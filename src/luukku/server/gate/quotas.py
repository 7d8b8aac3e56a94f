"""Per-organisation limits, so that no organisation can slow the others down.

The broker serves every organisation from one event loop and one database:
an organisation with hundreds of calls in flight, or thousands of open watch
streams, would make everybody else wait. Calls beyond an organisation's limit
are refused at once with RESOURCE_EXHAUSTED (QUOTA_EXCEEDED) and a RetryInfo
saying when to try again; the calls already in flight go on.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass

from luukku.domain.errors import ErrorCode, LuukkuError

DEFAULT_CALLS_PER_ORG = 64
"""Unary calls one organisation may have in flight at once."""
DEFAULT_STREAMS_PER_ORG = 2000
"""Watch streams one organisation may have open at once."""
DEFAULT_USE_CASES_PER_ORG = 4
"""Use cases one organisation may have under way at once while others have calls in flight;
the rest of its wait (``gate.fair_share``)."""
RETRY_AFTER_S = 0.5
BUSY_WINDOW_S = 1.0
"""How recently an organisation began a call to count as being served (``others_busy``)."""


@dataclass(frozen=True)
class Limits:
    """How much of the broker one organisation may hold at once."""

    calls_per_org: int = DEFAULT_CALLS_PER_ORG
    streams_per_org: int = DEFAULT_STREAMS_PER_ORG
    use_cases_per_org: int = DEFAULT_USE_CASES_PER_ORG
    """Use cases one organisation may have under way at once while others have calls in
    flight; its others wait their turn (``gate.fair_share``)."""


class Quotas:
    """Counts what each organisation holds; runs on the event loop only (no locking)."""

    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        self._calls: Counter[str] = Counter()
        self._streams: Counter[str] = Counter()
        # The latest organisation to call, and the latest before it other than it:
        # between them, the latest of any organisation but a given one.
        self._latest: tuple[str, float] = ("", -math.inf)
        self._latest_other: tuple[str, float] = ("", -math.inf)

    def enter(self, org_id: str, *, stream: bool) -> None:
        """Take one call (or stream) for ``org_id``, or refuse it over the limit."""
        held, limit = (
            (self._streams, self._limits.streams_per_org)
            if stream
            else (self._calls, self._limits.calls_per_org)
        )
        if held[org_id] >= limit:
            what = "watch streams open" if stream else "calls in flight"
            raise LuukkuError(
                ErrorCode.RESOURCE_EXHAUSTED,
                "QUOTA_EXCEEDED",
                f"this organisation already has {limit} {what}; retry shortly",
                metadata={"limit": str(limit)},
                retry_after_s=RETRY_AFTER_S,
            )
        held[org_id] += 1
        now = time.monotonic()
        if self._latest[0] != org_id:
            self._latest_other = self._latest
        self._latest = (org_id, now)

    def others_busy(self, org_id: str) -> bool:
        """Whether any organisation but ``org_id`` has calls in flight or began one within
        the last ``BUSY_WINDOW_S`` (its next may be waiting to be read)."""
        if len(self._calls) > (1 if org_id in self._calls else 0):
            return True
        other, began = self._latest if self._latest[0] != org_id else self._latest_other
        return bool(other) and time.monotonic() - began < BUSY_WINDOW_S

    def leave(self, org_id: str, *, stream: bool) -> None:
        """Give back what :meth:`enter` took."""
        held = self._streams if stream else self._calls
        held[org_id] -= 1
        if held[org_id] <= 0:
            del held[org_id]
