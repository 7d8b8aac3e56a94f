"""Free loopback ports for servers that tests start as processes and must name in advance.

A port the kernel hands out for ``bind(("127.0.0.1", 0))`` comes from the ephemeral range
(``/proc/sys/net/ipv4/ip_local_port_range``, 32768 to 60999 here), the same range every outgoing
connection on the machine draws its local port from. Between the probe closing and the
server binding, another test process's client can take it: CI once saw ``luukku demo run``
fail with "Address already in use" that way. So ports here come from below that range, from a
slice of its own for each pytest-xdist worker, handed out in turn and checked free.
"""

from __future__ import annotations

import itertools
import os
import socket

_FIRST, _LAST = 20000, 32000  # below the kernel's ephemeral range: no outgoing connection
_SLICE = 500  # ports per test process; 24 processes fit


def _worker_number() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # gw0, gw1, ... or absent
    digits = worker.removeprefix("gw")
    return int(digits) if digits.isdigit() else 0


def _slice() -> range:
    start = _FIRST + (_worker_number() * _SLICE) % (_LAST - _FIRST)
    return range(start, start + _SLICE)


_candidates = itertools.cycle(_slice())


def free_port() -> int:
    """A loopback port nobody listens on now, not handed out by this process lately."""
    for _ in range(_SLICE):
        port = next(_candidates)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port in {_slice()}")


def free_address() -> str:
    """A loopback ``HOST:PORT`` nobody listens on now."""
    return f"127.0.0.1:{free_port()}"
