"""Reading certificates: fingerprints and the facts the directory keeps."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class CertInfo:
    """What the directory records about a client certificate."""

    fingerprint: str
    subject: str
    not_after: datetime


@lru_cache(maxsize=4096)
def fingerprint(pem: bytes) -> str:
    """Hex SHA-256 of the certificate's DER encoding.

    Cached: the broker computes it on every call from the same few PEM blobs,
    and the mapping from bytes to fingerprint never changes.
    """
    cert = x509.load_pem_x509_certificate(pem)
    return hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()


def read_cert_info(pem: bytes) -> CertInfo:
    """Parse a PEM certificate.

    Raises:
        ValueError: if ``pem`` is not a PEM certificate.
    """
    cert = x509.load_pem_x509_certificate(pem)
    return CertInfo(
        fingerprint=fingerprint(pem),
        subject=cert.subject.rfc4514_string(),
        not_after=cert.not_valid_after_utc,
    )


def read_client_cert_info(pem: bytes) -> CertInfo:
    """Parse a certificate meant to identify an organisation.

    Raises:
        ValueError: if it is not a PEM certificate, is a CA certificate, or is
            not for TLS client authentication.
    """
    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise ValueError("not a PEM certificate") from exc
    try:
        if cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            raise ValueError("a CA certificate cannot identify an organisation")
    except x509.ExtensionNotFound:
        pass
    try:
        usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound as exc:
        raise ValueError("not a client certificate (no extended key usage)") from exc
    if ExtendedKeyUsageOID.CLIENT_AUTH not in usages:
        raise ValueError("not a client certificate (no clientAuth usage)")
    return read_cert_info(pem)


def check_client_cert(pem: bytes, org_id: str, ca_pem: bytes, now: datetime) -> CertInfo:
    """A certificate that can identify ``org_id`` at this hub, now.

    Refuses what could never work, or would work wrongly: a CA certificate
    (TLS accepts one as a client certificate), one without the clientAuth
    usage, one the hub CA did not issue, one whose common name is not the
    organisation id, and one outside its validity period.

    Raises:
        ValueError: saying which of these it is.
    """
    info = read_client_cert_info(pem)
    cert = x509.load_pem_x509_certificate(pem)
    ca = x509.load_pem_x509_certificate(ca_pem)
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature) as exc:
        raise ValueError("not issued by this hub's CA") from exc
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if [n.value for n in names] != [org_id]:
        raise ValueError(f"its common name is not the organisation id {org_id!r}")
    if now < cert.not_valid_before_utc:
        raise ValueError("not valid yet")
    if now > cert.not_valid_after_utc:
        raise ValueError("expired")
    return info


@lru_cache(maxsize=4096)
def is_client_cert(pem: bytes) -> bool:
    """Whether ``pem`` is an end-entity certificate for TLS client authentication.

    Cached like :func:`fingerprint`: checked on every call from the same few PEM blobs.
    """
    try:
        read_client_cert_info(pem)
    except ValueError:
        return False
    return True
