"""The portal's ASGI app: routes, and the pages the broker's refusals turn into."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from luukku.client import RPCError
from luukku.portal import (
    live,
    pages_access,
    pages_cases,
    pages_consents,
    pages_inquiries,
    pages_threads,
    signin,
)
from luukku.portal import (
    pages_consent_requests as consent_requests,
)
from luukku.portal.config import PortalConfig
from luukku.portal.proofs import LogProofs
from luukku.portal.web import Portal, redirect, render, template_environment
from luukku.web import i18n
from luukku.web import signin as web_signin
from luukku.web.app import broker_refused, web_app
from luukku.web.broker import BrokerLink
from luukku.web.config import Identification
from luukku.web.pages import Site
from luukku.web.sessions import SessionStore, session_of


def create_app(config: PortalConfig, broker: BrokerLink) -> Starlette:
    """The portal for ``config``, reaching the broker through ``broker``."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await broker.close()

    templates = template_environment()
    site = Site(templates, config.identification is Identification.DEV, config.secure_cookies)
    app = web_app(
        ROUTES,
        site=site,
        sessions=SessionStore(config.idle_timeout_s),
        exception_handlers={RPCError: broker_refused(_nothing_here)},
        lifespan=lifespan,
    )
    app.state.portal = Portal(config, broker, templates, LogProofs(config.log_verifier_key))
    if config.identification is Identification.OIDC and config.oidc is not None:
        app.state.oauth = web_signin.oidc_client(config.oidc)
    return app


async def front(request: Request) -> Response:
    """GET /: the citizen's cases when signed in, else the welcome page."""
    session = session_of(request)
    if session.person_id is not None:
        return redirect("/cases")
    return render(request, "front.html", expired=session.expired)


def _nothing_here() -> str:
    return i18n.gettext_(
        "There is nothing about you at this address. Check the address, or start from "
        "the front page."
    )


ROUTES = [
    Route("/", front),
    Route("/login", signin.login_page, methods=["GET"]),
    Route("/login", signin.dev_login, methods=["POST"]),
    Route("/auth/callback", signin.oidc_callback, name=web_signin.CALLBACK),
    Route("/cases", pages_cases.case_list),
    Route("/cases/{case_id}", pages_cases.case_page),
    Route("/cases/{case_id}/records/{record_id}", pages_cases.record_revisions),
    Route("/consents", pages_consents.consent_list, methods=["GET"]),
    Route("/consents", pages_consents.grant, methods=["POST"]),
    Route("/consents/new", pages_consents.grant_page),
    Route("/consents/{consent_id}/revoke", pages_consents.revoke_page, methods=["GET"]),
    Route("/consents/{consent_id}/revoke", pages_consents.revoke, methods=["POST"]),
    Route("/consent-requests/{request_id}/approve", consent_requests.approve, methods=["POST"]),
    Route("/consent-requests/{request_id}/decline", consent_requests.decline, methods=["POST"]),
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
]
