"""Child processes of a bench run: servers, load generators, and their clean-up.

Every child's stderr goes to a log file in the run's work directory (the broker
logs every call; an unread pipe would stall it), and every child is stopped
when the run ends, however it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_LINE_LIMIT = 64 * 1024 * 1024  # a load report is one (long) JSON line


class ChildFailed(RuntimeError):
    """A child process exited or misbehaved; the message carries its log's tail."""


_ROOT = str(Path(__file__).resolve().parent.parent)
"""The folder holding the ``bench`` package: children run ``python -m bench.…`` from anywhere."""


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": path}


class Child:
    """One child process speaking lines on stdout (and maybe reading lines on stdin)."""

    def __init__(self, name: str, proc: asyncio.subprocess.Process, log: Path) -> None:
        self.name = name
        self.proc = proc
        self.log = log
        self._drain: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def failed(self, what: str) -> ChildFailed:
        tail = self.log_tail()
        return ChildFailed(
            f"{self.name}: {what}" + (f"\n--- {self.log} ---\n{tail}" if tail else "")
        )

    async def readline(self, within: float) -> str:
        """The next stdout line; fails if the child exits or stays silent too long."""
        assert self.proc.stdout is not None
        try:
            raw = await asyncio.wait_for(self.proc.stdout.readline(), within)
        except TimeoutError:
            raise self.failed(f"no output within {within:.0f} s") from None
        if not raw:
            code = await self.proc.wait()
            raise self.failed(f"exited with status {code}")
        return raw.decode().strip()

    async def expect(self, prefix: str, within: float) -> str:
        """Skip stdout lines until one starts with ``prefix``; return that line."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            line = await self.readline(max(0.1, deadline - loop.time()))
            if line.startswith(prefix):
                return line

    async def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        await self.proc.stdin.drain()

    async def report(self, within: float) -> dict[str, Any]:
        """The JSON object on the last stdout line, once the child has exited cleanly."""
        assert self.proc.stdout is not None
        try:
            out = await asyncio.wait_for(self.proc.stdout.read(), within)
            code = await asyncio.wait_for(self.proc.wait(), within)
        except TimeoutError:
            raise self.failed(f"no report within {within:.0f} s") from None
        lines = out.decode().strip().splitlines()
        if code != 0 or not lines:
            raise self.failed(f"exited with status {code}")
        report: dict[str, Any] = json.loads(lines[-1])
        return report

    def drain(self) -> None:
        """Keep reading stdout in the background, so the child never blocks on it."""

        async def run() -> None:
            assert self.proc.stdout is not None
            while await self.proc.stdout.read(65536):
                pass

        self._drain = asyncio.get_running_loop().create_task(run())

    async def stop(self, grace: float = 10.0) -> int | None:
        """SIGTERM, then SIGKILL after ``grace`` seconds; the exit status."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), grace)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self.proc.kill()
                await self.proc.wait()
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        if self._drain is not None:
            self._drain.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._drain
        return self.proc.returncode


class Supervisor:
    """Starts children and, on :meth:`close`, stops every one still running."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self._children: list[Child] = []
        self._serial = 0

    async def spawn(self, name: str, args: Sequence[str], *, stdin: bool = False) -> Child:
        """Run ``python ARGS`` with stdout piped and stderr to ``WORK/NAME-N.log``."""
        self._serial += 1
        log = self.work / f"{name}-{self._serial}.log"
        with log.open("wb") as err:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                *args,
                stdin=asyncio.subprocess.PIPE if stdin else asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=err,
                env=_env(),
                limit=_LINE_LIMIT,
            )
        child = Child(name, proc, log)
        self._children.append(child)
        return child

    async def start_server(
        self, name: str, args: Sequence[str], within: float
    ) -> tuple[Child, int]:
        """Start a server that prints ``READY [HOST:]PORT`` (or an address such as
        ``http://HOST:PORT/``); the child and its port."""
        child = await self.spawn(name, args)
        try:
            line = await child.expect("READY", within)
            port = int(line.split()[-1].rstrip("/").rsplit(":", 1)[-1])
        except BaseException:
            await child.stop(2)
            raise
        child.drain()
        return child, port

    async def close(self) -> None:
        """Stop every child still running (quickly: the run is over)."""
        await asyncio.gather(*(c.stop(grace=3) for c in self._children), return_exceptions=True)
        self._children.clear()


def cpu_seconds(pid: int, main_thread_only: bool = False) -> float:
    """User plus system CPU time a process (or its main thread) has used so far."""
    stat = Path(f"/proc/{pid}/task/{pid}/stat" if main_thread_only else f"/proc/{pid}/stat")
    # The command name (field 2) may hold spaces; the fields after it are fixed.
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident set size of a process, in MB (from ``/proc/PID/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise ChildFailed(f"no VmRSS for process {pid}")


def pin(pid: int, cpus: set[int]) -> set[int]:
    """Run every thread of a process (and the threads it starts later) on ``cpus`` only;
    the CPUs its main thread was allowed before.

    ``sched_setaffinity`` on a pid moves only that one thread: the gRPC threads a
    process already started are moved one by one, the later ones inherit it.
    """
    before = os.sched_getaffinity(pid)
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(ProcessLookupError):  # a thread that just ended
            os.sched_setaffinity(int(task.name), cpus)
    return before
