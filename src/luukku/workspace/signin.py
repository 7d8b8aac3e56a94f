"""Signing clerks in: the organisation's OpenID provider (id from ``sub``, name from
``name`` or ``given_name`` and ``family_name``, role from the configured claim, ``role``
by default), or the labelled test identification (a name and a role typed in, loopback
only)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import claimed_name
from luukku.web import i18n, signin
from luukku.web.config import Identification
from luukku.web.pages import form_fields, not_found, redirect, render
from luukku.web.sessions import session_of
from luukku.workspace.state import workspace_of

log = logging.getLogger("luukku.workspace")

NAME_MAX = 200  # the broker's limit on a practitioner's name and role


async def login_page(request: Request) -> Response:
    """GET /login: the test form, or off to the identity provider."""
    if workspace_of(request).config.identification is Identification.OIDC:
        return await signin.to_provider(request)
    return render(request, "login.html", expired=session_of(request).expired, form={})


async def dev_login(request: Request) -> Response:
    """POST /login: sign in as any name and role (test identification only)."""
    if workspace_of(request).config.identification is not Identification.DEV:
        return not_found(request)
    form = await form_fields(request)
    name, role = form.get("name", "").strip(), form.get("role", "").strip()
    errors = {}
    if not name or len(name) > NAME_MAX:
        errors["name"] = i18n.gettext_("Enter your name")
    if not role or len(role) > NAME_MAX:
        errors["role"] = i18n.gettext_("Enter your role, like adviser")
    if errors:
        return render(request, "login.html", 400, form={"values": form, "errors": errors})
    # The test identification has no user directory: the name is the clerk's id.
    signin.start(request, name.casefold(), name=name, role=role)
    return redirect("/")


async def oidc_callback(request: Request) -> Response:
    """GET /auth/callback: the organisation's provider sends the clerk back with a code."""
    config = workspace_of(request).config
    if config.oidc is None:
        return not_found(request)
    claims = await signin.provider_claims(request)
    if isinstance(claims, Response):
        return claims
    subject = str(claims.get("sub", "")).strip()
    if not subject:
        log.warning("identification without a subject")
        return signin.identification_failed(request)
    name = claimed_name(claims) or subject
    signin.start(request, subject, name=name, role=str(claims.get(config.role_claim, "")))
    return redirect("/")
