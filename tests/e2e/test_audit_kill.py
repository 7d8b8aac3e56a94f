"""kill -9 during audited writes on SQLite: the tree verifies, checkpoints stay consistent.

(PostgreSQL with two brokers is ``test_failover.py``.) Writers create records
through the SDK while the broker is killed with SIGKILL several times; after
each restart every acknowledged record is there, and ``luukku audit verify``
finds every leaf, the tree and every stored checkpoint consistent with the next.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from pathlib import Path

import pytest
from eventually import eventually
from serve_process import ServeProcess, audit_verify

from luukku.client import Client, TLSConfig, UnavailableError
from luukku.domain.organizations import OrgKind
from luukku.pki import PkiPaths

CITIZEN = "010190-900P"
CYCLES = 3

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def test_kill_9_during_writes_leaves_a_log_that_verifies(
    database_url: str, pki: PkiPaths, register_org: object, tmp_path: Path
) -> None:
    tls: TLSConfig = register_org("helsinki-social", OrgKind.PUBLIC)  # type: ignore[operator]
    broker = ServeProcess(database_url, pki.root, tmp_path / "broker.log")
    broker.start()
    client = await Client.connect(f"127.0.0.1:{broker.port}", tls=tls)
    acknowledged: dict[str, str] = {}
    try:
        case = await client.create_case(CITIZEN, title="Home care", category="home_care")
        stop = asyncio.Event()

        async def write(lane: int) -> None:
            i = 0
            while not stop.is_set():
                text, request_id = f"{lane}/{i}", uuid.uuid4().hex
                while not stop.is_set():
                    try:
                        record = await client.create_record(
                            case.id, kind="note", text=text, request_id=request_id
                        )
                    except UnavailableError:  # killed: retried with the same request id
                        await asyncio.sleep(0.05)
                        continue
                    acknowledged[text] = record.record_id
                    break
                i += 1

        load = [asyncio.create_task(write(lane)) for lane in range(4)]
        for _ in range(CYCLES):
            await asyncio.sleep(random.uniform(0.3, 1.2))
            await asyncio.to_thread(broker.kill)
            await asyncio.to_thread(broker.start)
        await asyncio.sleep(0.5)
        stop.set()
        await asyncio.gather(*load)
        assert len(acknowledged) > 0
        stored = await _records_after_restart(client, case.id)
        assert {t: stored.get(t) for t in acknowledged} == acknowledged  # none lost
        await asyncio.sleep(1.5)  # the restarted broker signs what the killed one had not
    finally:
        await client.close()
        broker.kill()
    verified = audit_verify(database_url, pki.root)
    assert verified.returncode == 0, verified.stdout + verified.stderr


async def _records_after_restart(client: Client, case_id: str) -> dict[str, str]:
    """Every record's text and id, once the channel has reconnected to the restarted broker."""
    answer: dict[str, str] = {}

    async def answered() -> bool:
        try:
            answer.update({r.text: r.record_id async for r in client.list_records(case_id)})
        except UnavailableError:
            return False
        return True

    await eventually(answered, within=30, what="the restarted broker never answered")
    return answer
