"""Development PKI: a hub CA, the broker's server certificate and client certificates."""

from luukku.pki.certs import (
    CertInfo,
    check_client_cert,
    fingerprint,
    read_cert_info,
    read_client_cert_info,
)
from luukku.pki.dev_ca import PkiError, PkiPaths, init_pki, issue_client_cert

__all__ = [
    "CertInfo",
    "PkiError",
    "PkiPaths",
    "check_client_cert",
    "fingerprint",
    "init_pki",
    "issue_client_cert",
    "read_cert_info",
    "read_client_cert_info",
]
