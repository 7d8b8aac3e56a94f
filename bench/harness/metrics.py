"""The broker's Prometheus endpoint as an operator scrapes it: ``serve --metrics HOST:PORT``
on a port chosen here, read over HTTPS with a client certificate of the hub's CA."""

from __future__ import annotations

import socket
import ssl
import urllib.request
from pathlib import Path


def free_listen() -> str:
    """A loopback ``HOST:PORT`` nobody listens on now, for ``--metrics``."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def scrape(listen: str, pki: Path, org_id: str) -> str:
    """The text of ``/metrics``, fetched with ``org_id``'s certificate from ``pki``."""
    cert = pki / "orgs" / org_id
    context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    context.load_cert_chain(f"{cert}.pem", f"{cert}.key")
    with urllib.request.urlopen(f"https://{listen}/metrics", context=context, timeout=10) as got:
        text: str = got.read().decode()
    return text


def sample(text: str, name: str, first_labels: str = "") -> float:
    """The sum of the samples of ``name`` in a scrape whose labels begin with
    ``first_labels`` (e.g. ``desk="x"``; empty: every sample of it); 0 when none is there."""
    total = 0.0
    for line in text.splitlines():
        key, _, value = line.rpartition(" ")
        if key == name or key.startswith(f"{name}{{{first_labels}"):
            total += float(value)
    return total
