"""An inquiry as a clerk works on it: claim as a named person, the conversation and the
desk's internal notes live, reply (starting from one of the desk's ready answers in the
citizen's language, if the clerk likes), write a note, hand over with a note, link a case,
ask the citizen for consent to a case (its answer live, then the case: see
:mod:`luukku.workspace.consent`), close with an outcome, reopen once closed.

Who is asking is ``asker``'s.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import (
    Case,
    Client,
    ConsentRequest,
    FailedPreconditionError,
    Inquiry,
    InquiryEvent,
    InquiryNote,
    InquiryStatus,
    InquiryStepKind,
    InvalidArgumentError,
    Message,
)
from luukku.web import i18n
from luukku.web import live as sse
from luukku.web.pages import form_fields, redirect, render
from luukku.workspace import consent
from luukku.workspace.pages.answers import choice_for
from luukku.workspace.pages.asker import who_is_asking
from luukku.workspace.pages.queue import holder
from luukku.workspace.state import clerk, clerk_client, workspace_of

MAX_MESSAGES = 1000
MAX_NOTES = 1000
MAX_NOTE = 2000  # characters of an internal note (the broker's limit)
MAX_CASES = 200  # a citizen's cases offered to link
MAX_TEXT = 4000  # characters of a reply, a note or an outcome


async def inquiry_page(request: Request) -> Response:
    """GET /inquiries/{inquiry_id}: the inquiry, its conversation and what the clerk can do
    (after a step, ``?done=claimed`` and the like say that it was done)."""
    client = clerk_client(request)
    inquiry = await client.get_inquiry(request.path_params["inquiry_id"])
    done = _DONE.get(request.query_params.get("done", ""))
    return await inquiry_page_for(request, inquiry, client=client, notice=done() if done else "")


# What the page says after each step of the clerk's.
_DONE = {
    "claimed": lambda: i18n.gettext_("You claimed the inquiry. It is yours to answer."),
    "handed-over": lambda: i18n.gettext_("The inquiry was handed over with your note."),
    "linked": lambda: i18n.gettext_("The case was linked to the inquiry."),
    "closed": lambda: i18n.gettext_("The inquiry was closed."),
    "reopened": lambda: i18n.gettext_("The inquiry was reopened and offered to your organisation."),
    "consent-asked": lambda: i18n.gettext_(
        "The citizen was asked for consent. Their answer shows here when they give it."
    ),
}


async def inquiry_page_for(
    request: Request,
    inquiry: Inquiry,
    *,
    client: Client | None = None,
    status_code: int = 200,
    form: dict[str, Any] | None = None,
    lost_claim: bool = False,
    notice: str = "",
) -> Response:
    """The inquiry page for ``inquiry``; ``form`` keeps what was typed and its errors."""
    client = client or clerk_client(request)
    messages: list[Message] = []
    async for message in client.list_inquiry_messages(inquiry.id):
        messages.append(message)
        if len(messages) >= MAX_MESSAGES:
            break
    notes: list[InquiryNote] = []
    async for note in client.list_inquiry_notes(inquiry.id):
        notes.append(note)
        if len(notes) >= MAX_NOTES:
            break
    workspace = workspace_of(request)
    names = await workspace.broker.organization_names()
    desks = [d async for d in client.list_desks()]
    desk = next((d for d in desks if d.id == inquiry.desk_id), None)
    members = [
        m for m in (desk.member_organization_ids if desk else ()) if m != workspace.config.org
    ]
    state = _state(request, inquiry, names)
    cases = await _citizens_cases(client, inquiry) if state["held_by_me"] else []
    chosen = (form or {}).get("values", {}).get("ready_answer", "")
    ready = await choice_for(client, inquiry, chosen) if state["held_by_me"] else None
    return render(
        request,
        "inquiry.html",
        status_code,
        section="queue",
        **state,
        messages=messages,
        notes=notes,
        cases=cases,
        ready=ready,
        asker=await who_is_asking(client, inquiry, workspace.config.org),
        consent_requests=await consent.requests_of(client, inquiry.id),
        may_ask_consent=state["held_by_me"]
        and inquiry.status is not InquiryStatus.CLOSED
        and bool(inquiry.citizen_id),
        last_day_default=consent.last_day_default(),
        permissions=consent.PERMISSIONS,
        all_desks=desks,
        desks=[d for d in desks if d.id != inquiry.desk_id],
        members=members,
        form=form or {"values": {}, "errors": {}},
        lost_claim=lost_claim,
        notice=notice,
        request_id=uuid.uuid4().hex,
    )


async def _citizens_cases(client: Client, inquiry: Inquiry) -> list[Case]:
    """The cases of the inquiry's citizen that the organisation may read, but the one
    linked already (none for an anonymous inquiry), to link one: chosen from a list, never
    typed as an id."""
    if not inquiry.citizen_id:
        return []
    cases: list[Case] = []
    async for case in client.list_cases():
        if case.citizen_id == inquiry.citizen_id and case.id != inquiry.case_id:
            cases.append(case)
        if len(cases) >= MAX_CASES:
            break
    return cases


def _state(request: Request, inquiry: Inquiry, names: dict[str, str]) -> dict[str, Any]:
    held_by = holder(inquiry)
    org = workspace_of(request).config.org
    return {
        "inquiry": inquiry,
        "names": names,
        "held_by": held_by,
        "held_by_me": held_by is not None
        and inquiry.claimed_by_organization_id == org
        and held_by.id == clerk(request).id,
        "org": org,
    }


async def claim(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/claim: the clerk takes it; if someone was first, the
    inquiry's page says who (the broker decides: exactly one claim wins)."""
    client = clerk_client(request)
    inquiry_id = request.path_params["inquiry_id"]
    try:
        await client.claim_inquiry(inquiry_id)
    except FailedPreconditionError:
        inquiry = await client.get_inquiry(inquiry_id)
        held_by = holder(inquiry)
        if held_by is None or held_by.id != clerk(request).id:
            return await inquiry_page_for(
                request, inquiry, client=client, status_code=409, lost_claim=True
            )
    return redirect(f"/inquiries/{inquiry_id}?done=claimed")  # claimed now, or by a double click


async def reply(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/messages: the clerk answers the citizen (a resubmitted
    form, with the same request id, posts once)."""
    fields = await form_fields(request)
    body = fields.get("body", "").strip()
    error = _text_error(body, i18n.gettext_("Write a reply"))
    client = clerk_client(request)
    inquiry_id = request.path_params["inquiry_id"]
    if error:
        return await _refused(request, client, inquiry_id, fields, {"body": error})
    request_id = fields.get("request_id", "")
    message = await client.post_inquiry_message(
        inquiry_id, body, request_id=request_id if _is_request_id(request_id) else None
    )
    return redirect(f"/inquiries/{inquiry_id}", fragment=f"message-{message.sequence}")


async def insert_ready_answer(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/ready-answer: the reply form's other button. The page
    again, the chosen ready answer added after what the clerk had written; nothing sent.

    A GET of the address (the page reloaded from the address bar, or the address copied)
    shows the inquiry: the draft lived only in that one response.
    """
    if request.method == "GET":
        return await inquiry_page(request)
    fields = await form_fields(request)
    client = clerk_client(request)
    inquiry = await client.get_inquiry(request.path_params["inquiry_id"])
    ready = await choice_for(client, inquiry, fields.get("ready_answer", ""))
    written = fields.get("body", "").rstrip()
    if ready.chosen is None:
        errors = {"ready_answer": i18n.gettext_("Choose a ready answer")}
        form = {"values": fields, "errors": errors}
        return await inquiry_page_for(request, inquiry, client=client, status_code=400, form=form)
    text = ready.chosen.text(ready.language)
    body = f"{written}\n\n{text}" if written else text
    form = {"values": {**fields, "body": body}, "errors": {}}
    notice = i18n.gettext_(
        "The ready answer was added to your reply. It is sent when you send the reply."
    )
    return await inquiry_page_for(request, inquiry, client=client, form=form, notice=notice)


async def add_note(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/notes: an internal note for the desk's members, never
    shown to the citizen (a resubmitted form, with the same request id, writes once)."""
    fields = await form_fields(request)
    body = fields.get("internal_note", "").strip()
    error = _text_error(body, i18n.gettext_("Write the note"), MAX_NOTE)
    client = clerk_client(request)
    inquiry_id = request.path_params["inquiry_id"]
    if error:
        return await _refused(request, client, inquiry_id, fields, {"internal_note": error})
    request_id = fields.get("request_id", "")
    try:
        note = await client.add_inquiry_note(
            inquiry_id, body, request_id=request_id if _is_request_id(request_id) else None
        )
    except InvalidArgumentError:
        errors = {"internal_note": i18n.gettext_("The note has characters that cannot be saved")}
        return await _refused(request, client, inquiry_id, fields, errors)
    return redirect(f"/inquiries/{inquiry_id}", fragment=f"note-{note.sequence}")


async def hand_over(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/hand-over: to another member or another desk, with a
    note (to ``org:ID`` or ``desk:ID``)."""
    fields = await form_fields(request)
    note = fields.get("note", "").strip()
    kind, _, target = fields.get("to", "").partition(":")
    errors = {}
    if kind not in ("org", "desk") or not target:
        errors["to"] = i18n.gettext_("Choose who takes the inquiry over")
    if note_error := _text_error(note, i18n.gettext_("Write a note for whoever takes over")):
        errors["note"] = note_error
    client = clerk_client(request)
    inquiry_id = request.path_params["inquiry_id"]
    if errors:
        return await _refused(request, client, inquiry_id, fields, errors)
    to = {"to_organization_id": target} if kind == "org" else {"to_desk_id": target}
    try:
        await client.hand_over_inquiry(inquiry_id, note=note, **to)
    except (FailedPreconditionError, InvalidArgumentError):
        if not _just_handed_over(request, await client.get_inquiry(inquiry_id), note, target):
            errors["to"] = i18n.gettext_("The inquiry could not be handed over to them")
            return await _refused(request, client, inquiry_id, fields, errors)
    return redirect(f"/inquiries/{inquiry_id}?done=handed-over")


def _just_handed_over(request: Request, inquiry: Inquiry, note: str, target: str) -> bool:
    """Whether the inquiry's newest step is this clerk's hand-over to ``target`` with
    ``note``: the form pressed twice, whose first press did it."""
    if not inquiry.history:
        return False
    step = inquiry.history[-1]
    return (
        step.kind is InquiryStepKind.HANDED_OVER
        and step.practitioner.id == clerk(request).id
        and step.note == note
        and target in (step.to_organization_id, step.to_desk_id)
    )


async def close(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/close: with its outcome."""
    fields = await form_fields(request)
    outcome = fields.get("outcome", "").strip()
    error = _text_error(outcome, i18n.gettext_("Write the outcome"))
    client = clerk_client(request)
    inquiry_id = request.path_params["inquiry_id"]
    if error:
        return await _refused(request, client, inquiry_id, fields, {"outcome": error})
    inquiry = await client.get_inquiry(inquiry_id)
    if inquiry.status is not InquiryStatus.CLOSED:  # pressed twice: closed the first time
        await client.close_inquiry(inquiry_id, outcome=outcome)
    return redirect(f"/inquiries/{inquiry_id}?done=closed")


async def reopen(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/reopen: back to the queue, offered first to the clerk's
    organisation (pressed twice: reopened the first time)."""
    client = clerk_client(request)
    inquiry_id = request.path_params["inquiry_id"]
    if (await client.get_inquiry(inquiry_id)).status is InquiryStatus.CLOSED:
        await client.reopen_inquiry(inquiry_id)
    return redirect(f"/inquiries/{inquiry_id}?done=reopened")


async def link_case(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/case: link one of the citizen's cases the organisation
    may read."""
    fields = await form_fields(request)
    case_id = fields.get("case_id", "").strip()
    client = clerk_client(request)
    inquiry_id = request.path_params["inquiry_id"]
    if not case_id:
        errors = {"case_id": i18n.gettext_("Choose the case")}
        return await _refused(request, client, inquiry_id, fields, errors)
    try:
        if (await client.get_inquiry(inquiry_id)).case_id != case_id:  # pressed twice: linked
            await client.link_inquiry_case(inquiry_id, case_id)
    except (FailedPreconditionError, InvalidArgumentError):
        errors = {"case_id": i18n.gettext_("No case you may read has this id")}
        return await _refused(request, client, inquiry_id, fields, errors)
    return redirect(f"/inquiries/{inquiry_id}?done=linked")


async def ask_consent(request: Request) -> Response:
    """POST /inquiries/{inquiry_id}/consent-requests: ask the inquiry's citizen for consent
    (a resubmitted form, with the same request id, asks once)."""
    form = await request.form()
    fields = await form_fields(request)
    chosen = [str(v) for v in form.getlist("permissions")]
    client = clerk_client(request)
    inquiry_id = request.path_params["inquiry_id"]
    inquiry = await client.get_inquiry(inquiry_id)
    asked = consent.read_form(fields, chosen, inquiry.case_id or "")
    if asked.errors or asked.last_day is None:
        return await _refused(request, client, inquiry_id, fields, asked.errors)
    request_id = fields.get("request_id", "")
    try:
        made = await client.create_consent_request(
            inquiry_id,
            case_id=asked.case_id,
            permissions=asked.permissions,
            purpose=asked.purpose,
            valid_until=i18n.end_of_day(asked.last_day).astimezone(UTC),
            request_id=request_id if _is_request_id(request_id) else None,
        )
    except (FailedPreconditionError, InvalidArgumentError) as error:
        field = "purpose" if error.reason == "INVALID_CHARACTER" else "case_reference"
        message = (
            i18n.gettext_("The purpose has characters that cannot be saved")
            if field == "purpose"
            else i18n.gettext_("No case of this citizen's has this reference")
        )
        return await _refused(request, client, inquiry_id, fields, {field: message})
    return redirect(
        f"/inquiries/{inquiry_id}?done=consent-asked", fragment=f"consent-request-{made.id}"
    )


async def inquiry_events(request: Request) -> Response:
    """GET /inquiries/{inquiry_id}/live: each new message and internal note as an ``<li>``
    (a note's into the notes' list), the inquiry's state (status, who holds it, its
    history) after each step, and each consent request the organisation made from it as
    an ``<li>`` when new and as a state part when answered (with the case once approved).
    Notes and requests carry no cursor: after a reconnection the broker sends them all
    again and the page keeps the ones it has."""
    client = clerk_client(request)
    inquiry_id = request.path_params["inquiry_id"]
    names = await workspace_of(request).broker.organization_names()
    watch = client.watch_inquiry(
        inquiry_id,
        after_sequence=sse.cursor(request),
        with_notes=True,
        with_consent_requests=True,
    )
    items = await sse.opened(watch)
    templates = workspace_of(request).templates
    state, message, note, asked = (
        templates.get_template(n)
        for n in ("_state.html", "_message.html", "_note.html", "_consent_request.html")
    )

    async def with_cases(
        watched: AsyncIterator[InquiryEvent],
    ) -> AsyncIterator[Inquiry | Message | InquiryNote | consent.RequestShown]:
        async for item in watched:
            yield (
                await consent.request_shown(client, item)
                if isinstance(item, ConsentRequest)
                else item
            )

    def fragment(item: Inquiry | Message | InquiryNote | consent.RequestShown) -> list[sse.Event]:
        if isinstance(item, Message):
            html = message.render(message=item, names=names, when=i18n.when)
            return [sse.Event(html, item.sequence)]
        if isinstance(item, InquiryNote):
            return [sse.Event(note.render(note=item, names=names, when=i18n.when))]
        if isinstance(item, consent.RequestShown):
            html = asked.render(asked=item, names=names, permissions=consent.PERMISSIONS)
            return [sse.Event(html), sse.Event(html, name="state")]
        html = state.render(**_state(request, item, names), when=i18n.when)
        return [sse.Event(html, name="state")]

    return sse.stream(request, with_cases(items), fragment)


async def _refused(
    request: Request,
    client: Client,
    inquiry_id: str,
    fields: dict[str, str],
    errors: dict[str, str],
) -> Response:
    inquiry = await client.get_inquiry(inquiry_id)
    form = {"values": fields, "errors": errors}
    return await inquiry_page_for(request, inquiry, client=client, status_code=400, form=form)


def _text_error(text: str, missing: str, longest: int = MAX_TEXT) -> str:
    if not text:
        return missing
    if len(text) > longest:
        return i18n.gettext_("Write at most %(num)d characters") % {"num": longest}
    return ""


def _is_request_id(text: str) -> bool:
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text)
