"""``luukku serve --workers N``: N processes behind one address, sharing its port only together."""

from __future__ import annotations

import asyncio
import os
import select
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from eventually import eventually
from ports import free_port

from luukku.client import Client, NotFoundError
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"
READY_TIMEOUT = 90.0


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUUKKU_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _serve(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "luukku.cli", "serve", *map(str, args)],
        env={**_env(), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _ready_port(proc: subprocess.Popen[bytes]) -> int:
    assert proc.stdout is not None
    fd, seen = proc.stdout.fileno(), b""
    deadline = time.monotonic() + READY_TIMEOUT
    while b"\n" not in seen:
        remaining = deadline - time.monotonic()
        readable = select.select([fd], [], [], remaining)[0] if remaining > 0 else []
        chunk = os.read(fd, 4096) if readable else b""
        if not chunk:
            proc.kill()
            _, err = proc.communicate()
            pytest.fail(f"no ready line: {err.decode(errors='replace')}")
        seen += chunk
    return int(seen.split()[1])


def _stop(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("tcp", "tcp6"):  # grpc listens on IPv6 sockets, IPv4-mapped
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # LISTEN
                inodes.add(fields[9])
    return inodes


def _sockets_of(pid: int) -> set[str]:
    owned = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            owned.add(target[8:-1])
    return owned


@pytest.fixture
def workers(database_url: str, pki) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``LUUKKU_WORKERS=2 luukku serve`` on a free port of the test's PostgreSQL schema."""
    proc = _serve(
        *("--listen", "127.0.0.1:0", "--pki", pki.root),
        *("--database", database_url, "--ready-message", "READY {port}"),
        env={"LUUKKU_WORKERS": "2"},
    )
    port = _ready_port(proc)
    try:
        yield proc, port
    finally:
        assert _stop(proc) == 0


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_workers_listen_on_one_port_and_serve_one_thread_live(workers, register_org):
    proc, port = workers
    listening = _listening_inodes(port)
    children = _children(proc.pid)
    listening_children = [pid for pid in children if _sockets_of(pid) & listening]
    assert len(listening_children) == len(children) == 2
    assert not any(_children(pid) for pid in children)  # a worker supervises nobody

    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    # Separate connections: the kernel spreads them over the workers.
    clients = [await Client.connect(f"127.0.0.1:{port}", tls=tls) for _ in range(6)]
    case = await clients[0].create_case(CITIZEN, title="Home care", category="home_care")
    thread = await clients[0].create_thread(case.id, subject="Plan")
    seen: dict[int, list[int]] = {i: [] for i in range(3)}

    async def watch(i: int) -> None:
        async for message in clients[i].watch_thread(thread.id):
            seen[i].append(message.sequence)

    watchers = [asyncio.create_task(watch(i)) for i in seen]
    await asyncio.sleep(0.3)
    for i in range(12):
        await clients[3 + i % 3].post_message(thread.id, f"m{i}")

    def all_heard() -> bool:
        assert all(len(s) >= 12 for s in seen.values()), seen
        return True

    await eventually(all_heard)
    for task in watchers:
        task.cancel()
    assert all(s == list(range(1, 13)) for s in seen.values()), seen
    for client in clients:
        await client.close()


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_broker_outside_the_workers_cannot_take_their_port(workers, database_url, pki):
    _, port = workers
    intruder = _serve(
        *("--listen", f"127.0.0.1:{port}", "--pki", pki.root, "--database", database_url)
    )
    _, err = intruder.communicate(timeout=60)
    assert intruder.returncode != 0
    assert "address already in use" in err.decode().lower()


@pytest.mark.parametrize("reuse_port", [False, True])
def test_workers_refuse_a_port_a_foreign_process_listens_on(tmp_path, pki, reuse_port):
    with socket.socket() as taken:
        if reuse_port:  # even one that would share it
            taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _serve(
            *("--workers", "2", "--listen", f"127.0.0.1:{port}", "--pki", pki.root),
            *("--database", "postgresql://nobody@127.0.0.1:1/x"),
        )
        _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "address already in use" in err.decode().lower()


def test_workers_need_postgresql(tmp_path, pki):
    proc = _serve(
        *("--workers", "2", "--pki", pki.root, "--database", f"sqlite:///{tmp_path}/x.db")
    )
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "--workers needs PostgreSQL" in err.decode()


def _scrape(port: int, pki_root: Path, org: str) -> str:
    context = ssl.create_default_context(cafile=str(pki_root / "ca.pem"))
    context.load_cert_chain(pki_root / "orgs" / f"{org}.pem", pki_root / "orgs" / f"{org}.key")
    with urllib.request.urlopen(f"https://localhost:{port}/metrics", context=context) as reply:
        return str(reply.read().decode())


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_on_postgresql_one_worker_per_core_by_default_and_one_metrics_port_for_all(
    database_url, pki, register_org
):
    metrics_port = free_port()
    proc = _serve(
        *("--listen", "127.0.0.1:0", "--pki", pki.root, "--database", database_url),
        *("--metrics", f"127.0.0.1:{metrics_port}", "--ready-message", "READY {port}"),
    )
    port = _ready_port(proc)
    try:
        cores = len(os.sched_getaffinity(0))
        assert len(_children(proc.pid)) == (cores if cores > 1 else 0)

        tls = register_org("helsinki-social", OrgKind.PUBLIC)
        # Separate connections: the kernel spreads them over the workers.
        clients = [await Client.connect(f"127.0.0.1:{port}", tls=tls) for _ in range(8)]
        for client in clients:
            with pytest.raises(NotFoundError):
                await client.get_organization("no-such-org")
            await client.close()

        method = "/luukku.v1.DirectoryService/GetOrganization"
        not_found = f'luukku_requests_total{{code="NOT_FOUND",method="{method}"}}'

        async def counted() -> bool:
            metrics = await asyncio.to_thread(_scrape, metrics_port, pki.root, "helsinki-social")
            counts = dict(
                line.rpartition(" ")[::2]
                for line in metrics.splitlines()
                if line and not line.startswith("#")
            )
            # Every worker's calls, whichever worker served them, counted once. A refusal
            # is counted just after its status is sent (grpc.aio's abort sends it at once):
            # the last one may be a moment behind the client.
            assert float(counts.get(not_found, 0)) == len(clients)
            return True

        await eventually(counted, what="every worker's refusals counted once")
    finally:
        assert _stop(proc) == 0
