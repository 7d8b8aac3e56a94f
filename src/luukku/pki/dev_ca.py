"""A development certificate authority built with ``cryptography``.

Layout of a PKI directory::

    ca.pem ca.key              the hub CA (signs everything below)
    server.pem server.key      the broker (serverAuth; SANs localhost, 127.0.0.1, --host)
    orgs/ORG_ID.pem .key       one client certificate per organisation (clientAuth only)

Keys are EC P-256, written with mode 0600. Files are written to a temporary
name and renamed, so an interrupted run leaves no half-written file.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from luukku.audit.checkpoints import DEFAULT_NAME, SIGNER_FILE, VERIFIER_FILE, LogSigner

CA_DAYS = 3650
SERVER_DAYS = 397
CLIENT_DAYS = 30


class PkiError(Exception):
    """A PKI operation cannot proceed (missing CA, existing files…)."""


@dataclass(frozen=True)
class PkiPaths:
    """Where the files of a PKI directory live."""

    root: Path

    @property
    def ca_cert(self) -> Path:
        return self.root / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.root / "ca.key"

    @property
    def server_cert(self) -> Path:
        return self.root / "server.pem"

    @property
    def server_key(self) -> Path:
        return self.root / "server.key"

    @property
    def log_key(self) -> Path:
        """The audit log's signer key (secret)."""
        return self.root / SIGNER_FILE

    @property
    def log_verifier_key(self) -> Path:
        """The audit log's verifier key (public)."""
        return self.root / VERIFIER_FILE

    def org_cert(self, org_id: str) -> Path:
        return self.root / "orgs" / f"{org_id}.pem"

    def org_key(self, org_id: str) -> Path:
        return self.root / "orgs" / f"{org_id}.key"


def _write(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, mode)
    tmp.replace(path)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, org: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


def _load_ca(paths: PkiPaths) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    if not paths.ca_cert.exists() or not paths.ca_key.exists():
        raise PkiError(f"no CA in {paths.root}: run `luukku pki init --dir {paths.root}` first")
    cert = x509.load_pem_x509_certificate(paths.ca_cert.read_bytes())
    key = serialization.load_pem_private_key(paths.ca_key.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise PkiError(f"{paths.ca_key} is not an EC private key")
    return cert, key


def _sign(builder: x509.CertificateBuilder, ca_key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    return builder.sign(ca_key, hashes.SHA256())


def _leaf_builder(
    subject: x509.Name,
    issuer: x509.Certificate,
    public_key: ec.EllipticCurvePublicKey,
    not_before: datetime,
    not_after: datetime,
    usage: x509.ObjectIdentifier,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )


def init_pki(
    root: Path, hosts: list[str] | tuple[str, ...] = (), log_name: str = DEFAULT_NAME
) -> PkiPaths:
    """Create the hub CA, the broker's server certificate and the audit log's key in ``root``.

    The log key signs the audit log's checkpoints (``audit-log.key``); its
    verifier key (``audit-log.vkey``) is what anyone needs to check them.

    Raises:
        PkiError: if ``root`` already holds a CA (re-initialising would strand
            every issued client certificate).
    """
    paths = PkiPaths(root)
    if paths.ca_cert.exists() or paths.ca_key.exists():
        raise PkiError(f"{root} already holds a CA; remove it to start over")
    signer = LogSigner.generate(log_name)
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Luukku development hub CA", "Luukku")
    ca_cert = _sign(
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False),
        ca_key,
    )
    _write(paths.ca_key, _key_pem(ca_key), 0o600)
    _write(paths.ca_cert, _cert_pem(ca_cert), 0o644)
    _issue_server_cert(paths, ca_cert, ca_key, hosts, now)
    signer.write(root)
    return paths


def _issue_server_cert(
    paths: PkiPaths,
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    hosts: list[str] | tuple[str, ...],
    now: datetime,
) -> None:
    names: list[x509.GeneralName] = []
    for host in ["localhost", "127.0.0.1", *hosts]:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    key = ec.generate_private_key(ec.SECP256R1())
    builder = _leaf_builder(
        _name("luukku-broker", "Luukku"),
        ca_cert,
        key.public_key(),
        now - timedelta(minutes=5),
        now + timedelta(days=SERVER_DAYS),
        ExtendedKeyUsageOID.SERVER_AUTH,
    ).add_extension(x509.SubjectAlternativeName(names), critical=False)
    _write(paths.server_key, _key_pem(key), 0o600)
    _write(paths.server_cert, _cert_pem(_sign(builder, ca_key)), 0o644)


def issue_client_cert(
    root: Path,
    org_id: str,
    *,
    days: int = CLIENT_DAYS,
    not_before: datetime | None = None,
) -> tuple[Path, Path]:
    """Issue a clientAuth certificate for ``org_id``; returns (cert path, key path).

    The organisation id is the certificate's common name. ``not_before`` lets
    tests issue a certificate that has already expired.
    """
    paths = PkiPaths(root)
    ca_cert, ca_key = _load_ca(paths)
    start = not_before or datetime.now(UTC) - timedelta(minutes=5)
    key = ec.generate_private_key(ec.SECP256R1())
    builder = _leaf_builder(
        _name(org_id, org_id),
        ca_cert,
        key.public_key(),
        start,
        start + timedelta(days=days),
        ExtendedKeyUsageOID.CLIENT_AUTH,
    )
    _write(paths.org_key(org_id), _key_pem(key), 0o600)
    _write(paths.org_cert(org_id), _cert_pem(_sign(builder, ca_key)), 0o644)
    return paths.org_cert(org_id), paths.org_key(org_id)
