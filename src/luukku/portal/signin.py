"""Signing citizens in and out: OpenID Connect, or the labelled test identification."""

from __future__ import annotations

import logging
import warnings

import httpx
from authlib.deprecate import AuthlibDeprecationWarning
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import Response

from luukku.client import is_valid_identity_code
from luukku.portal import i18n
from luukku.portal.config import Identification, OidcSettings
from luukku.portal.sessions import session_of
from luukku.portal.web import error_page, form_fields, portal_of, redirect, render

with warnings.catch_warnings():
    # Authlib's httpx integration warns on every start that it prefers httpx2; nothing
    # here can act on that, so exactly this warning is silenced, here and nowhere else.
    warnings.filterwarnings(
        "ignore", "The httpx module is deprecated", category=AuthlibDeprecationWarning
    )
    from authlib.integrations.starlette_client import OAuth, OAuthError

log = logging.getLogger("luukku.portal")

PROVIDER = "identification"


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


async def login_page(request: Request) -> Response:
    """GET /login: the test form, or off to the identity provider."""
    portal = portal_of(request)
    session = session_of(request)
    if portal.config.identification is Identification.OIDC:
        client = request.app.state.oauth.create_client(PROVIDER)
        callback = str(request.url_for("oidc_callback"))
        try:
            response: Response = await client.authorize_redirect(request, callback)
        except httpx.HTTPError as exc:
            return _provider_unreachable(request, exc)
        return response
    return render(request, "login_dev.html", expired=session.expired)


async def dev_login(request: Request) -> Response:
    """POST /login: sign in with any valid identity code (test identification only)."""
    if portal_of(request).config.identification is not Identification.DEV:
        return render(request, "error.html", 404, **_not_found())
    form = await form_fields(request)
    code = form.get("identity_code", "").strip().upper()
    if not is_valid_identity_code(code):
        error = i18n.gettext_("Enter a valid personal identity code, like 010190-900P")
        return render(request, "login_dev.html", 400, error=error)
    _start(request, code, name="")
    return redirect("/cases")


async def oidc_callback(request: Request) -> Response:
    """GET /auth/callback: the provider sends the citizen back with a code."""
    portal = portal_of(request)
    settings = portal.config.oidc
    if settings is None:
        return render(request, "error.html", 404, **_not_found())
    client = request.app.state.oauth.create_client(PROVIDER)
    try:
        token = await client.authorize_access_token(request)
    except (OAuthError, JoseError) as exc:
        # Refused at the provider, a callback this session never asked for, or an id token
        # that is not for us, not valid now or not signed by the provider.
        log.warning("identification failed", extra={"fields": {"error": exc.error}})
        return _identification_failed(request)
    except httpx.HTTPError as exc:
        return _provider_unreachable(request, exc)
    claims = token.get("userinfo") or {}
    code = str(claims.get(settings.identity_claim, "")).strip().upper()
    if not is_valid_identity_code(code):
        log.warning("identification without a valid identity code claim")
        return _identification_failed(request)
    _start(request, code, name=str(claims.get("name", "")))
    return redirect("/cases")


async def logout(request: Request) -> Response:
    """POST /logout: forget the session."""
    request.app.state.sessions.end(session_of(request))
    response = redirect("/")
    return response


def _start(request: Request, identity_code: str, *, name: str) -> None:
    session = request.app.state.sessions.renew(session_of(request))
    session.citizen_id = identity_code
    session.citizen_name = name
    session.expired = False
    session.data.clear()
    request.scope["luukku.session"] = session


def _provider_unreachable(request: Request, exc: httpx.HTTPError) -> Response:
    log.warning("identity provider unreachable", extra={"fields": {"error": type(exc).__name__}})
    return _identification_failed(request, 503)


def _identification_failed(request: Request, status_code: int = 401) -> Response:
    return error_page(
        request,
        status_code,
        i18n.gettext_("Identification did not succeed"),
        i18n.gettext_("You were not signed in. Please try again."),
    )


def _not_found() -> dict[str, object]:
    return {
        "heading": i18n.gettext_("Page not found"),
        "explanation": i18n.gettext_("Check the address, or start from the front page."),
        "retry": False,
    }
