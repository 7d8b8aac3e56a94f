"""Asking for help: a question to a shared service desk, the citizen's inquiries, one inquiry.

The citizen need not know which organisation answers: a desk is run by
several, and whoever handles the inquiry reads what was said before. Asking
opens no case data; the inquiry page offers a consent in one step instead.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import (
    Case,
    Client,
    Desk,
    FailedPreconditionError,
    Inquiry,
    InquiryStep,
    Message,
    RPCError,
)
from luukku.portal import acting
from luukku.portal.pages import consent_requests
from luukku.portal.pages.threads import MAX_BODY_BYTES, author_of, post_and_land
from luukku.portal.web import (
    citizen_client,
    form_fields,
    own_citizen_id,
    page,
    portal_of,
    redirect,
    refuse_form,
    refused_form,
    request_key,
)
from luukku.web import i18n
from luukku.web.i18n import topic_name
from luukku.web.sessions import session_of

# How long a consent given from an inquiry lasts: to the end of the 90th day from today.
INQUIRY_CONSENT_DAYS = 90


def inquiry_consent_end() -> datetime:
    """When a consent given from an inquiry today ends (the page says so before it is given)."""
    today = datetime.now(i18n.HELSINKI).date()
    return i18n.end_of_day(today + timedelta(days=INQUIRY_CONSENT_DAYS))


async def _desks(client: Client) -> list[Desk]:
    return [d async for d in client.list_desks()]


async def ask_page(request: Request) -> Response:
    """GET /help: choose a topic and write a question."""
    return await _ask_form(request, {}, {})


async def _ask_form(request: Request, values: dict[str, str], errors: dict[str, str]) -> Response:
    desks = await _desks(citizen_client(request))
    return await page(
        request,
        "ask.html",
        section="help",
        desks=desks,
        topic_name=topic_name,
        form={"errors": errors},
        entered=values,
        status_code=400 if errors else 200,
    )


async def ask(request: Request) -> Response:
    """POST /help: the question goes to the desk's queue."""
    fields = await form_fields(request)
    desk_id, _, topic = fields.get("topic", "").partition(" ")
    subject, body = fields.get("subject", "").strip(), fields.get("body", "").strip()
    errors: dict[str, str] = {}
    if not desk_id or not topic:
        errors["topic"] = i18n.gettext_("Choose what your question is about")
    if not subject:
        errors["subject"] = i18n.gettext_("Write a short title for your question")
    elif len(subject) > 200:
        errors["subject"] = i18n.gettext_("The title can be at most 200 characters long")
    if not body:
        errors["body"] = i18n.gettext_("Write your question")
    elif len(body.encode("utf-8")) > MAX_BODY_BYTES:
        errors["body"] = i18n.gettext_("The message is too long. Shorten it and send it again.")
    if errors:
        return await _ask_form(request, fields, errors)
    try:
        asked = await citizen_client(request).create_inquiry(
            desk_id,
            topic=topic,
            subject=subject,
            body=body,
            municipality=fields.get("municipality", "").strip()[:100],
            request_id=request_key(fields),
            # The clerk answers in the language the citizen asked in.
            language=i18n.current_language.get(),
            citizen_name=_asker_name(request),
        )
    except RPCError as error:
        if error.reason in ("INVALID_CHARACTER", "INVALID_TOPIC", "DESK_NOT_FOUND"):
            errors["body" if error.reason == "INVALID_CHARACTER" else "topic"] = (
                i18n.gettext_("Remove invisible formatting characters from the message")
                if error.reason == "INVALID_CHARACTER"
                else i18n.gettext_("Choose what your question is about")
            )
            return await _ask_form(request, fields, errors)
        raise
    return redirect(f"/inquiries/{asked.id}?asked=1")


async def inquiry_list(request: Request) -> Response:
    """GET /inquiries: the citizen's questions, newest first, and who handles each."""
    client = citizen_client(request)
    inquiries, desks, names, own_id = await asyncio.gather(
        _inquiries(client),
        _desks(client),
        portal_of(request).broker.organization_names(),
        own_citizen_id(request),
    )
    seen = _seen(request)
    unread = await asyncio.gather(
        *(_unread_answers(client, i, own_id, seen.get(i.id, 0)) for i in inquiries)
    )
    return await page(
        request,
        "inquiries.html",
        section="help",
        inquiries=list(zip(inquiries, unread, strict=True)),
        desk_names={d.id: d.name for d in desks},
        names=names,
        status_text=status_text,
    )


async def _inquiries(client: Client) -> list[Inquiry]:
    return [i async for i in client.list_inquiries()]


async def _unread_answers(client: Client, inquiry: Inquiry, own_id: str, seen: int) -> int:
    """The desk's messages the citizen has not seen: after the last one this session showed
    them and after their own last message (writing, they had read what came before).
    """
    if inquiry.last_sequence <= seen:
        return 0
    unread = 0
    async for message in client.list_inquiry_messages(inquiry.id, after_sequence=seen):
        unread = 0 if message.author_citizen_id == own_id else unread + 1
    return unread


def _seen(request: Request) -> dict[str, int]:
    """How far the citizen has read each question in this session, by its id."""
    seen: dict[str, int] = session_of(request).data.setdefault("inquiries_seen", {})
    return seen


async def inquiry_page(request: Request) -> Response:
    """GET /inquiries/{inquiry_id}: its history, the conversation, reply, reopen, consent."""
    client = citizen_client(request)
    inquiry_id = request.path_params["inquiry_id"]
    inquiry, messages, parts, own_id, asked = await asyncio.gather(
        client.get_inquiry(inquiry_id),
        _messages(client, inquiry_id),
        inquiry_parts(request),
        own_citizen_id(request),
        consent_requests.requests_of(client, inquiry_id),
    )
    _seen(request)[inquiry.id] = inquiry.last_sequence
    draft, errors = refused_form(request)
    notice = ""
    if request.query_params.get("asked"):
        notice = i18n.gettext_("Your question was sent. You can follow the answers here.")
    elif request.query_params.get("consented"):
        notice = i18n.gettext_("The consent was recorded.")
    elif request.query_params.get("reopened"):
        notice = i18n.gettext_("Your question was reopened. It went back to the desk.")
    elif answered := request.query_params.get("answered"):
        notice = consent_requests.answered_notice(answered)
    return await page(
        request,
        "inquiry.html",
        section="help",
        inquiry=inquiry,
        messages=messages,
        last_sequence=messages[-1].sequence if messages else 0,
        author=author_of,
        own_id=own_id,
        notice=notice,
        draft=draft.get("body", ""),
        errors=errors,
        consent_requests=asked[::-1],  # oldest first, as the live stream adds them
        back="inquiry",
        **parts,
    )


async def inquiry_parts(request: Request) -> dict[str, Any]:
    """What the inquiry's changing parts (``_inquiry_state.html``) are rendered with
    besides the inquiry: on the page, and again live whenever a step is taken.
    """
    client = citizen_client(request)
    desks, names, cases = await asyncio.gather(
        _desks(client), portal_of(request).broker.organization_names(), _cases(client)
    )
    return {
        "desk_names": {d.id: d.name for d in desks},
        "names": names,
        "cases": cases,
        "case_titles": {c.id: c.title for c in cases},
        "status_text": status_text,
        "step_text": step_text,
        "handled_by": handled_by,
        "consent_days": INQUIRY_CONSENT_DAYS,
        "consent_end": inquiry_consent_end(),
    }


async def _messages(client: Client, inquiry_id: str) -> list[Message]:
    return [m async for m in client.list_inquiry_messages(inquiry_id)]


async def _cases(client: Client) -> list[Case]:
    return [c async for c in client.list_cases()]


async def post(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/messages: the citizen writes to the desk."""
    inquiry_id = request.path_params["inquiry_id"]
    client = citizen_client(request)

    async def send(body: str, request_id: str | None) -> Message:
        return await client.post_inquiry_message(inquiry_id, body, request_id=request_id)

    return await post_and_land(request, f"/inquiries/{inquiry_id}", send)


async def reopen(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/reopen: back to the desk's queue (sent twice: once)."""
    inquiry_id = request.path_params["inquiry_id"]
    try:
        await citizen_client(request).reopen_inquiry(inquiry_id)
    except FailedPreconditionError as error:
        # A second press finds the question already open again: what was asked holds.
        if error.reason != "INQUIRY_NOT_CLOSED":
            raise
    return redirect(f"/inquiries/{inquiry_id}?reopened=1")


async def consent(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/consent: let the handling organisation read one case."""
    fields = await form_fields(request)
    inquiry_id = request.path_params["inquiry_id"]
    client = citizen_client(request)
    inquiry = await client.get_inquiry(inquiry_id)
    if not inquiry.claimed_by_organization_id:
        return redirect(f"/inquiries/{inquiry_id}")
    if not fields.get("case_id"):
        error = i18n.gettext_("Choose one of your cases")
        return refuse_form(request, f"/inquiries/{inquiry_id}", "consent", fields, error)
    await client.grant_consent(
        inquiry.claimed_by_organization_id,
        case_id=fields["case_id"],
        permissions=["read"],
        purpose=i18n.gettext_("For my question: %(subject)s") % {"subject": inquiry.subject[:150]},
        valid_until=inquiry_consent_end(),
        request_id=request_key(fields),
    )
    return redirect(f"/inquiries/{inquiry_id}?consented=1")


def status_text(status: str) -> str:
    """Where an inquiry stands, in plain words."""
    texts = {
        "queued": i18n.gettext_("Waiting for a reply"),
        "claimed": i18n.gettext_("Being handled"),
        "closed": i18n.gettext_("Closed"),
    }
    return texts.get(str(status), str(status))


def handled_by(inquiry: Inquiry, names: dict[str, str]) -> str:
    """Who handles an inquiry: the person who took it up, their role and organisation."""
    org_id = inquiry.claimed_by_organization_id
    if not org_id:
        return i18n.gettext_("Nobody yet: your question is waiting in the desk's queue")
    claims = [s for s in inquiry.history if s.kind == "claimed" and s.organization_id == org_id]
    person = claims[-1].practitioner if claims else None
    parts = (person.display_name, person.role) if person else ()
    return ", ".join(part for part in (*parts, names.get(org_id, org_id)) if part)


def step_text(step: InquiryStep, names: dict[str, str], desk_names: dict[str, str]) -> str:
    """What happened to an inquiry, in plain words; a hand-over says to whom."""
    if step.kind == "handed_over":
        target = names.get(step.to_organization_id or "") or desk_names.get(
            step.to_desk_id or "", step.to_organization_id or step.to_desk_id or ""
        )
        return i18n.gettext_("Handed over to %(target)s") % {"target": target}
    texts = {
        "asked": i18n.gettext_("Question sent"),
        "claimed": i18n.gettext_("Taken up"),
        "closed": i18n.gettext_("Closed"),
        "reopened": i18n.gettext_("Reopened"),
        "case_linked": i18n.gettext_("Linked to a case"),
    }
    return texts.get(str(step.kind), str(step.kind))


def _asker_name(request: Request) -> str:
    """The name the question is asked in: the signed-in citizen's, or, acting for someone,
    the name the broker gave that person (the broker keeps it as theirs)."""
    session = session_of(request)
    chosen = acting.current(session)
    return chosen.name if chosen is not None else session.person_name
