"""A small signing identity provider for development and tests: NOT an identity check.

``luukku demo run`` runs it on loopback so that the portal's labelled test
identification still gets a real signed token for the citizen, which the
broker verifies like Suomi.fi's (discovery document, JWKS, signature,
issuer, audience, expiry, level). Anyone who can reach it can have a token
for anyone: it listens on loopback only, and a broker trusts it only when
started with ``--citizen-dev-issuer`` (see ``luukku serve``). The test
suite uses the same class to mint tokens for its portal clients.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from luukku.client import plain_name
from luukku.web.config import is_loopback

IDENTITY_CLAIM = "urn:oid:1.2.246.21"  # Suomi.fi's claim for the personal identity code
DEV_ACR = "http://eidas.europa.eu/LoA/substantial"
LIFETIME_S = 600
BROKER_AUDIENCE = "luukku-broker"


@dataclass
class DevIssuer:
    """A signing key and the issuer identifier its tokens carry."""

    key: RSAKey
    issuer: str

    @classmethod
    def load_or_create(cls, path: Path, issuer: str) -> DevIssuer:
        """The key in ``path`` (a private JWK), made there first if it is missing."""
        if path.exists():
            key = RSAKey.import_key(json.loads(path.read_text()))
        else:
            key = RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex[:16], "use": "sig"})
            path.write_text(json.dumps(key.as_dict(private=True)))
            path.chmod(0o600)
        return cls(key, issuer)

    def jwks(self) -> dict[str, Any]:
        """The public JWKS document."""
        return {"keys": [self.key.as_dict(private=False)]}

    def write_jwks(self, path: Path) -> Path:
        """Write the public JWKS to ``path`` (for ``luukku serve --citizen-jwks``)."""
        path.write_text(json.dumps(self.jwks()))
        return path

    def mint(
        self,
        identity_code: str,
        *,
        audience: str = BROKER_AUDIENCE,
        acr: str = DEV_ACR,
        lifetime_s: int = LIFETIME_S,
        issued_at: int | None = None,
        issuer: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> str:
        """A signed token naming ``identity_code``; the defaults make a valid one."""
        now = int(time.time()) if issued_at is None else issued_at
        claims: dict[str, Any] = {
            "iss": issuer or self.issuer,
            "sub": uuid.uuid5(uuid.NAMESPACE_OID, identity_code).hex,
            "aud": audience,
            "iat": now,
            "exp": now + lifetime_s,
            "acr": acr,
            IDENTITY_CLAIM: identity_code,
            **(extra or {}),
        }
        header = {"alg": "RS256", "kid": self.key.kid, "typ": "JWT"}
        return jwt.encode(header, claims, self.key)

    def app(self) -> Starlette:
        """Discovery, JWKS, and ``POST /dev/token`` (form: identity_code, audience, name)."""

        async def discovery(request: Request) -> Response:
            return JSONResponse(
                {
                    "issuer": self.issuer,
                    "jwks_uri": f"{self.issuer}/jwks.json",
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "acr_values_supported": [DEV_ACR],
                    "claims_supported": ["sub", "acr", IDENTITY_CLAIM],
                }
            )

        async def keys(request: Request) -> Response:
            return JSONResponse(self.jwks())

        async def token(request: Request) -> Response:
            form = await request.form()
            code = str(form.get("identity_code", ""))
            audience = str(form.get("audience", "")) or BROKER_AUDIENCE
            name = plain_name(str(form.get("name", "")))
            if not code:
                return JSONResponse({"error": "invalid_request"}, 400)
            token = self.mint(code, audience=audience, extra={"name": name} if name else None)
            return JSONResponse(
                {"id_token": token, "expires_in": LIFETIME_S},
                headers={"Cache-Control": "no-store"},
            )

        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", discovery),
                Route("/jwks.json", keys),
                Route("/dev/token", token, methods=["POST"]),
            ]
        )


def bind_loopback(listen: str) -> socket.socket:
    """A socket bound to ``listen`` (``HOST:PORT``, port 0 for any); loopback hosts only."""
    host, _, port = listen.rpartition(":")
    host = host.strip("[]")
    if not is_loopback(host):
        raise ValueError("the development issuer listens on loopback only")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, int(port)))
    return sock
