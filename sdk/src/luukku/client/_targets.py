"""Where a client connects: one broker, or several replicas balanced by gRPC ``round_robin``."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from typing import Any

BALANCING: list[tuple[str, Any]] = [
    ("grpc.lb_policy_name", "round_robin"),
    # A replica back from the dead gets calls again within seconds, not minutes.
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 5_000),
]
"""Every address gets calls in turn; one that is down is skipped until it is back."""


def channel_target(target: str | Sequence[str]) -> tuple[str, list[tuple[str, Any]]]:
    """The gRPC target for ``target`` and the channel options it needs.

    One broker keeps gRPC's default policy, which reconnects the moment a call
    needs it (a restarted broker answers the very next call). Several replicas
    are balanced with ``round_robin``: a list of ``host:port`` (given to gRPC
    as one ``ipv4:``/``ipv6:`` address list, names resolved once, here; TLS
    then checks the certificate against the first host's name or address), a
    ``host:port`` whose name has several addresses, or a gRPC target that
    names several (``dns:///…``, ``ipv4:a,b``). A name with IPv4 addresses is
    reached over IPv4 only; IPv4 and IPv6 are not mixed.

    Resolving names may block: call it off the event loop.

    Raises:
        ValueError: no target, a malformed ``host:port``, or a name that does not resolve.
    """
    if isinstance(target, str):
        return target, list(BALANCING) if _several(target) else []
    targets = list(target)
    if not targets:
        raise ValueError("no broker address given")
    if len(targets) == 1:
        return channel_target(targets[0])
    found: list[tuple[int, str, int]] = []
    first_host = ""
    for item in targets:
        host, port = _split(item)
        first_host = first_host or host
        found += [(family, address, port) for family, address in _resolved(host, port)]
    # A name with both kinds of address (localhost) is reached over IPv4.
    family = socket.AF_INET if any(f == socket.AF_INET for f, _, _ in found) else socket.AF_INET6
    addresses = [
        f"[{address}]:{port}" if family == socket.AF_INET6 else f"{address}:{port}"
        for f, address, port in found
        if f == family
    ]
    scheme = "ipv6" if family == socket.AF_INET6 else "ipv4"
    # An address list has no authority of its own: TLS checks the first host's name.
    authority = f"[{first_host}]" if ":" in first_host else first_host
    options = [*BALANCING, ("grpc.default_authority", authority)]
    return f"{scheme}:{','.join(dict.fromkeys(addresses))}", options


def _several(target: str) -> bool:
    """Whether one target names several brokers."""
    if target.startswith("dns:"):
        return True
    if target.startswith(("ipv4:", "ipv6:")):
        return "," in target
    if target.startswith(("unix:", "unix-abstract:", "vsock:")):
        return False
    host, port = _split(target)
    addresses = _resolved(host, port)
    ipv4 = [address for family, address in addresses if family == socket.AF_INET]
    # Both kinds (localhost) are one broker: gRPC's default tries each in turn.
    return len(ipv4 or addresses) > 1


def _split(item: str) -> tuple[str, int]:
    host, sep, port = item.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"{item!r} is not HOST:PORT")
    return host.strip("[]"), int(port)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _resolved(host: str, port: int) -> list[tuple[int, str]]:
    if _is_ip(host):
        ip = ipaddress.ip_address(host)
        return [(socket.AF_INET6 if ip.version == 6 else socket.AF_INET, host)]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ValueError(f"cannot resolve {host!r}: {exc.strerror}") from exc
    return list(dict.fromkeys((info[0], str(info[4][0])) for info in infos))
