"""What the workspace's page handlers share: its state and the signed-in clerk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment
from starlette.requests import Request

from luukku.client import Client, Practitioner
from luukku.web import case_words, pages
from luukku.web.broker import BrokerLink
from luukku.web.pages import SignInRequired
from luukku.web.sessions import session_of
from luukku.workspace import consent, words
from luukku.workspace.config import WorkspaceConfig

TEMPLATES = Path(__file__).parent / "templates"


def template_environment() -> Environment:
    """The workspace's templates over the shared ones, with the words for what the broker
    gives as values."""
    return pages.template_environment(
        TEMPLATES,
        status_text=words.status_text,
        channel_text=words.channel_text,
        step_text=words.step_text,
        topic_text=words.topic_text,
        inquiry_title=words.title,
        shift_time=words.shift_time,
        ready_label=words.ready_answer_label,
        case_words=case_words,
        consent_state_text=consent.state_text,
        permission_text=consent.permission_text,
    )


@dataclass
class Workspace:
    """The app's shared state, as ``request.app.state.workspace``."""

    config: WorkspaceConfig
    broker: BrokerLink
    templates: Environment


def workspace_of(request: Request) -> Workspace:
    """The app's shared state."""
    workspace: Workspace = request.app.state.workspace
    return workspace


def clerk(request: Request) -> Practitioner:
    """The signed-in clerk as the broker hears of them, or :class:`SignInRequired`."""
    session = session_of(request)
    if session.person_id is None:
        raise SignInRequired
    return Practitioner(session.person_id, session.person_name, session.person_role)


def clerk_client(request: Request) -> Client:
    """SDK calls the broker audits as the signed-in clerk's, or :class:`SignInRequired`."""
    return workspace_of(request).broker.for_practitioner(clerk(request))
