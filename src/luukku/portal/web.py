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
from luukku.portal import acting, unread, words
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
    "own_client",
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
    return pages.template_environment(
        TEMPLATES, words=words, acting_now=acting.current, person_label=acting.person_label
    )


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
    """:func:`render` with the unread count of the navigation (kept for 15 s per session)
    and whether to offer acting for someone else (kept a minute)."""
    session = session_of(request)
    if session.person_id is not None and "unread_total" not in context:
        context["unread_total"] = await unread.unread_total(request, citizen_client(request))
    if session.person_id is not None and "may_act_for" not in context:
        context["may_act_for"] = bool(await acting.rights_held(request, own_client(request)))
    return render(request, template, status_code, **context)


def citizen_client(request: Request) -> Client:
    """SDK calls for the person the signed-in citizen acts for (themselves, or whom they
    chose in :mod:`acting`), or :class:`SignInRequired`."""
    chosen = acting.current(session_of(request))
    return _client(request, chosen.right_id if chosen else None)


def own_client(request: Request) -> Client:
    """SDK calls for the signed-in citizen themselves, whomever they act for (their own
    rights and mandates), or :class:`SignInRequired`."""
    return _client(request, None)


def _client(request: Request, acting_for: str | None) -> Client:
    """SDK calls as the signed-in citizen, acting on the right ``acting_for`` (None: for
    themselves), or :class:`SignInRequired`."""
    session = session_of(request)
    if session.person_id is None:
        raise SignInRequired
    return portal_of(request).broker.for_citizen(
        session.person_id, lambda: _current(session), acting_for=acting_for
    )


def _current(session: Session) -> str:
    """The session's token as it is now (a live page's watch outlives renewals)."""
    return session.token.token if session.token is not None else ""


async def own_citizen_id(request: Request) -> str:
    """The broker's opaque id of the signed-in citizen (as messages name their author),
    asked once per session: how a page knows which messages are the citizen's own.
    """
    session = session_of(request)
    chosen = acting.current(session)
    key = f"own_citizen_id:{chosen.right_id}" if chosen else "own_citizen_id"
    if key not in session.data:
        session.data[key] = (await citizen_client(request).who_am_i()).citizen_id
    return str(session.data[key])


def signed_in(session: Session) -> bool:
    """Whether a citizen is signed in to ``session``."""
    return session.person_id is not None
