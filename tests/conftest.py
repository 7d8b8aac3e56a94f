"""Shared fixtures: a dev PKI, databases (SQLite and PostgreSQL) and a live broker."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import databases
import grpc
import pytest
from citizen_tokens import TestIssuer
from hypothesis import settings
from log_scan import identity_codes_in

from luukku.audit.checkpoints import LogSigner
from luukku.client import Client, Practitioner, TLSConfig
from luukku.client._calls.base import CitizenToken
from luukku.domain.organizations import OrgKind
from luukku.pki import PkiPaths, init_pki, issue_client_cert, read_cert_info
from luukku.server.app import Broker, ServerTLS
from luukku.server.gate.citizen_token import CitizenTokens
from luukku.server.gate.quotas import Limits
from luukku.service import directory
from luukku.store.opening import open_store
from luukku.store.uow import Store

POSTGRES_ENV = databases.POSTGRES_ENV

# The suite runs in parallel processes beside brokers and browsers: a property's
# first example can take longer than Hypothesis's 200 ms deadline on a busy
# machine, which it reports as a flaky failure. Speed is `make bench`'s business.
settings.register_profile("luukku", deadline=None)
settings.load_profile("luukku")

# grpc.aio shuts its engine down whenever its last object is collected, joining its
# poller thread; a test process that makes and drops channels and servers on one event
# loop after another can hang for ever in that join (grpc/grpc#40989, #22365). Held
# once from the main thread, the engine lives as long as the process.
grpc.aio.init_grpc_aio()


def pytest_configure(config: pytest.Config) -> None:
    """Once a run, before its test processes start: PostgreSQL's catalogs vacuumed."""
    if not hasattr(config, "workerinput"):  # the controller (or a run without -n)
        databases.vacuum_catalogs()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In each test process, at its end: the PostgreSQL schemas it kept, dropped."""
    databases.drop_kept_schemas()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked ``slow`` (a minute or more each) run first.

    ``make test`` hands tests out two at a time to whichever process is free
    (``--dist load --maxschedchunk 2``): started first, the long ones overlap
    with everything else instead of running last, alone, on an idle machine.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> PkiPaths:
    """A hub CA and server certificate shared by the whole run."""
    return init_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(params=databases.ENGINES)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each engine: a SQLite file not yet made, or a new
    PostgreSQL schema (for the tests of the migrations themselves)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'luukku.db'}"
        return
    schema = databases.new_schema()
    try:
        yield databases.in_schema(schema)
    finally:
        databases.drop_schema(schema)


@pytest.fixture(params=databases.ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database on each engine holding what the migrations build, and no data:
    a SQLite file, or a new PostgreSQL schema (copied from a template: ``databases``)."""
    with databases.copy_of(databases.migrated(request.param), tmp_path) as url:
        yield url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A migrated store on each engine."""
    s = open_store(database_url)
    yield s
    s.dispose()


@pytest.fixture(scope="session")
def citizen_issuer(tmp_path_factory: pytest.TempPathFactory) -> TestIssuer:
    """The identity provider every test broker trusts for citizens' tokens."""
    return TestIssuer.make(tmp_path_factory.mktemp("issuer"))


@pytest.fixture
def citizen_verifier(citizen_issuer: TestIssuer) -> object:
    """How the test broker checks citizens' tokens: against the test issuer. A test with a
    real OpenID provider overrides it (see ``citizen_tokens.EitherIssuer``)."""
    return citizen_issuer.verifier()


OrgFactory = Callable[..., TLSConfig]


@pytest.fixture
def register_org(pki: PkiPaths, store: Store) -> OrgFactory:
    """Issue a certificate for a new organisation, register it, return its TLS config."""

    def register(
        org_id: str, kind: OrgKind = OrgKind.PUBLIC, *, register: bool = True
    ) -> TLSConfig:
        cert_path, _ = issue_client_cert(pki.root, org_id)
        if register:
            directory.register_organization(
                store,
                org_id,
                name=f"{org_id} name",
                kind=kind,
                business_id="0201256-6",
                cert=read_cert_info(cert_path.read_bytes()),
            )
        return TLSConfig.from_pki_dir(pki.root, org_id)

    return register


@pytest.fixture
def checkpoint_seconds() -> float:
    """How often the test broker signs a checkpoint: often, so that a test soon finds its
    calls in one. A test that signs them itself parametrizes this with a long interval.
    """
    return 0.05


@pytest.fixture
def heartbeat_seconds() -> float:
    """How often the test broker's quiet streams send a heartbeat and look again (the
    broker's own default). A test that shows news, not a heartbeat, wakes or ends a stream
    parametrizes this with an hour, so that nothing else could have done it.
    """
    return 15.0


@pytest.fixture
def limits() -> Limits | None:
    """The test broker's quotas per organisation: its defaults, unless a test parametrizes
    this (e.g. one stream, to see when the broker lets go of one)."""
    return None


@pytest.fixture
async def broker(
    pki: PkiPaths,
    store: Store,
    checkpoint_seconds: float,
    heartbeat_seconds: float,
    citizen_verifier: CitizenTokens,
    limits: Limits | None,
) -> AsyncIterator[Broker]:
    """A real broker on a free loopback port with real mutual TLS."""
    b = Broker(
        store,
        db_workers=4,
        heartbeat_seconds=heartbeat_seconds,
        limits=limits,
        signer=LogSigner.load(pki.log_key),
        checkpoint_seconds=checkpoint_seconds,
        citizen_tokens=citizen_verifier,
    )
    await b.start("127.0.0.1:0", ServerTLS.from_pki(pki.root))
    yield b
    await b.stop(grace=1)


@pytest.fixture
async def connect(
    broker: Broker, citizen_issuer: TestIssuer
) -> AsyncIterator[Callable[..., object]]:
    """Connect SDK clients to the broker; closes them after the test.

    A client acting for a citizen sends a valid token for that citizen, unless the
    test gives its own ``citizen_token``.
    """
    clients: list[Client] = []

    async def _connect(
        tls: TLSConfig,
        *,
        practitioner: Practitioner | None = None,
        on_behalf_of: str | None = None,
        verify: bool = True,
        citizen_token: CitizenToken = None,
    ) -> Client:
        if citizen_token is None and on_behalf_of is not None:
            citizen_token = citizen_issuer.token_source(on_behalf_of)
        client = await Client.connect(
            f"127.0.0.1:{broker.port}",
            tls=tls,
            practitioner=practitioner,
            on_behalf_of=on_behalf_of,
            citizen_token=citizen_token,
            verify=verify,
        )
        clients.append(client)
        return client

    yield _connect
    for c in clients:
        await c.close()


RawChannel = Callable[[TLSConfig], grpc.aio.Channel]


@pytest.fixture
async def raw_channel(broker: Broker) -> AsyncIterator[RawChannel]:
    """Plain grpc.aio channels to the broker with an organisation's certificate (no SDK)."""
    channels: list[grpc.aio.Channel] = []

    def _open(tls: TLSConfig) -> grpc.aio.Channel:
        creds = grpc.ssl_channel_credentials(tls.ca_cert, tls.client_key, tls.client_cert)
        channel = grpc.aio.secure_channel(f"127.0.0.1:{broker.port}", creds)
        channels.append(channel)
        return channel

    yield _open
    for channel in channels:
        await channel.close()


@pytest.fixture(autouse=True)
def _logs_quote_no_identity_code(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every log record written while a test runs is scanned for identity codes."""
    caplog.set_level(logging.DEBUG, logger="luukku")
    yield
    leaks = identity_codes_in(caplog.records)
    assert leaks == [], leaks
