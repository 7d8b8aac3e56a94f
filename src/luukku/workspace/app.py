"""The workspace's ASGI app and how it is served."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Route

from luukku.client import TLSConfig
from luukku.web import i18n
from luukku.web import signin as web_signin
from luukku.web.app import broker_web_app
from luukku.web.broker import BrokerLink
from luukku.web.serve import serve
from luukku.workspace import signin
from luukku.workspace.config import WorkspaceConfig
from luukku.workspace.pages import answers, cases, discussions, figures, inquiry, queue
from luukku.workspace.state import Workspace, template_environment


def create_app(config: WorkspaceConfig, broker: BrokerLink) -> Starlette:
    """The workspace for ``config``, reaching the broker through ``broker``."""
    templates = template_environment()
    app = broker_web_app(
        ROUTES, settings=config, broker=broker, templates=templates, nothing_here=_nothing_here
    )
    app.state.workspace = Workspace(config, broker, templates)
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
    Route("/figures", figures.figures_page),
    Route("/inquiries/{inquiry_id}", inquiry.inquiry_page),
    Route("/inquiries/{inquiry_id}/live", inquiry.inquiry_events),
    Route("/inquiries/{inquiry_id}/claim", inquiry.claim, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/messages", inquiry.reply, methods=["POST"]),
    Route(
        "/inquiries/{inquiry_id}/ready-answer", inquiry.insert_ready_answer, methods=["GET", "POST"]
    ),
    Route("/inquiries/{inquiry_id}/notes", inquiry.add_note, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/hand-over", inquiry.hand_over, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/close", inquiry.close, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/case", inquiry.link_case, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/reopen", inquiry.reopen, methods=["POST"]),
    Route("/desks/{desk_id}/answers", answers.answers_page, methods=["GET"]),
    Route("/desks/{desk_id}/answers", answers.add_answer, methods=["POST"]),
    Route("/desks/{desk_id}/answers/{answer_id}", answers.answer_page, methods=["GET"]),
    Route("/desks/{desk_id}/answers/{answer_id}", answers.save_answer, methods=["POST"]),
    Route("/desks/{desk_id}/answers/{answer_id}/remove", answers.remove_answer, methods=["POST"]),
    Route("/cases", cases.case_list),
    Route("/cases/{case_id}", cases.case_page),
    Route("/cases/{case_id}/records", cases.write_record, methods=["POST"]),
    Route("/cases/{case_id}/records/{record_id}", cases.record_page),
    Route("/cases/{case_id}/records/{record_id}/revisions", cases.revise_record, methods=["POST"]),
    Route("/cases/{case_id}/threads", cases.start_discussion, methods=["POST"]),
    Route("/threads/{thread_id}", discussions.thread_page),
    Route("/threads/{thread_id}/live", discussions.thread_events),
    Route("/threads/{thread_id}/messages", discussions.reply, methods=["POST"]),
    Route("/inquiries/{inquiry_id}/consent-requests", inquiry.ask_consent, methods=["POST"]),
]
