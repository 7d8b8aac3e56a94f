"""Wiring the broker: mutual-TLS server, services, health, reflection, shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio  # type: ignore[attr-defined]
from grpc_reflection.v1alpha import reflection

from luukku.audit.checkpoints import CHECKPOINT_SECONDS, LogSigner
from luukku.pki.dev_ca import PkiPaths
from luukku.server import checkpointer, desk_metrics, partition_keeper
from luukku.server.api.audit import AuditServicer
from luukku.server.api.cases import CaseServicer
from luukku.server.api.consents import ConsentServicer
from luukku.server.api.desks import DeskServicer
from luukku.server.api.directory import DirectoryServicer
from luukku.server.api.ready_answers import ReadyAnswerServicer
from luukku.server.api.representation import RepresentationServicer
from luukku.server.api.threads import ThreadServicer
from luukku.server.blocking import DB_WORKERS, runner_for
from luukku.server.gate.citizen_token import CitizenTokens
from luukku.server.gate.fair_share import FairShare
from luukku.server.gate.interceptor import CallInterceptor, Gate
from luukku.server.gate.quotas import Limits, Quotas
from luukku.server.live import directory as directory_watch
from luukku.server.live import watch
from luukku.server.live.fanout import FanOut, LocalFanOut
from luukku.server.live.pg_fanout import PgFanOut
from luukku.server.live.watch import Streams
from luukku.server.metrics_http import serve_metrics
from luukku.service.audit.refused_calls import RefusalAudit
from luukku.service.directory import CallerCache
from luukku.store.audit.archive_shelf import ArchiveShelf
from luukku.store.errors import DurabilityLost
from luukku.store.opening import open_store
from luukku.store.uow import Store
from luukku.v1 import (
    audit_pb2,
    audit_pb2_grpc,
    cases_pb2,
    cases_pb2_grpc,
    consents_pb2,
    consents_pb2_grpc,
    desks_pb2,
    desks_pb2_grpc,
    directory_pb2,
    directory_pb2_grpc,
    ready_answers_pb2,
    ready_answers_pb2_grpc,
    representation_pb2,
    representation_pb2_grpc,
    threads_pb2,
    threads_pb2_grpc,
)

_log = logging.getLogger("luukku.server")

SERVICE_NAMES = tuple(
    service.full_name
    for module in (
        directory_pb2,
        cases_pb2,
        consents_pb2,
        audit_pb2,
        threads_pb2,
        desks_pb2,
        ready_answers_pb2,
        representation_pb2,
    )
    for service in module.DESCRIPTOR.services_by_name.values()
)


MAX_PENDING_CALLS = 20_000
"""Calls grpc holds for the event loop before it starts refusing new ones."""


@dataclass(frozen=True)
class ServerTLS:
    """The broker's key pair and the CA whose client certificates it accepts."""

    server_cert: bytes
    server_key: bytes
    client_ca: bytes

    @classmethod
    def from_pki(cls, root: Path) -> ServerTLS:
        """Read ``server.pem``, ``server.key`` and ``ca.pem`` from a PKI directory."""
        paths = PkiPaths(root)
        return cls(
            server_cert=paths.server_cert.read_bytes(),
            server_key=paths.server_key.read_bytes(),
            client_ca=paths.ca_cert.read_bytes(),
        )

    def credentials(self) -> grpc.ServerCredentials:
        """Server credentials that demand a client certificate from the CA."""
        return grpc.ssl_server_credentials(
            [(self.server_key, self.server_cert)],
            root_certificates=self.client_ca,
            require_client_auth=True,
        )


class Broker:
    """A running broker: the gRPC server and what it owns."""

    def __init__(
        self,
        store: Store,
        *,
        db_workers: int = DB_WORKERS,
        fanout: FanOut | None = None,
        heartbeat_seconds: float = 15.0,
        directory_poll_seconds: float = directory_watch.POLL_SECONDS,
        limits: Limits | None = None,
        reuse_port: bool = False,
        signer: LogSigner | None = None,
        checkpoint_seconds: float = CHECKPOINT_SECONDS,
        citizen_tokens: CitizenTokens | None = None,
    ) -> None:
        self.store = store
        self._signer = signer
        self._checkpoint_seconds = checkpoint_seconds
        self._checkpointer: asyncio.Task[None] | None = None
        self._directory_poll = directory_poll_seconds
        self._directory_watch: asyncio.Task[None] | None = None
        self._desk_gauges: asyncio.Task[None] | None = None
        self._partitions: asyncio.Task[None] | None = None
        self.lost: DurabilityLost | None = None
        """Set when an fsync failed: the broker then acknowledges no write and must restart."""
        self.failed = asyncio.Event()
        self._failing: asyncio.Task[None] | None = None  # held so it runs to the end
        self.fanout = fanout or fanout_for(store)
        self._stopping = False
        self._health_updates: set[asyncio.Task[None]] = set()
        limits = limits or Limits()
        quotas = Quotas(limits)
        # Every use case of a call waits behind its own organisation's only.
        self.runner = FairShare(
            runner_for(store, db_workers, self._durability_lost, self.fanout.deliver),
            limits.use_cases_per_org,
            quotas.others_busy,
        )
        self.refusals = RefusalAudit(store)
        self.health = health_aio.HealthServicer()
        self.server = grpc.aio.server(
            interceptors=[
                CallInterceptor(
                    Gate(
                        store,
                        self.runner,
                        self.refusals,
                        quotas,
                        citizen_tokens,
                        CallerCache() if store.flush is not None else None,
                    )
                )
            ],
            options=[
                ("grpc.max_receive_message_length", 4 * 1024 * 1024),
                # Never share the port (a second broker on it would get half the
                # calls), but among the workers of one `luukku serve --workers`.
                ("grpc.so_reuseport", 1 if reuse_port else 0),
                # Calls the event loop has not taken up yet wait in grpc's queue, which
                # past 1,000 refused new calls at random (always, from 3,000), whoever's
                # they were: one organisation opening the 2,000 streams its quota
                # allows lost a tenth of them, and any other's call at that moment
                # could be refused as well. The quotas and turns decide instead.
                ("grpc.server.max_pending_requests", MAX_PENDING_CALLS),
                ("grpc.server.max_pending_requests_hard_limit", 2 * MAX_PENDING_CALLS),
                ("grpc.keepalive_permit_without_calls", 1),
                ("grpc.http2.min_ping_interval_without_data_ms", 10_000),
            ],
        )
        directory_pb2_grpc.add_DirectoryServiceServicer_to_server(
            DirectoryServicer(store, self.runner), self.server
        )
        cases_pb2_grpc.add_CaseServiceServicer_to_server(
            CaseServicer(store, self.runner), self.server
        )
        consents_pb2_grpc.add_ConsentServiceServicer_to_server(
            ConsentServicer(store, self.runner), self.server
        )
        streams = Streams(store, self.runner, self.fanout, heartbeat_seconds)
        threads_pb2_grpc.add_ThreadServiceServicer_to_server(ThreadServicer(streams), self.server)
        audit_pb2_grpc.add_AuditServiceServicer_to_server(AuditServicer(streams), self.server)
        desks_pb2_grpc.add_DeskServiceServicer_to_server(DeskServicer(streams), self.server)
        ready_answers_pb2_grpc.add_ReadyAnswerServiceServicer_to_server(
            ReadyAnswerServicer(store, self.runner), self.server
        )
        representation_pb2_grpc.add_RepresentationServiceServicer_to_server(
            RepresentationServicer(store, self.runner), self.server
        )
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        reflection.enable_server_reflection(
            (
                *SERVICE_NAMES,
                health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
                reflection.SERVICE_NAME,
            ),
            self.server,
        )
        self.port = 0

    async def start(self, listen: str, tls: ServerTLS) -> int:
        """Bind the mutual-TLS port (never a plaintext one) and start serving."""
        try:
            self.port = self.server.add_secure_port(listen, tls.credentials())
        except RuntimeError as exc:  # grpcio raises where older versions returned 0
            raise OSError(f"cannot listen on {listen}") from exc
        if self.port == 0:
            raise OSError(f"cannot listen on {listen}")
        access_baseline = await directory_watch.baseline(self.store, self.runner)
        await partition_keeper.make_ahead(self.store, self.runner)
        await self.server.start()
        await self.fanout.start(self._storage_reachable)
        self._directory_watch = asyncio.create_task(
            directory_watch.watch_directory(
                self.store,
                self.runner,
                self.fanout,
                self._directory_poll,
                self.refusals,
                previous=access_baseline,
            )
        )
        self._desk_gauges = asyncio.create_task(
            desk_metrics.keep_queue_lengths(self.store, self.runner)
        )
        self._partitions = asyncio.create_task(partition_keeper.keep_ahead(self.store, self.runner))
        if self._signer is not None:
            self._checkpointer = asyncio.create_task(
                checkpointer.keep_signing(
                    self.store, self.runner, self._signer, self._checkpoint_seconds
                )
            )
        for name in ("", *SERVICE_NAMES):
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        return self.port

    def _storage_reachable(self, reachable: bool) -> None:
        """Health follows the database: NOT_SERVING while it cannot be reached."""
        if self._stopping or self.lost is not None:
            return
        if reachable:
            _log.info("the database is reachable again")
        else:
            _log.warning("the database cannot be reached: calls fail with UNAVAILABLE")
        status = (
            health_pb2.HealthCheckResponse.SERVING
            if reachable
            else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in ("", *SERVICE_NAMES):
            task = asyncio.get_running_loop().create_task(self.health.set(name, status))
            self._health_updates.add(task)
            task.add_done_callback(self._health_updates.discard)

    def _durability_lost(self, lost: DurabilityLost) -> None:
        _log.critical("%s: no write will be acknowledged; the broker must be restarted", lost)
        self.lost = lost
        self.failed.set()
        # Health turns NOT_SERVING at once, so that load balancers look elsewhere.
        self._failing = asyncio.get_running_loop().create_task(
            self.health.enter_graceful_shutdown()
        )

    async def stop(self, grace: float = 5.0) -> None:
        """Report NOT_SERVING, let calls in flight finish, then stop the workers."""
        self._stopping = True
        await self.health.enter_graceful_shutdown()
        for task in (self._directory_watch, self._desk_gauges, self._partitions):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self.server.stop(grace)
        # The end events of the streams the stop closed, and the repeats of
        # refused calls still being counted, are written before the broker goes.
        await watch.drain()
        await self.fanout.close()
        await self.runner.run(partial(self.refusals.flush, everything=True))
        if self._checkpointer is not None and self._signer is not None:
            self._checkpointer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpointer
            # The log at rest is covered by its latest checkpoint.
            with contextlib.suppress(Exception):
                await checkpointer.sign_now(self.store, self.runner, self._signer)
        self.runner.shutdown()


def fanout_for(store: Store) -> FanOut:
    """Across replicas through LISTEN/NOTIFY on PostgreSQL; within this process on SQLite."""
    if store.engine.dialect.name == "postgresql":
        return PgFanOut(store)
    return LocalFanOut()


async def serve(
    listen: str,
    pki: Path,
    database_url: str,
    on_ready: str = "",
    metrics_listen: str = "",
    limits: Limits | None = None,
    reuse_port: bool = False,
    signer: LogSigner | None = None,
    checkpoint_seconds: float = CHECKPOINT_SECONDS,
    db_workers: int = DB_WORKERS,
    citizen_tokens: CitizenTokens | None = None,
    audit_archive: Path | None = None,
) -> None:
    """Run the broker until SIGTERM or SIGINT, then shut down gracefully.

    ``audit_archive``: the folder of archived audit months the listings read too.
    """
    # Handlers first: a supervisor may signal as soon as it sees the ready line.
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    store = open_store(database_url)
    if audit_archive is not None:
        store.audit_shelf = ArchiveShelf(audit_archive)
    broker = Broker(
        store,
        db_workers=db_workers,
        reuse_port=reuse_port,
        limits=limits,
        signer=signer,
        checkpoint_seconds=checkpoint_seconds,
        citizen_tokens=citizen_tokens,
    )
    stop_metrics: Callable[[], None] | None = None
    try:
        port = await broker.start(listen, ServerTLS.from_pki(pki))
        if metrics_listen:
            stop_metrics = serve_metrics(metrics_listen, pki)
    except BaseException:
        await broker.stop(0)
        store.dispose()
        raise
    host = listen.rsplit(":", 1)[0]
    _log.info("luukku broker listening on %s:%d (mutual TLS)", host, port)
    if on_ready:
        print(on_ready.format(host=host, port=port), flush=True)
    ends = [asyncio.create_task(stopping.wait()), asyncio.create_task(broker.failed.wait())]
    await asyncio.wait(ends, return_when=asyncio.FIRST_COMPLETED)
    for end in ends:
        end.cancel()
    _log.info("shutting down")
    await broker.stop()
    if stop_metrics is not None:
        stop_metrics()
    store.dispose()
    if broker.lost is not None:
        raise broker.lost  # exit non-zero, so that a supervisor restarts the broker
