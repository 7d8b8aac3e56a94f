"""The portal's ASGI app: routes, middleware and the pages failures turn into."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from luukku.client import RPCError
from luukku.portal import (
    i18n,
    live,
    pages_access,
    pages_cases,
    pages_consents,
    pages_inquiries,
    pages_threads,
    signin,
)
from luukku.portal.broker import BrokerLink
from luukku.portal.config import Identification, PortalConfig
from luukku.portal.proofs import LogProofs
from luukku.portal.security import CsrfMiddleware, SecurityHeadersMiddleware
from luukku.portal.sessions import SessionMiddleware, SessionStore, session_of
from luukku.portal.web import (
    Portal,
    SignInRequired,
    error_page,
    local_path,
    redirect,
    render,
    template_environment,
    unavailable,
)

log = logging.getLogger("luukku.portal")

LANGUAGE_COOKIE = "luukku_lang"
STATIC = Path(__file__).parent / "static"


def create_app(config: PortalConfig, broker: BrokerLink) -> Starlette:
    """The portal for ``config``, reaching the broker through ``broker``."""
    sessions = SessionStore(config.idle_timeout_s)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await broker.close()

    app = Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(CrashPageMiddleware),
            Middleware(SecurityHeadersMiddleware, https=config.secure_cookies),
            Middleware(LanguageMiddleware),
            Middleware(SessionMiddleware, store=sessions, secure=config.secure_cookies),
            Middleware(CsrfMiddleware),
        ],
        exception_handlers={
            SignInRequired: _sign_in_first,
            RPCError: _broker_refused,
            404: _not_found,
            405: _not_found,
        },
        lifespan=lifespan,
    )
    proofs = LogProofs(config.log_verifier_key)
    app.state.portal = Portal(config, broker, template_environment(), proofs)
    app.state.sessions = sessions
    if config.identification is Identification.OIDC and config.oidc is not None:
        app.state.oauth = signin.oidc_client(config.oidc)
    return app


class LanguageMiddleware:
    """Set the request's language: the citizen's choice, else the browser's, else Finnish."""

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


async def front(request: Request) -> Response:
    """GET /: the citizen's cases when signed in, else the welcome page."""
    session = session_of(request)
    if session.citizen_id is not None:
        return redirect("/cases")
    return render(request, "front.html", expired=session.expired)


async def choose_language(request: Request) -> Response:
    """GET /language/{code}?next=PATH: remember the language and go back."""
    code = request.path_params["code"]
    response = RedirectResponse(local_path(request.query_params.get("next", "/")), 303)
    if code in i18n.LANGUAGES:
        secure = request.app.state.portal.config.secure_cookies
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 86400, httponly=True, samesite="lax", secure=secure
        )
    return response


async def healthz(request: Request) -> Response:
    """GET /healthz: the portal process answers (the broker may still be away)."""
    return PlainTextResponse("ok")


async def _sign_in_first(request: Request, exc: Exception) -> Response:
    if request.url.path.endswith("/live"):
        return PlainTextResponse("sign in first", status_code=401)
    return redirect("/login")


async def _broker_refused(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, RPCError):  # registered for RPCError only
        raise exc
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
        return error_page(
            request,
            404,
            i18n.gettext_("Not found"),
            i18n.gettext_(
                "There is nothing about you at this address. Check the address, or start from "
                "the front page."
            ),
        )
    log.warning("broker refused", extra={"fields": {"code": exc.code.name, "reason": exc.reason}})
    return error_page(
        request,
        400,
        i18n.gettext_("That did not work"),
        i18n.gettext_("The service could not do what was asked. Please try again."),
    )


async def _not_found(request: Request, exc: Exception) -> Response:
    return error_page(
        request,
        404,
        i18n.gettext_("Page not found"),
        i18n.gettext_("Check the address, or start from the front page."),
    )


class CrashPageMiddleware:
    """An unexpected failure becomes a page in the citizen's language, and one log line.

    It sits outside Starlette's error middleware's reach, so no traceback (which
    could quote what a citizen typed) reaches the log or the browser.
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


ROUTES = [
    Route("/", front),
    Route("/healthz", healthz),
    Route("/language/{code}", choose_language),
    Route("/login", signin.login_page, methods=["GET"]),
    Route("/login", signin.dev_login, methods=["POST"]),
    Route("/auth/callback", signin.oidc_callback, name="oidc_callback"),
    Route("/logout", signin.logout, methods=["POST"]),
    Route("/cases", pages_cases.case_list),
    Route("/cases/{case_id}", pages_cases.case_page),
    Route("/cases/{case_id}/records/{record_id}", pages_cases.record_revisions),
    Route("/consents", pages_consents.consent_list, methods=["GET"]),
    Route("/consents", pages_consents.grant, methods=["POST"]),
    Route("/consents/new", pages_consents.grant_page),
    Route("/consents/{consent_id}/revoke", pages_consents.revoke_page, methods=["GET"]),
    Route("/consents/{consent_id}/revoke", pages_consents.revoke, methods=["POST"]),
    Route("/access", pages_access.access_log),
    Route("/access/live", live.access_events),
    Route("/access/signed-log", pages_access.signed_log),
    Route("/discussions", pages_threads.discussions),
    Route("/threads/{thread_id}", pages_threads.thread_page),
    Route("/threads/{thread_id}/messages", pages_threads.post, methods=["POST"]),
    Route("/threads/{thread_id}/live", live.thread_events),
    Route("/help", pages_inquiries.ask_page, methods=["GET"]),
    Route("/help", pages_inquiries.ask, methods=["POST"]),
    Route("/inquiries", pages_inquiries.inquiry_list),
    Route("/inquiries/{inquiry_id}", pages_inquiries.inquiry_page),
    Route("/inquiries/{inquiry_id}/messages", pages_inquiries.post, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/live", live.inquiry_events),
    Route("/inquiries/{inquiry_id}/reopen", pages_inquiries.reopen, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/consent", pages_inquiries.consent, methods=["POST"]),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]
