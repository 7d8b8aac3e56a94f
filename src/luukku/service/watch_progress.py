"""The policy of one watch stream, free of transport: what to send next, when to audit
what was delivered, when to check access again.

The transport (``server/live/watch.py``) asks this object and does the sending.
"""

from __future__ import annotations

import math
from datetime import datetime

from luukku.domain.errors import ErrorCode, LuukkuError


class WatchProgress:
    """Where a watch stands: the last message sent, the last one audited, and the clock."""

    def __init__(
        self, after_seq: int, heartbeat_s: float, now: float, *, record_while_open: bool = True
    ) -> None:
        self.heartbeat_s = heartbeat_s
        self.last = after_seq
        """The last sequence number sent (or the cursor the watch started after)."""
        # Deliveries are audited at most a heartbeat apart, and at the end:
        # a crash can lose the record of one heartbeat's deliveries at most.
        # (Or only at the end, for a watch whose records it would itself show.)
        self._recorded = after_seq
        self._record_due = now + heartbeat_s if record_while_open else math.inf

    def sent(self, seq: int) -> None:
        """A message went out."""
        self.last = seq

    def is_next(self, seq: int) -> bool:
        """Whether ``seq`` is the very next message to send."""
        return seq == self.last + 1

    def gap_before(self, seq: int) -> int | None:
        """The last sequence to fill from the store before ``seq``, if messages are missing.

        Posts can commit in one order and be published in another: a gap is
        filled from the store rather than skipped or reordered. None when
        ``seq`` was sent already or is the next one.
        """
        return seq - 1 if seq > self.last + 1 else None

    def unrecorded(self) -> tuple[int, int]:
        """The range sent but not yet audited; (0, 0) when there is none."""
        return (self._recorded + 1, self.last) if self.last > self._recorded else (0, 0)

    def delivery_due(self, now: float) -> tuple[int, int] | None:
        """The range to audit now, if a heartbeat has passed since the last record."""
        if self.last <= self._recorded or now < self._record_due:
            return None
        return self.unrecorded()

    def recorded(self, last: int, now: float) -> None:
        """Deliveries up to ``last`` are in the audit log."""
        self._recorded = last
        self._record_due = now + self.heartbeat_s

    def wait_seconds(self, recheck_at: datetime | None, now: datetime) -> float:
        """How long to wait for news: a heartbeat, or less if access lapses sooner."""
        if recheck_at is None:
            return self.heartbeat_s
        return max(0.0, min(self.heartbeat_s, (recheck_at - now).total_seconds()))

    @staticmethod
    def must_recheck(
        *, requested: bool, idle: bool, recheck_at: datetime | None, now: datetime
    ) -> bool:
        """Whether access must be decided again before going on.

        On request (a consent changed), when a consent-based right has lapsed,
        and on idle rounds: a suspension or certificate revocation made
        elsewhere sends no event, so it bites by the next heartbeat.
        """
        lapsed = recheck_at is not None and now >= recheck_at
        return requested or lapsed or idle

    def too_slow(self) -> LuukkuError:
        """The refusal for a watcher that fell too far behind; it may resume from ``last``."""
        return LuukkuError(
            ErrorCode.RESOURCE_EXHAUSTED,
            "WATCHER_TOO_SLOW",
            f"the watcher fell too far behind; resume after sequence {self.last}",
            metadata={"last_sequence": str(self.last)},
        )
