"""The authenticated caller of the current call, set by the identity interceptor."""

from __future__ import annotations

from contextvars import ContextVar

from luukku.domain.caller import Caller
from luukku.domain.pseudonyms import CitizenView
from luukku.store.uow import Store

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


def citizen_view(store: Store) -> CitizenView:
    """How the caller of the call being served is shown citizen ids: as its organisation's
    pairwise pseudonyms (a portal's, for the citizen it acts for).
    """
    return store.citizen_keys.view(current_caller().organization.id)
