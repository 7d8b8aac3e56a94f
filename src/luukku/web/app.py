"""The ASGI app both web apps are built on: middleware, shared routes and failure pages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import grpc
from jinja2 import Environment
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from luukku.client import RPCError
from luukku.web import i18n, signin
from luukku.web.broker import BrokerLink
from luukku.web.config import Identification, OidcSettings
from luukku.web.pages import (
    SignInRequired,
    Site,
    error_page,
    local_path,
    not_found,
    redirect,
    site_of,
    unavailable,
)
from luukku.web.security import CsrfMiddleware, SecurityHeadersMiddleware
from luukku.web.sessions import SessionMiddleware, SessionStore

log = logging.getLogger("luukku.web")

LANGUAGE_COOKIE = "luukku_lang"
STATIC = Path(__file__).parent / "static"

Handler = Callable[[Request, Exception], Any]
Explain = Callable[[Request, RPCError], Response | None]
"""An app's own page for a refusal it can say more about; None: the shared pages."""


class AppSettings(Protocol):
    """What both web apps are started with (besides their own settings)."""

    @property
    def identification(self) -> Identification: ...
    @property
    def oidc(self) -> OidcSettings | None: ...
    @property
    def idle_timeout_s(self) -> float: ...
    @property
    def secure_cookies(self) -> bool: ...


def broker_web_app(
    routes: Sequence[BaseRoute],
    *,
    settings: AppSettings,
    broker: BrokerLink,
    templates: Environment,
    nothing_here: Callable[[], str],
    middleware: Sequence[Middleware] = (),
    on_close: Sequence[Callable[[], Awaitable[None]]] = (),
    explain: Explain | None = None,
) -> Starlette:
    """A web app of ``routes`` that reaches the broker through ``broker``: :func:`web_app`
    with sessions that idle out after ``settings.idle_timeout_s``, OIDC sign-in when
    ``settings`` name a provider, and the broker's refusals as pages (``nothing_here()``
    says what a not-found page tells); ``broker`` and then each of ``on_close`` close when
    the app stops; ``explain`` may turn a refusal into the app's own page first. The caller
    adds its own state and ``middleware``."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await broker.close()
        for close in on_close:
            await close()

    dev = settings.identification is Identification.DEV
    app = web_app(
        routes,
        site=Site(templates, dev, settings.secure_cookies),
        sessions=SessionStore(settings.idle_timeout_s),
        exception_handlers={RPCError: broker_refused(nothing_here, explain)},
        lifespan=lifespan,
        middleware=middleware,
    )
    if settings.identification is Identification.OIDC and settings.oidc is not None:
        app.state.oauth = signin.oidc_client(settings.oidc)
    return app


def web_app(
    routes: Sequence[BaseRoute],
    *,
    site: Site,
    sessions: SessionStore,
    exception_handlers: Mapping[Any, Handler],
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]],
    middleware: Sequence[Middleware] = (),
) -> Starlette:
    """An app of ``routes`` and the shared ones (``/healthz``, ``/language/{code}``,
    ``POST /logout``, ``/static``) behind the shared middleware."""
    app = Starlette(
        routes=[*SHARED_ROUTES, *routes],
        middleware=[
            Middleware(CrashPageMiddleware),
            Middleware(SecurityHeadersMiddleware, https=site.secure_cookies),
            Middleware(LanguageMiddleware),
            Middleware(SessionMiddleware, store=sessions, secure=site.secure_cookies),
            Middleware(CsrfMiddleware),
            *middleware,
        ],
        exception_handlers={
            SignInRequired: _sign_in_first,
            404: _not_found,
            405: _not_found,
            **exception_handlers,
        },
        lifespan=lifespan,
    )
    app.state.site = site
    app.state.sessions = sessions
    return app


class LanguageMiddleware:
    """Set the request's language: the person's choice, else the browser's, else Finnish."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            chosen = request.cookies.get(LANGUAGE_COOKIE, "")
            language = (
                chosen
                if chosen in i18n.LANGUAGES
                else i18n.negotiate(request.headers.get("accept-language", ""))
            )
            i18n.current_language.set(language)
        await self.app(scope, receive, send)


async def choose_language(request: Request) -> Response:
    """GET /language/{code}?next=PATH: remember the language and go back."""
    code = request.path_params["code"]
    response = RedirectResponse(local_path(request.query_params.get("next", "/")), 303)
    if code in i18n.LANGUAGES:
        secure = site_of(request).secure_cookies
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 86400, httponly=True, samesite="lax", secure=secure
        )
    return response


async def healthz(request: Request) -> Response:
    """GET /healthz: the process answers (the broker may still be away)."""
    return PlainTextResponse("ok")


async def _sign_in_first(request: Request, exc: Exception) -> Response:
    if request.url.path.endswith("/live"):
        return PlainTextResponse("sign in first", status_code=401)
    return redirect("/login")


def broker_refused(nothing_here: Callable[[], str], explain: Explain | None = None) -> Handler:
    """The handler that turns the broker's refusal into a page: the app's own
    (``explain``), away (503), not found or not allowed (404, saying ``nothing_here()``:
    which it was is not told), or no (400)."""

    async def refused(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, RPCError):  # registered for RPCError only
            raise exc
        explained = explain(request, exc) if explain is not None else None
        if explained is not None:
            return explained
        if unavailable(exc):
            return error_page(
                request,
                503,
                i18n.gettext_("The service is not available right now"),
                i18n.gettext_(
                    "We could not reach the case information service. Your data is safe. "
                    "Please try again in a moment."
                ),
                retry=True,
            )
        if exc.code in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED):
            return error_page(request, 404, i18n.gettext_("Not found"), nothing_here())
        log.warning(
            "broker refused", extra={"fields": {"code": exc.code.name, "reason": exc.reason}}
        )
        return error_page(
            request,
            400,
            i18n.gettext_("That did not work"),
            i18n.gettext_("The service could not do what was asked. Please try again."),
        )

    return refused


async def _not_found(request: Request, exc: Exception) -> Response:
    return not_found(request)


class CrashPageMiddleware:
    """An unexpected failure becomes a page in the person's language, and one log line.

    It sits outside Starlette's error middleware's reach, so no traceback (which
    could quote what someone typed) reaches the log or the browser.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as exc:
            if scope["type"] != "http":
                raise
            log.error("page failed", extra={"fields": {"error": type(exc).__name__}})
            if started:
                return
            response = _crash_page(Request(scope))
            await response(scope, receive, send)


def _crash_page(request: Request) -> Response:
    try:
        return error_page(
            request,
            500,
            i18n.gettext_("Something went wrong"),
            i18n.gettext_("The page could not be shown. Please try again in a moment."),
            retry=True,
        )
    except Exception:  # the failure was in rendering itself
        return PlainTextResponse("500", status_code=500)


SHARED_ROUTES: list[BaseRoute] = [
    Route("/healthz", healthz),
    Route("/language/{code}", choose_language),
    Route("/logout", signin.logout, methods=["POST"]),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]
