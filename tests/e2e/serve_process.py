"""A ``luukku serve`` process for tests that kill brokers: started, SIGKILLed, restarted."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

READY_TIMEOUT = 60.0


def clean_env() -> dict[str, str]:
    """This environment without LUUKKU_* settings, unbuffered."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUUKKU_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


class ServeProcess:
    """One broker process; restarted on the port it first got."""

    def __init__(
        self, database_url: str, pki: Path, log: Path, extra: tuple[str, ...] = ()
    ) -> None:
        # One process (on PostgreSQL the default is one per core): killed and restarted by pid.
        self._args = ("--pki", str(pki), "--database", database_url, "--workers", "1", *extra)
        self._log = log
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start and wait until it listens."""
        with self._log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    *(sys.executable, "-m", "luukku.cli", "serve", *self._args),
                    *("--listen", f"127.0.0.1:{self.port}", "--ready-message", "READY {port}"),
                ],
                env=clean_env(),
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
        """SIGTERM, then SIGKILL after 15 s."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=15)
        self.kill()


def audit_verify(database_url: str, pki: Path) -> subprocess.CompletedProcess[str]:
    """``luukku audit verify`` against the log's key."""
    return subprocess.run(
        [
            *(sys.executable, "-m", "luukku.cli", "audit", "verify"),
            "--database",
            database_url,
            "--pki",
            str(pki),
        ],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
