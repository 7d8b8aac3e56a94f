"""What the portal is started with (``luukku portal`` options and ``LUUKKU_PORTAL_*``)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum


class Identification(StrEnum):
    """How citizens prove who they are."""

    DEV = "dev"  # a labelled test page: type any valid identity code
    OIDC = "oidc"  # OpenID Connect authorization code flow with PKCE


@dataclass(frozen=True)
class OidcSettings:
    """The OpenID provider the portal signs citizens in with."""

    issuer: str
    client_id: str
    client_secret: str
    identity_claim: str = "personal_identity_code"
    scope: str = "openid profile"


@dataclass(frozen=True)
class PortalConfig:
    """Everything the app needs besides the broker connection."""

    identification: Identification = Identification.DEV
    oidc: OidcSettings | None = None
    idle_timeout_s: float = 15 * 60
    log_verifier_key: str | None = None  # the audit log's note verifier key, to prove rows
    secure_cookies: bool = False  # True when served over HTTPS


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
