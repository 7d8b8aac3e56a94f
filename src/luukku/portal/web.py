"""What the portal's page handlers share: its state, the signed-in citizen, the unread count."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import Response

from luukku.client import Client, RPCError
from luukku.portal import words
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
    render,
    unavailable,
)
from luukku.web.sessions import Session, session_of

__all__ = [
    "Portal",
    "SignInRequired",
    "citizen_client",
    "error_page",
    "forget_unread",
    "form_fields",
    "local_path",
    "page",
    "portal_of",
    "redirect",
    "remember_unread",
    "render",
    "signed_in",
    "template_environment",
    "unavailable",
]

TEMPLATES = Path(__file__).parent / "templates"
UNREAD_TTL_S = 15.0


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


def portal_of(request: Request) -> Portal:
    """The app's shared state."""
    portal: Portal = request.app.state.portal
    return portal


async def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """:func:`render` with the unread count of the navigation (kept for 15 s per session)."""
    session = session_of(request)
    if session.person_id is not None and "unread_total" not in context:
        context["unread_total"] = await _unread_total(request, session)
    return render(request, template, status_code, **context)


async def _unread_total(request: Request, session: Session) -> int:
    cached = session.data.get("unread")
    if cached is not None and time.monotonic() - cached[0] < UNREAD_TTL_S:
        return int(cached[1])
    try:
        summary = await citizen_client(request).summarize_unread()
    except RPCError:
        return 0
    return remember_unread(request, summary.total_unread_count)


def remember_unread(request: Request, total: int) -> int:
    """Keep ``total`` as the session's unread count for the next 15 s; return it."""
    session_of(request).data["unread"] = (time.monotonic(), total)
    return total


def forget_unread(request: Request) -> None:
    """Drop the cached unread count (after reading or posting)."""
    session_of(request).data.pop("unread", None)


def citizen_client(request: Request) -> Client:
    """SDK calls acting for the signed-in citizen, or :class:`SignInRequired`."""
    session = session_of(request)
    if session.person_id is None:
        raise SignInRequired
    return portal_of(request).broker.for_citizen(session.person_id)


def signed_in(session: Session) -> bool:
    """Whether a citizen is signed in to ``session``."""
    return session.person_id is not None
