"""Signing citizens in: OpenID Connect with the identity code claim, or the labelled
test identification (any valid identity code)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import claimed_name, is_valid_identity_code, plain_name
from luukku.portal.citizen_proof import from_dev_issuer, sign_in_token
from luukku.portal.web import form_fields, portal_of, redirect, render
from luukku.web import i18n, signin
from luukku.web.config import Identification
from luukku.web.pages import not_found
from luukku.web.sessions import session_of

log = logging.getLogger("luukku.portal")


async def login_page(request: Request) -> Response:
    """GET /login: the test form, or off to the identity provider."""
    if portal_of(request).config.identification is Identification.OIDC:
        return await signin.to_provider(request)
    return render(request, "login_dev.html", expired=session_of(request).expired)


async def dev_login(request: Request) -> Response:
    """POST /login: sign in with any valid identity code and, optionally, a name as an
    identity provider would give it (test identification only)."""
    if portal_of(request).config.identification is not Identification.DEV:
        return not_found(request)
    form = await form_fields(request)
    code = form.get("identity_code", "").strip().upper()
    if not is_valid_identity_code(code):
        error = i18n.gettext_("Enter a valid personal identity code, like 010190-900P")
        return render(request, "login_dev.html", 400, error=error)
    portal = portal_of(request)
    issuer = portal.config.dev_issuer
    name = plain_name(form.get("name", ""))
    token = await from_dev_issuer(portal.http, issuer, code, name) if issuer else None
    if token is None:
        return signin.identification_failed(request, 503)
    signin.start(request, code, name=name, token=token)
    return redirect("/cases")


async def oidc_callback(request: Request) -> Response:
    """GET /auth/callback: the provider sends the citizen back with a code."""
    config = portal_of(request).config
    if config.oidc is None:
        return not_found(request)
    claims = await signin.provider_claims(request)
    if isinstance(claims, Response):
        return claims
    code = str(claims.get(config.identity_claim, "")).strip().upper()
    if not is_valid_identity_code(code):
        log.warning("identification without a valid identity code claim")
        return signin.identification_failed(request)
    token = sign_in_token(getattr(request.state, "token_response", {}))
    if token is None:
        log.warning("identification without an id token")
        return signin.identification_failed(request)
    signin.start(request, code, name=claimed_name(claims), token=token)
    return redirect("/cases")
