"""The workspace's ASGI app and how it is served."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Route

from luukku.client import RPCError, TLSConfig
from luukku.web import i18n
from luukku.web import signin as web_signin
from luukku.web.app import broker_refused, web_app
from luukku.web.broker import BrokerLink
from luukku.web.config import Identification
from luukku.web.pages import Site
from luukku.web.serve import serve
from luukku.web.sessions import SessionStore
from luukku.workspace import inquiry, queue, signin
from luukku.workspace.config import WorkspaceConfig
from luukku.workspace.state import Workspace, template_environment


def create_app(config: WorkspaceConfig, broker: BrokerLink) -> Starlette:
    """The workspace for ``config``, reaching the broker through ``broker``."""

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
    app.state.workspace = Workspace(config, broker, templates)
    if config.identification is Identification.OIDC and config.oidc is not None:
        app.state.oauth = web_signin.oidc_client(config.oidc)
    return app


def _nothing_here() -> str:
    return i18n.gettext_(
        "Your organisation may not see anything at this address. Check the address, or "
        "start from the queue."
    )


async def serve_workspace(
    config: WorkspaceConfig,
    *,
    listen: str,
    broker: str,
    pki: Path,
    tls_cert: str | None = None,
    tls_key: str | None = None,
    ready_message: str = "",
) -> None:
    """Serve until interrupted; ``ready_message`` is printed once the port accepts."""
    link = await BrokerLink.connect(broker, TLSConfig.from_pki_dir(pki, config.org))
    await serve(
        create_app(config, link),
        name="workspace",
        listen=listen,
        tls_cert=tls_cert,
        tls_key=tls_key,
        ready_message=ready_message,
    )


ROUTES = [
    Route("/", queue.queue_page),
    Route("/login", signin.login_page, methods=["GET"]),
    Route("/login", signin.dev_login, methods=["POST"]),
    Route("/auth/callback", signin.oidc_callback, name=web_signin.CALLBACK),
    Route("/desks/{desk_id}/live", queue.queue_events),
    Route("/inquiries/{inquiry_id}", inquiry.inquiry_page),
    Route("/inquiries/{inquiry_id}/live", inquiry.inquiry_events),
    Route("/inquiries/{inquiry_id}/claim", inquiry.claim, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/messages", inquiry.reply, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/notes", inquiry.add_note, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/hand-over", inquiry.hand_over, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/close", inquiry.close, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/case", inquiry.link_case, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/consent-requests", inquiry.ask_consent, methods=["POST"]),
]
