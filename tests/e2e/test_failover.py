"""Failover: two ``luukku serve`` processes on one PostgreSQL, one killed with SIGKILL under load.

Writers and watchers use the SDK's multi-target client, so their calls and
streams are spread over both brokers. After each kill every acknowledged
write is in the store, every watcher has every message exactly once, in
order and without gaps, and ``luukku audit verify`` passes. One cycle runs in
the normal suite; ``LUUKKU_FAILOVER_CYCLES=10`` (or more) repeats the kill at
random moments, restarting the killed broker on its port each time.
"""

from __future__ import annotations

import asyncio
import os
import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from eventually import eventually
from serve_process import ServeProcess, audit_verify

from luukku.client import Client, Practitioner, RPCError, UnavailableError
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"
CYCLES = int(os.environ.get("LUUKKU_FAILOVER_CYCLES") or 1)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


async def test_killing_a_broker_under_load_loses_and_repeats_nothing(
    database_url, pki, register_org, tmp_path, citizen_issuer
):
    tls = {
        "social": register_org("helsinki-social", OrgKind.PUBLIC),
        "company": register_org("hoiva-oy", OrgKind.PRIVATE),
        "portal": register_org("omaportaali", OrgKind.PORTAL),
    }
    trust = tuple(citizen_issuer.serve_options())
    brokers = [
        ServeProcess(database_url, pki.root, tmp_path / f"broker-{i}.log", trust) for i in "ab"
    ]
    clients: list[Client] = []
    try:
        for broker in brokers:
            broker.start()
        targets = [f"127.0.0.1:{broker.port}" for broker in brokers]

        async def connect(org: str) -> Client:
            client = await Client.connect(
                targets,
                tls=tls[org],
                practitioner=Practitioner("p-1", "Pia", "clerk"),
                on_behalf_of=CITIZEN if org == "portal" else None,
                citizen_token=citizen_issuer.token_source(CITIZEN) if org == "portal" else None,
            )
            clients.append(client)
            return client

        writers = {org: await connect(org) for org in tls}
        case = await writers["social"].create_case(CITIZEN, title="Home care", category="home_care")
        await writers["portal"].grant_consent(
            "hoiva-oy",
            case_id=case.id,
            permissions=["read", "discuss"],
            purpose="Care",
            valid_until=datetime.now(UTC) + timedelta(days=1),
        )
        thread = await writers["social"].create_thread(case.id, subject="Care plan")

        # Watchers, each on its own channel: round_robin spreads them over both brokers.
        seen: dict[str, list[int]] = {f"{org}-{i}": [] for org in tls for i in range(2)}

        async def watch(name: str) -> None:
            client = await connect(name.split("-")[0])
            async for message in client.watch_thread(thread.id):
                seen[name].append(message.sequence)

        watchers = [asyncio.create_task(watch(name)) for name in seen]
        acknowledged: dict[str, int] = {}
        errors: list[RPCError] = []
        stop = asyncio.Event()

        async def write(org: str, lane: int) -> None:
            i = 0
            while not stop.is_set():
                body, request_id = f"{org}/{lane} {i}", uuid.uuid4().hex
                while True:
                    try:
                        posted = await writers[org].post_message(
                            thread.id, body, request_id=request_id
                        )
                    except UnavailableError as exc:  # its broker died: retried, same request id
                        errors.append(exc)
                        await asyncio.sleep(0.05)
                        continue
                    acknowledged[body] = posted.sequence
                    break
                i += 1

        load = [asyncio.create_task(write(org, lane)) for org in tls for lane in range(2)]
        for _ in range(CYCLES):
            await asyncio.sleep(random.uniform(0.3, 1.5))
            victim = random.choice(brokers)
            await asyncio.to_thread(victim.kill)
            await asyncio.sleep(random.uniform(0.3, 1.0))  # the survivor carries the load
            await asyncio.to_thread(victim.start)
        await asyncio.sleep(0.5)
        stop.set()
        await asyncio.gather(*load)  # raises anything but UNAVAILABLE

        total = len(acknowledged)
        assert total > 0
        stored = [m async for m in writers["social"].list_messages(thread.id)]
        assert [m.sequence for m in stored] == list(range(1, total + 1))  # gapless, none twice
        assert {m.body: m.sequence for m in stored} == acknowledged  # every acknowledged write

        await eventually(lambda: all(len(s) >= total for s in seen.values()), within=30)
        for task in watchers:
            task.cancel()
        for name, sequences in seen.items():
            assert sequences == list(range(1, total + 1)), name

        verified = await asyncio.to_thread(audit_verify, database_url, pki.root)
        assert verified.returncode == 0, verified.stderr
    finally:
        for client in clients:
            await client.close()
        for broker in brokers:
            await asyncio.to_thread(broker.stop)
