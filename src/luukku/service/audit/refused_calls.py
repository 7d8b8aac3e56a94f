"""Calls refused before any use case runs, audited like every other access.

A call that passed TLS can still be refused by the broker before it reaches a
use case: an unregistered, revoked or CA certificate, a suspended
organisation, a non-portal organisation acting for a citizen, malformed
metadata. Each such refusal is an attempt to reach the hub, and some are an
attempt on one citizen's data (a forged on-behalf-of): they are audited, and
a citizen named by a well-formed identity code sees the attempt in their list.

An attacker must not be able to fill the log cheaply, so repeats are
aggregated rather than dropped: the first refusal of a (certificate, reason,
citizen) in a minute is written at once, before the caller is answered (fail
closed); the repeats of that minute are counted and written as one event
(resource ``repeated/N``) once the minute is over, at the latest when the
broker stops.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from luukku.audit.events import AuditEvent, Outcome, recorded
from luukku.service.access import outbox
from luukku.service.access.clock import now_utc
from luukku.store.uow import Store

WINDOW_SECONDS = 60


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


_Key = tuple[str, str, str | None, int]


@dataclass
class _Repeats:
    count: int
    last: RefusedCall


class RefusalAudit:
    """Writes refused calls to the audit log, aggregating repeats per minute."""

    def __init__(
        self,
        store: Store,
        *,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._window = window_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._open: dict[_Key, _Repeats] = {}
        self._window_flushed = -1

    def record(self, refused: RefusedCall) -> None:
        """Audit ``refused``: written now if first of its minute, else counted.

        Raises whatever the store raises: the caller is refused anyway, and a
        refusal that cannot be audited must not pass silently.
        """
        window = int(self._clock() // self._window)
        if window != self._window_flushed:
            # A new minute: the last one's counts go first, keeping the log in time order.
            self._window_flushed = window
            self.flush()
        key = (refused.fingerprint, refused.reason, refused.identity_code, window)
        with self._lock:
            repeats = self._open.get(key)
            if repeats is not None:
                repeats.count += 1
                repeats.last = refused
                return
            self._open[key] = _Repeats(0, refused)
        try:
            self._write(refused, "call")
        except BaseException:
            with self._lock:
                self._open.pop(key, None)
            raise

    def flush(self, *, everything: bool = False) -> None:
        """Write the counts of the minutes that are over (all of them, when stopping)."""
        window = int(self._clock() // self._window)
        with self._lock:
            done = [k for k in self._open if everything or k[3] < window]
            closed = [(k, self._open.pop(k)) for k in done]
        for _, repeats in closed:
            if repeats.count:
                self._write(repeats.last, f"repeated/{repeats.count}")

    def _write(self, refused: RefusedCall, resource: str) -> None:
        now = now_utc()
        with self._store.transaction() as tx:
            citizen = tx.citizens.find(refused.identity_code) if refused.identity_code else None
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
