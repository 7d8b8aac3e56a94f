"""PostgreSQL going away under a running broker: UNAVAILABLE with a reason, then recovery.

The database of this machine is shared, so it is never restarted here: an
outage is a TCP proxy in front of it that refuses and cuts every connection,
and killed connections are this test's own, found by their application name.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from eventually import eventually
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from luukku.client import Client, Practitioner, RPCError, UnavailableError
from luukku.domain.organizations import OrgKind
from luukku.server.app import Broker, ServerTLS
from luukku.store.opening import open_store
from luukku.store.sql.engine import normalise_url

CITIZEN = "131052-308T"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


class _Proxy:
    """A TCP proxy to PostgreSQL on its own thread and loop, which can cut the database off."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self._upstream = upstream
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self.port = 0
        self._thread.start()

    def _do(self, coro) -> object:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def start(self) -> None:
        self._do(self._start())

    async def _start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        self._open.update((writer, up_writer))

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, ConnectionError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._open.difference_update((writer, up_writer))

    def cut(self) -> None:
        """Refuse new connections and abort every open one: the database is unreachable."""
        self._do(self._cut())

    async def _cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in tuple(self._open):
            writer.transport.abort()
        self._open.clear()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._do(self._cut())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


def _via(url: str, **changes: object) -> str:
    return make_url(url).set(**changes).render_as_string(hide_password=False)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def _broker(url: str, pki, citizen_tokens=None) -> AsyncIterator[Broker]:
    # Opened off the loop: a proxy or a slow database must not stall the test's loop.
    store = await asyncio.to_thread(open_store, url)
    broker = Broker(store, db_workers=4, citizen_tokens=citizen_tokens)
    await broker.start("127.0.0.1:0", ServerTLS.from_pki(pki.root))
    try:
        yield broker
    finally:
        await broker.stop(grace=0.5)
        await asyncio.to_thread(store.dispose)


@pytest.fixture
def proxy(database_url: str) -> Iterator[tuple[_Proxy, str]]:
    """A proxy to the test's database, and the database URL through it."""
    parsed = make_url(database_url)
    p = _Proxy((parsed.host or "127.0.0.1", parsed.port or 5432))
    p.start()
    try:
        yield p, _via(database_url, host="127.0.0.1", port=p.port)
    finally:
        p.close()


async def _health(port: int, tls) -> int:
    creds = grpc.ssl_channel_credentials(tls.ca_cert, tls.client_key, tls.client_cert)
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", creds) as channel:
        reply = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(), timeout=5
        )
        return int(reply.status)


async def test_an_unreachable_database_fails_calls_fast_with_unavailable_then_recovers(
    proxy, pki, register_org
):
    p, url = proxy
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    async with _broker(url, pki) as broker:
        # A call that waited for the database would end at this deadline, not in UNAVAILABLE.
        social = await Client.connect(f"127.0.0.1:{broker.port}", tls=tls, rpc_timeout=5.0)
        case = await social.create_case(CITIZEN, title="Home care", category="home_care")
        thread = await social.create_thread(case.id, subject="Care plan")
        await social.post_message(thread.id, "before")

        p.cut()
        for _ in range(5):
            with pytest.raises(UnavailableError) as refused:
                await social.post_message(thread.id, "while away")
            assert refused.value.reason == "STORAGE_UNAVAILABLE"  # fails, not at the deadline
        not_serving = health_pb2.HealthCheckResponse.NOT_SERVING
        await eventually(lambda: _is(_health(broker.port, tls), not_serving), within=15)

        p.start()
        serving = health_pb2.HealthCheckResponse.SERVING
        await eventually(lambda: _is(_health(broker.port, tls), serving), within=15)

        async def posts() -> bool:
            try:
                await social.post_message(thread.id, "after")
            except UnavailableError:
                return False
            return True

        await eventually(posts, within=15)
        bodies = [m.body async for m in social.list_messages(thread.id)]
        assert bodies[0] == "before"
        assert bodies[-1] == "after"
        assert "while away" not in bodies
        await social.close()


async def _is(value, expected: object) -> bool:
    return await value == expected


def _kill_connections(admin_url: str, application_name: str) -> int:
    engine = sa_create_engine(normalise_url(admin_url))
    try:
        with engine.begin() as conn:
            return len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE application_name = :name"
                    ),
                    {"name": application_name},
                ).all()
            )
    finally:
        engine.dispose()


async def test_connections_killed_during_load_cost_only_unavailable_and_lose_nothing(
    database_url, pki, register_org, citizen_issuer
):
    name = f"luukku-{uuid.uuid4().hex[:8]}"
    url = make_url(database_url).update_query_dict({"application_name": name})
    url_s = url.render_as_string(hide_password=False)
    tls = {
        "social": register_org("helsinki-social", OrgKind.PUBLIC),
        "company": register_org("hoiva-oy", OrgKind.PRIVATE),
        "portal": register_org("omaportaali", OrgKind.PORTAL),
    }
    admin_url = os.environ["LUUKKU_TEST_POSTGRES_URL"]
    trust = citizen_issuer.verifier()
    async with _broker(url_s, pki, trust) as a, _broker(url_s, pki, trust) as b:
        clients = {
            (replica, org): await Client.connect(
                f"127.0.0.1:{port}",
                tls=tls[org],
                practitioner=Practitioner("p-1", "Pia", "clerk"),
                on_behalf_of=CITIZEN if org == "portal" else None,
                citizen_token=citizen_issuer.token_source(CITIZEN) if org == "portal" else None,
            )
            for replica, port in (("a", a.port), ("b", b.port))
            for org in tls
        }
        social = clients["a", "social"]
        case = await social.create_case(CITIZEN, title="Home care", category="home_care")
        await clients["b", "portal"].grant_consent(
            "hoiva-oy",
            case_id=case.id,
            permissions=["read", "discuss"],
            purpose="Care",
            valid_until=datetime.now(UTC) + timedelta(days=1),
        )
        thread = await social.create_thread(case.id, subject="Care plan")
        seen: list = []

        async def watch() -> None:
            async for message in clients["a", "company"].watch_thread(thread.id):
                seen.append(message)

        watcher = asyncio.create_task(watch())
        acknowledged: dict[str, int] = {}
        errors: list[RPCError] = []

        async def write(org: str, replica: str) -> None:
            for i in range(15):
                body = f"{org}/{replica} {i}"
                request_id = uuid.uuid4().hex
                while True:
                    try:
                        posted = await clients[replica, org].post_message(
                            thread.id, body, request_id=request_id
                        )
                    except RPCError as exc:
                        errors.append(exc)
                        if not isinstance(exc, UnavailableError):
                            return
                        await asyncio.sleep(0.05)
                        continue
                    acknowledged[body] = posted.sequence
                    break

        async def kill() -> int:
            killed = 0
            for _ in range(5):
                await asyncio.sleep(random.uniform(0.05, 0.3))
                killed += await asyncio.to_thread(_kill_connections, admin_url, name)
            return killed

        *_, killed = await asyncio.gather(
            *(write(org, replica) for org in tls for replica in "ab"), kill()
        )
        assert killed > 0
        assert {(type(e), e.code) for e in errors} <= {
            (UnavailableError, grpc.StatusCode.UNAVAILABLE)
        }
        assert len(acknowledged) == 90

        # At once, and no retry: a pooled connection the database cut is replaced unseen.
        stored = [m async for m in social.list_messages(thread.id)]
        assert [m.sequence for m in stored] == list(range(1, 91))  # gapless, no duplicate
        assert {m.body: m.sequence for m in stored} == acknowledged
        await eventually(lambda: len(seen) >= 90, within=20)
        watcher.cancel()
        assert [m.sequence for m in seen] == list(range(1, 91))
        for client in clients.values():
            await client.close()
