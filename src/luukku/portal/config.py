"""What the portal is started with (``luukku portal`` options and ``LUUKKU_PORTAL_*``)."""

from __future__ import annotations

from dataclasses import dataclass

from luukku.web.config import Identification, OidcSettings


@dataclass(frozen=True)
class PortalConfig:
    """Everything the app needs besides the broker connection."""

    identification: Identification = Identification.DEV
    oidc: OidcSettings | None = None
    identity_claim: str = "personal_identity_code"  # the OIDC claim with the identity code
    idle_timeout_s: float = 15 * 60
    log_verifier_key: str | None = None  # the audit log's note verifier key, to prove rows
    secure_cookies: bool = False  # True when served over HTTPS
    dev_issuer: str | None = None  # test identification's signing issuer (luukku demo run's)
