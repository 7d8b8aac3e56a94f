"""The mutual-TLS material every bench process uses: one PKI, real client certificates.

The files are where ``luukku pki init`` and ``luukku pki issue`` put them:
``ca.pem``, ``server.pem`` and ``server.key``, ``orgs/ORG.pem`` and ``orgs/ORG.key``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import grpc


def server_credentials(pki: Path) -> grpc.ServerCredentials:
    """The broker's server key pair, demanding a client certificate from the hub CA."""
    return grpc.ssl_server_credentials(
        [((pki / "server.key").read_bytes(), (pki / "server.pem").read_bytes())],
        root_certificates=(pki / "ca.pem").read_bytes(),
        require_client_auth=True,
    )


@dataclass(frozen=True)
class ClientFiles:
    """Where one organisation's client certificate, its key and the hub CA live."""

    ca: str
    cert: str
    key: str

    @classmethod
    def of(cls, pki: Path, org_id: str) -> ClientFiles:
        orgs = pki / "orgs"
        return cls(str(pki / "ca.pem"), str(orgs / f"{org_id}.pem"), str(orgs / f"{org_id}.key"))

    def credentials(self) -> grpc.ChannelCredentials:
        return grpc.ssl_channel_credentials(
            root_certificates=Path(self.ca).read_bytes(),
            private_key=Path(self.key).read_bytes(),
            certificate_chain=Path(self.cert).read_bytes(),
        )


# The same server options for the echo server and the broker.
SERVER_OPTIONS: list[tuple[str, int]] = [
    ("grpc.max_receive_message_length", 4 * 1024 * 1024),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.min_ping_interval_without_data_ms", 10_000),
]

# Each channel its own connection: grpc otherwise shares one per target and credentials.
CHANNEL_OPTIONS: list[tuple[str, int]] = [("grpc.use_local_subchannel_pool", 1)]


def secure_channel(target: str, files: ClientFiles) -> grpc.aio.Channel:
    """A mutual-TLS channel to a loopback server."""
    return grpc.aio.secure_channel(target, files.credentials(), options=CHANNEL_OPTIONS)
