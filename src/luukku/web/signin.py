"""Signing people in and out: OpenID Connect (code + PKCE), and the session it starts.

What a sign-in proves (a citizen's identity code, a clerk's id, name and role)
is read from the provider's claims by each app; this module does the flow.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import httpx
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import Response

from luukku.web import i18n
from luukku.web.config import OidcSettings
from luukku.web.pages import error_page, redirect
from luukku.web.sessions import SignInToken, session_of

with warnings.catch_warnings():
    # Authlib's httpx integration warns on every start that it prefers httpx2; nothing
    # here can act on that, so exactly this warning is silenced, here and nowhere else.
    from authlib.deprecate import AuthlibDeprecationWarning

    warnings.filterwarnings(
        "ignore", "The httpx module is deprecated", category=AuthlibDeprecationWarning
    )
    from authlib.integrations.starlette_client import OAuth, OAuthError

log = logging.getLogger("luukku.web")

PROVIDER = "identification"
CALLBACK = "oidc_callback"  # the name of the app's route for GET /auth/callback


def oidc_client(settings: OidcSettings) -> OAuth:
    """An Authlib client for the provider: authorization code flow with PKCE (S256)."""
    oauth = OAuth()
    oauth.register(
        PROVIDER,
        server_metadata_url=settings.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        client_kwargs={"scope": settings.scope, "code_challenge_method": "S256"},
    )
    return oauth


async def to_provider(request: Request) -> Response:
    """Off to the identity provider, which sends the person back to ``/auth/callback``."""
    client = request.app.state.oauth.create_client(PROVIDER)
    callback = str(request.url_for(CALLBACK))
    try:
        response: Response = await client.authorize_redirect(request, callback)
    except httpx.HTTPError as exc:
        return _provider_unreachable(request, exc)
    return response


async def provider_claims(request: Request) -> dict[str, Any] | Response:
    """The id token's claims the provider's callback carries, or the page saying why not.

    The whole token response is kept in ``request.state.token_response`` (the
    portal forwards its id token to the broker).
    """
    client = request.app.state.oauth.create_client(PROVIDER)
    try:
        token = await client.authorize_access_token(request)
    except (OAuthError, JoseError) as exc:
        # Refused at the provider, a callback this session never asked for, or an id token
        # that is not for us, not valid now or not signed by the provider.
        log.warning("identification failed", extra={"fields": {"error": exc.error}})
        return identification_failed(request)
    except httpx.HTTPError as exc:
        return _provider_unreachable(request, exc)
    request.state.token_response = dict(token)
    claims: dict[str, Any] = token.get("userinfo") or {}
    return claims


def start(
    request: Request,
    person_id: str,
    *,
    name: str,
    role: str = "",
    token: SignInToken | None = None,
) -> None:
    """Sign ``person_id`` in to this browser, under a new session id (with the provider's
    ``token`` that proves them to the broker, where it needs one)."""
    session = request.app.state.sessions.renew(session_of(request))
    session.person_id = person_id
    session.person_name = name
    session.person_role = role
    session.expired = False
    session.token = token
    session.data.clear()
    request.scope["luukku.session"] = session


async def logout(request: Request) -> Response:
    """POST /logout: forget the session."""
    request.app.state.sessions.end(session_of(request))
    return redirect("/")


def _provider_unreachable(request: Request, exc: httpx.HTTPError) -> Response:
    log.warning("identity provider unreachable", extra={"fields": {"error": type(exc).__name__}})
    return identification_failed(request, 503)


def identification_failed(request: Request, status_code: int = 401) -> Response:
    """The page for a sign-in that did not succeed."""
    return error_page(
        request,
        status_code,
        i18n.gettext_("Identification did not succeed"),
        i18n.gettext_("You were not signed in. Please try again."),
    )
