"""The authenticated caller of the current call, set by the identity interceptor."""

from __future__ import annotations

from contextvars import ContextVar

from luukku.domain.caller import Caller

_current: ContextVar[Caller] = ContextVar("luukku_caller")


def current_caller() -> Caller:
    """The caller of the call being served.

    Raises:
        LookupError: outside a call that passed the identity interceptor;
            servicers are only reachable through it, so this is a wiring bug.
    """
    return _current.get()


def bind_caller(caller: Caller) -> object:
    """Bind ``caller`` for the current task; returns a token for ``unbind``."""
    return _current.set(caller)


def unbind(token: object) -> None:
    """Undo ``bind_caller``."""
    _current.reset(token)  # type: ignore[arg-type]
