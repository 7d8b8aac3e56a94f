"""Connection options of the SDK."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TLSConfig:
    """The mutual-TLS material an organisation connects with."""

    ca_cert: bytes
    """PEM of the hub CA that signed the broker's certificate."""
    client_cert: bytes
    """PEM of the organisation's client certificate."""
    client_key: bytes
    """PEM of the organisation's private key."""
    server_name: str | None = None
    """Name to check the broker's certificate against, when not the target's host."""

    @classmethod
    def from_files(
        cls, ca_cert: Path | str, client_cert: Path | str, client_key: Path | str
    ) -> TLSConfig:
        """Read the three PEM files."""
        return cls(
            ca_cert=Path(ca_cert).read_bytes(),
            client_cert=Path(client_cert).read_bytes(),
            client_key=Path(client_key).read_bytes(),
        )

    @classmethod
    def from_pki_dir(cls, pki_dir: Path | str, org_id: str) -> TLSConfig:
        """Read ``ca.pem`` and ``orgs/ORG_ID.pem|.key`` from a ``luukku pki`` directory."""
        root = Path(pki_dir)
        return cls.from_files(
            root / "ca.pem", root / "orgs" / f"{org_id}.pem", root / "orgs" / f"{org_id}.key"
        )


@dataclass(frozen=True)
class Practitioner:
    """The person inside the organisation on whose behalf calls are made."""

    id: str
    """Organisation-local identifier, recorded in the audit log."""
    display_name: str = ""
    """Name shown to the citizen in the audit log and discussions."""
    role: str = ""
    """Role, e.g. ``social worker``."""
