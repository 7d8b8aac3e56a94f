"""How a web app identifies its users, and the rule that keeps test identification local."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum


class Identification(StrEnum):
    """How people prove who they are."""

    DEV = "dev"  # a labelled test page: anyone signs in as anyone
    OIDC = "oidc"  # OpenID Connect authorization code flow with PKCE


@dataclass(frozen=True)
class OidcSettings:
    """The OpenID provider an app signs people in with."""

    issuer: str
    client_id: str
    client_secret: str
    scope: str = "openid profile"


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
