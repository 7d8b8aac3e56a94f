"""The portal's ASGI app: routes, and the pages the broker's refusals turn into."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from luukku.portal import signin
from luukku.portal.citizen_proof import RenewCitizenToken
from luukku.portal.config import PortalConfig
from luukku.portal.pages import (
    access,
    acting_for,
    cases,
    consent_requests,
    consents,
    inquiries,
    live,
    mandates,
    threads,
)
from luukku.portal.proofs import LogProofs
from luukku.portal.web import Portal, redirect, render, template_environment
from luukku.web import i18n
from luukku.web import signin as web_signin
from luukku.web.app import broker_web_app
from luukku.web.broker import BrokerLink
from luukku.web.sessions import session_of


def create_app(config: PortalConfig, broker: BrokerLink) -> Starlette:
    """The portal for ``config``, reaching the broker through ``broker``."""
    templates = template_environment()
    # The citizen's token from the identity provider, renewed here before it expires.
    http = httpx.AsyncClient(timeout=5.0)
    app = broker_web_app(
        ROUTES,
        settings=config,
        broker=broker,
        templates=templates,
        nothing_here=_nothing_here,
        middleware=[Middleware(RenewCitizenToken)],
        on_close=[http.aclose],
        explain=acting_for.refusal_page,
    )
    app.state.portal = Portal(config, broker, templates, LogProofs(config.log_verifier_key), http)
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
    Route("/cases", cases.case_list),
    Route("/cases/{case_id}", cases.case_page),
    Route("/cases/{case_id}/records/{record_id}", cases.record_revisions),
    Route("/consents", consents.consent_list, methods=["GET"]),
    Route("/consents", consents.grant, methods=["POST"]),
    Route("/consents/new", consents.grant_page),
    Route("/consents/{consent_id}/revoke", consents.revoke_page, methods=["GET"]),
    Route("/consents/{consent_id}/revoke", consents.revoke, methods=["POST"]),
    Route("/consent-requests/{request_id}/approve", consent_requests.approve, methods=["POST"]),
    Route("/consent-requests/{request_id}/decline", consent_requests.decline, methods=["POST"]),
    Route("/mandates", mandates.mandate_list, methods=["GET"]),
    Route("/mandates", mandates.give, methods=["POST"]),
    Route("/mandates/{right_id}/accept", mandates.accept, methods=["POST"]),
    Route("/mandates/{right_id}/end", mandates.end, methods=["POST"]),
    Route("/acting-for", acting_for.chooser, methods=["GET"]),
    Route("/acting-for", acting_for.choose, methods=["POST"]),
    Route("/access", access.access_log),
    Route("/access/live", live.access_events),
    Route("/access/signed-log", access.signed_log),
    Route("/discussions", threads.discussions),
    Route("/threads/{thread_id}", threads.thread_page),
    Route("/threads/{thread_id}/messages", threads.post, methods=["POST"]),
    Route("/threads/{thread_id}/live", live.thread_events),
    Route("/help", inquiries.ask_page, methods=["GET"]),
    Route("/help", inquiries.ask, methods=["POST"]),
    Route("/inquiries", inquiries.inquiry_list),
    Route("/inquiries/{inquiry_id}", inquiries.inquiry_page),
    Route("/inquiries/{inquiry_id}/messages", inquiries.post, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/live", live.inquiry_events),
    Route("/inquiries/{inquiry_id}/reopen", inquiries.reopen, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/consent", inquiries.consent, methods=["POST"]),
]
