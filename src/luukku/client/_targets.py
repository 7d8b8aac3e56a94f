"""Where a client connects: one broker, or several replicas balanced by gRPC ``round_robin``."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from typing import Any

BALANCING: tuple[str, Any] = ("grpc.lb_policy_name", "round_robin")
"""Every address the name resolver gives gets calls in turn; a dead one is skipped."""


def channel_target(target: str | Sequence[str]) -> tuple[str, list[tuple[str, Any]]]:
    """The gRPC target for ``target`` and the channel options it needs.

    One ``host:port`` (or any gRPC target such as ``dns:///luukku.example:443``)
    is passed on: a DNS name with several addresses is balanced across them.
    Several ``host:port`` are given to gRPC as one ``ipv4:``/``ipv6:`` address
    list, names resolved once, here; TLS then checks the certificate against
    the first host's name (or address).

    Raises:
        ValueError: no target, a malformed ``host:port``, or a name that does not resolve.

    A name with IPv4 addresses is reached over IPv4 only; IPv4 and IPv6 are not mixed.
    """
    if isinstance(target, str):
        return target, [BALANCING]
    targets = list(target)
    if not targets:
        raise ValueError("no broker address given")
    if len(targets) == 1:
        return targets[0], [BALANCING]
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
    options: list[tuple[str, Any]] = [BALANCING, ("grpc.default_authority", authority)]
    return f"{scheme}:{','.join(dict.fromkeys(addresses))}", options


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
