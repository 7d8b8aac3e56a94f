"""The citizen's proof the portal forwards to the broker: the token its sign-in got, renewed.

The broker acts for a citizen only on a token the identity provider signed
for them (see ``luukku serve --citizen-issuer``). The portal keeps the one
the sign-in returned (the OpenID id token, or the development issuer's) in
the server-side session, sends it with every call for the citizen, and
renews it a minute before it expires: with the refresh token when the
provider gave one and answers it with a new id token, from the development
issuer in test identification; otherwise the citizen signs in again (with
the provider's own session that is a redirect there and back).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import httpx
from joserfc import jws
from joserfc.errors import JoseError
from starlette.types import ASGIApp, Receive, Scope, Send

from luukku.web.sessions import Session, SignInToken

log = logging.getLogger("luukku.portal")

RENEW_MARGIN_S = 60.0
BROKER_AUDIENCE = "luukku-broker"
# A connection that ended under a request before any answer came back on it.
_CLOSED_UNDER_REQUEST = (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)


def token_expiry(token: str) -> float:
    """The ``exp`` of a JWT, read without checking it (only to know when to renew; the
    broker checks the token itself); 0 when there is none."""
    try:
        claims = json.loads(jws.extract_compact(token.encode("ascii")).payload)
    except (JoseError, ValueError, UnicodeError):
        return 0.0
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) else 0.0


def sign_in_token(token: dict[str, Any]) -> SignInToken | None:
    """What a provider's token response gives the portal to forward, if it has an id token."""
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        return None
    refresh = token.get("refresh_token")
    return SignInToken(
        id_token, token_expiry(id_token), refresh if isinstance(refresh, str) else None
    )


async def from_dev_issuer(
    http: httpx.AsyncClient, issuer: str, identity_code: str, name: str = ""
) -> SignInToken | None:
    """A token for ``identity_code`` (and ``name``, if one was given) from the development
    issuer (test identification)."""
    url = issuer.rstrip("/") + "/dev/token"
    form = {"identity_code": identity_code, "audience": BROKER_AUDIENCE, "name": name}
    try:
        try:
            answer = await http.post(url, data=form)
        except _CLOSED_UNDER_REQUEST:
            # The issuer closed the kept-alive connection as idle just as the request
            # went out on it (both sides wait 5 s). Asking again mints another token, no
            # harm done, on a new connection: as a browser resends on a reset one.
            answer = await http.post(url, data=form)
        answer.raise_for_status()
        return sign_in_token(answer.json())
    except (httpx.HTTPError, ValueError) as exc:
        log.warning(
            "development issuer unreachable", extra={"fields": {"error": type(exc).__name__}}
        )
        return None


async def _renewed(app: Any, session: Session) -> SignInToken | None:
    portal = app.state.portal
    held = session.token
    if portal.config.dev_issuer is not None and session.person_id is not None:
        return await from_dev_issuer(
            portal.http, portal.config.dev_issuer, session.person_id, session.person_name
        )
    if held is None or held.refresh_token is None or not hasattr(app.state, "oauth"):
        return None
    client = app.state.oauth.create_client("identification")
    try:
        answer = await client.fetch_access_token(
            grant_type="refresh_token", refresh_token=held.refresh_token
        )
    except Exception as exc:
        log.info("token refresh refused", extra={"fields": {"error": type(exc).__name__}})
        return None
    renewed = sign_in_token(dict(answer))
    if renewed is not None and renewed.refresh_token is None:
        renewed.refresh_token = held.refresh_token
    return renewed


class RenewCitizenToken:
    """Before a signed-in request runs, renew the citizen's token if it expires within a
    minute; if it cannot be renewed the citizen is signed out (and signs in again)."""

    def __init__(self, app: ASGIApp, clock: Any = time.time) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session: Session | None = scope.get("luukku.session")
        if scope["type"] == "http" and session is not None and session.person_id is not None:
            held = session.token
            if held is None or self.clock() >= held.expires_at - RENEW_MARGIN_S:
                renewed = await _renewed(scope["app"], session)
                if renewed is None or renewed.expires_at - RENEW_MARGIN_S <= self.clock():
                    session.person_id = None  # the next page asks for a sign-in
                    session.token = None
                else:
                    session.token = renewed
        await self.app(scope, receive, send)
