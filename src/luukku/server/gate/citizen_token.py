"""The citizen proven to the broker: the identity provider's signed token on every call.

A portal organisation that acts for a citizen (``luukku-on-behalf-of``) must
also send ``authorization: Bearer <JWT>``: a token the identity provider
signed when the citizen signed in, naming that citizen. Without it a stolen
portal certificate acts for nobody. The broker checks the signature (the
provider's keys), the issuer, the audience (the portal organisation's
registered OpenID client id, or the broker itself), that the token is valid
now and short-lived, the authentication level (``acr``) and that the citizen
it names is the one the call acts for. Each failure has its own reason; the
token itself is never logged, only its SHA-256 goes into the audit event.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    JoseError,
    MissingClaimError,
)

from luukku.client import claimed_name
from luukku.domain.errors import ErrorCode, LuukkuError, unauthenticated
from luukku.server.gate.issuer_keys import IssuerKeys, IssuerKeysUnavailable
from luukku.verify.identity_code import IdentityCode, InvalidIdentityCode

SUOMI_FI_IDENTITY_CLAIM = "urn:oid:1.2.246.21"
BROKER_AUDIENCE = "luukku-broker"
ALGORITHMS = ("RS256", "PS256", "ES256")

EIDAS_LOW = "http://eidas.europa.eu/LoA/low"
EIDAS_SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
EIDAS_HIGH = "http://eidas.europa.eu/LoA/high"
# Authentication levels, weakest first: eIDAS's and Suomi.fi's names for them.
ACR_RANK: dict[str, int] = {
    EIDAS_LOW: 1,
    "http://ftn.ficora.fi/2017/loa2": 2,
    EIDAS_SUBSTANTIAL: 2,
    "http://ftn.ficora.fi/2017/loa3": 3,
    EIDAS_HIGH: 3,
}


@dataclass(frozen=True)
class ProvenCitizen:
    """What a valid token proves: its SHA-256 (for the audit event) and, where the
    provider signed one in, the citizen's name (a representative is shown by it)."""

    hash: str
    name: str


class TokenRefusal(StrEnum):
    """Why a call for a citizen was refused: the ``ErrorInfo`` reason."""

    MISSING = "CITIZEN_TOKEN_MISSING"
    MALFORMED = "CITIZEN_TOKEN_MALFORMED"
    BAD_SIGNATURE = "CITIZEN_TOKEN_BAD_SIGNATURE"
    WRONG_ISSUER = "CITIZEN_TOKEN_WRONG_ISSUER"
    WRONG_AUDIENCE = "CITIZEN_TOKEN_WRONG_AUDIENCE"
    EXPIRED = "CITIZEN_TOKEN_EXPIRED"
    NOT_YET_VALID = "CITIZEN_TOKEN_NOT_YET_VALID"
    TOO_LONG_LIVED = "CITIZEN_TOKEN_TOO_LONG_LIVED"
    LOW_LEVEL = "CITIZEN_TOKEN_LOW_LEVEL"
    WRONG_CITIZEN = "CITIZEN_TOKEN_WRONG_CITIZEN"
    NO_ISSUER = "CITIZEN_ISSUER_NOT_CONFIGURED"
    KEYS_UNAVAILABLE = "CITIZEN_ISSUER_UNAVAILABLE"


_MESSAGES = {
    TokenRefusal.MISSING: "a call for a citizen needs the citizen's token (authorization: Bearer)",
    TokenRefusal.MALFORMED: "the citizen's token is not a signed JWT with the claims it needs",
    TokenRefusal.BAD_SIGNATURE: "the citizen's token is not signed by a trusted key",
    TokenRefusal.WRONG_ISSUER: "the citizen's token is from another issuer",
    TokenRefusal.WRONG_AUDIENCE: "the citizen's token is not for this organisation",
    TokenRefusal.EXPIRED: "the citizen's token has expired",
    TokenRefusal.NOT_YET_VALID: "the citizen's token is not valid yet",
    TokenRefusal.TOO_LONG_LIVED: "the citizen's token lives longer than the broker accepts",
    TokenRefusal.LOW_LEVEL: "the citizen's authentication level is too low",
    TokenRefusal.WRONG_CITIZEN: "the citizen's token names another citizen",
    TokenRefusal.NO_ISSUER: "the broker trusts no identity provider for citizens",
    TokenRefusal.KEYS_UNAVAILABLE: "the identity provider's keys cannot be fetched now",
}


def refused(why: TokenRefusal) -> LuukkuError:
    """The UNAUTHENTICATED error of ``why`` (UNAVAILABLE when the provider's keys cannot be
    had: the caller may retry)."""
    if why is TokenRefusal.KEYS_UNAVAILABLE:
        return LuukkuError(ErrorCode.UNAVAILABLE, why.value, _MESSAGES[why])
    return unauthenticated(why.value, _MESSAGES[why])


def token_hash(token: str) -> str:
    """What the audit log keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def bearer(authorization: str | bytes | None) -> str | None:
    """The token of an ``authorization: Bearer <token>`` value, else None."""
    if not isinstance(authorization, str):
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


@dataclass(frozen=True)
class CitizenTrust:
    """Which tokens the broker accepts as proof of a citizen (``luukku serve --citizen-*``)."""

    issuer: str
    """The identity provider's issuer identifier (``iss``)."""
    min_acr: str = EIDAS_SUBSTANTIAL
    """The weakest authentication level accepted (a name in :data:`ACR_RANK`)."""
    identity_claim: str = SUOMI_FI_IDENTITY_CLAIM
    """The claim with the personal identity code."""
    broker_audience: str = BROKER_AUDIENCE
    """The audience of tokens made for the broker itself (token exchange)."""
    max_lifetime_s: int = 3600
    """The longest ``exp - iat`` accepted."""
    leeway_s: int = 30
    """Clock skew allowed on ``exp``, ``nbf`` and ``iat``."""

    def __post_init__(self) -> None:
        if self.min_acr not in ACR_RANK:
            raise ValueError(f"unknown authentication level {self.min_acr!r}")


class CitizenTokens:
    """Checks the citizen's token of a call (see the module docstring)."""

    def __init__(
        self, trust: CitizenTrust, keys: IssuerKeys, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.trust = trust
        self._keys = keys
        self._clock = clock
        self._min_rank = ACR_RANK[trust.min_acr]

    async def prove(self, token: str | None, *, acting_for: str, client_id: str | None) -> str:
        """The token's hash if it proves the citizen ``acting_for`` to ``client_id``'s portal.

        Raises:
            LuukkuError: UNAUTHENTICATED, with a :class:`TokenRefusal` reason.
        """
        return (await self.prove_citizen(token, acting_for=acting_for, client_id=client_id)).hash

    async def prove_citizen(
        self, token: str | None, *, acting_for: str, client_id: str | None
    ) -> ProvenCitizen:
        """As :meth:`prove`, with the name the provider signed into the token ("" if none)."""
        if token is None:
            raise refused(TokenRefusal.MISSING)
        try:
            kid = jws.extract_compact(token.encode("ascii")).protected.get("kid")
        except (JoseError, ValueError, UnicodeError) as exc:
            raise refused(TokenRefusal.MALFORMED) from exc
        try:
            keys = await self._keys.key_set(kid if isinstance(kid, str) else None)
        except IssuerKeysUnavailable as exc:
            raise refused(TokenRefusal.KEYS_UNAVAILABLE) from exc
        try:
            claims = jwt.decode(token, keys, algorithms=list(ALGORITHMS)).claims
        except BadSignatureError as exc:
            raise refused(TokenRefusal.BAD_SIGNATURE) from exc
        except JoseError as exc:  # no key with that id, or an algorithm not accepted
            raise refused(TokenRefusal.BAD_SIGNATURE) from exc
        self._check_claims(claims, client_id)
        named = claims.get(self.trust.identity_claim)
        try:
            citizen = IdentityCode.parse(str(named)).value if named is not None else None
        except InvalidIdentityCode:
            citizen = None
        if citizen is None:
            raise refused(TokenRefusal.MALFORMED)
        if citizen != acting_for:
            raise refused(TokenRefusal.WRONG_CITIZEN)
        return ProvenCitizen(token_hash(token), claimed_name(claims))

    def _check_claims(self, claims: dict[str, Any], client_id: str | None) -> None:
        trust = self.trust
        registry = jwt.JWTClaimsRegistry(
            now=int(self._clock()),
            leeway=trust.leeway_s,
            iss={"essential": True, "value": trust.issuer},
            aud={"essential": True, "values": [a for a in (client_id, trust.broker_audience) if a]},
            exp={"essential": True},
            iat={"essential": True},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError as exc:
            raise refused(TokenRefusal.EXPIRED) from exc
        except MissingClaimError as exc:
            raise refused(TokenRefusal.MALFORMED) from exc
        except ClaimError as exc:
            raise refused(_CLAIM_REFUSALS.get(exc.claim, TokenRefusal.MALFORMED)) from exc
        if not all(isinstance(claims[t], int) for t in ("exp", "iat")):
            raise refused(TokenRefusal.MALFORMED)
        if claims["exp"] - claims["iat"] > trust.max_lifetime_s:
            raise refused(TokenRefusal.TOO_LONG_LIVED)
        acr = claims.get("acr")
        if not isinstance(acr, str) or ACR_RANK.get(acr, 0) < self._min_rank:
            raise refused(TokenRefusal.LOW_LEVEL)


# A claim found wrong (present, but not what the broker accepts): why the call is refused.
_CLAIM_REFUSALS = {
    "iss": TokenRefusal.WRONG_ISSUER,
    "aud": TokenRefusal.WRONG_AUDIENCE,
    "nbf": TokenRefusal.NOT_YET_VALID,
    "iat": TokenRefusal.NOT_YET_VALID,
}
