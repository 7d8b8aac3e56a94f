"""Waiting for something that happens asynchronously: the suite's one polling helper."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable

WITHIN_S = 10.0
"""How long a test waits by default: only a guard against a hang, never a measure of speed."""


async def eventually(
    check: Callable[[], object | Awaitable[object]],
    *,
    within: float = WITHIN_S,
    every: float = 0.02,
    what: str = "",
) -> object:
    """Wait until ``check()`` (a plain or an async callable) returns something true; return it.

    A check may also assert: an ``AssertionError`` counts as "not yet", and the last one is
    raised, with its message, if the check does not pass within ``within`` seconds.
    Anything else it raises (an RPC error the test did not expect) fails the test at once.
    """
    deadline = time.monotonic() + within
    while True:
        failed: AssertionError | None = None
        try:
            result = check()
            if inspect.isawaitable(result):
                result = await result
        except AssertionError as exc:
            failed, result = exc, None
        if result:
            return result
        if time.monotonic() >= deadline:
            if failed is not None:
                raise failed
            raise AssertionError(f"not within {within} s: {what or _source(check)}")
        await asyncio.sleep(every)


def _source(check: Callable[[], object]) -> str:
    """What the check says (a lambda's own line), for the failure message."""
    try:
        return inspect.getsource(check).strip()
    except (OSError, TypeError):
        return repr(check)


async def reconnected(probe: Callable[[], Awaitable[object]], *, within: float = WITHIN_S) -> None:
    """Wait until ``probe()`` (a call that changes nothing) no longer fails as UNAVAILABLE.

    A client whose channel was refused while its broker was down waits out gRPC's
    reconnect backoff before it tries again, and until then every call fails at once:
    a test that restarts a broker waits for this before calling it again.
    """
    from luukku.client import UnavailableError

    async def reachable() -> bool:
        try:
            await probe()
        except UnavailableError:
            return False
        return True

    await eventually(reachable, within=within, what="the client reaches the restarted broker")
