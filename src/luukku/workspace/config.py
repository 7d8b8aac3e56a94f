"""What the workspace is started with (``luukku workspace`` options, ``LUUKKU_WORKSPACE_*``)."""

from __future__ import annotations

from dataclasses import dataclass

from luukku.web.config import Identification, OidcSettings


@dataclass(frozen=True)
class WorkspaceConfig:
    """Everything the app needs besides the broker connection."""

    org: str  # the organisation whose certificate the workspace holds
    identification: Identification = Identification.DEV
    oidc: OidcSettings | None = None
    role_claim: str = "role"  # the OIDC claim with the clerk's role (id: sub, name: name)
    idle_timeout_s: float = 15 * 60
    secure_cookies: bool = False  # True when served over HTTPS
