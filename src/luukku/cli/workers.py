"""``luukku serve --workers N``: N broker processes behind one address on one host.

One broker process is one event loop, about one core. To use more cores
behind one address, the supervisor starts N ``luukku serve`` processes that
listen on the same port with SO_REUSEPORT, so that the kernel spreads the
connections among them. They share the port with each other only:

- before anything starts, the address is refused if any process listens on it
  (``ensure_free``), as for one broker;
- the supervisor then holds the port itself, bound with SO_REUSEPORT but not
  listening, for as long as the workers run: a process that does not ask for
  SO_REUSEPORT (another broker among them) cannot take it meanwhile, and
  port 0 becomes one free port that every worker binds.

Workers are replicas: they need PostgreSQL, whose LISTEN/NOTIFY carries live
news between them. SIGTERM or SIGINT stops them all gracefully; if one dies,
the others are stopped and the supervisor exits non-zero, for its own
supervisor to restart the lot. With ``--metrics``, the supervisor serves every
worker's metrics, summed, from the one port (``server.metrics_http``).
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from luukku.cli._common import CliError

READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 20.0
_WORKER_READY = "LUUKKU-WORKER-READY {port}"


def hold_port(listen: str) -> socket.socket:
    """Bind ``listen`` with SO_REUSEPORT (not listening): the port the workers will share."""
    host, _, port = listen.rpartition(":")
    name = host.strip("[]")
    family = socket.AF_INET6 if ":" in name else socket.AF_INET
    holder = socket.socket(family, socket.SOCK_STREAM)
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        holder.bind((name, int(port)))
    except OSError as exc:
        holder.close()
        raise CliError(f"cannot listen on {listen}: {exc.strerror}") from exc
    return holder


@dataclass(frozen=True)
class Metrics:
    """Where the supervisor serves the workers' metrics, and the PKI it serves them with."""

    listen: str
    pki: Path


def supervise(
    workers: int,
    listen: str,
    worker_argv: Sequence[str],
    ready_message: str,
    metrics: Metrics | None = None,
) -> int:
    """Run ``workers`` brokers on ``listen`` until a signal (0) or a worker's death (1)."""
    if metrics is None:
        return _supervise(workers, listen, worker_argv, ready_message, {})
    from luukku.server.metrics_http import MULTIPROCESS_DIR, serve_metrics, workers_registry

    with tempfile.TemporaryDirectory(prefix="luukku-metrics-") as shared:
        try:
            stop_metrics = serve_metrics(
                metrics.listen, metrics.pki, workers_registry(Path(shared))
            )
        except OSError as exc:
            raise CliError(str(exc)) from exc
        try:
            env = {MULTIPROCESS_DIR: shared}
            return _supervise(workers, listen, worker_argv, ready_message, env)
        finally:
            stop_metrics()


def _supervise(
    workers: int,
    listen: str,
    worker_argv: Sequence[str],
    ready_message: str,
    env: dict[str, str],
) -> int:
    holder = hold_port(listen)
    host = listen.rpartition(":")[0]
    port = holder.getsockname()[1]
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for _ in range(workers):
            procs.append(_start(worker_argv, f"{host}:{port}", env))
        for proc in procs:
            _await_ready(proc)
        if ready_message:
            print(ready_message.format(host=host, port=port), flush=True)
        while not stopping and all(proc.poll() is None for proc in procs):
            time.sleep(0.2)
        return 0 if stopping else 1
    finally:
        _stop_all(procs)
        holder.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _start(worker_argv: Sequence[str], listen: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (this very program, with the options it was given)
        [
            *(sys.executable, "-m", "luukku.cli", "serve", *worker_argv),
            *("--listen", listen, "--reuse-port", "--ready-message", _WORKER_READY),
            "--workers=1",  # not LUUKKU_WORKERS again: a worker supervises nobody
        ],
        stdout=subprocess.PIPE,
        env={**os.environ, **env},
        # The workers are stopped by the supervisor, not by the terminal's Ctrl-C.
        start_new_session=True,
    )


def _await_ready(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stdout is not None
    fd, seen = proc.stdout.fileno(), b""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while b"\n" not in seen:
        remaining = deadline - time.monotonic()
        readable = select.select([fd], [], [], remaining)[0] if remaining > 0 else []
        chunk = os.read(fd, 4096) if readable else b""
        if not chunk:
            raise CliError("a worker did not start (see its error above)")
        seen += chunk


def _stop_all(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for proc in procs:
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
