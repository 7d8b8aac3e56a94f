"""Signs a checkpoint of the audit log's tree whenever it has grown, at least every second.

Several replicas may sign the same size; the store keeps the first. A
broker that stops signs once more, so that a log at rest is wholly covered
by its latest checkpoint.
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial

from luukku.audit.checkpoints import CHECKPOINT_SECONDS, LogSigner
from luukku.server.blocking import StoreRunner
from luukku.service.access.clock import now_utc
from luukku.service.audit.proofs import sign_checkpoint
from luukku.store.uow import Store

_log = logging.getLogger("luukku.server")


async def sign_now(store: Store, runner: StoreRunner, signer: LogSigner) -> int | None:
    """Sign a checkpoint if the tree grew since the last; the size signed."""
    return await runner.run(partial(sign_checkpoint, store, signer, now_utc()))


async def keep_signing(
    store: Store, runner: StoreRunner, signer: LogSigner, seconds: float = CHECKPOINT_SECONDS
) -> None:
    """Run until cancelled: every ``seconds``, a checkpoint of a tree that grew."""
    while True:
        try:
            await sign_now(store, runner, signer)
        except Exception as exc:  # the next round tries again
            _log.warning("signing an audit checkpoint failed: %s", type(exc).__name__)
        await asyncio.sleep(seconds)
