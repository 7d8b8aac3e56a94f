"""What the portal's page handlers share: its state, the signed-in citizen, the unread count."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import Response

from luukku.client import Client
from luukku.portal import unread, words
from luukku.portal.config import PortalConfig
from luukku.portal.proofs import LogProofs
from luukku.web import pages
from luukku.web.broker import BrokerLink
from luukku.web.pages import (
    SignInRequired,
    error_page,
    form_fields,
    local_path,
    redirect,
    refuse_form,
    refused_form,
    render,
    request_key,
    unavailable,
)
from luukku.web.sessions import Session, session_of

__all__ = [
    "Portal",
    "SignInRequired",
    "citizen_client",
    "error_page",
    "form_fields",
    "local_path",
    "own_citizen_id",
    "page",
    "portal_of",
    "redirect",
    "refuse_form",
    "refused_form",
    "render",
    "request_key",
    "signed_in",
    "template_environment",
    "unavailable",
]

TEMPLATES = Path(__file__).parent / "templates"


def template_environment() -> Environment:
    """The portal's templates over the shared ones, with the portal's :mod:`words`."""
    return pages.template_environment(TEMPLATES, words=words)


@dataclass
class Portal:
    """The app's shared state, reachable from each request as ``request.app.state.portal``."""

    config: PortalConfig
    broker: BrokerLink
    templates: Environment
    proofs: LogProofs
    http: httpx.AsyncClient
    """Kept for the app's life (making a client costs a TLS context): the development
    issuer's tokens."""


def portal_of(request: Request) -> Portal:
    """The app's shared state."""
    portal: Portal = request.app.state.portal
    return portal


async def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """:func:`render` with the unread count of the navigation (kept for 15 s per session)."""
    session = session_of(request)
    if session.person_id is not None and "unread_total" not in context:
        context["unread_total"] = await unread.unread_total(request, citizen_client(request))
    return render(request, template, status_code, **context)


def citizen_client(request: Request) -> Client:
    """SDK calls acting for the signed-in citizen, or :class:`SignInRequired`."""
    session = session_of(request)
    if session.person_id is None:
        raise SignInRequired
    return portal_of(request).broker.for_citizen(session.person_id, lambda: _current(session))


def _current(session: Session) -> str:
    """The session's token as it is now (a live page's watch outlives renewals)."""
    return session.token.token if session.token is not None else ""


async def own_citizen_id(request: Request) -> str:
    """The broker's opaque id of the signed-in citizen (as messages name their author),
    asked once per session: how a page knows which messages are the citizen's own.
    """
    data = session_of(request).data
    if "own_citizen_id" not in data:
        data["own_citizen_id"] = (await citizen_client(request).who_am_i()).citizen_id
    return str(data["own_citizen_id"])


def signed_in(session: Session) -> bool:
    """Whether a citizen is signed in to ``session``."""
    return session.person_id is not None
