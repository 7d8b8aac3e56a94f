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
import contextlib
import os
import random
import select
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from luukku.client import Client, Practitioner, RPCError, UnavailableError
from luukku.domain.organizations import OrgKind
from luukku.pki import PkiPaths

CITIZEN = "131052-308T"
CYCLES = int(os.environ.get("LUUKKU_FAILOVER_CYCLES") or 1)
READY_TIMEOUT = 60.0

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUUKKU_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


class _BrokerProcess:
    """One ``luukku serve`` process; restarted on the port it first got."""

    def __init__(self, database_url: str, pki: Path, log: Path) -> None:
        self._args = ("--pki", str(pki), "--database", database_url)
        self._log = log
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self._log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    *(sys.executable, "-m", "luukku.cli", "serve", *self._args),
                    *("--listen", f"127.0.0.1:{self.port}", "--ready-message", "READY {port}"),
                ],
                env=_env(),
                stdout=subprocess.PIPE,
                stderr=log,
            )
        assert self.proc.stdout is not None
        fd, buffer = self.proc.stdout.fileno(), b""
        deadline = time.monotonic() + READY_TIMEOUT
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            ready = select.select([fd], [], [], remaining)[0] if remaining > 0 else []
            chunk = os.read(fd, 4096) if ready else b""
            if not chunk:
                self.kill()
                pytest.fail(f"broker did not start:\n{self._log.read_text(errors='replace')}")
            buffer += chunk
        self.port = int(buffer.split(b"\n")[0].split()[1])

    def kill(self) -> None:
        """SIGKILL: no graceful anything."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait()
            if self.proc.stdout is not None:
                self.proc.stdout.close()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=15)
        self.kill()


async def _until(condition, within: float) -> None:
    deadline = time.monotonic() + within
    while not condition() and time.monotonic() < deadline:  # noqa: ASYNC110 (plain lists)
        await asyncio.sleep(0.1)


def _audit_verify(database_url: str, pki: Path) -> subprocess.CompletedProcess[str]:
    args = ["audit", "verify", "--database", database_url]
    if hasattr(PkiPaths, "log_verifier_key"):  # a signed log: verified against its key
        args += ["--pki", str(pki)]
    return subprocess.run(
        [sys.executable, "-m", "luukku.cli", *args],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_killing_a_broker_under_load_loses_and_repeats_nothing(
    database_url, pki, register_org, tmp_path
):
    tls = {
        "social": register_org("helsinki-social", OrgKind.PUBLIC),
        "company": register_org("hoiva-oy", OrgKind.PRIVATE),
        "portal": register_org("omaportaali", OrgKind.PORTAL),
    }
    brokers = [_BrokerProcess(database_url, pki.root, tmp_path / f"broker-{i}.log") for i in "ab"]
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

        await _until(lambda: all(len(s) >= total for s in seen.values()), within=30)
        for task in watchers:
            task.cancel()
        for name, sequences in seen.items():
            assert sequences == list(range(1, total + 1)), name

        verified = await asyncio.to_thread(_audit_verify, database_url, pki.root)
        assert verified.returncode == 0, verified.stderr
    finally:
        for client in clients:
            await client.close()
        for broker in brokers:
            await asyncio.to_thread(broker.stop)
