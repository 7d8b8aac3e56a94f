"""``make run``'s command, ``luukku demo run``, as a process for tests: a clone's layout under
one folder (``certs/dev``, ``var/luukku.db``), free ports, started and stopped as a person does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ports import free_address
from serve_process import READY_TIMEOUT, clean_env

DEMO_CITIZEN = "010190-900P"


@dataclass
class Demo:
    """A running demo: its addresses, what it printed, its process (the leader of its session)."""

    root: Path
    broker: str
    portal: str
    metrics: str
    workspaces: dict[str, str]  # each desk member's workspace, by organisation
    issuer: str  # the development identity provider of the citizens' tokens
    printed: str
    process: subprocess.Popen[str]
    log: Path

    def interrupt(self) -> None:
        """Ctrl-C in its terminal: SIGINT to the demo and its children at once."""
        os.killpg(self.process.pid, signal.SIGINT)

    def stopped(self, timeout: float = 60) -> int:
        """Its exit code, once it has ended."""
        return self.process.wait(timeout=timeout)


@contextmanager
def running_demo(root: Path) -> Iterator[Demo]:
    """`luukku demo run` with its PKI in `root/certs/dev` and database `root/var/luukku.db`."""
    broker, portal, metrics = free_address(), free_address(), free_address()
    workspaces = {"helsinki-social": free_address(), "vantaa-health": free_address()}
    issuer = free_address()
    log = root / "demo.log"
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "luukku.cli", "demo", "run", "--pki", "certs/dev"),
            *("--database", "sqlite:///var/luukku.db", "--listen", broker),
            *("--portal-listen", portal, "--metrics", metrics),
            *("--workspace-listen", workspaces["helsinki-social"]),
            *("--vantaa-workspace-listen", workspaces["vantaa-health"]),
            *("--issuer-listen", issuer),
        ],
        cwd=root,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=log.open("wb"),
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        printed = []
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            printed.append(line)
            if "Ctrl-C stops them all" in line:
                break
        text = "".join(printed)
        assert f"portal: http://{portal}/" in text, text + log.read_text()
        for workspace in workspaces.values():
            assert f"http://{workspace}/" in text, text + log.read_text()
        yield Demo(root, broker, portal, metrics, workspaces, issuer, text, process, log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
