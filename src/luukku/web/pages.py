"""What every page handler of either app shares: templates, forms, redirects and failures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import grpc
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from luukku.client import RPCError
from luukku.web import i18n
from luukku.web.sessions import session_of

TEMPLATES = Path(__file__).parent / "templates"


def template_environment(app_templates: Path, **globals_: Any) -> Environment:
    """Jinja2 over the app's templates, then the shared ones (``layout.html``,
    ``error.html``...), with autoescaping and gettext bound to the request's language."""
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(app_templates), FileSystemLoader(TEMPLATES)]),
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
        clock=i18n.clock,
        LANGUAGES=i18n.LANGUAGES,
    )
    env.globals["LANGUAGE_NAMES"] = i18n.LANGUAGE_NAMES
    env.globals.update(globals_)
    return env


@dataclass(frozen=True)
class Site:
    """What the shared layer needs of an app, as ``request.app.state.site``."""

    templates: Environment
    test_identification: bool  # show the test-identification banner on every page
    secure_cookies: bool  # served over HTTPS


def site_of(request: Request) -> Site:
    """The app's :class:`Site`."""
    site: Site = request.app.state.site
    return site


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """A page in the request's language, with what every layout needs."""
    site = site_of(request)
    session = session_of(request)
    context.update(
        request=request,
        session=session,
        csrf_token=session.csrf_token,
        # The idempotency key of the page's forms (``_form_keys.html``): fresh for each
        # rendering, so a form sent twice (a double click, Back and Send) is one effect.
        request_id=context.get("request_id") or uuid.uuid4().hex,
        language=i18n.current_language.get(),
        test_identification=site.test_identification,
        here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    )
    html = site.templates.get_template(template).render(context)
    return HTMLResponse(html, status_code=status_code)


def error_page(
    request: Request, status_code: int, heading: str, explanation: str, *, retry: bool = False
) -> Response:
    """A failure as a page in the request's language; ``retry`` offers "Try again"."""
    return render(
        request,
        "error.html",
        status_code,
        heading=heading,
        explanation=explanation,
        retry=retry,
    )


def not_found(request: Request) -> Response:
    """The page for an address that leads nowhere."""
    return error_page(
        request,
        404,
        i18n.gettext_("Page not found"),
        i18n.gettext_("Check the address, or start from the front page."),
    )


class SignInRequired(Exception):
    """The page needs a signed-in person; the app sends them to sign in."""


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields (its CSRF token was checked by the middleware), line
    breaks as ``\n``: browsers send a textarea's as ``\r\n``, which would reach the other
    parties of a discussion as written, and count twice against a length limit."""
    form = await request.form()
    return {k: v.replace("\r\n", "\n") for k, v in form.items() if isinstance(v, str)}


def redirect(path: str, *, fragment: str = "") -> RedirectResponse:
    """A 303 See Other to a path of this site (never to another site), then to
    ``#fragment`` on that page (kept apart so it is never escaped into the path)."""
    target = local_path(path)
    if fragment:
        target += "#" + quote(fragment, safe="-_.~")
    return RedirectResponse(target, status_code=303)


def local_path(path: str) -> str:
    """``path`` if it stays on this site, else the front page (no open redirects).

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
    """Post/redirect/get for a form the person must correct: back to ``page_path`` at the
    form (``#form_id``), where :func:`refused_form` shows, once, what was typed and why it
    was refused. No error page, and nothing was done.
    """
    refused = {"path": page_path, "fields": fields, "errors": {form_id: error}}
    session_of(request).data["refused"] = refused
    return redirect(page_path, fragment=form_id)


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
