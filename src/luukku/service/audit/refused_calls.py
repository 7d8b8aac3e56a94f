"""Calls refused before any use case runs, audited like every other access.

A call that passed TLS can still be refused by the broker before it reaches a
use case: an unregistered, revoked or CA certificate, a suspended
organisation, a non-portal organisation acting for a citizen, malformed
metadata. Each such refusal is an attempt to reach the hub, and some are an
attempt on one citizen's data (a forged on-behalf-of): they are audited, and
a citizen named by a well-formed identity code sees the attempt in their list.

Every distinct attempt is its own event, written before the caller is
answered (fail closed), so the citizen it names sees it at once. Only the
same call made again is aggregated: the same certificate, RPC, request
(``resource``: a keyed digest of what was asked, so two reads of different
records are two attempts), claimed citizen and reason, within the window
that its first refusal opened (not a clock minute: where a boundary falls
decides nothing). Its repeats are counted and written as one event (resource
``repeated/N``) when that window closes, at the latest when the broker stops.

An attacker must not be able to fill the log cheaply, so each certificate
has a budget of distinct refusal events per window. Past it, the
certificate's further refusals, whatever they were, are folded into one
flagged event per window (resource ``over-budget/N``, naming no citizen, as
it mixes attempts): the flood shows, and costs the log one row a minute.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from luukku.audit.events import AuditEvent, Outcome, recorded
from luukku.service.access import outbox
from luukku.service.access.clock import now_utc
from luukku.store.uow import Store

WINDOW_SECONDS = 60
BUDGET_PER_WINDOW = 60
"""Distinct refusal events one certificate may cause in a window, well above what an
honest client's mistakes cause, before the rest are folded and flagged."""
OVER_BUDGET = "over-budget"
"""The resource of the folded refusals of a certificate past its budget."""


@dataclass(frozen=True)
class RefusedCall:
    """What is known of a call refused before its use case."""

    fingerprint: str
    org_id: str
    """The organisation holding the certificate; empty when it is not registered."""
    action: str
    """The RPC, e.g. ``rpc:CaseService/GetCase``."""
    reason: str
    request_id: str
    identity_code: str | None = None
    """A well-formed identity code the call claimed to act for (never logged, never returned)."""
    citizen_token_hash: str | None = None
    """SHA-256 of the bearer token the call presented, if any (never the token)."""
    resource: str = "call"
    """What the call asked for: a keyed digest of the request, ``call`` when there was none."""

    def attempt(self) -> tuple[str | None, ...]:
        """What makes two refusals the same call: only those are aggregated."""
        return (self.fingerprint, self.action, self.resource, self.identity_code, self.reason)


@dataclass
class _Open:
    """An attempt's window: when it opened, the repeats since, and the last of them."""

    opened: float
    count: int
    last: RefusedCall
    resource: str = "repeated"


class RefusalAudit:
    """Writes refused calls to the audit log: each distinct attempt at once, repeats counted."""

    def __init__(
        self,
        store: Store,
        *,
        window_seconds: float = WINDOW_SECONDS,
        budget: int = BUDGET_PER_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._window = window_seconds
        self._budget = budget
        self._clock = clock
        self._lock = threading.Lock()
        self._open: dict[tuple[str | None, ...], _Open] = {}
        """The windows open: per attempt, and per certificate past its budget."""
        self._written: dict[str, deque[float]] = {}
        """Per certificate, when its distinct refusal events of the last window were written."""

    def record(self, refused: RefusedCall) -> None:
        """Audit ``refused``: written now if a new attempt within the budget, else counted.

        Raises whatever the store raises: the caller is refused anyway, and a
        refusal that cannot be audited must not pass silently.
        """
        # Windows that have closed go first, keeping the log in time order.
        self.flush()
        now = self._clock()
        key = refused.attempt()
        with self._lock:
            repeats = self._open.get(key)
            if repeats is None and not self._within_budget(refused.fingerprint, now):
                key = (OVER_BUDGET, refused.fingerprint)
                # Folded, however distinct: the first of the window opens the flagged count.
                repeats = self._open.setdefault(key, _Open(now, 0, refused, OVER_BUDGET))
            if repeats is not None:
                repeats.count += 1
                repeats.last = refused
                return
            self._open[key] = _Open(now, 0, refused)
            self._written.setdefault(refused.fingerprint, deque()).append(now)
        try:
            self._write(refused, refused.resource, name_citizen=True)
        except BaseException:
            with self._lock:
                self._open.pop(key, None)
                self._written[refused.fingerprint].pop()
            raise

    def _within_budget(self, fingerprint: str, now: float) -> bool:
        written = self._written.get(fingerprint)
        if written is None:
            return True
        while written and written[0] <= now - self._window:
            written.popleft()
        if not written:
            del self._written[fingerprint]
            return True
        return len(written) < self._budget

    def flush(self, *, everything: bool = False) -> None:
        """Write the counts of the windows that have closed (all of them, when stopping)."""
        now = self._clock()
        with self._lock:
            done = [
                k for k, o in self._open.items() if everything or o.opened <= now - self._window
            ]
            closed = [self._open.pop(k) for k in done]
        for repeats in sorted(closed, key=lambda o: o.opened):
            if repeats.count:
                over = repeats.resource == OVER_BUDGET
                self._write(
                    repeats.last, f"{repeats.resource}/{repeats.count}", name_citizen=not over
                )

    def _write(self, refused: RefusedCall, resource: str, *, name_citizen: bool) -> None:
        now = now_utc()
        with self._store.transaction() as tx:
            claimed = refused.identity_code if name_citizen else None
            citizen = tx.citizens.find(claimed) if claimed else None
            event = AuditEvent(
                event_id=uuid.uuid4().hex,
                time=now,
                org_id=refused.org_id,
                fingerprint=refused.fingerprint,
                # Metadata of a refused call is not trusted, nor recorded.
                practitioner_id="",
                practitioner_name="",
                practitioner_role="",
                acting_for_citizen_id=citizen,
                action=refused.action,
                resource=resource,
                subject_citizen_id=citizen,
                outcome=Outcome.DENIED,
                reason=refused.reason,
                consent_id=None,
                request_id=refused.request_id,
                citizen_token_hash=refused.citizen_token_hash,
            )
            tx.audit.append(event)
        outbox.committed([recorded(event)])
