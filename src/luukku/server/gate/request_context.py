"""The authenticated caller of the current call, set by the identity interceptor, and
for a stream the way to end it from outside its own task."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from luukku.domain.caller import Caller
from luukku.domain.errors import LuukkuError
from luukku.domain.pseudonyms import CitizenView
from luukku.store.uow import Store

CutOff = Callable[[LuukkuError], None]
"""Ends the current stream with a refusal now, whatever its own task is waiting on."""

_current: ContextVar[Caller] = ContextVar("luukku_caller")
_cut_off: ContextVar[CutOff] = ContextVar("luukku_cut_off")


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


def citizen_view(store: Store) -> CitizenView:
    """How the caller of the call being served is shown citizen ids: as its organisation's
    pairwise pseudonyms (a portal's, for the citizen it acts for).
    """
    return store.citizen_keys.view(current_caller().organization.id)


def bind_cut_off(cut_off: CutOff) -> None:
    """Bind how the current stream is ended from outside (for the rest of its task)."""
    _cut_off.set(cut_off)


def current_cut_off() -> CutOff:
    """How to end the stream being served from another task (its watch's guardian).

    Raises:
        LookupError: outside a stream that passed the interceptor (a wiring bug).
    """
    return _cut_off.get()
