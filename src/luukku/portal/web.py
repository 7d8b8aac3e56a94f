"""What every page handler shares: templates, the signed-in citizen, CSRF and failures."""

from __future__ import annotations

import hmac
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import grpc
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from luukku.client import Client, RPCError
from luukku.portal import i18n, words
from luukku.portal.broker import BrokerLink
from luukku.portal.config import Identification, PortalConfig
from luukku.portal.proofs import LogProofs
from luukku.portal.sessions import Session, session_of

TEMPLATES = Path(__file__).parent / "templates"
UNREAD_TTL_S = 15.0


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
        when=i18n.when,
        day=i18n.day,
        last_day=i18n.last_day,
        words=words,
        LANGUAGES=i18n.LANGUAGES,
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
        context["unread_total"] = await _unread_total(request, session)
    return render(request, template, status_code, **context)


async def _unread_total(request: Request, session: Session) -> int:
    cached = session.data.get("unread")
    if cached is not None and time.monotonic() - cached[0] < UNREAD_TTL_S:
        return int(cached[1])
    # Imported here: pages_threads imports this module.
    from luukku.portal.pages_threads import all_threads

    try:
        threads = await all_threads(citizen_client(request))
    except RPCError:
        return 0
    return remember_unread(request, sum(t.unread_count for _, t in threads))


def remember_unread(request: Request, total: int) -> int:
    """Keep ``total`` as the session's unread count for the next 15 s; return it."""
    session_of(request).data["unread"] = (time.monotonic(), total)
    return total


def forget_unread(request: Request) -> None:
    """Drop the cached unread count (after reading or posting)."""
    session_of(request).data.pop("unread", None)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """A page in the request's language, with what every layout needs."""
    portal = portal_of(request)
    session = session_of(request)
    context.update(
        request=request,
        session=session,
        csrf_token=session.csrf_token,
        # The idempotency key of the page's forms (``_form_keys.html``): fresh for each
        # rendering, so a form sent twice (a double click, Back and Send) is one effect.
        request_id=context.get("request_id") or uuid.uuid4().hex,
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


class CsrfRefused(Exception):
    """A state-changing request without this session's CSRF token."""


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
    return session.citizen_id is not None


async def checked_form(request: Request) -> dict[str, str]:
    """The posted form, after checking its CSRF token against the session's."""
    form = await request.form()
    sent = form.get("csrf_token")
    expected = session_of(request).csrf_token
    if not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise CsrfRefused
    return {k: v for k, v in form.items() if isinstance(v, str)}


def redirect(path: str) -> RedirectResponse:
    """A 303 See Other to a path of this portal (never to another site).

    ``path`` may end in a ``#fragment`` (the place on the page to land on).
    """
    return RedirectResponse(local_path(path), status_code=303)


def local_path(path: str) -> str:
    """``path`` if it stays on this portal, else the front page (no open redirects).

    A ``#fragment`` stays a fragment: escaped, it would become part of the path.
    """
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    path, hash_sign, fragment = path.partition("#")
    return quote(path, safe="/?=&%-_.~") + hash_sign + quote(fragment, safe="-_.~")


def request_key(fields: dict[str, str]) -> str | None:
    """The idempotency key a form was rendered with (``_form_keys.html``), to send as the
    broker's ``request_id``: the same submission twice is then the same message, question
    or consent. None when the form carried none (the SDK then makes one per call).
    """
    return fields.get("request_id") or None


def refuse_form(
    request: Request, page_path: str, form_id: str, fields: dict[str, str], error: str
) -> Response:
    """Post/redirect/get for a form the citizen must correct: back to ``page_path`` at the
    form (``#form_id``), where :func:`refused_form` shows, once, what was typed and why it
    was refused. No error page, and nothing was done.
    """
    refused = {"path": page_path, "fields": fields, "errors": {form_id: error}}
    session_of(request).data["refused"] = refused
    return redirect(f"{page_path}#{form_id}")


def refused_form(request: Request) -> tuple[dict[str, str], dict[str, str]]:
    """What :func:`refuse_form` left for this page: the fields as typed, and the error by
    the id of the form it belongs to (the page shows it there).
    """
    data = session_of(request).data
    refused = data.get("refused")
    if not refused or refused["path"] != request.url.path:
        return {}, {}
    del data["refused"]
    return refused["fields"], refused["errors"]


def unavailable(error: RPCError) -> bool:
    """Whether the broker could not be reached (as opposed to refusing)."""
    return error.code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
