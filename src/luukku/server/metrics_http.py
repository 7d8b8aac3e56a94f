"""The Prometheus metrics endpoint: HTTPS with client certificates of the hub CA.

One broker serves its own metrics. The supervisor of ``serve --workers`` serves
its workers' together from one port: each worker writes its metrics to files
in a directory they share (prometheus-client's multiprocess mode, switched on
by ``PROMETHEUS_MULTIPROC_DIR`` in the workers' environment), and the
supervisor's endpoint sums them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import prometheus_client
from prometheus_client import multiprocess

from luukku.pki.dev_ca import PkiPaths

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
"""The environment variable naming the workers' shared metrics directory."""


def workers_registry(directory: Path) -> prometheus_client.CollectorRegistry:
    """The metrics of every worker writing to ``directory``, summed (gauges as declared)."""
    registry = prometheus_client.CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(directory))  # type: ignore[no-untyped-call]
    return registry


def serve_metrics(
    listen: str, pki: Path, registry: prometheus_client.CollectorRegistry | None = None
) -> Callable[[], None]:
    """Serve ``registry`` (default: this process's metrics) over HTTPS with client
    certificates of the hub CA; the function that stops it.

    Like the broker, it has no plaintext port.
    """
    host, _, port = listen.rpartition(":")
    paths = PkiPaths(pki)
    try:
        server, thread = prometheus_client.start_http_server(
            int(port),
            addr=host or "127.0.0.1",
            registry=registry or prometheus_client.REGISTRY,
            certfile=str(paths.server_cert),
            keyfile=str(paths.server_key),
            client_cafile=str(paths.ca_cert),
            client_auth_required=True,
        )
    except (OSError, ValueError) as exc:
        raise OSError(f"cannot serve metrics on {listen}: {exc}") from exc

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return stop
