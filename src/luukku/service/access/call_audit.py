"""Whether the call being served has written its audit event yet.

The broker's interceptor opens a ``CallAudit`` for each call that passed it;
the access guard marks it when it writes the call's event. A call refused
without one (an argument refused before its use case, say a malformed id or
cursor) is then audited as a refused call (``call_refusals``), so that no call,
allowed or refused, leaves no trace.

The mark is a mutable object in a context variable: a use case run in a pool
thread works in a copy of the call's context, and sets the same object.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class CallAudit:
    """One call's audit so far."""

    written: bool = False


_current: ContextVar[CallAudit | None] = ContextVar("luukku_call_audit", default=None)


def opened() -> CallAudit:
    """Start following the current call (its task's context)."""
    audit = CallAudit()
    _current.set(audit)
    return audit


def written() -> None:
    """The current call's audit event is written (outside a followed call: nothing)."""
    audit = _current.get()
    if audit is not None:
        audit.written = True
