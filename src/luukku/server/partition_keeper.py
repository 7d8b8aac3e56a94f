"""Keeps the audit log's monthly partitions made ahead of time (PostgreSQL).

At start and then every few hours, the current month and the next ones get
their partition if they lack one, so that events land in their month's
partition, not in the default one. On SQLite there is nothing to do.
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial

from luukku.server.blocking import StoreRunner
from luukku.service.access.clock import now_utc
from luukku.service.audit.archiving import make_partitions_ahead
from luukku.store.uow import Store

PARTITION_SECONDS = 6 * 3600.0
"""How often a running broker makes sure the coming months have their partitions."""

_log = logging.getLogger("luukku.server")


async def make_ahead(store: Store, runner: StoreRunner) -> None:
    """Make the missing partitions of the current and the coming months now."""
    made = await runner.run(partial(make_partitions_ahead, store, now_utc()))
    for month in made:
        _log.info("made the audit log's partition of %s", month)


async def keep_ahead(store: Store, runner: StoreRunner, seconds: float = PARTITION_SECONDS) -> None:
    """Run until cancelled: every ``seconds``, the coming months' partitions."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await make_ahead(store, runner)
        except Exception as exc:  # the next round tries again; the default partition catches
            _log.warning("making the audit log's partitions failed: %s", type(exc).__name__)
