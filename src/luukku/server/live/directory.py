"""Ends open watch streams soon after their organisation is suspended or certificate revoked.

Every call is authenticated anew, but a watch stream is one long call.
Suspensions and revocations are made with the admin CLI, another process that
sends the broker no event; so the broker compares the directory's access
states (each certificate's state, its organisation's status) every
``POLL_SECONDS`` and, when they change, has every open stream check its caller
again. The poll reads a few rows per registered certificate: a small, fixed cost
however many streams are open.
"""

from __future__ import annotations

import asyncio
import logging

from luukku.domain.events import CallersChanged
from luukku.server.blocking import StoreRunner
from luukku.server.live.fanout import FanOut
from luukku.service.audit.refused_calls import RefusalAudit
from luukku.service.directory import access_states
from luukku.store.uow import Store

POLL_SECONDS = 1.0

_log = logging.getLogger("luukku.server")


AccessStates = frozenset[tuple[str, str, str]]


async def baseline(store: Store, runner: StoreRunner) -> AccessStates | None:
    """The access states to compare the first poll with, read before the broker serves.

    Read any later, it could already hold a change made after a stream began,
    and that change would never be announced (None: the database could not be
    read; the first poll then sets the baseline).
    """
    try:
        return await runner.run(access_states, store)
    except Exception as exc:
        _log.warning("directory baseline could not be read: %s", type(exc).__name__)
        return None


async def watch_directory(
    store: Store,
    runner: StoreRunner,
    fanout: FanOut,
    seconds: float = POLL_SECONDS,
    refusals: RefusalAudit | None = None,
    previous: AccessStates | None = None,
) -> None:
    """Run until cancelled: on every change of the access states from ``previous``,
    re-check all streams.

    Each round also writes the counts of refused calls whose minute is over.
    """
    while True:
        try:
            if refusals is not None:
                await runner.run(refusals.flush)
            current = await runner.run(access_states, store)
        except Exception as exc:  # the next round tries again; heartbeats re-check meanwhile
            _log.warning("directory poll or refusal count failed: %s", type(exc).__name__)
        else:
            if previous is not None and current != previous:
                fanout.deliver([CallersChanged()])
            previous = current
        await asyncio.sleep(seconds)
