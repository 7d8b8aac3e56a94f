"""What every page handler shares: templates, the signed-in citizen, forms and failures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import grpc
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from luukku.client import Client, RPCError
from luukku.portal import i18n, unread, words
from luukku.portal.broker import BrokerLink
from luukku.portal.config import Identification, PortalConfig
from luukku.portal.proofs import LogProofs
from luukku.portal.sessions import Session, session_of

TEMPLATES = Path(__file__).parent / "templates"


def template_environment() -> Environment:
    """Jinja2 with autoescaping and gettext bound to the request's language."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html", "svg")),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext_, i18n.ngettext_, newstyle=True
    )
    env.globals.update(
        when=i18n.when, day=i18n.day, clock=i18n.clock, words=words, LANGUAGES=i18n.LANGUAGES
    )
    env.globals["LANGUAGE_NAMES"] = i18n.LANGUAGE_NAMES
    return env


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
    if session.citizen_id is not None and "unread_total" not in context:
        context["unread_total"] = await unread.unread_total(request, citizen_client(request))
    return render(request, template, status_code, **context)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """A page in the request's language, with what every layout needs."""
    portal = portal_of(request)
    session = session_of(request)
    context.update(
        request=request,
        session=session,
        csrf_token=session.csrf_token,
        language=i18n.current_language.get(),
        test_identification=portal.config.identification is Identification.DEV,
        here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    )
    html = portal.templates.get_template(template).render(context)
    return HTMLResponse(html, status_code=status_code)


def error_page(
    request: Request, status_code: int, heading: str, explanation: str, *, retry: bool = False
) -> Response:
    """A failure as a page in the citizen's language; ``retry`` offers "Try again"."""
    return render(
        request,
        "error.html",
        status_code,
        heading=heading,
        explanation=explanation,
        retry=retry,
    )


class SignInRequired(Exception):
    """The page needs a signed-in citizen; the handler sends them to sign in."""


class BrokerRefused(Exception):
    """The broker said no (or was unreachable); rendered as a page, never a traceback."""

    def __init__(self, error: RPCError) -> None:
        super().__init__(error.reason or error.code.name)
        self.error = error


def citizen_client(request: Request) -> Client:
    """SDK calls acting for the signed-in citizen, or :class:`SignInRequired`."""
    session = session_of(request)
    if session.citizen_id is None:
        raise SignInRequired
    return portal_of(request).broker.for_citizen(session.citizen_id)


def signed_in(session: Session) -> bool:
    """Whether a citizen is signed in to ``session``."""
    return session.citizen_id is not None


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields (its CSRF token was checked by the middleware)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def redirect(path: str) -> RedirectResponse:
    """A 303 See Other to a path of this portal (never to another site)."""
    return RedirectResponse(local_path(path), status_code=303)


def local_path(path: str) -> str:
    """``path`` if it stays on this portal, else the front page (no open redirects)."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return quote(path, safe="/?=&%-_.~")


def unavailable(error: RPCError) -> bool:
    """Whether the broker could not be reached (as opposed to refusing)."""
    return error.code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
