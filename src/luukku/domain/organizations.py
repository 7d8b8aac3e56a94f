"""Organisations, their certificates and the directory rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from luukku.domain.business_id import InvalidBusinessId, parse_business_id
from luukku.domain.errors import LuukkuError, invalid_argument, unauthenticated

_ORG_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])\Z")


class OrgKind(StrEnum):
    """What kind of party an organisation is."""

    PUBLIC = "public"
    PRIVATE = "private"
    PORTAL = "portal"


class OrgStatus(StrEnum):
    """Whether an organisation may use the broker."""

    ACTIVE = "active"
    SUSPENDED = "suspended"


class CertState(StrEnum):
    """Whether a registered client certificate is accepted."""

    ACTIVE = "active"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Organization:
    """A registered organisation."""

    id: str
    name: str
    business_id: str
    kind: OrgKind
    status: OrgStatus
    created_at: datetime
    oidc_client_id: str | None = None
    """A portal's OpenID client id at the citizens' identity provider: the audience of
    the citizens' tokens it forwards (None: only tokens made for the broker itself)."""


@dataclass(frozen=True)
class Certificate:
    """A client certificate registered to an organisation, known by its fingerprint."""

    fingerprint: str
    org_id: str
    state: CertState
    subject: str
    not_after: datetime


def validate_org_id(org_id: str, field_path: str = "id") -> str:
    """Return ``org_id`` if it is a valid slug, else raise INVALID_ARGUMENT."""
    if not _ORG_ID.match(org_id):
        raise invalid_argument(
            "INVALID_ORG_ID",
            field_path,
            "must be 3-63 lower-case letters, digits or '-', not starting or ending with '-'",
        )
    return org_id


def validate_business_id(text: str, field_path: str = "business_id") -> str:
    """Return the normalised Y-tunnus, or raise INVALID_ARGUMENT (INVALID_BUSINESS_ID)."""
    try:
        return parse_business_id(text)
    except InvalidBusinessId as exc:
        raise invalid_argument(
            "INVALID_BUSINESS_ID", field_path, "not a valid Finnish business id (Y-tunnus)"
        ) from exc


def admit(cert: Certificate | None, org: Organization | None) -> Organization:
    """Decide whether a caller holding ``cert`` may make a call.

    Raises:
        LuukkuError: UNAUTHENTICATED with CERTIFICATE_UNKNOWN, CERTIFICATE_REVOKED
            or ORG_SUSPENDED.
    """
    if cert is None or org is None:
        raise unauthenticated("CERTIFICATE_UNKNOWN", "client certificate is not registered")
    if cert.state is not CertState.ACTIVE:
        raise unauthenticated("CERTIFICATE_REVOKED", "client certificate has been revoked")
    if org.status is not OrgStatus.ACTIVE:
        raise unauthenticated("ORG_SUSPENDED", f"organisation {org.id} is suspended")
    return org


__all__ = [
    "CertState",
    "Certificate",
    "LuukkuError",
    "OrgKind",
    "OrgStatus",
    "Organization",
    "admit",
    "validate_business_id",
    "validate_org_id",
]
